// ops report lifecycle (ops/reports/lifecycle.cpp): contacts per stage now, in
// the stages' order, and the moves between stages from the stage-change
// activities of the period.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
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

// Ana: lead (01-10) -> customer (02-10); Bob: lead (01-20); Cid: no stage;
// Dan: lost (03-01).
void contacts(crm_test::PinnedWorkspace& f, Session& s) {
  f.now.set("2026-01-10T10:00:00+02:00");
  const auto ana = add_contact(s, "Ana Popescu", {"stage=lead"});
  f.now.set("2026-01-20T10:00:00+02:00");
  add_contact(s, "Bob Ionescu", {"stage=lead", "source=shop"});
  add_contact(s, "Cid Marin");
  f.now.set("2026-02-10T10:00:00+02:00");
  crm::ops::set_record(s, crm::model::contact_type(), ana, {crm::ops::parse_assignment("stage=customer")});
  f.now.set("2026-03-01T10:00:00+02:00");
  add_contact(s, "Dan Rusu", {"stage=lost"});
  f.now.set(crm_test::pinned_now);
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report lifecycle: stages now and every move") {
  Fixture f;
  Session s(f.dir.path());
  contacts(f, s);
  ReportOptions o;
  const auto r = crm::ops::lifecycle_report(s, o);
  CHECK(r.heading == "lifecycle: 4 contacts now; moves all time");
  CHECK(r.facts["contacts"] == 4);
  REQUIRE(r.tables.size() == 2);
  CHECK(lines(r.tables[0], {"stage", "contacts", "entered", "left"}) ==
        Strings{"lead|1|2|1", "customer|1|1|0", "lost|1|1|0", "(none)|1|0|3"});
  CHECK(lines(r.tables[1], {"from", "to", "contacts"}) ==
        Strings{"(none)|lead|2", "(none)|lost|1", "lead|customer|1"});
}

TEST_CASE("ops: report lifecycle over a period, and for the contacts --where selects") {
  Fixture f;
  Session s(f.dir.path());
  contacts(f, s);
  ReportOptions o;
  o.from = "2026-02-01";
  o.to = "2026-12-31";
  o.has_from = o.has_to = true;
  const auto r = crm::ops::lifecycle_report(s, o);
  CHECK(r.heading == "lifecycle: 4 contacts now; moves 2026-02-01 to 2026-12-31");
  CHECK(lines(r.tables[0], {"stage", "contacts", "entered", "left"}) ==
        Strings{"lead|1|0|1", "customer|1|1|0", "lost|1|1|0", "(none)|1|0|1"});
  CHECK(lines(r.tables[1], {"from", "to", "contacts"}) == Strings{"(none)|lost|1", "lead|customer|1"});

  ReportOptions shop;
  shop.customers = s.where(crm::model::contact_type(), "source = shop");
  const auto b = crm::ops::lifecycle_report(s, shop);
  CHECK(b.heading == "lifecycle: 1 contacts now; moves all time");
  CHECK(lines(b.tables[0], {"stage", "contacts", "entered", "left"}) == Strings{"lead|1|1|0", "(none)|0|0|1"});
  CHECK(lines(b.tables[1], {"from", "to", "contacts"}) == Strings{"(none)|lead|1"});
}

TEST_SUITE_END();
