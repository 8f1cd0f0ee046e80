// ops report conversion (ops/reports/conversion.cpp): new contacts per period of
// their created date, conversions on the earlier of the first change to
// customer and the first sale, interactions and sales per period, and
// conversion per source with the average days it took.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/interactions/log.hpp"
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

namespace {

struct Fixture : crm_test::PinnedWorkspace {};

void log(Session& s, const std::string& kind, const std::string& who, const std::string& at) {
  crm::ops::LogRequest r;
  r.kind = kind;
  r.ref = who;
  r.text = "talked";
  r.at = at;
  crm::ops::log_activity(s, r);
}

//   Ana (web), created 01-05: first sale 01-20 (15 days), changed to customer later on 03-01
//   Bob (web), created 01-10: changed to customer 02-09 (30 days)
//   Cid (ads), created 02-01: not converted
//   Dan (ads), created 02-03 as a customer (0 days)
// Interactions: Ana 01-12, Cid 02-15; the stage changes are not interactions.
void contacts(crm_test::PinnedWorkspace& f, Session& s) {
  f.now.set("2026-01-05T10:00:00+02:00");
  const auto ana = add_contact(s, "Ana Popescu", {"source=web", "stage=lead"});
  f.now.set("2026-01-10T10:00:00+02:00");
  const auto bob = add_contact(s, "Bob Ionescu", {"source=web", "stage=lead"});
  f.now.set("2026-02-01T10:00:00+02:00");
  const auto cid = add_contact(s, "Cid Marin", {"source=ads"});
  f.now.set("2026-02-03T10:00:00+02:00");
  add_contact(s, "Dan Rusu", {"source=ads", "stage=customer"});
  f.now.set("2026-02-09T10:00:00+02:00");
  crm::ops::set_record(s, crm::model::contact_type(), bob, {crm::ops::parse_assignment("stage=customer")});
  f.now.set("2026-03-01T10:00:00+02:00");
  crm::ops::set_record(s, crm::model::contact_type(), ana, {crm::ops::parse_assignment("stage=customer")});
  f.now.set(crm_test::pinned_now);
  crm::ops::SaleRequest sale;
  sale.ref = ana;
  sale.items = {"Mug @ 10"};
  sale.at = "2026-01-20";
  crm::ops::record_sale(s, sale);
  log(s, "email", ana, "2026-01-12");
  log(s, "call", cid, "2026-02-15");
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report conversion per month and per source") {
  Fixture f;
  Session s(f.dir.path());
  contacts(f, s);
  ReportOptions o;
  const auto r = crm::ops::conversion_report(s, o);
  CHECK(r.heading == "conversion by month, all time: 4 new contacts, 3 became customers");
  CHECK(r.facts["interactions"] == 2);
  CHECK(r.facts["sales"] == 1);
  REQUIRE(r.tables.size() == 2);
  CHECK(lines(r.tables[0], {"month", "new_contacts", "converted", "rate", "interactions", "sales",
                            "sales_per_interaction"}) ==
        Strings{"2026-01|2|1|50.0%|1|1|1.00", "2026-02|2|2|100.0%|1|0|0.00"});
  CHECK(lines(r.tables[1], {"source", "contacts", "converted", "rate", "average_days"}) ==
        Strings{"web|2|2|100.0%|22.5", "ads|2|1|50.0%|0.0"});
}

TEST_CASE("ops: report conversion per day has the days with nothing in them too") {
  Fixture f;
  Session s(f.dir.path());
  contacts(f, s);
  ReportOptions o;
  o.by = "day";
  const auto r = crm::ops::conversion_report(s, o);
  const auto& rows = r.tables[0].rows;
  // From Ana's creation on 01-05 to Cid's call on 02-15: 42 days, one row each.
  REQUIRE(rows.size() == 42);
  CHECK(rows.front()["day"] == "2026-01-05");
  CHECK(rows[1]["day"] == "2026-01-06");
  CHECK(rows[1]["new_contacts"] == 0);
  CHECK(rows[1]["rate"] == "-");
  CHECK(rows.back()["day"] == "2026-02-15");
  CHECK(rows.back()["interactions"] == 1);
}

TEST_CASE("ops: report conversion over a period: conversions of older contacts count in it") {
  Fixture f;
  Session s(f.dir.path());
  contacts(f, s);
  ReportOptions o;
  o.by = "quarter";
  o.from = "2026-02-01";
  o.has_from = true;
  const auto r = crm::ops::conversion_report(s, o);
  CHECK(r.heading == "conversion by quarter, since 2026-02-01: 2 new contacts, 2 became customers");
  CHECK(lines(r.tables[0], {"quarter", "new_contacts", "converted", "rate", "interactions", "sales"}) ==
        Strings{"2026-Q1|2|2|100.0%|1|0"});
  CHECK(lines(r.tables[1], {"source", "contacts", "converted", "average_days"}) == Strings{"ads|2|1|0.0"});

  o.by = "source";
  const auto e = crm_test::error_from([&] { crm::ops::conversion_report(s, o); });
  CHECK(e.kind() == crm::ErrorKind::usage);
}

TEST_SUITE_END();
