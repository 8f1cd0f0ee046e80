// ops report campaigns (ops/reports/campaigns.cpp): per campaign its audience,
// the people who answered (inbound activities with the campaign), its sales
// and revenue within the period, cost and return; latest start first.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/campaign.hpp"
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

void answer(Session& s, const std::string& who, const std::string& at, const std::string& direction) {
  crm::ops::LogRequest r;
  r.kind = "email";
  r.ref = who;
  r.text = "about the offer";
  r.at = at;
  r.direction = direction;
  r.campaign = "Spring";
  crm::ops::log_activity(s, r);
}

// Spring (email, 03-01, cost 100.00, four people): Ana answered twice, Bob once,
// Cid was written to; Ana bought for 150.00 (03-10), Bob for 100.00 (04-10).
// Fair (event, 05-01): no cost, no audience.
void campaigns(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin");
  const auto dan = add_contact(s, "Dan Rusu");
  auto add = [&](const std::string& name, Strings changes) {
    std::vector<crm::ops::Assignment> a;
    for (const auto& c : changes) a.push_back(crm::ops::parse_assignment(c));
    return crm::ops::add_record(s, crm::model::campaign_type(), name, a);
  };
  add("Spring", {"channel=email", "start=2026-03-01", "cost=100"});
  add("Fair", {"channel=event", "start=2026-05-01"});
  crm::ops::change_audience(s, "Spring", {ana, bob, cid, dan}, false);
  answer(s, ana, "2026-03-02", "in");
  answer(s, ana, "2026-03-03", "in");
  answer(s, bob, "2026-04-02", "in");
  answer(s, cid, "2026-03-02", "out");
  sale(s, ana, "2026-03-10", {"Audit @ 150"}, "Spring");
  sale(s, bob, "2026-04-10", {"Audit @ 100"}, "Spring");
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report campaigns: responses, sales, revenue, cost and return") {
  Fixture f;
  Session s(f.dir.path());
  campaigns(s);
  ReportOptions o;
  const auto r = crm::ops::campaigns_report(s, o);
  CHECK(r.heading == "campaigns, in EUR, all time: revenue 250.00, cost 100.00");
  CHECK(lines(r.tables[0], {"name", "channel", "start", "audience", "responses", "response_rate", "sales", "revenue",
                            "cost", "return"}) ==
        Strings{"Fair|event|2026-05-01|0|0|-|0|0.00||-", "Spring|email|2026-03-01|4|2|50.0%|2|250.00|100.00|+150.0%"});
}

TEST_CASE("ops: report campaigns counts responses and sales within the period only") {
  Fixture f;
  Session s(f.dir.path());
  campaigns(s);
  ReportOptions o;
  o.from = "2026-03-01";
  o.to = "2026-03-31";
  o.has_from = o.has_to = true;
  const auto r = crm::ops::campaigns_report(s, o);
  CHECK(r.heading == "campaigns, in EUR, 2026-03-01 to 2026-03-31: revenue 150.00, cost 100.00");
  CHECK(lines(r.tables[0], {"name", "responses", "response_rate", "sales", "revenue", "return"}) ==
        Strings{"Fair|0|-|0|0.00|-", "Spring|1|25.0%|1|150.00|+50.0%"});
  o.limit = 1;
  CHECK(lines(crm::ops::campaigns_report(s, o).tables[0], {"name"}) == Strings{"Fair"});
}

TEST_SUITE_END();
