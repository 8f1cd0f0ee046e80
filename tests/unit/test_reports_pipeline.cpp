// ops pipeline (`crm report pipeline`): open deals per stage with their value
// and the value weighted by each deal's probability (rounded half to even once
// per row), expected close by month, won and lost counts with the win rate, the
// average days deals spent in each stage from their moves, stages no longer
// configured, and values in other currencies converted at the report's day.
// The deal files are written by hand, so that every move has an exact time.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/reports/pipeline.hpp"
#include "test_support.hpp"
#include "util/time.hpp"

using crm::ops::PipelineReport;
using crm::ops::PipelineStage;
using crm::ops::Session;
using Strings = std::vector<std::string>;

namespace {

const crm::time::Date today{2026, 11, 25};

struct Move {
  std::string at, from, to;
};

struct Deal {
  std::string id, stage, value, currency = "EUR";
  int probability = 0;
  std::string close;
  std::vector<Move> moves;
};

struct Fixture : crm_test::PinnedWorkspace {
  std::string contact;

  Fixture() {
    Session s(dir.path());
    contact = crm_test::add_contact(s, "Ana Popescu");
  }

  // deals/<id>.yaml as a person would write it (read by the next Session).
  void deal(const Deal& d) const {
    std::string text = "id: " + d.id + "\ntitle: Deal " + d.id + "\ncontact: " + contact + "\nstage: " + d.stage + "\n";
    if (!d.value.empty()) text += "value: \"" + d.value + "\"\n";
    text += "currency: " + d.currency + "\nprobability: " + std::to_string(d.probability) + "\n";
    if (!d.close.empty()) text += "close: " + d.close + "\n";
    if (d.stage == "lost") text += "lost_reason: too expensive\n";
    if (!d.moves.empty()) {
      text += "moves:\n";
      for (const auto& m : d.moves) {
        text += "  - at: " + m.at + "\n";
        if (!m.from.empty()) text += "    from: " + m.from + "\n";
        text += "    to: " + m.to + "\n";
      }
    }
    text += "created: 2026-11-01T00:00:00+02:00\nupdated: 2026-11-01T00:00:00+02:00\n";
    file("deals/" + d.id + ".yaml", text);
  }

  void config_stages(const std::string& stages) const {
    const auto path = dir / ".crm" / "config.yaml";
    std::string text = crm_test::read_text(path);
    const std::string key = "  stages: ";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find('\n', at) - at, key + stages);
    crm_test::write_text(path, text);
  }
};

constexpr const char* t_start = "2026-11-01T00:00:00+02:00";

// A deal with one move, into its stage.
Deal open_deal(const std::string& id, const std::string& stage, const std::string& value, int probability,
               const std::string& close = "", const std::string& currency = "EUR") {
  return {id, stage, value, currency, probability, close, {{t_start, "", stage}}};
}

std::string row(const PipelineStage& s) {
  return s.stage + " " + std::to_string(s.probability) + "% " + std::to_string(s.deals) + " " +
         std::to_string(s.value) + " " + std::to_string(s.weighted);
}

Strings stage_lines(const PipelineReport& r) {
  Strings out;
  for (const auto& s : r.stages) out.push_back(row(s));
  return out;
}

Strings month_lines(const PipelineReport& r) {
  Strings out;
  for (const auto& m : r.months)
    out.push_back(m.month + " " + std::to_string(m.deals) + " " + std::to_string(m.value) + " " +
                  std::to_string(m.weighted));
  return out;
}

Strings time_lines(const PipelineReport& r) {
  Strings out;
  for (const auto& t : r.stage_times)
    out.push_back(t.stage + " " + std::to_string(t.stays) + " " + std::to_string(t.tenths));
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: pipeline of a workspace without deals: the configured stages, empty") {
  Fixture f;
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  CHECK(r.as_of == "2026-11-25");
  CHECK(r.currency == "EUR");
  CHECK(r.exponent == 2);
  CHECK(stage_lines(r) == Strings{"lead 10% 0 0 0", "qualified 25% 0 0 0", "proposal 50% 0 0 0",
                                  "negotiation 75% 0 0 0"});
  CHECK(r.months.empty());
  CHECK(row(r.open) == "open 0% 0 0 0");
  CHECK(r.won == 0);
  CHECK(r.lost == 0);
  CHECK(r.won_value == 0);
  CHECK(r.win_rate == -1);
  CHECK(r.stage_times.empty());
  CHECK(r.warnings.empty());
}

TEST_CASE("ops: pipeline per stage and month, weighted by each deal's probability, rounded once per row") {
  Fixture f;
  crm_test::write_text(f.dir / "rates.yaml", "USD:\n  2026-01-01: \"0.90\"\n");
  // 333.33 x 25% = 83.3325 and 0.01 x 50% = 0.005: 83.3375 for the row, 83.34 (not 83.33 + 0.00).
  f.deal(open_deal("alpha-a2b3", "qualified", "333.33", 25, "2026-12-15"));
  f.deal(open_deal("bravo-b2c3", "qualified", "0.01", 50, "2026-12-20"));
  f.deal(open_deal("charlie-c2d3", "proposal", "1000.00", 50, "2027-01-10"));
  f.deal(open_deal("delta-d2e3", "lead", "", 10));
  f.deal(open_deal("echo-e2f3", "negotiation", "100.00", 75, "", "USD")); // 90.00 EUR
  f.deal({"won1-f2g3", "won", "500.00", "EUR", 100, "2026-11-02",
          {{"2026-11-01T00:00:00+02:00", "", "lead"}, {"2026-11-02T12:00:00+02:00", "lead", "won"}}});
  f.deal({"won2-g2h3", "won", "200.00", "USD", 100, "2026-11-21", {{"2026-11-21T09:00:00+02:00", "", "won"}}});
  f.deal({"lost1-h2j3", "lost", "999.00", "EUR", 0, "2026-11-22", {{"2026-11-22T09:00:00+02:00", "", "lost"}}});
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  CHECK(stage_lines(r) == Strings{"lead 10% 1 0 0", "qualified 25% 2 33334 8334", "proposal 50% 1 100000 50000",
                                  "negotiation 75% 1 9000 6750"});
  // "none" (no close date) comes after the months.
  CHECK(month_lines(r) == Strings{"2026-12 2 33334 8334", "2027-01 1 100000 50000", "none 2 9000 6750"});
  // 8333.75 + 50000 + 6750 = 65083.75 weighed once: 65084.
  CHECK(row(r.open) == "open 0% 5 142334 65084");
  CHECK(r.won == 2);
  CHECK(r.lost == 1);
  CHECK(r.won_value == 68000); // 500.00 + 200.00 USD at 0.90
  CHECK(r.win_rate == 67);     // 2 of 3
  // 36 hours in lead: 1.5 days.
  CHECK(time_lines(r) == Strings{"lead 1 15"});
  CHECK(r.warnings.empty());
}

TEST_CASE("ops: pipeline weighted values round half to even") {
  Fixture f;
  f.deal(open_deal("a-a2b3", "lead", "0.01", 50, "2026-12-01"));      // 0.5 -> 0
  f.deal(open_deal("b-b2c3", "qualified", "0.03", 50, "2026-12-01")); // 1.5 -> 2
  f.deal(open_deal("c-c2d3", "proposal", "0.05", 50, "2027-02-01"));  // 2.5 -> 2
  f.deal(open_deal("d-d2e3", "negotiation", "0.07", 50));             // 3.5 -> 4
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  CHECK(stage_lines(r) == Strings{"lead 10% 1 1 0", "qualified 25% 1 3 2", "proposal 50% 1 5 2",
                                  "negotiation 75% 1 7 4"});
  CHECK(month_lines(r) == Strings{"2026-12 2 4 2", "2027-02 1 5 2", "none 1 7 4"});
  CHECK(row(r.open) == "open 0% 4 16 8");
  CHECK(r.win_rate == -1);
}

TEST_CASE("ops: pipeline win rate: percent of closed deals won, half to even, -1 when none closed") {
  struct Case {
    int won, lost, rate;
  };
  for (const auto& c : {Case{0, 0, -1}, Case{1, 0, 100}, Case{0, 1, 0}, Case{2, 1, 67}, Case{1, 2, 33},
                        Case{1, 1, 50}, Case{1, 7, 12}, Case{3, 5, 38}}) {
    CAPTURE(c.won);
    CAPTURE(c.lost);
    Fixture f;
    for (int i = 0; i < c.won; ++i)
      f.deal({"won" + std::to_string(i) + "-a2b3", "won", "10.00", "EUR", 100, "2026-11-20",
              {{"2026-11-20T09:00:00+02:00", "", "won"}}});
    for (int i = 0; i < c.lost; ++i)
      f.deal({"lost" + std::to_string(i) + "-a2b3", "lost", "10.00", "EUR", 0, "2026-11-20",
              {{"2026-11-20T09:00:00+02:00", "", "lost"}}});
    f.deal(open_deal("open-a2b3", "lead", "5.00", 10)); // open deals do not count
    Session s(f.dir.path());
    const auto r = crm::ops::pipeline(s, today);
    CHECK(r.won == c.won);
    CHECK(r.lost == c.lost);
    CHECK(r.won_value == 1000 * c.won);
    CHECK(r.win_rate == c.rate);
    CHECK(row(r.open) == "open 0% 1 500 50");
  }
}

TEST_CASE("ops: pipeline stage times: the average of finished stays, in tenths of a day") {
  Fixture f;
  // Lead 36h, qualified 72h, still in proposal.
  f.deal({"p-a2b3", "proposal", "100.00", "EUR", 50, "",
          {{"2026-11-01T00:00:00+02:00", "", "lead"},
           {"2026-11-02T12:00:00+02:00", "lead", "qualified"},
           {"2026-11-05T12:00:00+02:00", "qualified", "proposal"}}});
  // Lead 12h, qualified 24h, then lost.
  f.deal({"q-a2b3", "lost", "100.00", "EUR", 0, "2026-11-02",
          {{"2026-11-01T00:00:00+02:00", "", "lead"},
           {"2026-11-01T12:00:00+02:00", "lead", "qualified"},
           {"2026-11-02T12:00:00+02:00", "qualified", "lost"}}});
  // Negotiation 3h36m = 0.15 days = 1.5 tenths -> 2.
  f.deal({"r-a2b3", "won", "100.00", "EUR", 100, "2026-11-01",
          {{"2026-11-01T00:00:00+02:00", "", "negotiation"}, {"2026-11-01T03:36:00+02:00", "negotiation", "won"}}});
  // Proposal 1h12m = 0.05 days = 0.5 tenths -> 0.
  f.deal({"s-a2b3", "lost", "100.00", "EUR", 0, "2026-11-01",
          {{"2026-11-01T00:00:00+02:00", "", "proposal"}, {"2026-11-01T01:12:00+02:00", "proposal", "lost"}}});
  // Lead 12h across two offsets: 00:00 at +02:00 is 22:00Z the day before.
  f.deal({"u-a2b3", "qualified", "100.00", "EUR", 25, "",
          {{"2026-11-03T00:00:00+02:00", "", "lead"}, {"2026-11-03T10:00:00Z", "lead", "qualified"}}});
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  // lead: (36 + 12 + 12) / 3 = 20h = 8.33 tenths; qualified: (72 + 24) / 2 = 48h.
  CHECK(time_lines(r) == Strings{"lead 3 8", "qualified 2 20", "proposal 1 0", "negotiation 1 2"});
  CHECK(r.won == 1);
  CHECK(r.lost == 2);
  CHECK(r.win_rate == 33);
  CHECK(stage_lines(r) == Strings{"lead 10% 0 0 0", "qualified 25% 1 10000 2500", "proposal 50% 1 10000 5000",
                                  "negotiation 75% 0 0 0"});
}

TEST_CASE("ops: pipeline stage times: stays of one day and of whole days average exactly") {
  Fixture f;
  f.deal({"a-a2b3", "qualified", "", "EUR", 25, "",
          {{"2026-11-01T09:00:00+02:00", "", "lead"}, {"2026-11-02T09:00:00+02:00", "lead", "qualified"}}});
  f.deal({"b-b2c3", "negotiation", "", "EUR", 75, "",
          {{"2026-11-01T09:00:00+02:00", "", "lead"},
           {"2026-11-04T09:00:00+02:00", "lead", "proposal"},
           {"2026-11-14T09:00:00+02:00", "proposal", "negotiation"}}});
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  // lead: (1 + 3) / 2 = 2 days; proposal: 10 days.
  CHECK(time_lines(r) == Strings{"lead 2 20", "proposal 1 100"});
}

TEST_CASE("ops: pipeline: a stage no longer configured is listed after the others") {
  Fixture f;
  f.config_stages("{discovery: 20, demo: 60}");
  f.deal({"d1-a2b3", "discovery", "100.00", "EUR", 20, "2026-12-01",
          {{"2026-11-01T00:00:00+02:00", "", "lead"}, {"2026-11-03T00:00:00+02:00", "lead", "discovery"}}});
  f.deal(open_deal("d2-a2b3", "lead", "50.00", 10, "2026-12-01"));
  f.deal(open_deal("d3-a2b3", "negotiation", "10.00", 75));
  f.deal(open_deal("d4-a2b3", "lead", "30.00", 10, "2027-01-05"));
  Session s(f.dir.path());
  const auto r = crm::ops::pipeline(s, today);
  // Configured stages first, in their order; the others by first appearance, at 0%.
  CHECK(stage_lines(r) == Strings{"discovery 20% 1 10000 2000", "demo 60% 0 0 0", "lead 0% 2 8000 800",
                                  "negotiation 0% 1 1000 750"});
  CHECK(month_lines(r) == Strings{"2026-12 2 15000 2500", "2027-01 1 3000 300", "none 1 1000 750"});
  CHECK(row(r.open) == "open 0% 4 19000 3550");
  CHECK(time_lines(r) == Strings{"lead 1 20"});
}

TEST_CASE("ops: pipeline converts at the rate of the report's day, without one the value is 0 and a warning says so") {
  Fixture f;
  crm_test::write_text(f.dir / "rates.yaml", "USD:\n  2026-11-26: \"0.50\"\n  2026-01-01: \"0.90\"\n");
  f.deal(open_deal("a-a2b3", "proposal", "100.00", 50, "2026-12-01", "USD"));
  f.deal(open_deal("b-b2c3", "proposal", "80.00", 50, "2026-12-01", "GBP"));
  f.deal(open_deal("c-c2d3", "proposal", "20.00", 50, "2026-12-01", "GBP"));
  f.deal({"w-a2b3", "won", "1000", "JPY", 100, "2026-11-20", {{"2026-11-20T09:00:00+02:00", "", "won"}}});
  f.deal({"x-a2b3", "won", "10.00", "EUR", 100, "2026-11-20", {{"2026-11-20T09:00:00+02:00", "", "won"}}});
  Session s(f.dir.path());
  auto r = crm::ops::pipeline(s, today);
  // Three deals in proposal, only the USD one converted (at 0.90: the 0.50 rate is dated later).
  CHECK(stage_lines(r)[2] == "proposal 50% 3 9000 4500");
  CHECK(row(r.open) == "open 0% 3 9000 4500");
  CHECK(r.won == 2);
  CHECK(r.won_value == 1000);
  CHECK(r.warnings == Strings{"no GBP rate on or before 2026-11-25 in rates.yaml",
                              "no JPY rate on or before 2026-11-25 in rates.yaml"});

  r = crm::ops::pipeline(s, crm::time::Date{2026, 11, 26});
  CHECK(r.as_of == "2026-11-26");
  CHECK(stage_lines(r)[2] == "proposal 50% 3 5000 2500");
  CHECK(r.warnings == Strings{"no GBP rate on or before 2026-11-26 in rates.yaml",
                              "no JPY rate on or before 2026-11-26 in rates.yaml"});

  // Before the first rate there is none either.
  r = crm::ops::pipeline(s, crm::time::Date{2025, 12, 31});
  CHECK(stage_lines(r)[2] == "proposal 50% 3 0 0");
  CHECK(r.warnings == Strings{"no USD rate on or before 2025-12-31 in rates.yaml",
                              "no GBP rate on or before 2025-12-31 in rates.yaml",
                              "no JPY rate on or before 2025-12-31 in rates.yaml"});
}

TEST_SUITE_END();
