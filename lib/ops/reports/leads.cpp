// `crm report leads`: open leads and prospects (who have not bought yet), best
// lead score first, with the lead_scoring rules (config.yaml) each one matched.
// With --learn: what past leads tell about converting, by source, country, tag,
// preferred channel and interactions in their first 30 days, as a lead_scoring
// block to paste.

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "index/contact_queries.hpp"
#include "ops/reports/report.hpp"
#include "index/filter_sql.hpp"

namespace crm::ops {
namespace {

Report learn(Session& session, const ReportOptions& o) {
  // Past leads: contacts that were a lead or prospect at some point (now, or in a
  // recorded stage change) and were created in the period; converted: became a
  // customer (stage change or a sale).
  struct Tally {
    std::int64_t leads = 0, converted = 0;
  };
  std::map<std::pair<std::string, std::string>, Tally> values; // (attribute, value)
  Tally all;
  for (const auto& lead : index::past_leads(session.index(), scope_of(o))) {
    const bool converted = lead.converted;
    ++all.leads;
    all.converted += converted;
    auto count = [&](const std::string& attr, const std::string& value) {
      if (value.empty()) return;
      auto& t = values[{attr, value}];
      ++t.leads;
      t.converted += converted;
    };
    count("source", lead.source);
    count("country", lead.country);
    count("prefers", lead.prefers);
    for (const auto& tag : lead.tags) count("tag", tag);
    const auto n = lead.early_interactions;
    count("first_30_days", n == 0 ? "0 interactions" : n <= 2 ? "1-2 interactions" : "3+ interactions");
  }
  const double base_rate = all.leads ? static_cast<double>(all.converted) / static_cast<double>(all.leads) : 0;
  ReportTable table;
  table.name = "attributes";
  table.columns = {"attribute", "value", "leads", "customers", "rate", "lift", "points"};
  table.chart_label = "value";
  table.chart_value = "points";
  std::string block;
  constexpr std::int64_t min_leads = 3; // fewer says nothing
  for (const auto& [key, t] : values) {
    const double rate = static_cast<double>(t.converted) / static_cast<double>(t.leads);
    const double lift = base_rate > 0 ? rate / base_rate : 0;
    // 20 points for each time the base rate, above or below it; capped at 50.
    const auto points = std::clamp<std::int64_t>(std::llround(20.0 * (lift - 1.0)), -50, 50);
    const bool enough = t.leads >= min_leads && base_rate > 0;
    table.rows.push_back({{"attribute", key.first},
                          {"value", key.second},
                          {"leads", t.leads},
                          {"customers", t.converted},
                          {"rate", percent(static_cast<double>(t.converted), static_cast<double>(t.leads))},
                          {"lift", base_rate > 0 ? fmt::format("{:.2f}", lift) : std::string("-")},
                          {"points", enough ? points : 0}});
    if (!enough || points == 0) continue;
    std::string where;
    if (key.first == "tag") where = fmt::format("\\\"{}\\\"", key.second);
    else if (key.first == "first_30_days") where.clear();
    else where = fmt::format("{} = \\\"{}\\\"", key.first, key.second);
    if (where.empty())
      block += fmt::format("  # {} in the first 30 days: {:+} points (no filter field for it)\n", key.second, points);
    else
      block += fmt::format("  - {{where: \"{}\", points: {}}}   # {} of {} became customers\n", where, points,
                           t.converted, t.leads);
  }
  std::stable_sort(table.rows.begin(), table.rows.end(), [](const model::Record& a, const model::Record& b) {
    return a["points"].get<std::int64_t>() > b["points"].get<std::int64_t>();
  });
  Report r;
  r.heading = fmt::format("lead scoring learned from {} past leads, {} became customers ({})", all.leads,
                          all.converted, percent(static_cast<double>(all.converted), static_cast<double>(all.leads)));
  r.facts = {{"leads", all.leads}, {"converted", all.converted}, {"from", o.from}, {"to", o.to}};
  r.text = "# " + r.heading + "\n# values seen in fewer than 3 leads are left out; paste into .crm/config.yaml\n" +
           "lead_scoring:\n" + (block.empty() ? "  []\n" : block);
  r.tables.push_back(std::move(table));
  return r;
}

} // namespace

Report leads_report(Session& session, const ReportOptions& o) {
  if (o.learn) return learn(session, o);
  const auto& rules = session.workspace().config().lead_scoring;
  const auto ctx = session.filter_context();
  const auto score = index::lead_score_sql(ctx);
  // The rules' filters compiled, in the order of config.yaml.
  std::vector<index::SqlExpr> conditions;
  for (const auto& rule : rules) conditions.push_back(index::where_sql(model::contact_type(), rule.where, ctx));
  struct Lead {
    model::Record row;
    std::int64_t score = 0;
    std::string sort_name;
  };
  std::vector<Lead> leads;
  for (auto& open : index::open_leads(session.index(), scope_of(o), score, conditions)) {
    std::string fired;
    for (std::size_t k = 0; k < rules.size(); ++k)
      if (open.matches[k])
        fired += fmt::format("{}{} ({:+})", fired.empty() ? "" : ", ", rules[k].where, rules[k].points);
    Lead l;
    l.score = open.score;
    l.sort_name = open.name;
    l.row = {{"contact", std::move(open.id)},
             {"name", std::move(open.name)},
             {"stage", std::move(open.stage)},
             {"source", std::move(open.source)},
             {"score", l.score},
             {"rules", fired}};
    leads.push_back(std::move(l));
  }
  std::stable_sort(leads.begin(), leads.end(), [](const Lead& a, const Lead& b) {
    return a.score != b.score ? a.score > b.score : a.sort_name < b.sort_name;
  });
  ReportTable table;
  table.name = "leads";
  table.columns = {"name", "stage", "source", "score", "rules"};
  table.chart_label = "name";
  table.chart_value = "score";
  table.id_column = "contact";
  for (auto& l : leads) {
    if (o.limit && table.rows.size() >= *o.limit) break;
    table.rows.push_back(std::move(l.row));
  }
  Report r;
  r.heading = fmt::format("open leads and prospects by score: {} ({} lead scoring rules)", leads.size(), rules.size());
  r.facts = {{"lead_count", leads.size()}, {"rules", rules.size()}};
  r.tables.push_back(std::move(table));
  return r;
}

} // namespace crm::ops
