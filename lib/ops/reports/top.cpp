// `crm report top`: the most valuable customers by revenue, orders or margin,
// each with their share of the total. A margin counts the items with a cost;
// the revenue of items without one is told apart.

#include <algorithm>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"
#include "util/error.hpp"

namespace crm::ops {

Report top_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "revenue" : o.by;
  if (by != "revenue" && by != "orders" && by != "margin")
    throw Error(ErrorKind::usage, fmt::format("bad --by '{}'", by), {"use one of: revenue, orders, margin"});
  const auto base = base_of(session);
  auto rows = index::customer_sales(session.index(), scope_of(o));
  using Row = index::CustomerSales;
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
