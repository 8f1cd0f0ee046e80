// index scope (index/scope.cpp): the period keys SQLite works out, and the
// pieces of SQL a scope makes (the customers clause, the sales counted, the
// records dated in the period), with an open end adding no condition.

#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "index/index.hpp"
#include "index/scope.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::index::Period;
using crm::index::Scope;
using crm::index::SqlExpr;

TEST_SUITE_BEGIN("index");

TEST_CASE("index: period_key keys a day by day, Monday of its week, month, quarter and year") {
  crm_test::PinnedWorkspace f;
  crm::store::Workspace ws{f.dir.path()};
  crm::index::Index index(ws);
  auto key = [&](Period p, const std::string& day) { return crm::index::period_key(index, p, day); };
  CHECK(key(Period::day, "2026-03-04") == "2026-03-04");
  CHECK(key(Period::week, "2026-03-04") == "2026-03-02"); // a Wednesday
  CHECK(key(Period::week, "2026-03-02") == "2026-03-02"); // a Monday is its own week
  CHECK(key(Period::week, "2026-03-08") == "2026-03-02"); // a Sunday ends it
  CHECK(key(Period::week, "2026-01-01") == "2025-12-29"); // a week across the year end
  CHECK(key(Period::month, "2026-03-04") == "2026-03");
  CHECK(key(Period::quarter, "2026-03-31") == "2026-Q1");
  CHECK(key(Period::quarter, "2026-04-01") == "2026-Q2");
  CHECK(key(Period::quarter, "2026-12-31") == "2026-Q4");
  CHECK(key(Period::year, "2026-12-31") == "2026");
}

TEST_CASE("index: a scope's customers clause, sales counted and records dated in its period") {
  Scope all;
  const auto everyone = crm::index::customers_sql(all, "s.contact");
  CHECK(everyone.sql == "1");
  CHECK(everyone.binds.empty());
  // Open ends add no condition.
  CHECK(crm::index::counted_sales_sql(all, "s").sql == "s.status = 'completed' AND 1");
  CHECK(crm::index::dated_sql(all, "s", "s.day").sql == "1");

  Scope some;
  some.customers = SqlExpr{"source = ?", {std::string("shop")}};
  some.from = "2026-01-01";
  some.has_from = true;
  const auto who = crm::index::customers_sql(some, "s.contact");
  CHECK(who.sql == "s.contact IN (SELECT contacts.id FROM contacts WHERE source = ?)");
  CHECK(who.binds.size() == 1);
  const auto sales = crm::index::counted_sales_sql(some, "s");
  CHECK(sales.sql ==
        "s.status = 'completed' AND s.day >= ? AND s.contact IN (SELECT contacts.id FROM contacts WHERE source = ?)");
  CHECK(sales.binds.size() == 2);
  CHECK(std::get<std::string>(sales.binds[0]) == "2026-01-01");
  // Dated records bind both ends once either is given.
  const auto dated = crm::index::dated_sql(some, "deals", "coalesce(deals.close, '')");
  CHECK(dated.sql == "coalesce(deals.close, '') >= ? AND coalesce(deals.close, '') <= ? AND"
                     " deals.contact IN (SELECT contacts.id FROM contacts WHERE source = ?)");
  CHECK(dated.binds.size() == 3);
  CHECK(std::get<std::string>(dated.binds[1]) == "9999-12-31");
}

TEST_SUITE_END();
