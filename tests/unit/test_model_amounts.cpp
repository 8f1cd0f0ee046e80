// model amounts: money fields read in the record's currency (exponent 0, 2 or 3),
// their checks and normal form, discounts, a sale's totals worked out from its
// items (half to even, once per line), the stored totals checked against them,
// payments, and the card lines of items and deal moves.

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/amounts.hpp"
#include "model/record_type.hpp"
#include "test_support.hpp"

using crm::model::amount_of;
using crm::model::check_amounts;
using crm::model::check_payment;
using crm::model::check_sale;
using crm::model::currency_exponent;
using crm::model::discount_on;
using crm::model::fill_totals;
using crm::model::item_line;
using crm::model::move_line;
using crm::model::normalize_amounts;
using crm::model::payment_type;
using crm::model::Problem;
using crm::model::product_type;
using crm::model::Record;
using crm::model::SaleTotals;
using crm::model::work_out_totals;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace {

// "key: message" for each problem, to compare them all at once.
Strings texts(const std::vector<Problem>& problems) {
  Strings out;
  for (const auto& p : problems) out.push_back(p.key + ": " + p.message);
  return out;
}

Json item(const char* product, const char* quantity, const char* price, const char* total) {
  return Json{{"product", product}, {"quantity", quantity}, {"price", price}, {"total", total}};
}

Json costed(Json i, const char* cost) {
  i["cost"] = cost;
  return i;
}

Record sale(const char* currency, Json items) {
  return Json{{"id", "2026-11-25-sale-ana-k7q2"}, {"currency", currency}, {"items", std::move(items)}};
}

// The problems work_out_totals names; the totals are empty exactly when there are some.
Strings totals_problems(const Record& s) {
  std::vector<Problem> problems;
  const auto totals = work_out_totals(s, problems);
  CHECK(totals.has_value() == problems.empty());
  return texts(problems);
}

SaleTotals totals_of(const Record& s) {
  std::vector<Problem> problems;
  const auto totals = work_out_totals(s, problems);
  CHECK(texts(problems) == Strings{});
  REQUIRE(totals.has_value());
  return *totals;
}

// A sale with its totals filled in, as record_sale writes them.
Record filled(Record s) {
  fill_totals(s, totals_of(s));
  return s;
}

Strings sale_problems(const Record& s) {
  std::vector<Problem> problems;
  check_sale(s, problems);
  return texts(problems);
}

} // namespace

TEST_SUITE_BEGIN("model");

// ------------------------------------------------------------------ exponents and amounts

TEST_CASE("model: amounts currency_exponent is the record currency's ISO 4217 exponent") {
  CHECK(currency_exponent(Json{{"currency", "EUR"}}) == 2);
  CHECK(currency_exponent(Json{{"currency", "JPY"}}) == 0);
  CHECK(currency_exponent(Json{{"currency", "KWD"}}) == 3);
  CHECK(currency_exponent(Json{{"currency", "CLF"}}) == 4);
  CHECK_FALSE(currency_exponent(Json{{"name", "Audit"}}));
  CHECK_FALSE(currency_exponent(Json{{"currency", ""}}));
  CHECK_FALSE(currency_exponent(Json{{"currency", "eur"}}));
  CHECK_FALSE(currency_exponent(Json{{"currency", "EURO"}}));
  CHECK_FALSE(currency_exponent(Json{{"currency", 978}}));
}

TEST_CASE("model: amounts amount_of reads a money field in minor units of the record's currency") {
  const Json eur{{"currency", "EUR"}, {"price", "40"}, {"cost", "12.5"}, {"bad", "40.001"}, {"num", 40}};
  CHECK(amount_of(eur, "price") == 4000);
  CHECK(amount_of(eur, "cost") == 1250);
  CHECK_FALSE(amount_of(eur, "bad"));     // a third decimal in EUR
  CHECK_FALSE(amount_of(eur, "num"));     // a number, not a decimal string
  CHECK_FALSE(amount_of(eur, "missing"));
  const Json jpy{{"currency", "JPY"}, {"price", "1500"}, {"half", "1500.5"}, {"neg", "-300"}};
  CHECK(amount_of(jpy, "price") == 1500);
  CHECK_FALSE(amount_of(jpy, "half"));
  CHECK(amount_of(jpy, "neg") == -300);
  const Json kwd{{"currency", "KWD"}, {"price", "1.234"}, {"round", "2"}, {"four", "0.0001"}};
  CHECK(amount_of(kwd, "price") == 1234);
  CHECK(amount_of(kwd, "round") == 2000);
  CHECK_FALSE(amount_of(kwd, "four"));
  CHECK_FALSE(amount_of(Json{{"price", "40"}}, "price")); // no currency
  CHECK_FALSE(amount_of(Json{{"currency", "XXY"}, {"price", "40"}}, "price"));
}

// ------------------------------------------------------------------ checks and normal form

TEST_CASE("model: amounts check_amounts allows the currency's decimals and no more") {
  auto problems_of = [](const Json& r) {
    std::vector<Problem> p;
    check_amounts(product_type(), r, p);
    return texts(p);
  };
  CHECK(problems_of(Json{{"name", "Audit"}, {"currency", "EUR"}, {"price", "40.50"}, {"cost", "10"}}) == Strings{});
  CHECK(problems_of(Json{{"name", "Audit"}}) == Strings{}); // no money fields, no currency needed
  CHECK(problems_of(Json{{"name", "Audit"}, {"currency", "EUR"}, {"price", "40.505"}, {"cost", "1.1.1"}}) ==
        Strings{"price: bad price '40.505' (at most 2 decimals for EUR)",
                "cost: bad cost '1.1.1' (at most 2 decimals for EUR)"});
  CHECK(problems_of(Json{{"name", "Tea"}, {"currency", "JPY"}, {"price", "1500.5"}}) ==
        Strings{"price: bad price '1500.5' (no decimals for JPY)"});
  CHECK(problems_of(Json{{"name", "Tea"}, {"currency", "JPY"}, {"price", "1500"}}) == Strings{});
  CHECK(problems_of(Json{{"name", "Oud"}, {"currency", "KWD"}, {"price", "1.2345"}, {"cost", "0.125"}}) ==
        Strings{"price: bad price '1.2345' (at most 3 decimals for KWD)"});
  // Money fields need a currency: said once, for the first of them.
  CHECK(problems_of(Json{{"name", "Audit"}, {"price", "40"}, {"cost", "10"}}) ==
        Strings{"price: 'price' needs a currency"});
  CHECK(problems_of(Json{{"name", "Audit"}, {"cost", "10"}}) == Strings{"cost: 'cost' needs a currency"});
  CHECK(problems_of(Json{{"name", "Audit"}, {"currency", "ABC"}, {"price", "40"}}) ==
        Strings{"price: 'price' needs a currency"});

  std::vector<Problem> p;
  crm::model::check_product(Json{{"name", "Audit"}, {"currency", "EUR"}, {"price", "0.001"}}, p);
  CHECK(texts(p) == Strings{"price: bad price '0.001' (at most 2 decimals for EUR)"});
}

TEST_CASE("model: amounts normalize_amounts writes each good amount in the currency's own form") {
  Json eur{{"name", "Audit"}, {"currency", "EUR"}, {"price", "40"}, {"cost", "2.5"}};
  normalize_amounts(product_type(), eur);
  CHECK(eur == Json{{"name", "Audit"}, {"currency", "EUR"}, {"price", "40.00"}, {"cost", "2.50"}});
  Json jpy{{"name", "Tea"}, {"currency", "JPY"}, {"price", "1500"}, {"cost", "+0900"}};
  normalize_amounts(product_type(), jpy);
  CHECK(jpy == Json{{"name", "Tea"}, {"currency", "JPY"}, {"price", "1500"}, {"cost", "900"}});
  Json kwd{{"name", "Oud"}, {"currency", "KWD"}, {"price", "1.5"}, {"cost", "-.25"}};
  normalize_amounts(product_type(), kwd);
  CHECK(kwd == Json{{"name", "Oud"}, {"currency", "KWD"}, {"price", "1.500"}, {"cost", "-0.250"}});
  // Bad amounts are left for the checks to name; without a currency nothing changes.
  Json bad{{"name", "Audit"}, {"currency", "EUR"}, {"price", "40.001"}, {"cost", "12,5"}};
  const Json bad_before = bad;
  normalize_amounts(product_type(), bad);
  CHECK(bad == bad_before);
  Json none{{"name", "Audit"}, {"price", "40"}};
  normalize_amounts(product_type(), none);
  CHECK(none == Json{{"name", "Audit"}, {"price", "40"}});
  Json payment{{"amount", "7"}, {"currency", "RON"}};
  normalize_amounts(payment_type(), payment);
  CHECK(payment["amount"] == "7.00");
}

// ------------------------------------------------------------------ discounts

TEST_CASE("model: amounts discount_on takes a percentage or an amount off the subtotal") {
  CHECK(discount_on("10%", 10000, 2) == 1000);
  CHECK(discount_on("12.5%", 10000, 2) == 1250);
  CHECK(discount_on("10%", 12345, 2) == 1234); // 1234.5 -> 1234 (even)
  CHECK(discount_on("10%", 12355, 2) == 1236); // 1235.5 -> 1236 (even)
  CHECK(discount_on("0.5%", 300, 2) == 2);     // 1.5 -> 2
  CHECK(discount_on("0%", 10000, 2) == 0);
  CHECK(discount_on("100%", 10000, 2) == 10000);
  CHECK(discount_on("5", 10000, 2) == 500);
  CHECK(discount_on("5.5", 10000, 2) == 550);
  CHECK(discount_on("100", 10000, 2) == 10000); // all of it, not more
  CHECK(discount_on("150", 1500, 0) == 150);    // JPY
  CHECK(discount_on("10%", 1505, 0) == 150);    // 150.5 -> 150
  CHECK(discount_on("10%", 1515, 0) == 152);    // 151.5 -> 152
  CHECK(discount_on("0.125", 10000, 3) == 125); // KWD
  CHECK(discount_on("12.5%", 1001, 3) == 125);  // 125.125 -> 125
}

TEST_CASE("model: amounts a discount's sign follows a negative subtotal (refunds)") {
  CHECK(discount_on("10%", -10000, 2) == -1000);
  CHECK(discount_on("10%", -12345, 2) == -1234); // -1234.5 -> -1234
  CHECK(discount_on("10%", -12355, 2) == -1236);
  CHECK(discount_on("5", -10000, 2) == -500);
  CHECK(discount_on("100", -10000, 2) == -10000);
  CHECK_FALSE(discount_on("100.01", -10000, 2));
  CHECK_FALSE(discount_on("101%", -10000, 2));
}

TEST_CASE("model: amounts discount_on refuses more than the subtotal and text that is neither form") {
  CHECK_FALSE(discount_on("100.01", 10000, 2));
  CHECK_FALSE(discount_on("101%", 10000, 2));
  CHECK_FALSE(discount_on("1", 0, 2));
  CHECK(discount_on("0", 0, 2) == 0);
  for (const char* bad : {"", "%", "-5", "-5%", "5.001", "ten", "10 %", "10%%", "1,5", "€5", "5 EUR"}) {
    CAPTURE(bad);
    CHECK_FALSE(discount_on(bad, 10000, 2));
  }
  CHECK_FALSE(discount_on("5.5", 10000, 0)); // decimals in JPY
  CHECK(discount_on("5.5%", 10000, 0) == 550);
}

// ------------------------------------------------------------------ sale totals

TEST_CASE("model: amounts work_out_totals adds the items, each line price x quantity half to even") {
  auto t = totals_of(sale("EUR", Json::array({item("Audit", "2.5", "40.00", "100.00"), item("Mug", "3", "0.10", "0.30")})));
  CHECK(t.subtotal == 10030);
  CHECK(t.discount == 0);
  CHECK(t.total == 10030);
  CHECK_FALSE(t.cost.has_value());

  // 0.05 x 0.5 = 0.025 -> 0.02; 0.15 x 0.5 = 0.075 -> 0.08.
  t = totals_of(sale("EUR", Json::array({item("A", "0.5", "0.05", "0.02"), item("B", "0.5", "0.15", "0.08")})));
  CHECK(t.subtotal == 10);
  CHECK(sale_problems(filled(sale("EUR", Json::array({item("A", "0.5", "0.05", "0.02")})))) == Strings{});
  CHECK(totals_problems(sale("EUR", Json::array({item("A", "0.5", "0.05", "0.03")}))) ==
        Strings{"items: 1st item: total is 0.03 but 0.5 x 0.05 is 0.02"});
  CHECK(totals_problems(sale("EUR", Json::array({item("A", "1", "1.00", "1.00"), item("B", "0.5", "0.15", "0.07")}))) ==
        Strings{"items: 2nd item: total is 0.07 but 0.5 x 0.15 is 0.08"});

  // JPY has no minor unit: 333 x 0.5 = 166.5 -> 166; 335 x 0.5 = 167.5 -> 168.
  t = totals_of(sale("JPY", Json::array({item("Tea", "0.5", "333", "166"), item("Cup", "0.5", "335", "168"),
                                         item("Pot", "2", "1500", "3000")})));
  CHECK(t.subtotal == 3334);
  CHECK(t.total == 3334);
  // KWD has three: 1.235 x 0.5 = 0.6175 -> 0.618; 1.225 x 0.5 = 0.6125 -> 0.612.
  t = totals_of(sale("KWD", Json::array({item("Oud", "0.5", "1.235", "0.618"), item("Dates", "0.5", "1.225", "0.612")})));
  CHECK(t.subtotal == 1230);

  // A refund's quantities are negative, and so are its totals.
  t = totals_of(sale("EUR", Json::array({item("Audit", "-2", "40.00", "-80.00")})));
  CHECK(t.subtotal == -8000);
  CHECK(t.total == -8000);
}

TEST_CASE("model: amounts work_out_totals counts the cost only when every item has one") {
  auto t = totals_of(sale("EUR", Json::array({costed(item("Audit", "2.5", "40.00", "100.00"), "10.00"),
                                              costed(item("Mug", "3", "5.00", "15.00"), "1.25")})));
  CHECK(t.cost == 2875); // 25.00 + 3.75
  t = totals_of(sale("EUR", Json::array({costed(item("Audit", "2", "40.00", "80.00"), "10.00"),
                                         item("Mug", "3", "5.00", "15.00")})));
  CHECK_FALSE(t.cost.has_value());
  t = totals_of(sale("EUR", Json::array({costed(item("Free", "1", "0.00", "0.00"), "0")})));
  CHECK(t.cost == 0);
  // Cost per line is rounded half to even too: 0.05 x 0.5 -> 0.02.
  t = totals_of(sale("EUR", Json::array({costed(item("A", "0.5", "0.15", "0.08"), "0.05")})));
  CHECK(t.cost == 2);
  CHECK(totals_problems(sale("EUR", Json::array({costed(item("A", "1", "1.00", "1.00"), "0.001")}))) ==
        Strings{"items: 1st item: bad cost '0.001' (at most 2 decimals for EUR)"});
}

TEST_CASE("model: amounts work_out_totals takes the discount off") {
  auto s = sale("EUR", Json::array({item("Audit", "3", "40.00", "120.00")}));
  s["discount"] = "12.5%";
  auto t = totals_of(s);
  CHECK(t.subtotal == 12000);
  CHECK(t.discount == 1500);
  CHECK(t.total == 10500);
  s["discount"] = "20";
  t = totals_of(s);
  CHECK(t.discount == 2000);
  CHECK(t.total == 10000);
  s["discount"] = "120.01";
  CHECK(totals_problems(s) == Strings{"discount: bad discount '120.01' (expected a percentage such as 10% or an "
                                      "amount up to the subtotal 120.00)"});
  s["discount"] = "lots";
  CHECK(totals_problems(s) == Strings{"discount: bad discount 'lots' (expected a percentage such as 10% or an "
                                      "amount up to the subtotal 120.00)"});
  auto refund = sale("EUR", Json::array({item("Audit", "-1", "40.00", "-40.00")}));
  refund["discount"] = "10%";
  t = totals_of(refund);
  CHECK(t.discount == -400);
  CHECK(t.total == -3600);
  auto jpy = sale("JPY", Json::array({item("Tea", "1", "1505", "1505")}));
  jpy["discount"] = "10%";
  CHECK(totals_of(jpy).total == 1355); // 150.5 off -> 150
}

TEST_CASE("model: amounts work_out_totals names each bad item by its place") {
  CHECK(totals_problems(Json{{"items", Json::array({item("A", "1", "1.00", "1.00")})}}) ==
        Strings{"currency: a sale needs a currency"});
  CHECK(totals_problems(Json{{"currency", "EURO"}, {"items", Json::array({item("A", "1", "1.00", "1.00")})}}) ==
        Strings{"currency: a sale needs a currency"});
  CHECK(totals_problems(sale("EUR", Json::array())) == Strings{"items: a sale needs at least one item"});
  CHECK(totals_problems(Json{{"currency", "EUR"}}) == Strings{"items: a sale needs at least one item"});
  CHECK(totals_problems(sale("EUR", Json("Audit"))) == Strings{"items: a sale needs at least one item"});

  CHECK(totals_problems(sale("EUR", Json::array({item("A", "1", "1.00", "1.00"), item("", "1", "2.00", "2.00"),
                                                 item("C", "two", "3.00", "3.00"), item("D", "0", "3.00", "0.00"),
                                                 item("E", "1", "3.005", "3.01")}))) ==
        Strings{"items: 2nd item: missing 'product'",
                "items: 3rd item: bad quantity 'two' (expected a number such as 2 or 2.5)",
                "items: 4th item: bad quantity '0' (expected a number such as 2 or 2.5)",
                "items: 5th item: bad price '3.005' (at most 2 decimals for EUR)"});
  CHECK(totals_problems(sale("JPY", Json::array({item("Tea", "1", "1500", "1500.0")}))) ==
        Strings{"items: 1st item: bad total '1500.0' (no decimals for JPY)"});
  CHECK(totals_problems(sale("KWD", Json::array({item("Oud", "2", "1.2345", "2.469")}))) ==
        Strings{"items: 1st item: bad price '1.2345' (at most 3 decimals for KWD)"});
  CHECK(totals_problems(sale("EUR", Json::array({Json{{"product", "A"}, {"quantity", "2"}, {"price", "1.00"}}}))) ==
        Strings{"items: 1st item: bad total '' (at most 2 decimals for EUR)"});
  CHECK(totals_problems(sale("EUR", Json::array({Json{{"product", "A"}, {"price", "1.00"}, {"total", "1.00"}}}))) ==
        Strings{"items: 1st item: bad quantity '' (expected a number such as 2 or 2.5)"});
  CHECK(totals_problems(sale("EUR", Json::array({item("Audit", "2", "40.00", "40.00")}))) ==
        Strings{"items: 1st item: total is 40.00 but 2 x 40.00 is 80.00"});

  // Ordinals: 11th, 12th, 13th, 21st, 22nd, 23rd.
  Json many = Json::array();
  for (int i = 1; i <= 23; ++i) {
    const bool bad = i == 11 || i == 12 || i == 13 || i == 21 || i == 22 || i == 23;
    many.push_back(item("A", "1", "1.00", bad ? "9.00" : "1.00"));
  }
  CHECK(totals_problems(sale("EUR", many)) == Strings{"items: 11th item: total is 9.00 but 1 x 1.00 is 1.00",
                                                      "items: 12th item: total is 9.00 but 1 x 1.00 is 1.00",
                                                      "items: 13th item: total is 9.00 but 1 x 1.00 is 1.00",
                                                      "items: 21st item: total is 9.00 but 1 x 1.00 is 1.00",
                                                      "items: 22nd item: total is 9.00 but 1 x 1.00 is 1.00",
                                                      "items: 23rd item: total is 9.00 but 1 x 1.00 is 1.00"});
}

TEST_CASE("model: amounts fill_totals writes subtotal, discount_amount, total, cost and margin") {
  auto s = sale("EUR", Json::array({costed(item("Audit", "2.5", "40.00", "100.00"), "10.00")}));
  s["discount"] = "10%";
  fill_totals(s, totals_of(s));
  CHECK(s == Json{{"id", "2026-11-25-sale-ana-k7q2"},
                  {"currency", "EUR"},
                  {"items", Json::array({costed(item("Audit", "2.5", "40.00", "100.00"), "10.00")})},
                  {"discount", "10%"},
                  {"subtotal", "100.00"},
                  {"discount_amount", "10.00"},
                  {"total", "90.00"},
                  {"cost", "25.00"},
                  {"margin", "65.00"}});

  // No discount, no cost: neither discount_amount nor cost/margin, and stale ones go.
  auto plain = sale("JPY", Json::array({item("Tea", "3", "1500", "4500")}));
  plain["cost"] = "1";
  plain["margin"] = "2";
  fill_totals(plain, totals_of(plain));
  CHECK(plain == Json{{"id", "2026-11-25-sale-ana-k7q2"},
                      {"currency", "JPY"},
                      {"items", Json::array({item("Tea", "3", "1500", "4500")})},
                      {"subtotal", "4500"},
                      {"total", "4500"}});

  // A discount of 0% is still written; KWD keeps three decimals; a loss is a negative margin.
  auto kwd = sale("KWD", Json::array({costed(item("Oud", "2", "1.250", "2.500"), "1.5")}));
  kwd["discount"] = "0%";
  fill_totals(kwd, totals_of(kwd));
  CHECK(kwd["subtotal"] == "2.500");
  CHECK(kwd["discount_amount"] == "0.000");
  CHECK(kwd["total"] == "2.500");
  CHECK(kwd["cost"] == "3.000");
  CHECK(kwd["margin"] == "-0.500");
}

// ------------------------------------------------------------------ stored totals

TEST_CASE("model: amounts check_sale accepts totals that agree with the items") {
  auto s = sale("EUR", Json::array({costed(item("Audit", "2.5", "40.00", "100.00"), "10.00"),
                                    costed(item("Mug", "1", "5.00", "5.00"), "2.00")}));
  s["discount"] = "5";
  s = filled(s);
  CHECK(s["total"] == "100.00");
  CHECK(s["margin"] == "73.00");
  CHECK(sale_problems(s) == Strings{});
  CHECK(crm::model::check_record(crm::model::sale_type(),
                                 [&] {
                                   Record r = s;
                                   r["contact"] = "ana-popescu-k7q2";
                                   r["at"] = "2026-11-25T10:00:00+02:00";
                                   r["status"] = "completed";
                                   return r;
                                 }())
            .empty());
}

TEST_CASE("model: amounts check_sale names every stored total that disagrees") {
  auto good = filled(sale("EUR", Json::array({costed(item("Audit", "2", "40.00", "80.00"), "10.00")})));
  auto s = good;
  s["subtotal"] = "81.00";
  CHECK(sale_problems(s) == Strings{"subtotal: subtotal is 81.00 but the items come to 80.00"});
  s = good;
  s["total"] = "79.99";
  CHECK(sale_problems(s) == Strings{"total: total is 79.99 but the items come to 80.00"});
  s = good;
  s["cost"] = "10.00";
  CHECK(sale_problems(s) == Strings{"cost: cost is 10.00 but the items come to 20.00"});
  s = good;
  s["margin"] = "70.00";
  CHECK(sale_problems(s) == Strings{"margin: margin is 70.00 but the items come to 60.00"});
  s = good;
  s.erase("total");
  s.erase("margin");
  CHECK(sale_problems(s) == Strings{"total: total is missing but the items come to 80.00",
                                    "margin: margin is missing but the items come to 60.00"});
  s = good;
  s["discount"] = "10%";
  CHECK(sale_problems(s) == Strings{"discount_amount: discount_amount is missing but the items come to 8.00",
                                    "total: total is 80.00 but the items come to 72.00",
                                    "margin: margin is 60.00 but the items come to 52.00"});
  s = good;
  s["discount_amount"] = "1.00"; // without a discount it must be 0
  CHECK(sale_problems(s) == Strings{"discount_amount: discount_amount is 1.00 but the items come to 0.00"});
  // The items' own problems come first and stop the rest.
  s = good;
  s["items"][0]["total"] = "81.00";
  s["subtotal"] = "1.00";
  CHECK(sale_problems(s) == Strings{"items: 1st item: total is 81.00 but 2 x 40.00 is 80.00"});
}

TEST_CASE("model: amounts check_sale refuses a cost or margin when not every item has a cost") {
  auto s = filled(sale("EUR", Json::array({item("Audit", "2", "40.00", "80.00"), item("Mug", "1", "5.00", "5.00")})));
  CHECK(sale_problems(s) == Strings{});
  s["cost"] = "20.00";
  s["margin"] = "65.00";
  CHECK(sale_problems(s) == Strings{"cost: cost is 20.00 but not every item has a cost",
                                    "margin: margin is 65.00 but not every item has a cost"});
}

TEST_CASE("model: amounts check_sale in JPY and KWD, to the last minor unit") {
  auto jpy = filled(sale("JPY", Json::array({item("Tea", "0.5", "335", "168")})));
  CHECK(jpy["total"] == "168");
  CHECK(sale_problems(jpy) == Strings{});
  jpy["total"] = "167";
  CHECK(sale_problems(jpy) == Strings{"total: total is 167 but the items come to 168"});
  auto kwd = filled(sale("KWD", Json::array({item("Oud", "0.5", "1.235", "0.618")})));
  CHECK(kwd["subtotal"] == "0.618");
  CHECK(sale_problems(kwd) == Strings{});
  kwd["subtotal"] = "0.62";
  CHECK(sale_problems(kwd) == Strings{"subtotal: subtotal is 0.62 but the items come to 0.618"});
}

TEST_CASE("model: amounts check_sale needs a due date for a sale on credit") {
  auto s = filled(sale("EUR", Json::array({item("Audit", "1", "40.00", "40.00")})));
  s["paid_by"] = "credit";
  CHECK(sale_problems(s) == Strings{"paid_by: a sale on credit needs a 'due' date"});
  s["due"] = "2026-12-25";
  CHECK(sale_problems(s) == Strings{});
  s["paid_by"] = "card";
  s.erase("due");
  CHECK(sale_problems(s) == Strings{});
}

// ------------------------------------------------------------------ payments

TEST_CASE("model: amounts check_payment wants an amount more than 0 in the currency's decimals") {
  auto problems_of = [](const Json& r) {
    std::vector<Problem> p;
    check_payment(r, p);
    return texts(p);
  };
  CHECK(problems_of(Json{{"amount", "40.00"}, {"currency", "EUR"}}) == Strings{});
  CHECK(problems_of(Json{{"amount", "0.01"}, {"currency", "EUR"}}) == Strings{});
  CHECK(problems_of(Json{{"amount", "0"}, {"currency", "EUR"}}) ==
        Strings{"amount: bad amount '0' (a payment is more than 0)"});
  CHECK(problems_of(Json{{"amount", "-5.00"}, {"currency", "EUR"}}) ==
        Strings{"amount: bad amount '-5.00' (a payment is more than 0)"});
  CHECK(problems_of(Json{{"amount", "5.001"}, {"currency", "EUR"}}) ==
        Strings{"amount: bad amount '5.001' (at most 2 decimals for EUR)"});
  CHECK(problems_of(Json{{"amount", "1500"}, {"currency", "JPY"}}) == Strings{});
  CHECK(problems_of(Json{{"amount", "0.5"}, {"currency", "JPY"}}) ==
        Strings{"amount: bad amount '0.5' (no decimals for JPY)"});
  CHECK(problems_of(Json{{"amount", "0.001"}, {"currency", "KWD"}}) == Strings{});
  CHECK(problems_of(Json{{"amount", "40"}}) == Strings{"amount: 'amount' needs a currency"});
}

// ------------------------------------------------------------------ card lines

TEST_CASE("model: amounts item_line and move_line, as cards show them") {
  CHECK(item_line(costed(item("Audit", "2.5", "40.00", "100.00"), "10.00")) ==
        "Audit x 2.5 @ 40.00 = 100.00 (cost 10.00)");
  CHECK(item_line(item("Tea", "-2", "1500", "-3000")) == "Tea x -2 @ 1500 = -3000");
  CHECK(item_line(Json{{"product", "Mug"}}) == "Mug x  @  = ");
  CHECK(move_line(Json{{"at", "2026-11-02"}, {"from", "lead"}, {"to", "proposal"}}) == "2026-11-02 lead -> proposal");
  CHECK(move_line(Json{{"at", "2026-11-01"}, {"to", "lead"}}) == "2026-11-01 lead");
  CHECK(move_line(Json{{"at", "2026-11-03"}, {"from", ""}, {"to", "won"}}) == "2026-11-03 won");
}

TEST_SUITE_END();
