// ops report top (ops/reports/top.cpp): customers ranked by revenue, orders or
// margin, ties by name, each with their share of the total, and --limit.

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

// Ana: 2 orders, 120.00 (margin 70.00); Bob: 1 order, 50.00 (no costs);
// Cid: 2 orders, 50.00 (margin 10.00).
void customers(Session& s) {
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin");
  sale(s, ana, "2026-03-01", {"Audit @ 100 cost 40"});
  sale(s, ana, "2026-03-05", {"Mug x 2 @ 10 cost 5"});
  sale(s, bob, "2026-03-02", {"Lamp @ 50"});
  sale(s, cid, "2026-03-03", {"Mug x 2 @ 10 cost 5"});
  sale(s, cid, "2026-04-03", {"Tea x 3 @ 10 cost 10"});
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report top by revenue: ranks, ties by name, shares of the total") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  const auto r = crm::ops::top_report(s, o);
  CHECK(r.heading == "top customers by revenue, in EUR, all time: 3 customers, 220.00 in all");
  CHECK(r.facts["customer_count"] == 3);
  CHECK(lines(r.tables[0], {"rank", "name", "revenue", "orders", "margin", "share"}) ==
        Strings{"1|Ana Popescu|120.00|2|70.00|54.5%", "2|Bob Ionescu|50.00|1||22.7%", "3|Cid Marin|50.00|2|10.00|22.7%"});
}

TEST_CASE("ops: report top by orders and by margin, with --limit and a period") {
  Fixture f;
  Session s(f.dir.path());
  customers(s);
  ReportOptions o;
  o.by = "orders";
  const auto orders = crm::ops::top_report(s, o);
  CHECK(orders.heading == "top customers by orders, in EUR, all time: 3 customers, 5 in all");
  CHECK(lines(orders.tables[0], {"rank", "name", "orders", "share"}) ==
        Strings{"1|Ana Popescu|2|40.0%", "2|Cid Marin|2|40.0%", "3|Bob Ionescu|1|20.0%"});

  o.by = "margin";
  o.limit = 1;
  const auto margin = crm::ops::top_report(s, o);
  CHECK(margin.heading ==
        "top customers by margin, in EUR, all time: 3 customers, 80.00 in all (50.00 of the revenue has no cost)");
  CHECK(margin.facts["without_cost"] == "50.00");
  CHECK(lines(margin.tables[0], {"rank", "name", "margin", "share"}) == Strings{"1|Ana Popescu|70.00|87.5%"});

  o = ReportOptions{};
  o.to = "2026-03-31";
  o.has_to = true;
  const auto march = crm::ops::top_report(s, o);
  CHECK(march.heading == "top customers by revenue, in EUR, until 2026-03-31: 3 customers, 190.00 in all");
  CHECK(lines(march.tables[0], {"name", "revenue", "orders"}) ==
        Strings{"Ana Popescu|120.00|2", "Bob Ionescu|50.00|1", "Cid Marin|20.00|1"});
}

TEST_CASE("ops: report top refuses a bad --by") {
  Fixture f;
  Session s(f.dir.path());
  ReportOptions o;
  o.by = "score";
  const auto e = crm_test::error_from([&] { crm::ops::top_report(s, o); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "bad --by 'score'");
}

TEST_SUITE_END();
