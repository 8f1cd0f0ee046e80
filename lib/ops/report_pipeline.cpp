// `crm report pipeline`: open deals by stage and expected close month, closed
// deals, days per stage, as a report like the others, so it takes --table,
// --chart and every format.

#include <fmt/format.h>

#include "ops/pipeline.hpp"
#include "ops/report.hpp"
#include "util/money.hpp"

namespace crm::ops {

Report pipeline_report(Session& session, const ReportOptions& o) {
  // --from/--to select deals by their expected (or actual) close date.
  const auto r = pipeline(session, o.today, period_and_customers(o, "deals", "coalesce(deals.close, '')"));
  auto base = [&](std::int64_t v) { return money::format_amount(v, r.exponent); };
  ReportTable stages;
  stages.name = "stages";
  stages.columns = {"stage", "probability", "deals", "value", "weighted"};
  stages.chart_label = "stage";
  stages.chart_value = "value";
  for (const auto& s : r.stages)
    stages.rows.push_back({{"stage", s.stage}, {"probability", s.probability}, {"deals", s.deals},
                           {"value", base(s.value)}, {"weighted", base(s.weighted)}});
  stages.rows.push_back({{"stage", "open"}, {"probability", ""}, {"deals", r.open.deals},
                         {"value", base(r.open.value)}, {"weighted", base(r.open.weighted)}});
  ReportTable months;
  months.name = "months";
  months.columns = {"month", "deals", "value", "weighted"};
  months.chart_label = "month";
  months.chart_value = "weighted";
  months.over_time = true;
  // Every month from the first expected close to the last, empty ones as 0;
  // deals without a close date ("none") stay last.
  std::vector<PipelineMonth> filled;
  for (const auto& m : r.months) {
    if (m.month != "none" && !filled.empty() && filled.back().month != "none")
      for (const auto& key : periods_from_to("month", filled.back().month, m.month))
        if (key != filled.back().month && key != m.month) filled.push_back({key, 0, 0, 0});
    filled.push_back(m);
  }
  for (const auto& m : filled)
    months.rows.push_back({{"month", m.month}, {"deals", m.deals}, {"value", base(m.value)}, {"weighted", base(m.weighted)}});
  ReportTable closed;
  closed.name = "closed";
  closed.columns = {"won", "lost", "win_rate", "won_value"};
  closed.single_row = true;
  const std::string win_rate = r.win_rate < 0 ? "-" : fmt::format("{}%", r.win_rate);
  closed.rows.push_back({{"won", r.won}, {"lost", r.lost}, {"win_rate", win_rate}, {"won_value", base(r.won_value)}});
  ReportTable times;
  times.name = "times";
  times.columns = {"stage", "stays", "average_days"};
  times.chart_label = "stage";
  times.chart_value = "average_days";
  for (const auto& t : r.stage_times)
    times.rows.push_back({{"stage", t.stage}, {"stays", t.stays},
                          {"average_days", fmt::format("{}.{}", t.tenths / 10, t.tenths % 10)}});
  Report report;
  report.heading = fmt::format("pipeline on {}, in {}", r.as_of, r.currency);
  report.facts = {{"as_of", r.as_of}, {"currency", r.currency}};
  report.tables.push_back(std::move(stages));
  report.tables.push_back(std::move(months));
  report.tables.push_back(std::move(closed));
  report.tables.push_back(std::move(times));
  report.warnings = r.warnings;
  report.warning_note = "counted as 0";
  return report;
}

} // namespace crm::ops
