#pragma once
// What the queries behind the reports count: a period of days and the
// customers a --where selects (Scope), and the periods a day is keyed by. The
// SQL pieces built from them (the sales a report counts, the customers clause,
// period keys) are here once, for the query files of lib/index
// (sales_queries, contact_queries, activity_queries).

#include <cstdint>
#include <string>

#include "index/index.hpp"

namespace crm::index {

// Days from `from` to `to`, of the contacts `customers` selects. An open end
// (has_from or has_to false) adds no condition where a query can leave it out.
struct Scope {
  std::string from = "0000-01-01"; // first day counted (YYYY-MM-DD)
  std::string to = "9999-12-31";   // last day counted
  bool has_from = false, has_to = false;
  SqlExpr customers; // a compiled --where on contacts (index/filter_sql.hpp); empty: everyone
};

// The periods a day is keyed by: the day, its week (keyed by its Monday),
// month (2026-03), quarter (2026-Q1) or year (2026).
enum class Period { day, week, month, quarter, year };

// A count per period key.
struct PeriodCount {
  std::string period;
  std::int64_t count = 0;
};

// The SQL period key of a YYYY-MM-DD expression (`day` is a fixed column name).
std::string period_sql(Period period, const std::string& day);
// The key of `day` (YYYY-MM-DD) in `period`, worked out by SQLite like the
// period keys of every report.
std::string period_key(const Index& index, Period period, const std::string& day);

// "s.contact IN (SELECT contacts.id FROM contacts WHERE ...)" for the
// customers of `scope`, or "1" for everyone. `column` is the contact column of
// the outer query.
SqlExpr customers_sql(const Scope& scope, const std::string& column);

// The sales counted, for the sales table aliased `alias`: completed (refunds
// too: they are negative; void sales never), dated in the period, of the
// customers.
SqlExpr counted_sales_sql(const Scope& scope, const std::string& alias);

// The records of `table` (alias) whose `day` expression the period holds, of
// the customers.
SqlExpr dated_sql(const Scope& scope, const std::string& table, const std::string& day);

} // namespace crm::index
