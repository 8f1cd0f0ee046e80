// ops deals (`crm deal add|move|won|lost`): the record a deal becomes, the
// stages of config.yaml (defaults and custom ones), probabilities, values in
// their currency, the moves kept on every change of stage, and the sale a won
// deal may become. Bad input is refused before anything is written.

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/deal.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::deal_type;
using crm::model::Record;
using crm::model::sale_type;
using crm::ops::DealRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00
constexpr const char* t1 = "2026-11-26T16:30:00+02:00";
constexpr const char* t2 = "2026-11-28T09:15:00+02:00";

const std::string suffix = "[a-km-np-z2-9]{4}";

// The workspace every test starts from (region RO, base currency EUR, the clock at t0).
struct Fixture : crm_test::PinnedWorkspace {
  // Replaces the deals: section of .crm/config.yaml (read by the next Session).
  void set_stages(const std::string& stages) {
    const auto path = dir / ".crm" / "config.yaml";
    std::string text = read_text(path);
    const std::string key = "  stages: ";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find('\n', at) - at, key + stages);
    write_text(path, text);
  }
  std::string deal_text(const std::string& id) const { return read_text(dir / "deals" / (id + ".yaml")); }
};

DealRequest request(const std::string& ref, const std::string& title) {
  DealRequest r;
  r.ref = ref;
  r.title = title;
  return r;
}

Record deal(Session& s, const std::string& id) { return crm::ops::load_record(s, deal_type(), id); }

// The same fields and values, in any order (a record returned before it is
// written keeps the order its fields were set in).
bool same(const Record& a, const Record& b) { return nlohmann::json(a) == nlohmann::json(b); }

Json move(const std::string& at, const std::string& from, const std::string& to) {
  Json m = Json::object();
  m["at"] = at;
  if (!from.empty()) m["from"] = from;
  m["to"] = to;
  return m;
}

// The error f throws, with its kind, message and hints on one line each.
Strings error_lines(const crm::Error& e) {
  Strings out = {std::string(e.what())};
  for (const auto& h : e.hints()) out.push_back("hint: " + h);
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ add

TEST_CASE("ops: deal add_deal writes deals/<id>.yaml with every field") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request("ana popescu", "  Website redesign ");
  req.value = "1500";
  req.currency = "USD";
  req.stage = "proposal";
  req.close = "2026-12-31";
  req.probability = "60";
  const auto id = crm::ops::add_deal(s, req);
  CHECK(std::regex_match(id, std::regex("website-redesign-" + suffix)));
  CHECK(f.files("deals") == Strings{"deals/" + id + ".yaml"});
  CHECK(f.deal_text(id) == "id: " + id + "\n"
                           "title: Website redesign\n"
                           "contact: " + ana + "\n"
                           "stage: proposal\n"
                           "value: \"1500.00\"\n"
                           "currency: USD\n"
                           "probability: 60\n"
                           "close: \"2026-12-31\"\n"
                           "moves:\n"
                           "  - at: 2026-11-25T10:00:00+02:00\n"
                           "    to: proposal\n"
                           "created: 2026-11-25T10:00:00+02:00\n"
                           "updated: 2026-11-25T10:00:00+02:00\n");
  const auto indexed = s.index().get(deal_type(), id);
  REQUIRE(indexed.has_value());
  CHECK((*indexed)["stage"] == "proposal");
  CHECK((*indexed)["probability"] == 60);
}

TEST_CASE("ops: deal add_deal defaults: the first stage and its probability, the base currency, no value or close") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_deal(s, request(ana, "Support contract"));
  CHECK(deal(s, id) == Json{{"id", id},
                            {"title", "Support contract"},
                            {"contact", ana},
                            {"stage", "lead"},
                            {"currency", "EUR"},
                            {"probability", 10},
                            {"moves", Json::array({move(t0, "", "lead")})},
                            {"created", t0},
                            {"updated", t0}});
}

TEST_CASE("ops: deal add_deal: each stage's probability, a value in the currency's decimals, a WHEN close") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  struct Case {
    const char* stage;
    int probability;
  };
  for (const auto& c : {Case{"lead", 10}, Case{"qualified", 25}, Case{"proposal", 50}, Case{"negotiation", 75}}) {
    CAPTURE(c.stage);
    auto req = request(ana, "Deal");
    req.stage = c.stage;
    CHECK(deal(s, crm::ops::add_deal(s, req))["probability"] == c.probability);
  }
  struct Value {
    const char* currency;
    const char* given;
    const char* stored;
  };
  for (const auto& v : {Value{"EUR", "12.5", "12.50"}, Value{"EUR", "0", "0.00"}, Value{"JPY", "1500", "1500"},
                        Value{"KWD", "1.5", "1.500"}, Value{"RON", "1234.56", "1234.56"}}) {
    CAPTURE(v.given);
    auto req = request(ana, "Valued");
    req.currency = v.currency;
    req.value = v.given;
    const auto d = deal(s, crm::ops::add_deal(s, req));
    CHECK(d["value"] == v.stored);
    CHECK(d["currency"] == v.currency);
  }
  struct Close {
    const char* when;
    const char* date;
  };
  for (const auto& c : {Close{"tomorrow", "2026-11-26"}, Close{"+1m", "2026-12-25"}, Close{"+2w", "2026-12-09"},
                        Close{"friday", "2026-11-27"}, Close{"2027-01-15T18:00", "2027-01-15"}}) {
    CAPTURE(c.when);
    auto req = request(ana, "Closing");
    req.close = c.when;
    CHECK(deal(s, crm::ops::add_deal(s, req))["close"] == c.date);
  }
  // Probabilities 0 and 100 are in range.
  auto req = request(ana, "Sure thing");
  req.probability = "100";
  CHECK(deal(s, crm::ops::add_deal(s, req))["probability"] == 100);
  req.probability = "0";
  CHECK(deal(s, crm::ops::add_deal(s, req))["probability"] == 0);
}

TEST_CASE("ops: deal add_deal refuses bad input, with its kind, and writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto check_refused = [&](const DealRequest& req, ErrorKind kind, const Strings& lines) {
    const auto e = error_from([&] { crm::ops::add_deal(s, req); });
    CHECK(e.kind() == kind);
    CHECK(error_lines(e) == lines);
    CHECK(f.files("deals").empty());
  };
  auto req = request(ana, "Deal");
  req.stage = "demo";
  check_refused(req, ErrorKind::invalid_data,
                {"unknown deal stage 'demo'",
                 "hint: the stages are: lead, qualified, proposal, negotiation (deals.stages in .crm/config.yaml)"});
  req.stage = "Lead"; // stage names are exact
  CHECK(error_from([&] { crm::ops::add_deal(s, req); }).kind() == ErrorKind::invalid_data);
  req.stage = "won";
  check_refused(req, ErrorKind::usage, {"a deal is won with 'crm deal won'", "hint: crm deal won ID [--record-sale]"});
  req.stage = "lost";
  check_refused(req, ErrorKind::usage, {"a deal is lost with 'crm deal lost'", "hint: crm deal lost ID --reason R"});

  req = request(ana, "Deal");
  for (const char* p : {"101", "-5", "abc", "", "50%", "1000", "12.5", " 5"}) {
    CAPTURE(p);
    req.probability = p;
    check_refused(req, ErrorKind::invalid_data,
                  {"bad --probability '" + std::string(p) + "'", "hint: expected a percent from 0 to 100"});
  }

  req = request(ana, "Deal");
  for (const char* v : {"12,5", "-5", "12.345", "abc", "1e3"}) {
    CAPTURE(v);
    req.value = v;
    const std::string comma = std::string(v) == "12,5" ? " (use a dot as decimal separator: 12.5)" : "";
    check_refused(req, ErrorKind::invalid_data,
                  {"bad --value '" + std::string(v) + "'" + comma, "hint: expected an amount of EUR with at most 2 decimals"});
  }
  req.currency = "JPY";
  req.value = "10.5";
  check_refused(req, ErrorKind::invalid_data,
                {"bad --value '10.5'", "hint: expected a whole number of JPY"});

  req = request(ana, "Deal");
  for (const char* c : {"EURO", "eur", "XYZ"}) {
    CAPTURE(c);
    req.currency = c;
    check_refused(req, ErrorKind::invalid_data,
                  {"unknown currency '" + std::string(c) + "'",
                   "hint: use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD"});
  }

  req = request(ana, "Deal");
  req.close = "someday";
  CHECK(error_from([&] { crm::ops::add_deal(s, req); }).kind() == ErrorKind::invalid_data);
  CHECK(std::string(error_from([&] { crm::ops::add_deal(s, req); }).what()).starts_with("bad --close 'someday'"));

  check_refused(request(ana, "   "), ErrorKind::usage, {"a deal needs a --title"});
  CHECK(error_from([&] { crm::ops::add_deal(s, request("Nobody Known", "Deal")); }).kind() == ErrorKind::not_found);
  CHECK(f.files("deals").empty());
}

TEST_CASE("ops: deal stages from config.yaml: the first is the default, the others are unknown") {
  Fixture f;
  f.set_stages("{discovery: 20, demo: 60}");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_deal(s, request(ana, "Custom"));
  auto d = deal(s, id);
  CHECK(d["stage"] == "discovery");
  CHECK(d["probability"] == 20);
  CHECK(d["moves"] == Json::array({move(t0, "", "discovery")}));

  auto req = request(ana, "Demo first");
  req.stage = "demo";
  CHECK(deal(s, crm::ops::add_deal(s, req))["probability"] == 60);

  req.stage = "lead";
  const auto e = error_from([&] { crm::ops::add_deal(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(error_lines(e) ==
        Strings{"unknown deal stage 'lead'", "hint: the stages are: discovery, demo (deals.stages in .crm/config.yaml)"});

  f.now.set(t1);
  d = crm::ops::move_deal(s, id, "demo", std::nullopt);
  CHECK(d["probability"] == 60);
  CHECK(d["moves"] == Json::array({move(t0, "", "discovery"), move(t1, "discovery", "demo")}));
  CHECK(error_from([&] { crm::ops::move_deal(s, id, "proposal", std::nullopt); }).kind() == ErrorKind::invalid_data);
  CHECK(f.files("deals").size() == 2);
}

// ------------------------------------------------------------------ move

TEST_CASE("ops: deal move_deal appends the move and resets the probability unless given") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "Website redesign");
  req.probability = "33";
  req.value = "900";
  const auto id = crm::ops::add_deal(s, req);

  f.now.set(t1);
  auto d = crm::ops::move_deal(s, id, "proposal", std::nullopt);
  CHECK(d == deal(s, id)); // returned as written
  CHECK(d["stage"] == "proposal");
  CHECK(d["probability"] == 50);
  CHECK(d["updated"] == t1);
  CHECK(d["created"] == t0);
  CHECK(d["value"] == "900.00");
  CHECK(d["moves"] == Json::array({move(t0, "", "lead"), move(t1, "lead", "proposal")}));

  f.now.set(t2);
  d = crm::ops::move_deal(s, id.substr(0, 10), "qualified", "40"); // by id prefix; back is allowed too
  CHECK(d["stage"] == "qualified");
  CHECK(d["probability"] == 40);
  CHECK(f.deal_text(id) == "id: " + id + "\n"
                           "title: Website redesign\n"
                           "contact: " + ana + "\n"
                           "stage: qualified\n"
                           "value: \"900.00\"\n"
                           "currency: EUR\n"
                           "probability: 40\n"
                           "moves:\n"
                           "  - at: 2026-11-25T10:00:00+02:00\n"
                           "    to: lead\n"
                           "  - at: 2026-11-26T16:30:00+02:00\n"
                           "    from: lead\n"
                           "    to: proposal\n"
                           "  - at: 2026-11-28T09:15:00+02:00\n"
                           "    from: proposal\n"
                           "    to: qualified\n"
                           "created: 2026-11-25T10:00:00+02:00\n"
                           "updated: 2026-11-28T09:15:00+02:00\n");
}

TEST_CASE("ops: deal move_deal refuses the same stage, a closed deal, won/lost and bad input, writing nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_deal(s, request(ana, "Website redesign"));
  const std::string before = f.deal_text(id);
  f.now.set(t1);

  auto e = error_from([&] { crm::ops::move_deal(s, id, "lead", std::nullopt); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "deal '" + id + "' is already at lead");
  // Even with another probability.
  CHECK(error_from([&] { crm::ops::move_deal(s, id, "lead", "20"); }).kind() == ErrorKind::conflict);

  e = error_from([&] { crm::ops::move_deal(s, id, "demo", std::nullopt); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(error_lines(e) ==
        Strings{"unknown deal stage 'demo'",
                "hint: the stages are: lead, qualified, proposal, negotiation (deals.stages in .crm/config.yaml)"});
  e = error_from([&] { crm::ops::move_deal(s, id, "won", std::nullopt); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "a deal is won with 'crm deal won'");
  CHECK(error_from([&] { crm::ops::move_deal(s, id, "lost", std::nullopt); }).kind() == ErrorKind::usage);
  e = error_from([&] { crm::ops::move_deal(s, id, "proposal", "150"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --probability '150'");
  CHECK(error_from([&] { crm::ops::move_deal(s, "no-such-deal", "proposal", std::nullopt); }).kind() ==
        ErrorKind::not_found);
  CHECK(f.deal_text(id) == before);

  // Closed deals stay closed.
  crm::ops::win_deal(s, id, false, std::nullopt);
  const std::string won = f.deal_text(id);
  e = error_from([&] { crm::ops::move_deal(s, id, "proposal", std::nullopt); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "deal '" + id + "' is already won");
  CHECK(f.deal_text(id) == won);

  const auto other = crm::ops::add_deal(s, request(ana, "Hosting"));
  crm::ops::lose_deal(s, other, "too expensive");
  const std::string lost = f.deal_text(other);
  e = error_from([&] { crm::ops::move_deal(s, other, "lead", std::nullopt); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "deal '" + other + "' is already lost");
  CHECK(f.deal_text(other) == lost);
}

// ------------------------------------------------------------------ won

TEST_CASE("ops: deal win_deal: stage won, probability 100, closed today") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "Website redesign");
  req.value = "1500";
  req.close = "2027-03-01";
  const auto id = crm::ops::add_deal(s, req);
  f.now.set(t2);
  const auto won = crm::ops::win_deal(s, id, false, std::nullopt);
  CHECK_FALSE(won.sale_id.has_value());
  CHECK(same(won.deal, deal(s, id)));
  CHECK(won.deal == Json{{"id", id},
                         {"title", "Website redesign"},
                         {"contact", ana},
                         {"stage", "won"},
                         {"value", "1500.00"},
                         {"currency", "EUR"},
                         {"probability", 100},
                         {"close", "2026-11-28"},
                         {"moves", Json::array({move(t0, "", "lead"), move(t2, "lead", "won")})},
                         {"created", t0},
                         {"updated", t2}});
  CHECK(f.files("sales").empty());
  const auto e = error_from([&] { crm::ops::win_deal(s, id, false, std::nullopt); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "deal '" + id + "' is already won");
  CHECK(error_from([&] { crm::ops::lose_deal(s, id, "changed their mind"); }).kind() == ErrorKind::conflict);
  CHECK(deal(s, id) == won.deal);
}

TEST_CASE("ops: deal win_deal with record_sale writes a sale of one item and links the two") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "Website redesign");
  req.value = "1499.99";
  req.currency = "USD";
  const auto id = crm::ops::add_deal(s, req);
  f.now.set(t1);
  const auto won = crm::ops::win_deal(s, id, true, std::string("credit"));
  REQUIRE(won.sale_id.has_value());
  const std::string sid = *won.sale_id;
  CHECK(std::regex_match(sid, std::regex("2026-11-26-sale-ana-popescu-" + suffix)));
  CHECK(f.files("sales") == Strings{"sales/2026/11/" + sid + ".yaml"});
  CHECK(crm::ops::load_record(s, sale_type(), sid) ==
        Json{{"id", sid},
             {"contact", ana},
             {"at", t1},
             {"status", "completed"},
             {"currency", "USD"},
             {"items", Json::array({Json{{"product", "Website redesign"},
                                         {"quantity", "1"},
                                         {"price", "1499.99"},
                                         {"total", "1499.99"}}})},
             {"subtotal", "1499.99"},
             {"total", "1499.99"},
             {"paid_by", "credit"},
             {"terms", "net30"},
             {"due", "2026-12-26"},
             {"notes", "from deal " + id},
             {"created", t1},
             {"updated", t1}});
  const auto d = deal(s, id);
  CHECK(same(d, won.deal));
  CHECK(d["sale"] == sid);
  CHECK(d["stage"] == "won");
  CHECK(d["probability"] == 100);
  CHECK(d["close"] == "2026-11-26");
  CHECK(d["moves"] == Json::array({move(t0, "", "lead"), move(t1, "lead", "won")}));
}

TEST_CASE("ops: deal win_deal with record_sale sells the deal's product, with its cost, and makes a customer") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"stage=prospect"});
  const auto lamp = crm::ops::add_record(s, crm::model::product_type(), "Desk lamp",
                                         {crm::ops::parse_assignment("price=30"), crm::ops::parse_assignment("cost=12")});
  auto req = request(ana, "Office lamps");
  req.value = "300";
  req.product = "desk lamp";
  const auto id = crm::ops::add_deal(s, req);
  CHECK(deal(s, id)["product"] == lamp);
  const auto won = crm::ops::win_deal(s, id, true, std::nullopt);
  REQUIRE(won.sale_id.has_value());
  const auto sale = crm::ops::load_record(s, sale_type(), *won.sale_id);
  CHECK(sale["items"] == Json::array({Json{{"product", "Desk lamp"},
                                           {"product_id", lamp},
                                           {"quantity", "1"},
                                           {"price", "300.00"},
                                           {"cost", "12.00"},
                                           {"total", "300.00"}}}));
  CHECK(sale["margin"] == "288.00");
  CHECK(crm::ops::load_record(s, crm::model::contact_type(), ana)["stage"] == "customer");
  // A product that does not exist is not found, and no deal is written.
  req.product = "Chair";
  CHECK(error_from([&] { crm::ops::add_deal(s, req); }).kind() == ErrorKind::not_found);
  CHECK(f.files("deals").size() == 1);
}

TEST_CASE("ops: deal win_deal with record_sale: without a value, or a bad --paid-by, nothing is written") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_deal(s, request(ana, "Website redesign"));
  const std::string before = f.deal_text(id);
  f.now.set(t1);
  auto e = error_from([&] { crm::ops::win_deal(s, id, true, std::nullopt); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(error_lines(e) == Strings{"deal '" + id + "' has no value to sell",
                                  "hint: set one first: crm deal set " + id + " value=AMOUNT"});
  CHECK(f.deal_text(id) == before);
  CHECK(f.files("sales").empty());

  crm::ops::set_record(s, deal_type(), id, {crm::ops::parse_assignment("value=250")});
  const std::string valued = f.deal_text(id);
  e = error_from([&] { crm::ops::win_deal(s, id, true, std::string("bitcoin")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --paid-by 'bitcoin'");
  CHECK(f.deal_text(id) == valued);
  CHECK(f.files("sales").empty());

  // Without record_sale a deal with no value is won all the same.
  const auto other = crm::ops::add_deal(s, request(ana, "Hosting"));
  CHECK(crm::ops::win_deal(s, other, false, std::nullopt).deal["stage"] == "won");
  CHECK(f.files("sales").empty());
}

TEST_CASE("ops: deal win_deal with record_sale: paid by card, in the base currency") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "Logo");
  req.value = "300";
  const auto id = crm::ops::add_deal(s, req);
  const auto won = crm::ops::win_deal(s, id, true, std::string("card"));
  REQUIRE(won.sale_id.has_value());
  const auto sale = crm::ops::load_record(s, sale_type(), *won.sale_id);
  CHECK(sale["currency"] == "EUR");
  CHECK(sale["items"] == Json::array({Json{{"product", "Logo"}, {"quantity", "1"}, {"price", "300.00"},
                                           {"total", "300.00"}}}));
  CHECK(sale["total"] == "300.00");
  CHECK(sale["paid_by"] == "card");
  CHECK_FALSE(sale.contains("due"));
  CHECK(deal(s, id)["sale"] == *won.sale_id);
}

// ------------------------------------------------------------------ lost

TEST_CASE("ops: deal lose_deal keeps the reason, a reason is required") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "Website redesign");
  req.stage = "negotiation";
  req.value = "1500";
  const auto id = crm::ops::add_deal(s, req);
  const std::string before = f.deal_text(id);
  for (const char* reason : {"", "   ", "\n"}) {
    CAPTURE(reason);
    const auto e = error_from([&] { crm::ops::lose_deal(s, id, reason); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(error_lines(e) == Strings{"say why the deal was lost", "hint: give it with --reason R"});
  }
  CHECK(f.deal_text(id) == before);

  f.now.set(t2);
  const auto d = crm::ops::lose_deal(s, id, "  Went with a cheaper agency ");
  CHECK(same(d, deal(s, id)));
  CHECK(f.deal_text(id) == "id: " + id + "\n"
                           "title: Website redesign\n"
                           "contact: " + ana + "\n"
                           "stage: lost\n"
                           "value: \"1500.00\"\n"
                           "currency: EUR\n"
                           "probability: 0\n"
                           "close: \"2026-11-28\"\n"
                           "lost_reason: Went with a cheaper agency\n"
                           "moves:\n"
                           "  - at: 2026-11-25T10:00:00+02:00\n"
                           "    to: negotiation\n"
                           "  - at: 2026-11-28T09:15:00+02:00\n"
                           "    from: negotiation\n"
                           "    to: lost\n"
                           "created: 2026-11-25T10:00:00+02:00\n"
                           "updated: 2026-11-28T09:15:00+02:00\n");
  const auto e = error_from([&] { crm::ops::lose_deal(s, id, "again"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "deal '" + id + "' is already lost");
  CHECK(error_from([&] { crm::ops::win_deal(s, id, false, std::nullopt); }).kind() == ErrorKind::conflict);
  CHECK(same(deal(s, id), d));
}

TEST_CASE("ops: deal lose_deal stores the reason in NFC") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_deal(s, request(ana, "Cafe\xcc\x81 supplies")); // e + combining acute
  CHECK(deal(s, id)["title"] == "Caf\xc3\xa9 supplies");
  CHECK(crm::ops::lose_deal(s, id, "Pre\xcc\x81" "fe\xcc\x80" "re un autre")["lost_reason"] == "Pr\xc3\xa9" "f\xc3\xa8re un autre");
}

TEST_SUITE_END();
