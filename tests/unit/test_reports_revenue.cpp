// ops report revenue (ops/reports/revenue.cpp): net revenue and orders per
// period (refunds negative, void sales left out), per product with each item's
// share of a discount, against the period before, and bad --by / --compare.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

using crm::ops::ReportOptions;
using crm::ops::ReportTable;
using crm::ops::Session;
using crm_test::add_contact;
using Strings = std::vector<std::string>;

using crm_test::lines;
using crm_test::sale;

namespace {

struct Fixture : crm_test::PinnedWorkspace {};

// "a|b|c" per row, the cells of `columns`.
// Ana: 20.00 in January, 100.00 in February (refunded in March); Bob: 10.00 in
// February and a void sale.
void three_months(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  sale(s, ana, "2026-01-10", {"Mug x 2 @ 10"});
  const auto audit = sale(s, ana, "2026-02-05", {"Audit @ 100"});
  sale(s, bob, "2026-02-20", {"Mug @ 10"});
  crm::ops::void_sale(s, sale(s, bob, "2026-02-21", {"Mug @ 999"}), "typo");
  crm::ops::RefundRequest r;
  r.sale = audit;
  r.at = "2026-03-03";
  r.reason = "returned";
  crm::ops::refund_sale(s, r);
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report revenue by month: refunds negative in their month, void sales left out") {
  Fixture f;
  Session s(f.dir.path());
  three_months(s);
  ReportOptions o;
  const auto r = crm::ops::revenue_report(s, o);
  CHECK(r.heading == "revenue by month, in EUR, all time: 30.00 from 3 orders");
  CHECK(r.facts["revenue"] == "30.00");
  CHECK(r.facts["orders"] == 3);
  REQUIRE(r.tables.size() == 1);
  CHECK(r.tables[0].columns == Strings{"month", "orders", "revenue"});
  CHECK(r.tables[0].over_time);
  CHECK(lines(r.tables[0], {"month", "orders", "revenue"}) ==
        Strings{"2026-01|1|20.00", "2026-02|2|110.00", "2026-03|0|-100.00"});
  CHECK(r.warnings.empty());

  o.by = "quarter";
  o.from = "2026-02-01";
  o.to = "2026-02-28";
  o.has_from = o.has_to = true;
  const auto q = crm::ops::revenue_report(s, o);
  CHECK(q.heading == "revenue by quarter, in EUR, 2026-02-01 to 2026-02-28: 110.00 from 2 orders");
  CHECK(lines(q.tables[0], {"quarter", "orders", "revenue"}) == Strings{"2026-Q1|2|110.00"});
}

TEST_CASE("ops: report revenue by period has every period between the first and the last, empty ones as 0") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  sale(s, ana, "2025-11-10", {"Mug @ 10"});
  sale(s, ana, "2026-02-05", {"Mug @ 30"});
  ReportOptions o;
  const auto r = crm::ops::revenue_report(s, o);
  CHECK(lines(r.tables[0], {"month", "orders", "revenue"}) ==
        Strings{"2025-11|1|10.00", "2025-12|0|0.00", "2026-01|0|0.00", "2026-02|1|30.00"});
  o.by = "quarter";
  CHECK(lines(crm::ops::revenue_report(s, o).tables[0], {"quarter", "orders", "revenue"}) ==
        Strings{"2025-Q4|1|10.00", "2026-Q1|1|30.00"});
  o.by = "week";
  const auto w = crm::ops::revenue_report(s, o);
  REQUIRE(w.tables[0].rows.size() == 13); // the weeks of 2025-11-10 .. 2026-02-02
  CHECK(w.tables[0].rows[1]["week"] == "2025-11-17");
  CHECK(w.tables[0].rows[1]["revenue"] == "0.00");
  CHECK(w.tables[0].rows[12]["week"] == "2026-02-02");
}

TEST_CASE("ops: report revenue --compare previous: each month against the one before") {
  Fixture f;
  Session s(f.dir.path());
  three_months(s);
  ReportOptions o;
  o.compare = "previous";
  const auto r = crm::ops::revenue_report(s, o);
  CHECK(r.tables[0].columns == Strings{"month", "orders", "revenue", "before", "change", "change_pct"});
  CHECK(lines(r.tables[0], {"month", "revenue", "before", "change", "change_pct"}) ==
        Strings{"2026-01|20.00|0.00|20.00|-", "2026-02|110.00|20.00|90.00|+450.0%",
                "2026-03|-100.00|110.00|-210.00|-190.9%"});
  CHECK(r.facts["compare"] == "previous");
}

TEST_CASE("ops: report revenue by product: an item's share of the sale's discount, largest first") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  // 40.00 less 10%: 36.00, of which Lamp 27.00 and Mug 9.00.
  sale(s, ana, "2026-04-01", {"Lamp @ 30", "Mug @ 10"}, std::nullopt, "10%");
  sale(s, ana, "2026-04-02", {"Mug x 2 @ 10"});
  ReportOptions o;
  o.by = "product";
  const auto r = crm::ops::revenue_report(s, o);
  CHECK(lines(r.tables[0], {"product", "orders", "revenue"}) == Strings{"Mug|2|29.00", "Lamp|1|27.00"});
  // The heading counts each sale once; none of the items has a cost.
  CHECK(r.heading == "revenue by product, in EUR, all time: 56.00 from 2 orders; 56.00 of the revenue has no cost");
  CHECK_FALSE(r.tables[0].over_time);
}

TEST_CASE("ops: report revenue by product and category: margin of the items with a cost, revenue without one") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  crm::ops::add_record(s, crm::model::product_type(), "Lamp",
                       {crm::ops::parse_assignment("price=30"), crm::ops::parse_assignment("cost=12"),
                        crm::ops::parse_assignment("category=light")});
  crm::ops::add_record(s, crm::model::product_type(), "Mug", {crm::ops::parse_assignment("category=kitchen")});
  // Lamp takes its product's cost (12.00) although the price is given; Mug has
  // none anywhere; Pen gives its own. 10% off: Lamp 36.00, Mug 9.00.
  sale(s, ana, "2026-04-01", {"Lamp @ 40", "Mug @ 10"}, std::nullopt, "10%");
  sale(s, ana, "2026-04-02", {"Pen x 2 @ 3 cost 1"});
  ReportOptions o;
  o.by = "product";
  const auto r = crm::ops::revenue_report(s, o);
  CHECK(r.tables[0].columns == Strings{"product", "orders", "revenue", "margin", "without_cost"});
  CHECK(lines(r.tables[0], {"product", "revenue", "margin", "without_cost"}) ==
        Strings{"Lamp|36.00|24.00|0.00", "Mug|9.00||9.00", "Pen|6.00|4.00|0.00"});
  CHECK(r.heading == "revenue by product, in EUR, all time: 51.00 from 2 orders; margin 28.00, 9.00 of the revenue "
                     "has no cost");
  CHECK(r.facts["margin"] == "28.00");
  CHECK(r.facts["without_cost"] == "9.00");
  o.by = "category";
  const auto c = crm::ops::revenue_report(s, o);
  CHECK(lines(c.tables[0], {"category", "revenue", "margin", "without_cost"}) ==
        Strings{"light|36.00|24.00|0.00", "kitchen|9.00||9.00", "(none)|6.00|4.00|0.00"});
  // By period, no margin columns.
  o.by = "month";
  CHECK(crm::ops::revenue_report(s, o).tables[0].columns == Strings{"month", "orders", "revenue"});
}

TEST_CASE("ops: report revenue refuses a bad --by or --compare, and --compare by product without dates") {
  Fixture f;
  Session s(f.dir.path());
  ReportOptions o;
  o.by = "colour";
  auto e = crm_test::error_from([&] { crm::ops::revenue_report(s, o); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "bad --by 'colour'");
  o.by = "month";
  o.compare = "last";
  e = crm_test::error_from([&] { crm::ops::revenue_report(s, o); });
  CHECK(std::string(e.what()) == "bad --compare 'last'");
  o.by = "product";
  o.compare = "previous";
  e = crm_test::error_from([&] { crm::ops::revenue_report(s, o); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "--compare with --by product needs --from and --to");
}

TEST_SUITE_END();
