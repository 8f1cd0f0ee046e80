// ops report rfm (ops/reports/rfm.cpp): recency, frequency and monetary scores
// by rank among the period's customers, their sum and class against rfm.a and
// rfm.b, and the customers and revenue per class.

#include <doctest/doctest.h>

#include <string>
#include <vector>

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

// Three customers: with n = 3 a rank k scores 1 + 5(k-1)/3, so ranks 1, 2, 3
// score 1, 2, 4.
//   Ana: last 2026-11-20, 3 orders, 600.00: r 4, f 4, m 4 = 12 (A)
//   Bob: last 2026-11-01, 2 orders, 300.00: r 2, f 2, m 2 = 6 (C)
//   Cid: last 2026-06-01, 1 order, 100.00: r 1, f 1, m 1 = 3 (C)
void customers(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu", {"source=shop"});
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin", {"source=shop"});
  sale(s, ana, "2026-09-01", {"Audit @ 200"});
  sale(s, ana, "2026-10-01", {"Audit @ 200"});
  sale(s, ana, "2026-11-20", {"Audit @ 200"});
  sale(s, bob, "2026-10-15", {"Audit @ 200"});
  sale(s, bob, "2026-11-01", {"Audit @ 100"});
  sale(s, cid, "2026-06-01", {"Audit @ 100"});
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report rfm scores, classes and the revenue per class") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.today = {2026, 11, 25};
  const auto r = crm::ops::rfm_report(s, o);
  CHECK(r.heading == "rfm scores, in EUR, all time: 3 customers (A: score 12 or more, B: 8 or more)");
  REQUIRE(r.tables.size() == 2);
  CHECK(lines(r.tables[0], {"name", "last_purchase", "days", "orders", "revenue", "r", "f", "m", "score", "class"}) ==
        Strings{"Ana Popescu|2026-11-20|5|3|600.00|4|4|4|12|A", "Bob Ionescu|2026-11-01|24|2|300.00|2|2|2|6|C",
                "Cid Marin|2026-06-01|177|1|100.00|1|1|1|3|C"});
  CHECK(lines(r.tables[1], {"class", "customers", "revenue", "share"}) ==
        Strings{"A|1|600.00|60.0%", "B|0|0.00|0.0%", "C|2|400.00|40.0%"});
}

TEST_CASE("ops: report rfm --where shows some customers, scored among all, --limit shortens the list only") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.today = {2026, 11, 25};
  o.customers = s.where(crm::model::contact_type(), "source = shop");
  const auto r = crm::ops::rfm_report(s, o);
  CHECK(lines(r.tables[0], {"name", "score", "class"}) == Strings{"Ana Popescu|12|A", "Cid Marin|3|C"});
  CHECK(lines(r.tables[1], {"class", "customers", "revenue", "share"}) ==
        Strings{"A|1|600.00|85.7%", "B|0|0.00|0.0%", "C|1|100.00|14.3%"});

  o = ReportOptions{};
  o.today = {2026, 11, 25};
  o.limit = 1;
  const auto one = crm::ops::rfm_report(s, o);
  CHECK(lines(one.tables[0], {"name"}) == Strings{"Ana Popescu"});
  CHECK(lines(one.tables[1], {"class", "customers"}) == Strings{"A|1", "B|0", "C|2"});
}

TEST_CASE("ops: report rfm over a period ranks only that period's customers") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.today = {2026, 11, 25};
  o.from = "2026-10-01";
  o.has_from = true;
  // Ana: last 11-20, 2 orders, 400.00; Bob: last 11-01, 2 orders, 300.00.
  // n = 2: rank 1 scores 1, rank 2 scores 1 + 5/2 = 3; equal orders share rank 1.
  const auto r = crm::ops::rfm_report(s, o);
  CHECK(r.heading == "rfm scores, in EUR, since 2026-10-01: 2 customers (A: score 12 or more, B: 8 or more)");
  CHECK(lines(r.tables[0], {"name", "orders", "revenue", "r", "f", "m", "score", "class"}) ==
        Strings{"Ana Popescu|2|400.00|3|1|3|7|C", "Bob Ionescu|2|300.00|1|1|1|3|C"});
}

TEST_SUITE_END();
