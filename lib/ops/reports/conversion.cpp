// `crm report conversion`: leads that became customers, per period and per
// source, and purchases per interaction. A contact converts on the earlier of
// its first change to stage customer and its first sale; a new contact is
// counted in the period of its `created` date.

#include <map>

#include <fmt/format.h>

#include "index/activity_queries.hpp"
#include "index/contact_queries.hpp"
#include "index/sales_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report conversion_report(Session& session, const ReportOptions& o) {
  const std::string by = o.by.empty() ? "month" : o.by;
  const auto period = period_kind(by);
  const auto scope = scope_of(o);
  struct Counts {
    std::int64_t new_contacts = 0, converted = 0, interactions = 0, sales = 0;
  };
  std::map<std::string, Counts> periods;
  struct Source {
    std::int64_t contacts = 0, converted = 0, days = 0;
  };
  std::map<std::string, Source> sources;
  // Period keys of days, worked out by the index like every other report's.
  auto key_of = [&](const std::string& day) { return index::period_key(session.index(), period, day); };
  std::map<std::string, std::string> keys;
  auto key = [&](const std::string& day) -> const std::string& {
    auto it = keys.find(day);
    if (it == keys.end()) it = keys.emplace(day, key_of(day)).first;
    return it->second;
  };
  auto in_range = [&](const std::string& day) { return !day.empty() && day >= o.from && day <= o.to; };
  for (const auto& c : index::contact_conversions(session.index(), scope)) {
    const std::string& created = c.created;
    const std::string& converted = c.converted;
    if (in_range(created)) {
      ++periods[key(created)].new_contacts;
      auto& s = sources[c.source];
      ++s.contacts;
      if (!converted.empty()) {
        ++s.converted;
        if (const auto a = time::parse_date(created), b = time::parse_date(converted); a && b)
          s.days += std::max<std::int64_t>(0, time::days_between(*a, *b));
      }
    }
    if (in_range(converted)) ++periods[key(converted)].converted;
  }
  // Interactions and purchases per period.
  for (const auto& p : index::interactions_per_period(session.index(), scope, period))
    periods[p.period].interactions = p.count;
  for (const auto& p : index::orders_per_period(session.index(), scope, period)) periods[p.period].sales = p.count;
  ReportTable by_period;
  by_period.name = "periods";
  by_period.columns = {by, "new_contacts", "converted", "rate", "interactions", "sales", "sales_per_interaction"};
  by_period.chart_label = by;
  by_period.chart_value = "converted";
  by_period.over_time = true;
  // Every period between the first and the last, empty ones as 0.
  if (!periods.empty())
    for (const auto& key : periods_from_to(by, periods.begin()->first, periods.rbegin()->first)) periods[key];
  Counts all;
  for (const auto& [p, c] : periods) {
    all.new_contacts += c.new_contacts;
    all.converted += c.converted;
    all.interactions += c.interactions;
    all.sales += c.sales;
    by_period.rows.push_back(
        {{by, p},
         {"new_contacts", c.new_contacts},
         {"converted", c.converted},
         {"rate", percent(static_cast<double>(c.converted), static_cast<double>(c.new_contacts))},
         {"interactions", c.interactions},
         {"sales", c.sales},
         {"sales_per_interaction",
          c.interactions ? fmt::format("{:.2f}", static_cast<double>(c.sales) / static_cast<double>(c.interactions))
                         : std::string("-")}});
  }
  ReportTable by_source;
  by_source.name = "sources";
  by_source.columns = {"source", "contacts", "converted", "rate", "average_days"};
  by_source.chart_label = "source";
  by_source.chart_value = "converted";
  std::vector<std::pair<std::string, Source>> ordered(sources.begin(), sources.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.converted > b.second.converted; });
  for (const auto& [name, s] : ordered)
    by_source.rows.push_back(
        {{"source", name},
         {"contacts", s.contacts},
         {"converted", s.converted},
         {"rate", percent(static_cast<double>(s.converted), static_cast<double>(s.contacts))},
         {"average_days", s.converted ? fmt::format("{:.1f}", static_cast<double>(s.days) / static_cast<double>(s.converted))
                                      : std::string("-")}});
  Report r;
  r.heading = fmt::format("conversion by {}, {}: {} new contacts, {} became customers", by, period_text(o),
                          all.new_contacts, all.converted);
  r.facts = {{"from", o.from}, {"to", o.to}, {"by", by}, {"new_contacts", all.new_contacts},
             {"converted", all.converted}, {"interactions", all.interactions}, {"sales", all.sales}};
  r.tables.push_back(std::move(by_period));
  r.tables.push_back(std::move(by_source));
  return r;
}

} // namespace crm::ops
