// `crm report churn`: customers whose days since their last purchase exceed
// churn.factor times their own usual days between purchases; the churn rate
// per period (of the customers who bought in one period, the share who did not
// buy in the next); and why lost contacts were lost.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "index/contact_queries.hpp"
#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report churn_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "month" : o.by;
  const auto period = period_kind(by);
  const double factor = churn_factor(session);
  const auto as_of = o.has_to ? *time::parse_date(o.to) : o.today;
  ReportTable slipping;
  slipping.name = "customers";
  slipping.columns = {"name", "orders", "last_purchase", "usual_days", "days_since", "times"};
  slipping.chart_label = "name";
  slipping.chart_value = "times";
  slipping.id_column = "contact";
  auto list = rhythms(session, o, as_of);
  std::erase_if(list, [&](const Rhythm& r) { return static_cast<double>(r.days_since) <= factor * r.interval; });
  std::stable_sort(list.begin(), list.end(), [](const Rhythm& a, const Rhythm& b) {
    return a.days_since / a.interval > b.days_since / b.interval;
  });
  for (const auto& r : list) {
    if (o.limit && slipping.rows.size() >= *o.limit) break;
    slipping.rows.push_back({{"contact", r.contact},
                             {"name", r.name},
                             {"orders", r.orders},
                             {"last_purchase", r.last},
                             {"usual_days", fmt::format("{:.1f}", r.interval)},
                             {"days_since", r.days_since},
                             {"times", fmt::format("{:.1f}", static_cast<double>(r.days_since) / r.interval)}});
  }
  // Who bought in each period.
  std::map<std::string, std::set<std::string>> buyers;
  for (auto& b : index::buyers_per_period(session.index(), scope_of(o), period))
    buyers[b.period].insert(std::move(b.contact));
  ReportTable periods;
  periods.name = "periods";
  periods.columns = {by, "customers_before", "retained", "churned", "churn_rate"};
  periods.chart_label = by;
  periods.chart_value = "churn_rate";
  periods.over_time = true;
  if (!buyers.empty()) {
    // Every period from the first with sales to the last one over by the
    // report's day, empty ones included. The period still under way is left
    // out: whoever has not bought again in it yet may still do so.
    const auto current = period_of(by, as_of);
    const bool current_over = period_of(by, time::add_days(as_of, 1)) != current;
    const auto keys = periods_from_to(by, buyers.begin()->first, current_over ? current : earlier_period(by, current, false));
    for (std::size_t i = 1; i < keys.size(); ++i) {
      const auto& before = buyers[keys[i - 1]];
      const auto& now = buyers[keys[i]];
      std::size_t retained = 0;
      for (const auto& c : before) retained += now.count(c);
      periods.rows.push_back({{by, keys[i]},
                              {"customers_before", before.size()},
                              {"retained", retained},
                              {"churned", before.size() - retained},
                              {"churn_rate", percent(static_cast<double>(before.size() - retained),
                                                     static_cast<double>(before.size()))}});
    }
  }
  // Lost contacts, by competitor and reason.
  ReportTable lost;
  lost.name = "lost";
  lost.columns = {"lost_to", "reason", "contacts"};
  lost.chart_label = "lost_to";
  lost.chart_value = "contacts";
  for (const auto& l : index::lost_reasons(session.index(), scope_of(o)))
    lost.rows.push_back({{"lost_to", l.lost_to}, {"reason", l.reason}, {"contacts", l.contacts}});
  Report r;
  r.heading = fmt::format("churn as of {}: {} slipping away (more than {} times their usual interval)",
                          time::format_date(as_of), count_of(list.size(), "customer"), session.workspace().config().churn_factor);
  r.facts = {{"as_of", time::format_date(as_of)}, {"from", o.from}, {"to", o.to}, {"by", by},
             {"factor", session.workspace().config().churn_factor}, {"slipping", list.size()}};
  r.tables.push_back(std::move(slipping));
  r.tables.push_back(std::move(periods));
  r.tables.push_back(std::move(lost));
  return r;
}

} // namespace crm::ops
