// ops report receivables (ops/reports/receivables.cpp): what customers owe as a
// report like the others: customers with a row of totals kept apart from the
// rows (tables show it, JSON does not), sales, the ids --format ids prints,
// and the facts JSON starts with.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"

using crm::ops::ReportOptions;
using crm::ops::Session;
using crm_test::add_contact;

namespace {

struct Fixture : crm_test::PinnedWorkspace {};

std::string credit_sale(Session& s, const std::string& ref, const std::string& item, const std::string& at) {
  crm::ops::SaleRequest r;
  r.ref = ref;
  r.items = {item};
  r.at = at;
  r.paid_by = "credit";
  r.terms = "net30";
  return crm::ops::record_sale(s, r).id;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report receivables: customers with a total row apart, sales, ids and facts") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto a1 = credit_sale(s, ana, "Chair @ 100", "2026-10-01"); // due 10-31: 25 days late
  const auto b1 = credit_sale(s, bob, "Lamp @ 40", "2026-11-20");   // not yet due
  ReportOptions o;
  o.today = {2026, 11, 25};
  const auto r = crm::ops::receivables_report(s, o);
  CHECK(r.heading == "receivables on 2026-11-25, in EUR");
  CHECK(r.facts["total"] == "140.00");
  CHECK(r.facts["aging"]["1-30"] == "100.00");
  CHECK(r.facts["aging"]["current"] == "40.00");
  REQUIRE(r.tables.size() == 2);
  const auto& customers = r.tables[0];
  CHECK(customers.name == "customers");
  CHECK(customers.id_column == "contact");
  REQUIRE(customers.rows.size() == 2);
  CHECK(customers.rows[0]["contact"] == ana);
  CHECK(customers.rows[1]["contact"] == bob);
  CHECK(customers.total_row["name"] == "total");
  CHECK(customers.total_row["balance"] == "140.00");
  CHECK(customers.chart_value == "balance");
  const auto& sales = r.tables[1];
  CHECK(sales.name == "sales");
  CHECK(sales.id_column == "sale");
  REQUIRE(sales.rows.size() == 2);
  CHECK(sales.rows[0]["sale"] == a1);
  CHECK(sales.rows[1]["sale"] == b1);
  CHECK(r.warning_note == "not in the totals");
}

TEST_CASE("ops: report receivables with no credit sales has no total row") {
  Fixture f;
  Session s(f.dir.path());
  ReportOptions o;
  o.today = {2026, 11, 25};
  const auto r = crm::ops::receivables_report(s, o);
  CHECK(r.tables[0].rows.empty());
  CHECK(r.tables[0].total_row.is_null());
}

TEST_SUITE_END();
