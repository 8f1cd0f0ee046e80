// `crm report rfm`: each customer's recency, frequency and monetary scores
// (1-5, by rank among the customers of the period) and priority class A/B/C
// (config.yaml rfm.a and rfm.b), with the count and revenue per class.

#include <map>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report rfm_report(Session& session, const ReportOptions& o) {
  const auto base = base_of(session);
  const auto& config = session.workspace().config();
  ReportTable customers;
  customers.name = "customers";
  customers.columns = {"name", "last_purchase", "days", "orders", "revenue", "r", "f", "m", "score", "class"};
  customers.chart_label = "name";
  customers.chart_value = "score";
  customers.id_column = "contact";
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> classes; // class -> customers, revenue
  std::int64_t all_revenue = 0;
  std::size_t shown = 0;
  // Scores rank among every customer of the period; --where picks who is shown.
  for (const auto& row : index::rfm_scores(session.index(), scope_of(o), config.rfm_a, config.rfm_b)) {
    classes[row.cls].first += 1;
    classes[row.cls].second += row.revenue;
    all_revenue += row.revenue;
    if (o.limit && shown >= *o.limit) continue;
    ++shown;
    const auto last_date = time::parse_date(row.last);
    customers.rows.push_back({{"contact", row.contact},
                              {"name", row.name},
                              {"last_purchase", row.last},
                              {"days", last_date ? time::days_between(*last_date, o.today) : 0},
                              {"orders", row.orders},
                              {"revenue", base.amount(row.revenue)},
                              {"r", row.r},
                              {"f", row.f},
                              {"m", row.m},
                              {"score", row.total},
                              {"class", row.cls}});
  }
  ReportTable by_class;
  by_class.name = "classes";
  by_class.columns = {"class", "customers", "revenue", "share"};
  by_class.chart_label = "class";
  by_class.chart_value = "customers";
  std::int64_t count = 0;
  for (const char* cls : {"A", "B", "C"}) {
    const auto it = classes.find(cls);
    const auto c = it == classes.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : it->second;
    count += c.first;
    by_class.rows.push_back({{"class", cls},
                             {"customers", c.first},
                             {"revenue", base.amount(c.second)},
                             {"share", percent(static_cast<double>(c.second), static_cast<double>(all_revenue))}});
  }
  Report r;
  r.heading = fmt::format("rfm scores, in {}, {}: {} customers (A: score {} or more, B: {} or more)", base.currency,
                          period_text(o), count, config.rfm_a, config.rfm_b);
  r.facts = {{"currency", base.currency}, {"from", o.from}, {"to", o.to}, {"a", config.rfm_a}, {"b", config.rfm_b}};
  r.tables.push_back(std::move(customers));
  r.tables.push_back(std::move(by_class));
  add_rate_warnings(session, r);
  return r;
}

} // namespace crm::ops
