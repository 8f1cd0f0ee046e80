// `crm report reorder`: customers due to buy again, from their own rhythm
// (average days between their orders), up to --to (default: 14 days ahead).
// Those already past churn.factor times their rhythm are churn's, not here.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ops/reports/report.hpp"

namespace crm::ops {

std::vector<ReorderDue> reorder_due(Session& session, const ReportOptions& o, const time::Date& horizon) {
  const double factor = churn_factor(session);
  ReportOptions upto = o;
  upto.to = time::format_date(o.today); // rhythms from what was bought so far
  upto.has_to = true;
  std::vector<ReorderDue> rows;
  for (auto& r : rhythms(session, upto, o.today)) {
    if (static_cast<double>(r.days_since) > factor * r.interval) continue; // churning
    const auto next = time::add_days(*time::parse_date(r.last), static_cast<std::int64_t>(std::llround(r.interval)));
    if (time::days_between(next, horizon) < 0) continue;
    if (o.has_from && time::format_date(next) < o.from) continue;
    rows.push_back({std::move(r), time::format_date(next), time::days_between(o.today, next)});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ReorderDue& a, const ReorderDue& b) {
    return a.next != b.next ? a.next < b.next : a.rhythm.name < b.rhythm.name;
  });
  return rows;
}

Report reorder_report(Session& session, const ReportOptions& o) {
  const auto horizon = o.has_to ? *time::parse_date(o.to) : time::add_days(o.today, 14);
  ReportTable due;
  due.name = "customers";
  due.columns = {"name", "orders", "last_purchase", "usual_days", "next_due", "days"};
  due.chart_label = "name";
  due.chart_value = "days";
  due.id_column = "contact";
  const auto rows = reorder_due(session, o, horizon);
  for (const auto& n : rows) {
    if (o.limit && due.rows.size() >= *o.limit) break;
    due.rows.push_back({{"contact", n.rhythm.contact},
                        {"name", n.rhythm.name},
                        {"orders", n.rhythm.orders},
                        {"last_purchase", n.rhythm.last},
                        {"usual_days", fmt::format("{:.1f}", n.rhythm.interval)},
                        {"next_due", n.next},
                        {"days", n.days}});
  }
  Report r;
  r.heading = fmt::format("due to reorder by {} (as of {}): {}", time::format_date(horizon),
                          time::format_date(o.today), count_of(rows.size(), "customer"));
  r.facts = {{"as_of", time::format_date(o.today)}, {"until", time::format_date(horizon)}, {"customer_count", rows.size()}};
  r.tables.push_back(std::move(due));
  return r;
}

} // namespace crm::ops
