// `crm report leads`: open leads and prospects (who have not bought yet), best
// lead score first, with the lead_scoring rules (config.yaml) each one matched.
// With --learn: what past leads tell about converting, by source, country, tag,
// preferred channel and interactions in their first 30 days, as a lead_scoring
// block to paste.

#include <algorithm>
#include <cmath>
#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "ops/reports/report.hpp"
#include "index/filter_sql.hpp"

namespace crm::ops {
namespace {

Report learn(Session& session, const ReportOptions& o) {
  // Past leads: contacts that were a lead or prospect at some point (now, or in a
  // recorded stage change) and were created in the period; converted: became a
  // customer (stage change or a sale).
  const auto who = customers_clause(o, "c.id");
  index::SqlExpr q{
      "SELECT c.id, coalesce(c.source, ''), coalesce(c.country, ''), coalesce(json_extract(c.data, '$.prefers'), ''),"
      " coalesce((SELECT json_group_array(tag_key) FROM tags WHERE tags.type = 'contact' AND tags.record_id = c.id), '[]'),"
      " (SELECT count(*) FROM activities a WHERE a.contact = c.id AND a.kind <> 'stage'"
      "   AND a.day <= date(substr(json_extract(c.data, '$.created'), 1, 10), '+30 days')),"
      " (c.stage = 'customer' OR EXISTS (SELECT 1 FROM activities a WHERE a.contact = c.id AND a.kind = 'stage'"
      "   AND json_extract(a.data, '$.to') = 'customer')"
      "   OR EXISTS (SELECT 1 FROM sales s WHERE s.contact = c.id AND s.status = 'completed'))"
      " FROM contacts c WHERE (c.stage IN ('lead', 'prospect') OR EXISTS (SELECT 1 FROM activities a"
      "   WHERE a.contact = c.id AND a.kind = 'stage' AND (json_extract(a.data, '$.from') IN ('lead', 'prospect')"
      "   OR json_extract(a.data, '$.to') IN ('lead', 'prospect'))))"
      " AND substr(json_extract(c.data, '$.created'), 1, 10) BETWEEN ? AND ? AND " + who.sql,
      {o.from, o.to}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  struct Tally {
    std::int64_t leads = 0, converted = 0;
  };
  std::map<std::pair<std::string, std::string>, Tally> values; // (attribute, value)
  Tally all;
  session.index().query(q, [&](SQLite::Statement& st) {
    const bool converted = st.getColumn(6).getInt() != 0;
    ++all.leads;
    all.converted += converted;
    auto count = [&](const std::string& attr, const std::string& value) {
      if (value.empty()) return;
      auto& t = values[{attr, value}];
      ++t.leads;
      t.converted += converted;
    };
    count("source", st.getColumn(1).getString());
    count("country", st.getColumn(2).getString());
    count("prefers", st.getColumn(3).getString());
    for (const auto& tag : model::Record::parse(st.getColumn(4).getString())) count("tag", tag.get<std::string>());
    const auto n = st.getColumn(5).getInt64();
    count("first_30_days", n == 0 ? "0 interactions" : n <= 2 ? "1-2 interactions" : "3+ interactions");
  });
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
  const auto who = customers_clause(o, "contacts.id");
  index::SqlExpr q{"SELECT id, name, stage, coalesce(source, ''), ", {}};
  q.sql += score.sql;
  q.binds = score.binds;
  for (const auto& rule : rules) {
    const auto cond = index::where_sql(model::contact_type(), rule.where, ctx);
    q.sql += ", CASE WHEN " + cond.sql + " THEN 1 ELSE 0 END";
    q.binds.insert(q.binds.end(), cond.binds.begin(), cond.binds.end());
  }
  // Whoever has bought is a customer, whatever the stage says (a workspace may
  // keep stages apart from sales: config sales.first_sale_stage: off).
  q.sql += " FROM contacts WHERE stage IN ('lead', 'prospect') AND substr(json_extract(data, '$.created'), 1, 10)"
           " BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.contact = contacts.id"
           " AND s.status = 'completed' AND +s.refund_of IS NULL) AND " + who.sql;
  q.binds.emplace_back(o.from);
  q.binds.emplace_back(o.to);
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  struct Lead {
    model::Record row;
    std::int64_t score = 0;
    std::string sort_name;
  };
  std::vector<Lead> leads;
  session.index().query(q, [&](SQLite::Statement& st) {
    std::string fired;
    for (std::size_t k = 0; k < rules.size(); ++k)
      if (st.getColumn(static_cast<int>(5 + k)).getInt())
        fired += fmt::format("{}{} ({:+})", fired.empty() ? "" : ", ", rules[k].where, rules[k].points);
    Lead l;
    l.score = st.getColumn(4).getInt64();
    l.sort_name = st.getColumn(1).getString();
    l.row = {{"contact", st.getColumn(0).getString()},
             {"name", st.getColumn(1).getString()},
             {"stage", st.getColumn(2).getString()},
             {"source", st.getColumn(3).getString()},
             {"score", l.score},
             {"rules", fired}};
    leads.push_back(std::move(l));
  });
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
