// ops report pipeline (ops/reports/pipeline.cpp): the pipeline as a report like
// the others: its four tables, a month with no deal closing between two that
// have some shown as 0 (deals without a close date last), the closed table a
// single row, and what --chart draws.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "test_support.hpp"

using crm::ops::ReportOptions;
using crm::ops::ReportTable;
using crm::ops::Session;
using Strings = std::vector<std::string>;

namespace {

struct Fixture : crm_test::PinnedWorkspace {
  std::string contact;

  Fixture() {
    Session s(dir.path());
    contact = crm_test::add_contact(s, "Ana Popescu");
  }

  // An open deal in `stage`, written as a person would write it.
  void deal(const std::string& id, const std::string& stage, const std::string& value, const std::string& close) const {
    std::string text = "id: " + id + "\ntitle: Deal " + id + "\ncontact: " + contact + "\nstage: " + stage +
                       "\nvalue: \"" + value + "\"\ncurrency: EUR\nprobability: 50\n";
    if (!close.empty()) text += "close: " + close + "\n";
    text += "moves:\n  - at: 2026-11-01T00:00:00+02:00\n    to: " + stage +
            "\ncreated: 2026-11-01T00:00:00+02:00\nupdated: 2026-11-01T00:00:00+02:00\n";
    file("deals/" + id + ".yaml", text);
  }
};

Strings lines(const ReportTable& t) {
  Strings out;
  for (const auto& row : t.rows) {
    std::string line;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const auto& v = row.at(t.columns[i]);
      line += (i ? "|" : "") + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    out.push_back(line);
  }
  return out;
}

ReportOptions on_the_day() {
  ReportOptions o;
  o.today = {2026, 11, 25};
  return o;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report pipeline: stages, every month from the first close to the last, closed, times") {
  Fixture f;
  f.deal("alpha-a2b3", "qualified", "100.00", "2026-12-15");
  f.deal("bravo-b2c3", "proposal", "300.00", "2027-03-01");
  f.deal("charlie-c2d3", "lead", "50.00", "");
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline_report(s, on_the_day());
  CHECK(r.heading == "pipeline on 2026-11-25, in EUR");
  CHECK(r.facts["as_of"] == "2026-11-25");
  REQUIRE(r.tables.size() == 4);
  CHECK(r.tables[0].name == "stages");
  CHECK(lines(r.tables[0]) == Strings{"lead|10|1|50.00|25.00", "qualified|25|1|100.00|50.00",
                                      "proposal|50|1|300.00|150.00", "negotiation|75|0|0.00|0.00",
                                      "open||3|450.00|225.00"});
  // January and February have no deal closing: 0, so a chart's months are evenly spaced.
  CHECK(r.tables[1].name == "months");
  CHECK(r.tables[1].over_time);
  CHECK(lines(r.tables[1]) == Strings{"2026-12|1|100.00|50.00", "2027-01|0|0.00|0.00", "2027-02|0|0.00|0.00",
                                      "2027-03|1|300.00|150.00", "none|1|50.00|25.00"});
  CHECK(r.tables[2].name == "closed");
  CHECK(r.tables[2].single_row);
  CHECK(lines(r.tables[2]) == Strings{"0|0|-|0.00"});
  CHECK(r.tables[3].name == "times");
  CHECK(r.warning_note == "counted as 0");
  // Stages and months are groups: no table lists records by id.
  for (const auto& t : r.tables) CHECK(t.id_column.empty());
}

TEST_CASE("ops: report pipeline --from/--to select deals by their close date") {
  Fixture f;
  f.deal("alpha-a2b3", "qualified", "100.00", "2026-12-15");
  f.deal("bravo-b2c3", "proposal", "300.00", "2027-03-01");
  Session s(f.dir.path());
  auto o = on_the_day();
  o.from = "2027-01-01";
  o.has_from = true;
  const auto r = crm::ops::pipeline_report(s, o);
  CHECK(lines(r.tables[1]) == Strings{"2027-03|1|300.00|150.00"});
}

TEST_SUITE_END();
