// ops report reorder (ops/reports/reorder.cpp): customers due to buy again by
// their own rhythm up to the horizon (14 days ahead, or --to), overdue ones
// included, churning ones and later ones left out, soonest first.

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

// As of 2026-11-25 (horizon 2026-12-09):
//   Ana: every 20 days, last 11-15: next 12-05 (in 10 days)
//   Bob: every 70 days, last 11-10: next 2027-01-19 (too late)
//   Cid: every 10 days, last 08-11: 106 days since, churning
//   Dan: every 20 days, last 11-21: next 12-11 (after the horizon)
//   Eve: every 31 days, last 11-01: next 12-02 (in 7 days)
//   Fay: every 20 days, last 10-21: next 11-10 (15 days overdue, not yet churning)
void customers(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin");
  const auto dan = add_contact(s, "Dan Rusu");
  const auto eve = add_contact(s, "Eve Stan");
  const auto fay = add_contact(s, "Fay Dima");
  sale(s, ana, "2026-10-26");
  sale(s, ana, "2026-11-15");
  sale(s, bob, "2026-09-01");
  sale(s, bob, "2026-11-10");
  sale(s, cid, "2026-08-01");
  sale(s, cid, "2026-08-11");
  sale(s, dan, "2026-11-01");
  sale(s, dan, "2026-11-21");
  sale(s, eve, "2026-10-01");
  sale(s, eve, "2026-11-01");
  sale(s, fay, "2026-10-01");
  sale(s, fay, "2026-10-21");
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report reorder: due within 14 days or overdue, soonest first") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.today = {2026, 11, 25};
  const auto r = crm::ops::reorder_report(s, o);
  CHECK(r.heading == "due to reorder by 2026-12-09 (as of 2026-11-25): 3 customers");
  CHECK(r.facts["until"] == "2026-12-09");
  CHECK(lines(r.tables[0], {"name", "orders", "last_purchase", "usual_days", "next_due", "days"}) ==
        Strings{"Fay Dima|2|2026-10-21|20.0|2026-11-10|-15", "Eve Stan|2|2026-11-01|31.0|2026-12-02|7",
                "Ana Popescu|2|2026-11-15|20.0|2026-12-05|10"});
}

TEST_CASE("ops: report reorder with --from and --to, and --limit") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.today = {2026, 11, 25};
  o.from = "2026-11-25";
  o.has_from = true;
  o.to = "2026-12-31";
  o.has_to = true;
  const auto r = crm::ops::reorder_report(s, o);
  CHECK(r.heading == "due to reorder by 2026-12-31 (as of 2026-11-25): 3 customers");
  CHECK(lines(r.tables[0], {"name", "next_due", "days"}) ==
        Strings{"Eve Stan|2026-12-02|7", "Ana Popescu|2026-12-05|10", "Dan Rusu|2026-12-11|16"});
  o.limit = 1;
  const auto one = crm::ops::reorder_report(s, o);
  CHECK(one.heading == "due to reorder by 2026-12-31 (as of 2026-11-25): 3 customers");
  CHECK(lines(one.tables[0], {"name"}) == Strings{"Eve Stan"});
}

TEST_SUITE_END();
