// `crm report lifecycle`: how many contacts are in each stage now, and how they
// moved between stages over the period (from the stage-change activities that
// `crm contact set REF stage=...` logs).

#include <map>

#include <fmt/format.h>

#include "index/activity_queries.hpp"
#include "index/contact_queries.hpp"
#include "ops/reports/report.hpp"

namespace crm::ops {

Report lifecycle_report(Session& session, const ReportOptions& o) {
  const auto scope = scope_of(o);
  std::map<std::string, std::int64_t> now;
  for (const auto& c : index::contacts_per_stage(session.index(), scope)) now[c.stage] = c.contacts;
  ReportTable moves;
  moves.name = "moves";
  moves.columns = {"from", "to", "contacts"};
  std::map<std::string, std::int64_t> entered, left;
  for (const auto& m : index::stage_moves(session.index(), scope)) {
    entered[m.to] += m.contacts;
    left[m.from] += m.contacts;
    moves.rows.push_back({{"from", m.from}, {"to", m.to}, {"contacts", m.contacts}});
  }
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
