// ops report feedback (ops/reports/feedback.cpp): complaints and returns per
// product against its sales, the flag for a complaint rate above twice the
// rest's, ratings, NPS, open and resolved, the median time to resolve.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/interactions/feedback.hpp"
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

std::string feedback(Session& s, const std::string& who, const std::string& kind, std::optional<std::string> product,
                     std::optional<std::string> at = std::nullopt, std::optional<int> rating = std::nullopt,
                     std::optional<int> nps = std::nullopt) {
  crm::ops::FeedbackRequest r;
  r.ref = who;
  r.kind = kind;
  r.text = "said something";
  r.product = std::move(product);
  r.at = std::move(at);
  r.rating = rating;
  r.nps = nps;
  return crm::ops::add_feedback(s, r);
}

// Mug in 4 sales, Lamp in 2. Lamp: 2 complaints, both resolved (after 24h and
// 1h30m); Mug: 1 complaint, 1 return (rated 2), 1 review (rated 5). Surveys:
// NPS 10, 9, 3, 7 (promoters 2, detractors 1 of 4: +25), one rated 4.
void data(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin");
  const auto dan = add_contact(s, "Dan Rusu");
  auto sale = [&](const std::string& who, Strings items) {
    crm::ops::SaleRequest r;
    r.ref = who;
    r.items = std::move(items);
    r.at = "2026-11-01";
    crm::ops::record_sale(s, r);
  };
  sale(ana, {"Mug @ 10", "Lamp @ 30"});
  sale(bob, {"Mug @ 10"});
  sale(cid, {"Mug x 2 @ 10", "Lamp @ 30"});
  sale(dan, {"Mug @ 10"});
  const auto first = feedback(s, ana, "complaint", "Lamp", "2026-11-24T10:00:00+02:00");
  const auto second = feedback(s, cid, "complaint", "Lamp", "2026-11-25T08:30:00+02:00");
  crm::ops::resolve_feedback(s, first, "replaced", false);
  crm::ops::resolve_feedback(s, second, "replaced", false);
  feedback(s, bob, "complaint", "Mug");
  feedback(s, dan, "return", "Mug", std::nullopt, 2);
  feedback(s, ana, "review", "Mug", std::nullopt, 5, 10);
  feedback(s, bob, "survey", std::nullopt, std::nullopt, 4, 9);
  feedback(s, cid, "survey", std::nullopt, std::nullopt, std::nullopt, 3);
  feedback(s, dan, "survey", std::nullopt, std::nullopt, std::nullopt, 7);
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report feedback per product, flagged, and the summary") {
  Fixture f;
  Session s(f.dir.path());
  data(s);
  ReportOptions o;
  const auto r = crm::ops::feedback_report(s, o);
  CHECK(r.heading == "feedback, all time: 8 records, 6 open; 1 products flagged");
  CHECK(r.facts["resolved"] == 2);
  REQUIRE(r.tables.size() == 2);
  // Lamp: 2 complaints in 2 sales against 1 in 4 for the rest: 2 x 4 > 2 x 1 x 2.
  CHECK(lines(r.tables[0], {"product", "sales", "complaints", "returns", "complaint_rate", "rating", "flag"}) ==
        Strings{"Lamp|2|2|0|100.0%||high complaint rate", "Mug|4|1|1|25.0%|3.5|"});
  CHECK(lines(r.tables[1], {"feedback", "open", "resolved", "average_rating", "nps", "median_resolution"}) ==
        Strings{"8|6|2|3.7|+25|12h45m"});
}

TEST_CASE("ops: report feedback over a period") {
  Fixture f;
  Session s(f.dir.path());
  data(s);
  ReportOptions o;
  o.to = "2026-11-24";
  o.has_to = true;
  const auto r = crm::ops::feedback_report(s, o);
  CHECK(r.heading == "feedback, until 2026-11-24: 1 records, 0 open; 0 products flagged");
  // One complaint is not enough to flag a product.
  CHECK(lines(r.tables[0], {"product", "sales", "complaints", "complaint_rate", "flag"}) ==
        Strings{"Lamp|2|1|50.0%|", "Mug|4|0|0.0%|"});
  CHECK(lines(r.tables[1], {"feedback", "open", "resolved", "average_rating", "nps", "median_resolution"}) ==
        Strings{"1|0|1|-|-|24h"});
}

TEST_SUITE_END();
