// ops report helpers (ops/reports/report.cpp): the periods a --by names, the
// period before a key (and a year before) across year ends and short months,
// counts and percents as shown, the scope a report hands the index, and the
// buying rhythm churn and reorder build on.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "index/scope.hpp"
#include "ops/records/session.hpp"
#include "ops/reports/report.hpp"
#include "ops/sales/sale.hpp"
#include "report_support.hpp"
#include "test_support.hpp"
#include "util/time.hpp"

using crm::ops::ReportOptions;
using crm::ops::Session;
using crm_test::add_contact;
using Strings = std::vector<std::string>;

using crm_test::sale;

namespace {

struct Fixture : crm_test::PinnedWorkspace {};

// The key the index gives `day` for the period `by`.
std::string key_of(Session& s, const std::string& by, const std::string& day) {
  return crm::index::period_key(s.index(), crm::ops::period_kind(by), day);
}

// "name orders first..last every N.N days, D days since", sorted by name.
Strings rhythm_lines(const std::vector<crm::ops::Rhythm>& list) {
  Strings out;
  for (const auto& r : list)
    out.push_back(r.name + " " + std::to_string(r.orders) + " " + r.first + ".." + r.last + " every " +
                  std::to_string(r.interval) + " days, " + std::to_string(r.days_since) + " days since");
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: report period_kind names the index's period of each --by, and refuses any other") {
  using crm::index::Period;
  CHECK(crm::ops::period_kind("day") == Period::day);
  CHECK(crm::ops::period_kind("week") == Period::week);
  CHECK(crm::ops::period_kind("month") == Period::month);
  CHECK(crm::ops::period_kind("quarter") == Period::quarter);
  CHECK(crm::ops::period_kind("year") == Period::year);
  // Anything else is refused, so it never reaches the SQL (it used to fall through to the year).
  CHECK(std::string(crm_test::error_from([] { crm::ops::period_kind("decade"); }).what()) == "bad --by 'decade'");
  CHECK(std::string(crm_test::error_from([] { crm::ops::period_kind("day') --"); }).what()) ==
        "bad --by 'day') --'");
}

TEST_CASE("ops: report earlier_period steps back one period or a year, across year ends") {
  using crm::ops::earlier_period;
  CHECK(earlier_period("year", "2026", false) == "2025");
  CHECK(earlier_period("year", "2026", true) == "2025");
  CHECK(earlier_period("quarter", "2026-Q1", false) == "2025-Q4");
  CHECK(earlier_period("quarter", "2026-Q3", false) == "2026-Q2");
  CHECK(earlier_period("quarter", "2026-Q1", true) == "2025-Q1");
  CHECK(earlier_period("month", "2026-01", false) == "2025-12");
  CHECK(earlier_period("month", "2026-03", false) == "2026-02");
  CHECK(earlier_period("month", "2026-03", true) == "2025-03");
  CHECK(earlier_period("week", "2026-01-05", false) == "2025-12-29");
  CHECK(earlier_period("week", "2026-01-05", true) == "2025-01-06"); // 52 weeks: a Monday again
  CHECK(earlier_period("day", "2026-01-01", false) == "2025-12-31");
  CHECK(earlier_period("day", "2026-03-01", false) == "2026-02-28");
  CHECK(earlier_period("day", "2026-03-31", true) == "2025-03-31");
  // A day that the year before lacks clamps to the month's last day.
  CHECK(earlier_period("day", "2024-02-29", true) == "2023-02-28");
  // Month keys step from the 1st, so a 31st never lands past a short month.
  CHECK(earlier_period("month", "2026-03", false) == "2026-02");
  CHECK(crm::time::format_date(crm::time::add_months({2026, 1, 31}, 1)) == "2026-02-28");
}

TEST_CASE("ops: report next_period steps forward one period, across year ends") {
  using crm::ops::next_period;
  CHECK(next_period("year", "2026") == "2027");
  CHECK(next_period("quarter", "2026-Q3") == "2026-Q4");
  CHECK(next_period("quarter", "2026-Q4") == "2027-Q1");
  CHECK(next_period("month", "2026-12") == "2027-01");
  CHECK(next_period("month", "2026-01") == "2026-02");
  CHECK(next_period("week", "2025-12-29") == "2026-01-05");
  CHECK(next_period("day", "2026-02-28") == "2026-03-01");
  CHECK(next_period("day", "2024-02-28") == "2024-02-29");
}

TEST_CASE("ops: report period_of gives a day the key the index gives it") {
  Fixture f;
  Session s(f.dir.path());
  for (const char* by : {"day", "week", "month", "quarter", "year"})
    for (const char* day : {"2026-01-01", "2026-03-08", "2026-03-31", "2026-04-01", "2026-12-31", "2024-02-29"})
      CHECK(crm::ops::period_of(by, *crm::time::parse_date(day)) == key_of(s, by, day));
}

TEST_CASE("ops: report periods_from_to lists every period from the first to the last") {
  using crm::ops::periods_from_to;
  CHECK(periods_from_to("month", "2025-11", "2026-02") == Strings{"2025-11", "2025-12", "2026-01", "2026-02"});
  CHECK(periods_from_to("quarter", "2025-Q4", "2026-Q2") == Strings{"2025-Q4", "2026-Q1", "2026-Q2"});
  CHECK(periods_from_to("week", "2025-12-22", "2026-01-05") == Strings{"2025-12-22", "2025-12-29", "2026-01-05"});
  CHECK(periods_from_to("year", "2024", "2024") == Strings{"2024"});
  CHECK(periods_from_to("day", "2026-02-27", "2026-03-01") == Strings{"2026-02-27", "2026-02-28", "2026-03-01"});
  CHECK(periods_from_to("month", "2026-03", "2026-01").empty());
  // A key that is no period is passed through, not counted from.
  CHECK(periods_from_to("month", "(none)", "2026-01") == Strings{"(none)", "2026-01"});
  CHECK(crm_test::error_from([] { crm::ops::periods_from_to("product", "a", "b"); }).kind() == crm::ErrorKind::usage);
}

TEST_CASE("ops: report is_period, check_period, count_of, percent and period_text") {
  for (const char* by : {"day", "week", "month", "quarter", "year"}) CHECK(crm::ops::is_period(by));
  for (const char* by : {"", "product", "Month", "months"}) CHECK_FALSE(crm::ops::is_period(by));
  CHECK_NOTHROW(crm::ops::check_period("quarter"));
  const auto e = crm_test::error_from([] { crm::ops::check_period("product"); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "bad --by 'product'");

  CHECK(crm::ops::count_of(0, "customer") == "0 customers");
  CHECK(crm::ops::count_of(1, "customer") == "1 customer");
  CHECK(crm::ops::count_of(3, "customer") == "3 customers");
  CHECK(crm::ops::percent(1, 8) == "12.5%");
  CHECK(crm::ops::percent(2, 3) == "66.7%");
  CHECK(crm::ops::percent(0, 5) == "0.0%");
  CHECK(crm::ops::percent(3, 0) == "-");

  ReportOptions o;
  CHECK(crm::ops::period_text(o) == "all time");
  o.from = "2026-01-01";
  o.has_from = true;
  CHECK(crm::ops::period_text(o) == "since 2026-01-01");
  o.to = "2026-06-30";
  o.has_to = true;
  CHECK(crm::ops::period_text(o) == "2026-01-01 to 2026-06-30");
  o.has_from = false;
  CHECK(crm::ops::period_text(o) == "until 2026-06-30");
}

TEST_CASE("ops: report scope_of, base_of and churn_factor") {
  Fixture f;
  {
    Session s(f.dir.path());
    ReportOptions o;
    const auto all = crm::ops::scope_of(o);
    CHECK(all.from == "0000-01-01");
    CHECK(all.to == "9999-12-31");
    CHECK_FALSE(all.has_from);
    CHECK_FALSE(all.has_to);
    CHECK(all.customers.sql.empty());
    o.from = "2026-01-01";
    o.has_from = true;
    o.customers = s.where(crm::model::contact_type(), "source = shop");
    const auto some = crm::ops::scope_of(o);
    CHECK(some.from == "2026-01-01");
    CHECK(some.has_from);
    CHECK_FALSE(some.has_to);
    CHECK(some.customers.sql == o.customers.sql);
    CHECK(some.customers.binds.size() == o.customers.binds.size());

    const auto base = crm::ops::base_of(s);
    CHECK(base.currency == "EUR");
    CHECK(base.exponent == 2);
    CHECK(base.amount(123450) == "1234.50");
    CHECK(base.amount(-5) == "-0.05");
    CHECK(crm::ops::churn_factor(s) == 2.0);
  }
  auto config = crm_test::read_text(f.dir / ".crm/config.yaml");
  const auto at = config.find("factor: 2");
  REQUIRE(at != std::string::npos);
  config.replace(at, 9, "factor: 1.25");
  f.file(".crm/config.yaml", config);
  Session s(f.dir.path());
  CHECK(crm::ops::churn_factor(s) == 1.25);
}

TEST_CASE("ops: report rhythms: customers with two or more orders, at least one day apart") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"source=shop"});
  const auto bob = add_contact(s, "Bob Ionescu");
  const auto cid = add_contact(s, "Cid Marin", {"source=shop"});
  sale(s, ana, "2026-01-01");
  sale(s, ana, "2026-01-11");
  sale(s, ana, "2026-01-31");
  sale(s, ana, "2026-03-01"); // after --to: not counted
  sale(s, bob, "2026-02-01");
  sale(s, bob, "2026-02-01"); // two orders on one day: a rhythm of 1 day, not 0
  const auto voided = sale(s, bob, "2026-02-05");
  crm::ops::void_sale(s, voided, "typo");
  sale(s, cid, "2026-01-20"); // one order: no rhythm
  ReportOptions o;
  o.to = "2026-02-10";
  o.has_to = true;
  const crm::time::Date as_of{2026, 2, 10};
  CHECK(rhythm_lines(crm::ops::rhythms(s, o, as_of)) ==
        Strings{"Ana Popescu 3 2026-01-01..2026-01-31 every 15.000000 days, 10 days since",
                "Bob Ionescu 2 2026-02-01..2026-02-01 every 1.000000 days, 9 days since"});
  // --where narrows the customers.
  o.customers = s.where(crm::model::contact_type(), "source = shop");
  CHECK(rhythm_lines(crm::ops::rhythms(s, o, as_of)) ==
        Strings{"Ana Popescu 3 2026-01-01..2026-01-31 every 15.000000 days, 10 days since"});
}

TEST_SUITE_END();
