// ops loyalty (`crm loyalty redeem`): the points a contact has (earned by sales
// that are not void, plus loyalty records) and redeeming them.

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/loyalty.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::loyalty_type;
using crm::ops::loyalty_balance;
using crm::ops::redeem_points;
using crm::ops::SaleRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

const std::string suffix = "[a-km-np-z2-9]{4}";

// The workspace every test starts from (region RO, base EUR, the clock at
// 2026-11-25T10:00:00+02:00), with loyalty.points_per_unit set for the next Session.
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
};

std::string buy(Session& s, const std::string& who, const std::string& item) {
  SaleRequest r;
  r.ref = who;
  r.items = {item};
  return crm::ops::record_sale(s, r).id;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: loyalty loyalty_balance adds the points of sales that are not void and loyalty records") {
  Fixture f;
  f.set_points_per_unit("1");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  CHECK(loyalty_balance(s, ana) == 0);
  buy(s, ana, "Audit @ 92.99");
  const auto second = buy(s, ana, "Mug x 3 @ 5");
  buy(s, bob, "Tea @ 7");
  CHECK(loyalty_balance(s, ana) == 107);
  CHECK(loyalty_balance(s, bob) == 7);
  crm::ops::void_sale(s, second, "mistake");
  CHECK(loyalty_balance(s, ana) == 92);
  redeem_points(s, ana, "50", "a free mug");
  CHECK(loyalty_balance(s, ana) == 42);
  CHECK(loyalty_balance(s, bob) == 7);
}

TEST_CASE("ops: loyalty a refund takes back the points its sale gave") {
  Fixture f;
  f.set_points_per_unit("1");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto sale = buy(s, ana, "Audit x 2 @ 40.50");
  CHECK(loyalty_balance(s, ana) == 81);
  crm::ops::RefundRequest r;
  r.sale = sale;
  r.items = {"Audit x 1"};
  r.reason = "one too many";
  crm::ops::refund_sale(s, r);
  CHECK(loyalty_balance(s, ana) == 41); // 81 - 40 (40.50 toward zero)
}

TEST_CASE("ops: loyalty redeem_points writes a loyalty record with negative points") {
  Fixture f;
  f.set_points_per_unit("1");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  buy(s, ana, "Audit @ 92.50");
  const auto result = redeem_points(s, "ana popescu", "50", "  a free mug ");
  CHECK(result.balance == 42);
  CHECK(std::regex_match(result.id, std::regex("2026-11-25-redeem-ana-popescu-" + suffix)));
  CHECK(f.files("loyalty") == Strings{"loyalty/2026/11/" + result.id + ".yaml"});
  CHECK(read_text(f.dir / "loyalty/2026/11" / (result.id + ".yaml")) == "id: " + result.id + "\n"
                                                                        "contact: " + ana + "\n"
                                                                        "at: 2026-11-25T10:00:00+02:00\n"
                                                                        "points: -50\n"
                                                                        "reason: a free mug\n"
                                                                        "created: 2026-11-25T10:00:00+02:00\n"
                                                                        "updated: 2026-11-25T10:00:00+02:00\n");
  CHECK(s.index().get(loyalty_type(), result.id).value()["points"] == -50);

  // Without a reason it is "redeemed"; all that is left may go.
  const auto all = redeem_points(s, ana, "42", " ");
  CHECK(all.balance == 0);
  CHECK(crm::ops::load_record(s, loyalty_type(), all.id)["reason"] == "redeemed");
  CHECK(loyalty_balance(s, ana) == 0);
}

TEST_CASE("ops: loyalty redeem_points refuses more than the balance, and bad POINTS") {
  Fixture f;
  f.set_points_per_unit("0.5");
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  buy(s, ana, "Audit @ 100");
  CHECK(loyalty_balance(s, ana) == 50);
  auto e = error_from([&] { redeem_points(s, ana, "51", "too many"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "'Ana Popescu' has 50 points; 51 cannot be redeemed");
  for (const char* bad : {"0", "-5", "1.5", "abc", "", "1e3", "1234567890", " 5"}) {
    CAPTURE(bad);
    e = error_from([&] { redeem_points(s, ana, bad, "x"); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    CHECK(std::string(e.what()) == std::string("bad POINTS '") + bad + "'");
    CHECK(e.hints() == Strings{"expected a whole number more than 0"});
  }
  e = error_from([&] { redeem_points(s, "Nobody", "5", "x"); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'Nobody'");
  CHECK_FALSE(stdfs::exists(f.dir / "loyalty/2026"));
  CHECK(loyalty_balance(s, ana) == 50);
}

TEST_CASE("ops: loyalty redeem_points without a programme is a conflict") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto e = error_from([&] { redeem_points(s, ana, "5", "x"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "this workspace has no loyalty programme");
  CHECK(e.hints() == Strings{"turn it on with loyalty: {points_per_unit: 1} in .crm/config.yaml"});
  // Said before the points are looked at.
  CHECK(error_from([&] { redeem_points(s, ana, "abc", "x"); }).kind() == ErrorKind::conflict);
  CHECK_FALSE(stdfs::exists(f.dir / "loyalty/2026"));
}

TEST_SUITE_END();
