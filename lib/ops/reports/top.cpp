// `crm report top`: the most valuable customers by revenue, orders or margin,
// each with their share of the total. A margin counts the items with a cost;
// the revenue of items without one is told apart.

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/computed.hpp"
#include "ops/reports/report.hpp"
#include "util/error.hpp"

namespace crm::ops {

Report top_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "revenue" : o.by;
  if (by != "revenue" && by != "orders" && by != "margin")
    throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", by), {"use one of: revenue, orders, margin"});
  const auto base = base_of(session);
  index::SqlExpr q{fmt::format("SELECT s.contact, c.name, count(*) FILTER (WHERE +s.refund_of IS NULL),"
                               " coalesce(sum(crm_base(s.total, s.currency, s.day)), 0),"
                               " sum((SELECT sum(crm_base({0} - {1}, s.currency, s.day)) FROM json_each(s.data, '$.items') i"
                               " WHERE {1} IS NOT NULL)),"
                               " coalesce(sum((SELECT sum(crm_base({0}, s.currency, s.day)) FROM json_each(s.data, '$.items') i"
                               " WHERE {1} IS NULL)), 0)"
                               " FROM sales s JOIN contacts c ON c.id = s.contact WHERE ",
                               index::item_amount_sql, index::item_cost_sql),
                   {}};
  q += counted_sales(o, "s");
  q.sql += " GROUP BY s.contact";
  struct Row {
    std::string contact, name, sort_key;
    std::int64_t orders = 0, revenue = 0;
    std::optional<std::int64_t> margin; // none when no item had a cost
    std::int64_t without_cost = 0;      // revenue of the items with no cost
  };
  std::vector<Row> rows;
  session.index().query(q, [&](SQLite::Statement& st) {
    Row r{st.getColumn(0).getString(), st.getColumn(1).getString(), {}, st.getColumn(2).getInt64(),
          st.getColumn(3).getInt64(), std::nullopt};
    if (!st.getColumn(4).isNull()) r.margin = st.getColumn(4).getInt64();
    r.without_cost = st.getColumn(5).getInt64();
    rows.push_back(std::move(r));
  });
  auto value = [&](const Row& r) -> std::int64_t {
    if (by == "orders") return r.orders;
    if (by == "margin") return r.margin.value_or(0);
    return r.revenue;
  };
  std::int64_t total = 0, without_cost = 0;
  for (const auto& r : rows) {
    total += value(r);
    without_cost += r.without_cost;
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return value(a) != value(b) ? value(a) > value(b) : a.name < b.name;
  });
  ReportTable table;
  table.name = "customers";
  table.columns = {"rank", "name", "revenue", "orders", "margin", "share"};
  table.chart_label = "name";
  table.chart_value = by;
  table.id_column = "contact";
  const std::size_t limit = o.limit.value_or(10);
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    const auto& r = rows[i];
    table.rows.push_back({{"rank", i + 1},
                          {"contact", r.contact},
                          {"name", r.name},
                          {"revenue", base.amount(r.revenue)},
                          {"orders", r.orders},
                          {"margin", r.margin ? model::Record(base.amount(*r.margin)) : model::Record("")},
                          {"share", percent(static_cast<double>(value(r)), static_cast<double>(total))}});
  }
  Report rep;
  const std::string total_text = by == "orders" ? std::to_string(total) : base.amount(total);
  rep.heading = fmt::format("top customers by {}, in {}, {}: {}, {} in all", by, base.currency,
                            period_text(o), count_of(rows.size(), "customer"), total_text);
  rep.facts = {{"currency", base.currency}, {"from", o.from}, {"to", o.to}, {"by", by},
               {"customer_count", rows.size()}, {"total", total_text}};
  if (by == "margin") {
    if (without_cost != 0)
      rep.heading += fmt::format(" ({} of the revenue has no cost)", base.amount(without_cost));
    rep.facts["without_cost"] = base.amount(without_cost);
  }
  rep.tables.push_back(std::move(table));
  add_rate_warnings(session, rep);
  return rep;
}

} // namespace crm::ops
