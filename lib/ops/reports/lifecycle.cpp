// `crm report lifecycle`: how many contacts are in each stage now, and how they
// moved between stages over the period (from the stage-change activities that
// `crm contact set REF stage=...` logs).

#include <map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "ops/reports/report.hpp"

namespace crm::ops {

Report lifecycle_report(Session& session, const ReportOptions& o) {
  const auto who = customers_clause(o, "contacts.id");
  std::map<std::string, std::int64_t> now;
  session.index().query({"SELECT coalesce(stage, '(none)'), count(*) FROM contacts WHERE " + who.sql + " GROUP BY 1",
                         who.binds},
                        [&](SQLite::Statement& st) { now[st.getColumn(0).getString()] = st.getColumn(1).getInt64(); });
  const auto movers = customers_clause(o, "a.contact");
  index::SqlExpr q{"SELECT coalesce(json_extract(a.data, '$.from'), '(none)'), coalesce(json_extract(a.data, '$.to'), '(none)'),"
                   " count(*) FROM activities a WHERE a.kind = 'stage' AND a.day >= ? AND a.day <= ? AND " +
                       movers.sql + " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
                   {o.from, o.to}};
  q.binds.insert(q.binds.end(), movers.binds.begin(), movers.binds.end());
  ReportTable moves;
  moves.name = "moves";
  moves.columns = {"from", "to", "contacts"};
  std::map<std::string, std::int64_t> entered, left;
  session.index().query(q, [&](SQLite::Statement& st) {
    const std::string from = st.getColumn(0).getString(), to = st.getColumn(1).getString();
    const auto n = st.getColumn(2).getInt64();
    entered[to] += n;
    left[from] += n;
    moves.rows.push_back({{"from", from}, {"to", to}, {"contacts", n}});
  });
  ReportTable stages;
  stages.name = "stages";
  stages.columns = {"stage", "contacts", "entered", "left"};
  stages.chart_label = "stage";
  stages.chart_value = "contacts";
  std::int64_t total = 0;
  const auto* stage_field = model::contact_type().field("stage");
  std::vector<std::string> order;
  for (auto s : stage_field->choices) order.emplace_back(s);
  order.emplace_back("(none)");
  for (const auto& s : order) {
    const auto count = now.count(s) ? now[s] : 0;
    total += count;
    if (count == 0 && !entered.count(s) && !left.count(s)) continue;
    stages.rows.push_back({{"stage", s}, {"contacts", count}, {"entered", entered[s]}, {"left", left[s]}});
  }
  Report r;
  r.heading = fmt::format("lifecycle: {} contacts now; moves {}", total, period_text(o));
  r.facts = {{"from", o.from}, {"to", o.to}, {"contacts", total}};
  r.tables.push_back(std::move(stages));
  r.tables.push_back(std::move(moves));
  return r;
}

} // namespace crm::ops
