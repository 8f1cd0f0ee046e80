// ops sales (`crm sale record|void|refund`): how an --item is read, the sale
// record written (items priced from products or given, exact totals, credit
// terms, discounts, campaigns), what is left to pay, voids and refunds, and the
// loyalty points a sale earns.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/interactions/feedback.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/campaign.hpp"
#include "ops/sales/payment.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::campaign_type;
using crm::model::feedback_type;
using crm::model::id_of;
using crm::model::product_type;
using crm::model::Record;
using crm::model::sale_type;
using crm::ops::ItemSpec;
using crm::ops::parse_item;
using crm::ops::RefundRequest;
using crm::ops::SaleRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00

const std::string suffix = "[a-km-np-z2-9]{4}";

// The workspace every test starts from (region RO, base currency EUR, the clock
// at t0), with the loyalty programme set as the next Session reads it.
struct Fixture : crm_test::PinnedWorkspace {
  void set_points_per_unit(const std::string& value) {
    const auto path = dir / ".crm" / "config.yaml";
    std::string text = read_text(path);
    const std::string key = "  points_per_unit: ";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find('\n', at) - at, key + value);
    write_text(path, text);
  }
  std::string sale_text(const std::string& id) const {
    return read_text(dir / "sales" / id.substr(0, 4) / id.substr(5, 2) / (id + ".yaml"));
  }
};

SaleRequest request(const std::string& ref, Strings items) {
  SaleRequest r;
  r.ref = ref;
  r.items = std::move(items);
  return r;
}

Record sale(Session& s, const std::string& id) { return crm::ops::load_record(s, sale_type(), id); }

std::string add_product(Session& s, const std::string& name, Strings changes) {
  std::vector<crm::ops::Assignment> a;
  for (const auto& c : changes) a.push_back(crm::ops::parse_assignment(c));
  return crm::ops::add_record(s, product_type(), name, a);
}

std::string spec_text(const ItemSpec& spec) {
  return spec.product + " | " + spec.quantity + " | " + spec.price.value_or("-") + " | " + spec.cost.value_or("-");
}

// A refund of a sale on credit as a person would write it (with the sale's
// credit terms), since that is a file crm reads like any other.
void write_refund(const crm_test::PinnedWorkspace& f, const std::string& id, const std::string& contact,
                  const std::string& sale_id, const std::string& amount) {
  f.file("sales/2026/11/" + id + ".yaml", "id: " + id + "\n"
                                          "contact: " + contact + "\n"
                                          "at: 2026-11-25T10:00:00+02:00\n"
                                          "status: completed\n"
                                          "currency: EUR\n"
                                          "items:\n"
                                          "  - product: Mug\n"
                                          "    quantity: \"-1\"\n"
                                          "    price: \"" + amount + "\"\n"
                                          "    total: \"-" + amount + "\"\n"
                                          "subtotal: \"-" + amount + "\"\n"
                                          "total: \"-" + amount + "\"\n"
                                          "paid_by: credit\n"
                                          "terms: net30\n"
                                          "due: \"2026-12-25\"\n"
                                          "refund_of: " + sale_id + "\n"
                                          "created: 2026-11-25T10:00:00+02:00\n"
                                          "updated: 2026-11-25T10:00:00+02:00\n");
}

RefundRequest refund_request(const std::string& sale_id, Strings items, const std::string& reason) {
  RefundRequest r;
  r.sale = sale_id;
  r.items = std::move(items);
  r.reason = reason;
  return r;
}

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ parse_item

TEST_CASE("ops: sale parse_item reads PRODUCT [x QTY] [@ PRICE] [cost COST]") {
  CHECK(spec_text(parse_item("Audit")) == "Audit | 1 | - | -");
  CHECK(spec_text(parse_item("Audit x 2")) == "Audit | 2 | - | -");
  CHECK(spec_text(parse_item("Audit x 2.5 @ 40")) == "Audit | 2.5 | 40 | -");
  CHECK(spec_text(parse_item("Audit @40")) == "Audit | 1 | 40 | -");
  CHECK(spec_text(parse_item("Audit x 3 @40.50")) == "Audit | 3 | 40.50 | -");
  CHECK(spec_text(parse_item("Two words name x 3 @ 1.50 cost 0.50")) == "Two words name | 3 | 1.50 | 0.50");
  CHECK(spec_text(parse_item("Audit cost 10")) == "Audit | 1 | - | 10");
  CHECK(spec_text(parse_item("Audit @ 40 cost 10")) == "Audit | 1 | 40 | 10");
  CHECK(spec_text(parse_item("Audit × 4")) == "Audit | 4 | - | -");
  CHECK(spec_text(parse_item("  Green   tea  x  2  ")) == "Green tea | 2 | - | -");
  CHECK(spec_text(parse_item("AUD-1 x 2")) == "AUD-1 | 2 | - | -");
  CHECK(spec_text(parse_item("Cafe\xCC\x81 x 1")) == "Caf\xC3\xA9 | 1 | - | -"); // NFC
  CHECK(spec_text(parse_item("Audit @ 12,5")) == "Audit | 1 | 12,5 | -");     // the price is checked later
  CHECK(spec_text(parse_item("Box x")) == "Box x | 1 | - | -");               // no quantity after x
}

TEST_CASE("ops: sale parse_item refuses no product and a bad, zero or negative quantity") {
  const std::string form = "write it as \"PRODUCT x QTY @ PRICE\" (x QTY and @ PRICE may be left out)";
  struct Case {
    const char* text;
    const char* message;
    std::string hint;
  };
  for (const auto& c : {Case{"", "bad --item '': no product", form},
                        Case{"   ", "bad --item '   ': no product", form},
                        Case{"x 2", "bad --item 'x 2': no product", form},
                        Case{"@ 40", "bad --item '@ 40': no product", form},
                        Case{"x 2 @ 40 cost 5", "bad --item 'x 2 @ 40 cost 5': no product", form},
                        Case{"Audit x two", "bad --item 'Audit x two': bad quantity 'two'",
                             "a quantity is a number such as 2 or 2.5"},
                        Case{"Audit x 2,5", "bad --item 'Audit x 2,5': bad quantity '2,5' (use a dot as decimal separator: 2.5)",
                             "a quantity is a number such as 2 or 2.5"},
                        Case{"Audit x 0", "bad --item 'Audit x 0': quantity '0' is not more than 0",
                             "refunds and returns are 'crm sale refund SALE'"},
                        Case{"Audit x 0.00", "bad --item 'Audit x 0.00': quantity '0.00' is not more than 0",
                             "refunds and returns are 'crm sale refund SALE'"},
                        Case{"Audit x -2 @ 40", "bad --item 'Audit x -2 @ 40': quantity '-2' is not more than 0",
                             "refunds and returns are 'crm sale refund SALE'"}}) {
    CAPTURE(c.text);
    const auto e = error_from([&] { parse_item(c.text); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    CHECK(std::string(e.what()) == c.message);
    CHECK(e.hints() == Strings{c.hint});
  }
}

// ------------------------------------------------------------------ record_sale

TEST_CASE("ops: sale record_sale writes sales/YYYY/MM/<id>.yaml with its items and totals") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto result = crm::ops::record_sale(s, request("ana popescu", {"Audit x 2.5 @ 40", "Mug x 3 @ 0.10"}));
  CHECK(result.warning == "");
  const auto& id = result.id;
  CHECK(std::regex_match(id, std::regex("2026-11-25-sale-ana-popescu-" + suffix)));
  CHECK(f.files("sales") == Strings{"sales/2026/11/" + id + ".yaml"});
  CHECK(f.sale_text(id) == "id: " + id + "\n"
                           "contact: " + ana + "\n"
                           "at: 2026-11-25T10:00:00+02:00\n"
                           "status: completed\n"
                           "currency: EUR\n"
                           "items:\n"
                           "  - product: Audit\n"
                           "    quantity: \"2.5\"\n"
                           "    price: \"40.00\"\n"
                           "    total: \"100.00\"\n"
                           "  - product: Mug\n"
                           "    quantity: \"3\"\n"
                           "    price: \"0.10\"\n"
                           "    total: \"0.30\"\n"
                           "subtotal: \"100.30\"\n"
                           "total: \"100.30\"\n"
                           "created: 2026-11-25T10:00:00+02:00\n"
                           "updated: 2026-11-25T10:00:00+02:00\n");
  const auto indexed = s.index().get(sale_type(), id);
  REQUIRE(indexed.has_value());
  CHECK((*indexed)["total"] == "100.30");
}

TEST_CASE("ops: sale record_sale rounds each line half to even, in the sale's currency") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  auto id = crm::ops::record_sale(s, request("Ana Popescu", {"A x 0.5 @ 0.05", "B x 0.5 @ 0.15"})).id;
  auto r = sale(s, id);
  CHECK(r["items"][0]["total"] == "0.02"); // 0.025 -> 0.02
  CHECK(r["items"][1]["total"] == "0.08"); // 0.075 -> 0.08
  CHECK(r["subtotal"] == "0.10");
  CHECK(r["total"] == "0.10");

  auto req = request("Ana Popescu", {"Tea x 0.5 @ 333", "Cup x 0.5 @ 335", "Pot @ 1500"});
  req.currency = "JPY";
  id = crm::ops::record_sale(s, req).id;
  r = sale(s, id);
  CHECK(r["currency"] == "JPY");
  CHECK(r["items"] == Json::array({Json{{"product", "Tea"}, {"quantity", "0.5"}, {"price", "333"}, {"total", "166"}},
                                   Json{{"product", "Cup"}, {"quantity", "0.5"}, {"price", "335"}, {"total", "168"}},
                                   Json{{"product", "Pot"}, {"quantity", "1"}, {"price", "1500"}, {"total", "1500"}}}));
  CHECK(r["total"] == "1834");

  req = request("Ana Popescu", {"Oud x 0.5 @ 1.235 cost 0.5", "Dates x 2 @ 1.2"});
  req.currency = "KWD";
  id = crm::ops::record_sale(s, req).id;
  r = sale(s, id);
  CHECK(r["items"] ==
        Json::array({Json{{"product", "Oud"}, {"quantity", "0.5"}, {"price", "1.235"}, {"cost", "0.500"}, {"total", "0.618"}},
                     Json{{"product", "Dates"}, {"quantity", "2"}, {"price", "1.200"}, {"total", "2.400"}}}));
  CHECK(r["subtotal"] == "3.018");
  CHECK(r["total"] == "3.018");
  CHECK_FALSE(r.contains("cost")); // Dates has none
  CHECK_FALSE(r.contains("margin"));
}

TEST_CASE("ops: sale record_sale prices items from products found by name or SKU") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto audit = add_product(s, "Audit", {"price=40", "cost=10", "sku=AUD-1"});
  const auto tea = add_product(s, "Green tea", {"price=4.5"});
  const auto id = crm::ops::record_sale(s, request(ana, {"audit x 2", "AUD-1 @ 35", "GREEN TEA x 2"})).id;
  const auto r = sale(s, id);
  CHECK(r["items"] == Json::array({Json{{"product", "Audit"},
                                        {"product_id", audit},
                                        {"quantity", "2"},
                                        {"price", "40.00"},
                                        {"cost", "10.00"},
                                        {"total", "80.00"}},
                                   Json{{"product", "Audit"},
                                        {"product_id", audit},
                                        {"quantity", "1"},
                                        {"price", "35.00"},
                                        {"cost", "10.00"},
                                        {"total", "35.00"}},
                                   Json{{"product", "Green tea"},
                                        {"product_id", tea},
                                        {"quantity", "2"},
                                        {"price", "4.50"},
                                        {"total", "9.00"}}}));
  CHECK(r["subtotal"] == "124.00");
  CHECK(r["total"] == "124.00");
  CHECK_FALSE(r.contains("cost")); // the tea has no cost

  // Every item with a cost: cost and margin. A cost given overrides the product's.
  const auto id2 = crm::ops::record_sale(s, request(ana, {"Audit x 2", "Audit @ 30 cost 12.5"})).id;
  const auto r2 = sale(s, id2);
  CHECK(r2["items"][1]["cost"] == "12.50");
  CHECK(r2["subtotal"] == "110.00");
  CHECK(r2["cost"] == "32.50");
  CHECK(r2["margin"] == "77.50");

  // A prefix of a product's name or id is not that product.
  const auto id3 = crm::ops::record_sale(s, request(ana, {"Aud @ 5"})).id;
  CHECK(sale(s, id3)["items"] == Json::array({Json{{"product", "Aud"}, {"quantity", "1"}, {"price", "5.00"},
                                                   {"total", "5.00"}}}));
}

TEST_CASE("ops: sale record_sale with a discount, credit terms, a campaign, a note and --at") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto spring = crm::ops::add_record(s, campaign_type(), "Spring Sale", {});
  auto req = request(ana, {"Audit x 3 @ 40 cost 10"});
  req.discount = " 12.5% ";
  req.paid_by = "credit";
  req.campaign = "spring sale";
  req.note = "  first order\nvia the shop  ";
  req.at = "2026-11-02";
  const auto id = crm::ops::record_sale(s, req).id;
  CHECK(std::regex_match(id, std::regex("2026-11-02-sale-ana-popescu-" + suffix)));
  CHECK(sale(s, id) == Json{{"id", id},
                            {"contact", ana},
                            {"at", "2026-11-02T12:00:00+02:00"},
                            {"status", "completed"},
                            {"currency", "EUR"},
                            {"items", Json::array({Json{{"product", "Audit"},
                                                        {"quantity", "3"},
                                                        {"price", "40.00"},
                                                        {"cost", "10.00"},
                                                        {"total", "120.00"}}})},
                            {"subtotal", "120.00"},
                            {"discount", "12.5%"},
                            {"discount_amount", "15.00"},
                            {"total", "105.00"},
                            {"cost", "30.00"},
                            {"margin", "75.00"},
                            {"paid_by", "credit"},
                            {"terms", "net30"},
                            {"due", "2026-12-02"},
                            {"campaign", spring},
                            {"notes", "first order\nvia the shop\n"},
                            {"created", t0},
                            {"updated", t0}});
  CHECK(stdfs::exists(f.dir / "sales/2026/11" / (id + ".yaml")));
}

TEST_CASE("ops: sale record_sale terms: netN, due:DATE, and credit implied by --terms") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  struct Case {
    std::optional<std::string> paid_by, terms;
    const char* stored_terms;
    const char* due;
  };
  for (const auto& c : {Case{"credit", std::nullopt, "net30", "2026-12-25"},
                        Case{std::nullopt, "net15", "net15", "2026-12-10"},
                        Case{"credit", "net0", "net0", "2026-11-25"},
                        Case{std::nullopt, "due:2027-01-31", "due:2027-01-31", "2027-01-31"},
                        Case{"credit", "net365", "net365", "2027-11-25"}}) {
    CAPTURE(c.stored_terms);
    auto req = request("Ana Popescu", {"Audit @ 40"});
    req.paid_by = c.paid_by;
    req.terms = c.terms;
    const auto r = sale(s, crm::ops::record_sale(s, req).id);
    CHECK(r["paid_by"] == "credit");
    CHECK(r["terms"] == c.stored_terms);
    CHECK(r["due"] == c.due);
  }
  auto req = request("Ana Popescu", {"Audit @ 40"});
  req.paid_by = "cash";
  const auto r = sale(s, crm::ops::record_sale(s, req).id);
  CHECK(r["paid_by"] == "cash");
  CHECK_FALSE(r.contains("terms"));
  CHECK_FALSE(r.contains("due"));
}

TEST_CASE("ops: sale record_sale refuses bad input, with its kind, and writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  add_product(s, "Audit", {"price=40"});
  add_product(s, "Consulting", {});
  add_product(s, "Ramen", {"price=900", "currency=JPY"});
  struct Case {
    std::function<void(SaleRequest&)> change;
    ErrorKind kind;
    const char* message;
    Strings hints;
    bool check_hints = true;
  };
  const Strings no_hints;
  const std::vector<Case> cases = {
      {[](SaleRequest& r) { r.currency = "usd"; }, ErrorKind::invalid_data, "unknown currency 'usd'",
       {"use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD"}},
      {[](SaleRequest& r) { r.currency = "EURO"; }, ErrorKind::invalid_data, "unknown currency 'EURO'",
       {"use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD"}},
      {[](SaleRequest& r) { r.items = {"Audit @ 12,5"}; }, ErrorKind::invalid_data,
       "bad price '12,5' in --item 'Audit' (use a dot as decimal separator: 12.5)",
       {"expected an amount of EUR with at most 2 decimals"}},
      {[](SaleRequest& r) { r.items = {"Audit @ 12.555"}; }, ErrorKind::invalid_data,
       "bad price '12.555' in --item 'Audit'", {"expected an amount of EUR with at most 2 decimals"}},
      {[](SaleRequest& r) {
         r.items = {"Tea @ 1.5"};
         r.currency = "JPY";
       },
       ErrorKind::invalid_data, "bad price '1.5' in --item 'Tea'", {"expected a whole number of JPY"}},
      {[](SaleRequest& r) {
         r.items = {"Oud @ 1.2345"};
         r.currency = "KWD";
       },
       ErrorKind::invalid_data, "bad price '1.2345' in --item 'Oud'",
       {"expected an amount of KWD with at most 3 decimals"}},
      {[](SaleRequest& r) { r.items = {"Audit @ -5"}; }, ErrorKind::invalid_data,
       "bad price '-5' in --item 'Audit'", {"expected an amount of EUR with at most 2 decimals"}},
      {[](SaleRequest& r) { r.items = {"Audit @ 5 cost 1.001"}; }, ErrorKind::invalid_data,
       "bad cost '1.001' in --item 'Audit'", {"expected an amount of EUR with at most 2 decimals"}},
      {[](SaleRequest& r) { r.items = {"Audit @ 5 cost -1"}; }, ErrorKind::invalid_data,
       "bad cost '-1' in --item 'Audit'", {"expected an amount of EUR with at most 2 decimals"}},
      {[](SaleRequest& r) { r.items = {"Widget x 2"}; }, ErrorKind::invalid_data, "no price for 'Widget'",
       {"give it: --item \"Widget x 2 @ PRICE\"", "or add the product with its price: crm product add NAME --price PRICE"}},
      {[](SaleRequest& r) { r.items = {"Audit x 2"}; r.currency = "USD"; }, ErrorKind::invalid_data,
       "product 'Audit' is priced in EUR, not USD", {"give the price: --item \"Audit x 2 @ PRICE\""}},
      {[](SaleRequest& r) { r.items = {"Ramen"}; }, ErrorKind::invalid_data,
       "product 'Ramen' is priced in JPY, not EUR", {"give the price: --item \"Ramen x 1 @ PRICE\""}},
      {[](SaleRequest& r) { r.items = {"Audit", "Audit x two"}; }, ErrorKind::invalid_data,
       "bad --item 'Audit x two': bad quantity 'two'", {"a quantity is a number such as 2 or 2.5"}},
      {[](SaleRequest& r) { r.items = {}; }, ErrorKind::usage, "a sale needs at least one --item",
       {"--item \"PRODUCT x QTY @ PRICE\""}},
      {[](SaleRequest& r) {
         r.terms = "net30";
         r.paid_by = "card";
       },
       ErrorKind::usage, "--terms is for sales on credit", {"add --paid-by credit, or leave out --terms"}},
      {[](SaleRequest& r) { r.paid_by = "bitcoin"; }, ErrorKind::invalid_data, "bad --paid-by 'bitcoin'",
       {"use one of: card, cash, check, paypal, bank-transfer, other, credit"}},
      {[](SaleRequest& r) { r.terms = "net"; }, ErrorKind::invalid_data, "bad --terms 'net'",
       {"use netN (net30: 30 days after the sale) or due:YYYY-MM-DD"}},
      {[](SaleRequest& r) { r.terms = "due:2027-02-30"; }, ErrorKind::invalid_data, "bad --terms 'due:2027-02-30'",
       {"use netN (net30: 30 days after the sale) or due:YYYY-MM-DD"}},
      {[](SaleRequest& r) { r.discount = "50"; }, ErrorKind::invalid_data,
       "bad discount '50' (expected a percentage such as 10% or an amount up to the subtotal 40.00)", no_hints},
      {[](SaleRequest& r) { r.at = "someday"; }, ErrorKind::invalid_data, "bad --at 'someday'", {}, false},
      {[](SaleRequest& r) { r.ref = "Nobody"; }, ErrorKind::not_found, "no contact matches 'Nobody'", {}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    auto req = request("Ana Popescu", {"Audit"});
    c.change(req);
    const auto e = error_from([&] { crm::ops::record_sale(s, req); });
    CHECK(e.kind() == c.kind);
    CHECK(std::string(e.what()) == c.message);
    if (c.check_hints) CHECK(e.hints() == c.hints);
  }
  // A product without a price says how to set one.
  const auto consulting = id_of(crm::ops::find_record(s, product_type(), "Consulting"));
  const auto e = error_from([&] { crm::ops::record_sale(s, request("Ana Popescu", {"consulting x 3"})); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "no price for 'consulting'");
  CHECK(e.hints() == Strings{"give it: --item \"consulting x 3 @ PRICE\"",
                             "or set one: crm product set " + consulting + " price=PRICE"});
  CHECK_FALSE(stdfs::exists(f.dir / "sales/2026"));
}

TEST_CASE("ops: sale record_sale: an item naming two products is ambiguous") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto a = add_product(s, "Mug", {"price=5"});
  const auto b = add_product(s, "Big mug", {"price=7", "sku=Mug"});
  const auto e = error_from([&] { crm::ops::record_sale(s, request("Ana Popescu", {"Mug x 2"})); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(std::string(e.what()) == "item 'Mug' matches 2 products");
  CHECK(e.hints() == Strings{"name one by its id: " + a + ", " + b});
  CHECK_FALSE(stdfs::exists(f.dir / "sales/2026"));
}

// ------------------------------------------------------------------ campaign_value

TEST_CASE("ops: sale campaign_value is a campaign record's id when the text names one, else the text") {
  Fixture f;
  Session s(f.dir.path());
  const auto spring = crm::ops::add_record(s, campaign_type(), "Spring Sale", {});
  const auto summer = crm::ops::add_record(s, campaign_type(), "Summer Sale", {});
  CHECK(crm::ops::campaign_value(s, "Spring Sale") == spring);
  CHECK(crm::ops::campaign_value(s, "spring sale") == spring);
  CHECK(crm::ops::campaign_value(s, spring) == spring);
  CHECK(crm::ops::campaign_value(s, "summer") == summer); // an id prefix
  CHECK(crm::ops::campaign_value(s, "  Newsletter  ") == "Newsletter");
  CHECK(crm::ops::campaign_value(s, "Cafe\xCC\x81 night") == "Caf\xC3\xA9 night");
  // A prefix of both: which one is not for crm to guess.
  CHECK(error_from([&] { crm::ops::campaign_value(s, "s"); }).kind() == ErrorKind::ambiguous);
  CHECK(crm::ops::campaign_value(s, "   ").empty());
}

// ------------------------------------------------------------------ balance

TEST_CASE("ops: sale sale_balance: on credit the total plus refunds minus payments, otherwise 0") {
  Fixture f;
  std::string ana, id;
  {
    Session s(f.dir.path());
    ana = add_contact(s, "Ana Popescu");
    auto credit = request("Ana Popescu", {"Audit x 2 @ 40", "Mug @ 20"});
    credit.paid_by = "credit";
    id = crm::ops::record_sale(s, credit).id;
    auto b = crm::ops::sale_balance(s, sale(s, id));
    CHECK(b.currency == "EUR");
    CHECK(b.exponent == 2);
    CHECK(b.total == 10000);
    CHECK(b.refunded == 0);
    CHECK(b.paid == 0);
    CHECK(b.balance == 10000);
    CHECK(b.last_payment == "");

    crm::ops::PaymentRequest pay;
    pay.sale = id;
    pay.amount = "30";
    pay.at = "2026-11-20";
    crm::ops::record_payment(s, pay);
    b = crm::ops::sale_balance(s, sale(s, id));
    CHECK(b.paid == 3000);
    CHECK(b.balance == 7000);
    CHECK(b.last_payment == "2026-11-20");
  }
  write_refund(f, "2026-11-25-refund-ana-popescu-mug2", ana, id, "20.00");
  write_refund(f, "2026-11-25-refund-ana-popescu-mug3", ana, id, "20.00");
  {
    Session s(f.dir.path());
    auto b = crm::ops::sale_balance(s, sale(s, id));
    CHECK(b.total == 10000);
    CHECK(b.refunded == -4000);
    CHECK(b.paid == 3000);
    CHECK(b.balance == 3000);
    CHECK(b.last_payment == "2026-11-20");
    // A void refund does not count.
    crm::ops::void_sale(s, "2026-11-25-refund-ana-popescu-mug3", "entered twice");
    b = crm::ops::sale_balance(s, sale(s, id));
    CHECK(b.refunded == -2000);
    CHECK(b.balance == 5000);
  }
  {
    // Refunds and payments past the total leave nothing to pay, never less.
    Session s(f.dir.path());
    crm::ops::PaymentRequest pay;
    pay.sale = id;
    pay.amount = "50";
    crm::ops::record_payment(s, pay);
  }
  write_refund(f, "2026-11-25-refund-ana-popescu-mug4", ana, id, "20.00");
  Session s2(f.dir.path());
  auto b = crm::ops::sale_balance(s2, sale(s2, id));
  CHECK(b.refunded == -4000);
  CHECK(b.paid == 8000);
  CHECK(b.balance == 0);
  CHECK(b.last_payment == "2026-11-25");

  const auto card = crm::ops::record_sale(s2, request("Ana Popescu", {"Audit @ 40"})).id;
  b = crm::ops::sale_balance(s2, sale(s2, card));
  CHECK(b.total == 4000);
  CHECK(b.paid == 0);
  CHECK(b.balance == 0);
  crm::ops::refund_sale(s2, refund_request(card, {}, "broken"));
  b = crm::ops::sale_balance(s2, sale(s2, card));
  CHECK(b.refunded == -4000);
  CHECK(b.balance == 0);

  auto jpy = request("Ana Popescu", {"Tea x 3 @ 1500"});
  jpy.currency = "JPY";
  jpy.terms = "net10";
  b = crm::ops::sale_balance(s2, sale(s2, crm::ops::record_sale(s2, jpy).id));
  CHECK(b.currency == "JPY");
  CHECK(b.exponent == 0);
  CHECK(b.total == 4500);
  CHECK(b.balance == 4500);

  // A void sale on credit owes nothing.
  auto other = request("Ana Popescu", {"Audit @ 40"});
  other.paid_by = "credit";
  const auto voided = crm::ops::record_sale(s2, other).id;
  crm::ops::void_sale(s2, voided, "");
  b = crm::ops::sale_balance(s2, sale(s2, voided));
  CHECK(b.total == 4000);
  CHECK(b.balance == 0);
}

TEST_CASE("ops: sale add_sale_balance shows paid, refunded and balance") {
  Fixture f;
  std::string ana, id;
  {
    Session s(f.dir.path());
    ana = add_contact(s, "Ana Popescu");
    auto credit = request("Ana Popescu", {"Audit x 2 @ 40"});
    credit.paid_by = "credit";
    id = crm::ops::record_sale(s, credit).id;
    auto shown = crm::ops::show_record(s, sale_type(), id);
    crm::ops::add_sale_balance(s, shown);
    CHECK(shown.computed.value("paid", "") == "0.00");
    CHECK(shown.computed.value("balance", "") == "80.00");
    CHECK_FALSE(shown.computed.contains("refunded"));
  }
  write_refund(f, "2026-11-25-refund-ana-popescu-aud1", ana, id, "40.00");
  Session s(f.dir.path());
  auto shown = crm::ops::show_record(s, sale_type(), id);
  crm::ops::add_sale_balance(s, shown);
  CHECK(shown.computed.value("refunded", "") == "-40.00");
  CHECK(shown.computed.value("paid", "") == "0.00");
  CHECK(shown.computed.value("balance", "") == "40.00");

  const auto card = crm::ops::record_sale(s, request("Ana Popescu", {"Audit x 2 @ 40"})).id;
  shown = crm::ops::show_record(s, sale_type(), card);
  crm::ops::add_sale_balance(s, shown);
  CHECK_FALSE(shown.computed.contains("paid"));
  CHECK_FALSE(shown.computed.contains("balance"));
  CHECK_FALSE(shown.computed.contains("refunded"));
  crm::ops::refund_sale(s, refund_request(card, {"Audit x 1"}, "one too many"));
  shown = crm::ops::show_record(s, sale_type(), card);
  crm::ops::add_sale_balance(s, shown);
  CHECK(shown.computed.value("refunded", "") == "-40.00");
  CHECK_FALSE(shown.computed.contains("balance"));
}

// ------------------------------------------------------------------ void

TEST_CASE("ops: sale void_sale marks it void, kept, twice is a conflict") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::record_sale(s, request(ana, {"Audit @ 40"})).id;
  const auto before = sale(s, id);
  EnvVar later("CRM_NOW", std::string("2026-11-25T11:00:00+02:00"));
  const auto voided = crm::ops::void_sale(s, id, "  entered twice ");
  Json expected = before;
  expected["status"] = "void";
  expected["updated"] = "2026-11-25T11:00:00+02:00";
  expected["voided_at"] = "2026-11-25T11:00:00+02:00";
  expected["void_reason"] = "entered twice";
  CHECK(sale(s, id) == crm::model::in_field_order(sale_type(), expected));
  CHECK(voided["status"] == "void");
  CHECK(f.files("sales") == Strings{"sales/2026/11/" + id + ".yaml"});
  CHECK(crm::ops::sale_balance(s, sale(s, id)).balance == 0);

  const auto text = f.sale_text(id);
  const auto e = error_from([&] { crm::ops::void_sale(s, id, "again"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + id + "' is already void");
  CHECK(e.hints() == Strings{"it was voided on 2026-11-25T11:00:00+02:00"});
  CHECK(f.sale_text(id) == text);

  // Without a reason there is no void_reason.
  const auto other = crm::ops::record_sale(s, request(ana, {"Audit @ 40"})).id;
  crm::ops::void_sale(s, other, "  ");
  CHECK_FALSE(sale(s, other).contains("void_reason"));
}

TEST_CASE("ops: sale void_sale refuses a sale with payments or refunds") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  auto credit = request("Ana Popescu", {"Audit @ 40"});
  credit.paid_by = "credit";
  const auto paid = crm::ops::record_sale(s, credit).id;
  crm::ops::PaymentRequest pay;
  pay.sale = paid;
  pay.amount = "10";
  crm::ops::record_payment(s, pay);
  const auto text = f.sale_text(paid);
  auto e = error_from([&] { crm::ops::void_sale(s, paid, "mistake"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + paid + "' has payments; it cannot be voided");
  CHECK(e.hints() == Strings{"refund it instead: crm sale refund " + paid});
  CHECK(f.sale_text(paid) == text);

  const auto refunded = crm::ops::record_sale(s, request("Ana Popescu", {"Audit x 2 @ 40"})).id;
  crm::ops::refund_sale(s, refund_request(refunded, {"Audit"}, "broken"));
  e = error_from([&] { crm::ops::void_sale(s, refunded, "mistake"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + refunded + "' has refunds; it cannot be voided");
  CHECK(e.hints() == Strings{"void its refunds first ('crm sale list --format json' shows them under refund_of)"});
  CHECK(sale(s, refunded)["status"] == "completed");

  e = error_from([&] { crm::ops::void_sale(s, "2020-01-01-nothing", "mistake"); });
  CHECK(e.kind() == ErrorKind::not_found);
}

// ------------------------------------------------------------------ refund

TEST_CASE("ops: sale refund_sale, in full: a negative sale linked to the original and a new return") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto audit = add_product(s, "Audit", {"price=40", "cost=10"});
  auto req = request(ana, {"Audit x 2", "Mug x 3 @ 5 cost 1"});
  req.discount = "10%";
  req.paid_by = "card";
  req.campaign = "Newsletter";
  const auto id = crm::ops::record_sale(s, req).id;
  CHECK(sale(s, id)["total"] == "85.50");

  EnvVar later("CRM_NOW", std::string("2026-11-26T09:00:00+02:00"));
  const auto result = crm::ops::refund_sale(s, refund_request(id, {}, " Changed her mind "));
  CHECK(result.feedback_added);
  CHECK(std::regex_match(result.refund_id, std::regex("2026-11-26-refund-ana-popescu-" + suffix)));
  CHECK(std::regex_match(result.feedback_id, std::regex("2026-11-26-return-ana-popescu-" + suffix)));
  const std::string t1 = "2026-11-26T09:00:00+02:00";
  CHECK(sale(s, result.refund_id) == Json{{"id", result.refund_id},
                                          {"contact", ana},
                                          {"at", t1},
                                          {"status", "completed"},
                                          {"currency", "EUR"},
                                          {"items", Json::array({Json{{"product", "Audit"},
                                                                      {"product_id", audit},
                                                                      {"quantity", "-2"},
                                                                      {"price", "40.00"},
                                                                      {"cost", "10.00"},
                                                                      {"total", "-80.00"}},
                                                                 Json{{"product", "Mug"},
                                                                      {"quantity", "-3"},
                                                                      {"price", "5.00"},
                                                                      {"cost", "1.00"},
                                                                      {"total", "-15.00"}}})},
                                          {"subtotal", "-95.00"},
                                          {"discount", "10%"},
                                          {"discount_amount", "-9.50"},
                                          {"total", "-85.50"},
                                          {"cost", "-23.00"},
                                          {"margin", "-62.50"},
                                          {"paid_by", "card"},
                                          {"campaign", "Newsletter"},
                                          {"refund_of", id},
                                          {"feedback", result.feedback_id},
                                          {"notes", "Changed her mind"},
                                          {"created", t1},
                                          {"updated", t1}});
  CHECK(crm::ops::load_record(s, feedback_type(), result.feedback_id) == Json{{"id", result.feedback_id},
                                                                             {"kind", "return"},
                                                                             {"contact", ana},
                                                                             {"at", t1},
                                                                             {"product", "Audit"},
                                                                             {"sale", id},
                                                                             {"summary", "Changed her mind"},
                                                                             {"status", "open"},
                                                                             {"created", t1},
                                                                             {"updated", t1}});
  CHECK(f.files("sales") == Strings{"sales/2026/11/" + id + ".yaml", "sales/2026/11/" + result.refund_id + ".yaml"});
  CHECK(f.files("feedback") == Strings{"feedback/2026/11/" + result.feedback_id + ".yaml"});
  const auto b = crm::ops::sale_balance(s, sale(s, id));
  CHECK(b.refunded == -8550);

  // Nothing is left: another refund of any part is more than what is left.
  const auto e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Mug x 1"}, "again")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "cannot refund 1 of 'Mug': 0 left of what the sale had");
  const auto again = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {}, "again")); });
  CHECK(again.kind() == ErrorKind::conflict);
  CHECK(std::string(again.what()) == "sale '" + id + "' is already partly refunded");
  CHECK(again.hints() == Strings{"name what goes back: --item \"PRODUCT x QTY\""});
  CHECK(f.files("sales").size() == 2);
  CHECK(f.files("feedback").size() == 1);
}

TEST_CASE("ops: sale refund_sale, in part: the items named at the sale's prices, up to what is left") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, {"Audit x 2 @ 40", "Mug x 3 @ 5"});
  req.discount = "10"; // an amount: for the whole sale, not taken off a part
  const auto id = crm::ops::record_sale(s, req).id;
  CHECK(sale(s, id)["total"] == "85.00");

  auto r = crm::ops::refund_sale(s, refund_request(id, {"audit x 1"}, "one too many"));
  auto refund = sale(s, r.refund_id);
  CHECK(refund["items"] == Json::array({Json{{"product", "Audit"}, {"quantity", "-1"}, {"price", "40.00"},
                                             {"total", "-40.00"}}}));
  CHECK(refund["subtotal"] == "-40.00");
  CHECK(refund["total"] == "-40.00");
  CHECK_FALSE(refund.contains("discount"));
  CHECK(refund["refund_of"] == id);
  CHECK(crm::ops::load_record(s, feedback_type(), r.feedback_id)["product"] == "Audit");

  // One audit left: two are more.
  auto e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Audit x 2"}, "more")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "cannot refund 2 of 'Audit': 1 left of what the sale had");
  CHECK(e.hints() == Strings{});
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Audit x 1", "Mug x 2"}, "more")); });
  CHECK(std::string(e.what()) == "a refund of 50.00 EUR is more than the 45.00 EUR left on sale '" + id + "'");
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Mug x 4"}, "more")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "cannot refund 4 of 'Mug': 3 left of what the sale had");
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Mug x 3.01"}, "more")); });
  CHECK(std::string(e.what()) == "cannot refund 3.01 of 'Mug': 3 left of what the sale had");
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Tea"}, "more")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "sale '" + id + "' has no item 'Tea'");
  CHECK(e.hints() == Strings{"its items: Audit, Mug"});
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Mug @ 5.001"}, "more")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad price '5.001' in --item 'Mug'");
  CHECK(f.files("sales").size() == 2);
  CHECK(f.files("feedback").size() == 1);

  // What is left, exactly, goes back; then nothing is left.
  r = crm::ops::refund_sale(s, refund_request(id, {"Audit x 1", "Mug"}, "all of it"));
  CHECK(sale(s, r.refund_id)["total"] == "-45.00");
  CHECK(crm::ops::sale_balance(s, sale(s, id)).refunded == -8500);
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Mug"}, "more")); });
  CHECK(std::string(e.what()) == "a refund of 5.00 EUR is more than the 0.00 EUR left on sale '" + id + "'");
  CHECK(f.files("sales").size() == 3);
  CHECK(f.files("feedback").size() == 2);
}

TEST_CASE("ops: sale refund_sale: a percentage discount applies to what goes back") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  auto req = request("Ana Popescu", {"Audit x 2 @ 40", "Mug x 3 @ 5"});
  req.discount = "12.5%";
  const auto id = crm::ops::record_sale(s, req).id;
  CHECK(sale(s, id)["discount_amount"] == "11.88"); // 11.875 -> 11.88 (even)
  CHECK(sale(s, id)["total"] == "83.12");
  const auto r = crm::ops::refund_sale(s, refund_request(id, {"Mug x 1"}, "chipped"));
  const auto refund = sale(s, r.refund_id);
  CHECK(refund["subtotal"] == "-5.00");
  CHECK(refund["discount"] == "12.5%");
  CHECK(refund["discount_amount"] == "-0.62"); // -0.625 -> -0.62
  CHECK(refund["total"] == "-4.38");
}

TEST_CASE("ops: sale refund_sale linked to feedback given, or refused") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto cash = request(ana, {"Audit x 2 @ 40"});
  cash.paid_by = "cash";
  const auto id = crm::ops::record_sale(s, cash).id;
  crm::ops::FeedbackRequest fb;
  fb.ref = ana;
  fb.kind = "complaint";
  fb.text = "Arrived late";
  const auto complaint = crm::ops::add_feedback(s, fb);

  RefundRequest req;
  req.sale = id;
  req.items = {"Audit"};
  req.feedback = complaint;
  const auto r = crm::ops::refund_sale(s, req);
  CHECK_FALSE(r.feedback_added);
  CHECK(r.feedback_id == complaint);
  const auto refund = sale(s, r.refund_id);
  CHECK(refund["feedback"] == complaint);
  CHECK(refund["paid_by"] == "cash");
  CHECK(refund["total"] == "-40.00");
  CHECK_FALSE(refund.contains("notes"));
  CHECK(f.files("feedback") == Strings{"feedback/2026/11/" + complaint + ".yaml"});
  CHECK(crm::ops::sale_balance(s, sale(s, id)).refunded == -4000);

  // A refund is not refunded; a void sale has nothing to refund; a reason is needed.
  auto e = error_from([&] { crm::ops::refund_sale(s, refund_request(r.refund_id, {}, "x")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "'" + r.refund_id + "' is itself a refund");
  CHECK(e.hints() == Strings{"refund the original sale: " + id});
  const auto other = crm::ops::record_sale(s, request(ana, {"Audit @ 40"})).id;
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(other, {}, "  ")); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "a refund needs a reason");
  CHECK(e.hints() == Strings{"give it with -m TEXT, or link feedback with --feedback ID"});
  crm::ops::void_sale(s, other, "");
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(other, {}, "x")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "sale '" + other + "' is void; there is nothing to refund");
  e = error_from([&] { crm::ops::refund_sale(s, refund_request(id, {"Audit x 0"}, "x")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --item 'Audit x 0': quantity '0' is not more than 0");
  CHECK(f.files("sales").size() == 3);
  CHECK(f.files("feedback").size() == 1);
}

// ------------------------------------------------------------------ loyalty points

TEST_CASE("ops: sale sale_points is nullopt when the programme is off") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto result = crm::ops::record_sale(s, request("Ana Popescu", {"Audit @ 92.50"}));
  CHECK(result.warning == "");
  const auto r = sale(s, result.id);
  CHECK_FALSE(r.contains("points"));
  std::string warning = "unchanged";
  CHECK_FALSE(crm::ops::sale_points(s, r, &warning));
  CHECK(warning == "unchanged");
}

TEST_CASE("ops: sale sale_points: whole points per unit of the base currency, toward zero") {
  Fixture f;
  f.set_points_per_unit("1");
  {
    Session s(f.dir.path());
    add_contact(s, "Ana Popescu");
    const auto result = crm::ops::record_sale(s, request("Ana Popescu", {"Audit @ 92.99"}));
    CHECK(result.warning == "");
    CHECK(sale(s, result.id)["points"] == 92);
    const auto refund = crm::ops::refund_sale(s, refund_request(result.id, {}, "broken"));
    CHECK(sale(s, refund.refund_id)["points"] == -92); // -92.99 -> -92, not -93
    CHECK(crm::ops::sale_points(s, Json{{"currency", "EUR"}, {"total", "0.99"}, {"at", t0}}, nullptr) == 0);
  }
  f.set_points_per_unit("0.5");
  {
    Session s(f.dir.path());
    auto points = [&](const char* total) {
      return crm::ops::sale_points(s, Json{{"currency", "EUR"}, {"total", total}, {"at", t0}}, nullptr);
    };
    CHECK(points("92.50") == 46);   // 46.25
    CHECK(points("93.99") == 46);   // 46.995
    CHECK(points("-92.50") == -46); // toward zero
    CHECK(points("-93.99") == -46);
    CHECK(points("1.99") == 0);
    const auto id = crm::ops::record_sale(s, request("Ana Popescu", {"Audit x 3 @ 40"})).id;
    CHECK(sale(s, id)["points"] == 60);
  }
  f.set_points_per_unit("0");
  {
    Session s(f.dir.path());
    CHECK_FALSE(crm::ops::sale_points(s, Json{{"currency", "EUR"}, {"total", "92.50"}, {"at", t0}}, nullptr));
  }
}

TEST_CASE("ops: sale sale_points in another currency needs its rate in rates.yaml") {
  Fixture f;
  f.set_points_per_unit("1");
  {
    Session s(f.dir.path());
    add_contact(s, "Ana Popescu");
    auto req = request("Ana Popescu", {"Audit @ 100"});
    req.currency = "USD";
    const auto result = crm::ops::record_sale(s, req);
    CHECK(result.warning == "no loyalty points: no USD rate on or before 2026-11-25 in rates.yaml");
    CHECK_FALSE(sale(s, result.id).contains("points"));
    std::string warning;
    CHECK_FALSE(crm::ops::sale_points(s, sale(s, result.id), &warning));
    CHECK(warning == "no loyalty points: no USD rate on or before 2026-11-25 in rates.yaml");
  }
  f.file("rates.yaml", "USD:\n  2026-01-01: \"0.92\"\n  2026-12-01: \"0.80\"\nJPY:\n  2026-01-01: \"0.0061\"\n");
  {
    Session s(f.dir.path());
    auto req = request("Ana Popescu", {"Audit @ 100"});
    req.currency = "USD";
    const auto result = crm::ops::record_sale(s, req);
    CHECK(result.warning == "");
    CHECK(sale(s, result.id)["points"] == 92); // 100.00 USD -> 92.00 EUR
    req.currency = "JPY";
    req.items = {"Ramen x 10 @ 1500"};
    CHECK(sale(s, crm::ops::record_sale(s, req).id)["points"] == 91); // 15000 JPY -> 91.50 EUR
    // Before the first rate there is none.
    req.currency = "USD";
    req.items = {"Audit @ 100"};
    req.at = "2025-12-31";
    const auto early = crm::ops::record_sale(s, req);
    CHECK(early.warning == "no loyalty points: no USD rate on or before 2025-12-31 in rates.yaml");
    CHECK_FALSE(sale(s, early.id).contains("points"));
    // The rate of the sale's day.
    CHECK(crm::ops::sale_points(s, Json{{"currency", "USD"}, {"total", "100.00"}, {"at", "2026-12-01T09:00:00+02:00"}},
                                nullptr) == 80);
  }
}

// ------------------------------------------------------------------ stage on the first sale

namespace {

// The stage activities of a contact, as "at from->to", oldest first.
Strings stage_changes(Session& s, const std::string& contact) {
  Strings out;
  std::vector<Record> changes;
  for (const auto& id : s.index().ids_where(crm::model::activity_type(), "contact", contact))
    if (auto a = s.index().get(crm::model::activity_type(), id); a && (*a)["kind"] == "stage") changes.push_back(*a);
  std::sort(changes.begin(), changes.end(), [](const Record& a, const Record& b) { return a["at"] < b["at"]; });
  for (const auto& a : changes)
    out.push_back(a["at"].get<std::string>() + " " + a.value("from", "") + "->" + a.value("to", ""));
  return out;
}

} // namespace

TEST_CASE("ops: sale record_sale: the first completed sale makes the contact a customer, dated by the sale") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"stage=prospect"});
  const auto bob = add_contact(s, "Bob Ionescu", {"stage=customer"});
  const auto cleo = add_contact(s, "Cleo Radu");
  auto r = request(ana, {"Audit @ 40"});
  r.at = "2026-11-20T09:00+02:00";
  const auto first = crm::ops::record_sale(s, r);
  REQUIRE(first.stage_activity.has_value());
  CHECK(crm::ops::load_record(s, crm::model::contact_type(), ana)["stage"] == "customer");
  CHECK(stage_changes(s, ana) == Strings{"2026-11-20T09:00:00+02:00 prospect->customer",
                                         "2026-11-25T10:00:00+02:00 ->prospect"});
  // The second sale changes nothing, even after the stage was set back by hand.
  crm::ops::set_record(s, crm::model::contact_type(), ana, {crm::ops::parse_assignment("stage=inactive")});
  CHECK_FALSE(crm::ops::record_sale(s, request(ana, {"Mug @ 5"})).stage_activity.has_value());
  CHECK(crm::ops::load_record(s, crm::model::contact_type(), ana)["stage"] == "inactive");
  // A customer already is one; a contact with no stage becomes one.
  CHECK_FALSE(crm::ops::record_sale(s, request(bob, {"Mug @ 5"})).stage_activity.has_value());
  CHECK(crm::ops::record_sale(s, request(cleo, {"Mug @ 5"})).stage_activity.has_value());
  CHECK(stage_changes(s, cleo) == Strings{"2026-11-25T10:00:00+02:00 ->customer"});
}

TEST_CASE("ops: sale record_sale leaves the stage alone with sales.first_sale_stage: off, or on a check") {
  Fixture f;
  {
    Session s(f.dir.path());
    const auto ana = add_contact(s, "Ana Popescu", {"stage=lead"});
    auto check = request(ana, {"Audit @ 40"});
    check.check_only = true;
    CHECK_FALSE(crm::ops::record_sale(s, check).stage_activity.has_value());
    CHECK(crm::ops::load_record(s, crm::model::contact_type(), ana)["stage"] == "lead");
  }
  const auto path = f.dir / ".crm" / "config.yaml";
  std::string text = read_text(path);
  const auto at = text.find("first_sale_stage: customer");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string("first_sale_stage: customer").size(), "first_sale_stage: off");
  write_text(path, text);
  Session s(f.dir.path());
  CHECK(crm::ops::record_sale(s, request("ana popescu", {"Audit @ 40"})).stage_activity == std::nullopt);
  CHECK(crm::ops::find_record(s, crm::model::contact_type(), "ana popescu")["stage"] == "lead");
}

TEST_SUITE_END();
