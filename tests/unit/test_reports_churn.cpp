// ops report churn (ops/reports/churn.cpp): customers past churn.factor times
// their own rhythm, most overdue first; the churn rate per period, empty
// periods included; and lost contacts by competitor and reason.

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

ReportOptions until(const std::string& to) {
  ReportOptions o;
  o.to = to;
  o.has_to = true;
  o.today = {2026, 11, 25};
  return o;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report churn: customers past twice their rhythm, most overdue first") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin");
  const auto dan = add_contact(s, "Dan Rusu");
  sale(s, ana, "2026-01-01"); // every 10 days, 39 days since 01-21: 3.9 times
  sale(s, ana, "2026-01-11");
  sale(s, ana, "2026-01-21");
  sale(s, bob, "2026-02-01"); // every 20 days, 8 since: fine
  sale(s, bob, "2026-02-21");
  sale(s, cid, "2026-02-20"); // twice on one day: every 1 day, 9 since: 9.0 times
  sale(s, cid, "2026-02-20");
  sale(s, dan, "2026-01-15"); // every 26 days, 19 since: fine
  sale(s, dan, "2026-02-10");
  const auto r = crm::ops::churn_report(s, until("2026-03-01"));
  CHECK(r.heading == "churn as of 2026-03-01: 2 customers slipping away (more than 2 times their usual interval)");
  CHECK(r.facts["slipping"] == 2);
  REQUIRE(r.tables.size() == 3);
  CHECK(lines(r.tables[0], {"name", "orders", "last_purchase", "usual_days", "days_since", "times"}) ==
        Strings{"Cid Marin|2|2026-02-20|1.0|9|9.0", "Ana Popescu|3|2026-01-21|10.0|39|3.9"});
  // January: Ana, Dan; February: Bob, Cid, Dan. Of January's two, Dan came back.
  CHECK(lines(r.tables[1], {"month", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-02|2|1|1|50.0%"});
}

TEST_CASE("ops: report churn per period shows the empty periods between sales") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  sale(s, ana, "2025-12-10");
  sale(s, bob, "2025-12-20");
  sale(s, ana, "2026-02-10");
  auto o = until("2026-02-28");
  const auto r = crm::ops::churn_report(s, o);
  CHECK(lines(r.tables[1], {"month", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-01|2|0|2|100.0%", "2026-02|0|0|0|-"});
  o.by = "quarter";
  // On 02-28 the first quarter is under way: no churn rate for it yet.
  CHECK(crm::ops::churn_report(s, o).tables[1].rows.empty());
  o.to = "2026-03-31";
  const auto q = crm::ops::churn_report(s, o);
  CHECK(lines(q.tables[1], {"quarter", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-Q1|2|1|1|50.0%"});
  o.by = "product";
  const auto e = crm_test::error_from([&] { crm::ops::churn_report(s, o); });
  CHECK(e.kind() == crm::ErrorKind::usage);
}

TEST_CASE("ops: report churn leaves out the period still under way, and runs to the last one over") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  sale(s, ana, "2026-09-10");
  sale(s, bob, "2026-09-20");
  sale(s, ana, "2026-10-10");
  sale(s, bob, "2026-11-02");
  // On 11-25 November is not over: Ana may still buy in it, so it is not 100% churned.
  const auto r = crm::ops::churn_report(s, until("2026-11-25"));
  CHECK(lines(r.tables[1], {"month", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-10|2|1|1|50.0%"});
  // On its last day November counts.
  const auto end = crm::ops::churn_report(s, until("2026-11-30"));
  CHECK(lines(end.tables[1], {"month", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-10|2|1|1|50.0%", "2026-11|1|0|1|100.0%"});
  // Months over with no sale at all still count: nobody bought in December or January.
  const auto later = crm::ops::churn_report(s, until("2027-02-10"));
  CHECK(lines(later.tables[1], {"month", "customers_before", "retained", "churned", "churn_rate"}) ==
        Strings{"2026-10|2|1|1|50.0%", "2026-11|1|0|1|100.0%", "2026-12|1|0|1|100.0%", "2027-01|0|0|0|-"});
}

TEST_CASE("ops: report churn: lost contacts by competitor and reason") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu", {"stage=lost", "lost_to=Acme", "lost_reason=price"});
  add_contact(s, "Bob Ionescu", {"stage=lost", "lost_to=Acme", "lost_reason=price"});
  add_contact(s, "Cid Marin", {"stage=lost"});
  add_contact(s, "Dan Rusu", {"stage=customer"});
  ReportOptions o;
  o.today = {2026, 11, 25};
  const auto r = crm::ops::churn_report(s, o);
  CHECK(r.heading == "churn as of 2026-11-25: 0 customers slipping away (more than 2 times their usual interval)");
  CHECK(r.tables[0].rows.empty());
  CHECK(r.tables[1].rows.empty());
  CHECK(lines(r.tables[2], {"lost_to", "reason", "contacts"}) == Strings{"Acme|price|2", "||1"});
}

TEST_SUITE_END();
