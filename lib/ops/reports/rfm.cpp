// `crm report rfm`: each customer's recency, frequency and monetary scores
// (1-5, by rank among the customers of the period) and priority class A/B/C
// (config.yaml rfm.a and rfm.b), with the count and revenue per class.

#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/computed.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report rfm_report(Session& session, const ReportOptions& o) {
  const auto base = base_of(session);
  const auto& config = session.workspace().config();
  const auto who = customers_clause(o, "r.contact");
  // Scores rank among every customer of the period; --where picks who is shown.
  index::SqlExpr q{fmt::format("SELECT r.contact, c.name, r.last, r.orders, r.revenue, r.r, r.f, r.m, r.total, r.class"
                               " FROM ({}) r JOIN contacts c ON c.id = r.contact WHERE {}"
                               " ORDER BY r.total DESC, r.revenue DESC, c.sort_key",
                               index::rfm_select_sql, who.sql),
                   {o.from, o.to, static_cast<std::int64_t>(config.rfm_a), static_cast<std::int64_t>(config.rfm_b)}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  ReportTable customers;
  customers.name = "customers";
  customers.columns = {"name", "last_purchase", "days", "orders", "revenue", "r", "f", "m", "score", "class"};
  customers.chart_label = "name";
  customers.chart_value = "score";
  customers.id_column = "contact";
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> classes; // class -> customers, revenue
  std::int64_t all_revenue = 0;
  std::size_t shown = 0;
  session.index().query(q, [&](SQLite::Statement& st) {
    const std::string cls = st.getColumn(9).getString();
    const std::int64_t revenue = st.getColumn(4).getInt64();
    classes[cls].first += 1;
    classes[cls].second += revenue;
    all_revenue += revenue;
    if (o.limit && shown >= *o.limit) return;
    ++shown;
    const std::string last = st.getColumn(2).getString();
    const auto last_date = time::parse_date(last);
    customers.rows.push_back({{"contact", st.getColumn(0).getString()},
                              {"name", st.getColumn(1).getString()},
                              {"last_purchase", last},
                              {"days", last_date ? time::days_between(*last_date, o.today) : 0},
                              {"orders", st.getColumn(3).getInt64()},
                              {"revenue", base.amount(revenue)},
                              {"r", st.getColumn(5).getInt64()},
                              {"f", st.getColumn(6).getInt64()},
                              {"m", st.getColumn(7).getInt64()},
                              {"score", st.getColumn(8).getInt64()},
                              {"class", cls}});
  });
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
