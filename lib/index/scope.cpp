#include "index/scope.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/index_impl.hpp"

namespace crm::index {

std::string period_sql(Period period, const std::string& day) {
  switch (period) {
  case Period::day: return day;
  case Period::week: return fmt::format("date({}, 'weekday 0', '-6 days')", day); // the Monday of its week
  case Period::month: return fmt::format("substr({}, 1, 7)", day);
  case Period::quarter:
    return fmt::format("substr({0}, 1, 4) || '-Q' || ((CAST(substr({0}, 6, 2) AS INTEGER) + 2) / 3)", day);
  case Period::year: break;
  }
  return fmt::format("substr({}, 1, 4)", day);
}

std::string period_key(const Index& index, Period period, const std::string& day) {
  std::string key;
  run_query(index, {"SELECT " + period_sql(period, "d") + " FROM (SELECT ? AS d)", {day}},
              [&](SQLite::Statement& st) { key = st.getColumn(0).getString(); });
  return key;
}

SqlExpr customers_sql(const Scope& scope, const std::string& column) {
  if (scope.customers.sql.empty()) return {"1", {}};
  SqlExpr e{fmt::format("{} IN (SELECT contacts.id FROM contacts WHERE ", column), scope.customers.binds};
  e.sql += scope.customers.sql + ")";
  return e;
}

SqlExpr counted_sales_sql(const Scope& scope, const std::string& alias) {
  // An open end adds no condition: a range over every day would make SQLite
  // read each sale through the day index.
  SqlExpr e{alias + ".status = 'completed' AND ", {}};
  if (scope.has_from) e += {alias + ".day >= ? AND ", {scope.from}};
  if (scope.has_to) e += {alias + ".day <= ? AND ", {scope.to}};
  return e += customers_sql(scope, alias + ".contact");
}

SqlExpr dated_sql(const Scope& scope, const std::string& table, const std::string& day) {
  auto e = customers_sql(scope, table + ".contact");
  if (!scope.has_from && !scope.has_to) return e;
  e.sql = fmt::format("{} >= ? AND {} <= ? AND ", day, day) + e.sql;
  e.binds.insert(e.binds.begin(), {scope.from, scope.to});
  return e;
}

} // namespace crm::index
