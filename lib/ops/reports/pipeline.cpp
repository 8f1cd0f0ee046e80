// `crm report pipeline`: open deals by stage and expected close month, closed
// deals, days per stage, as a report like the others, so it takes --table,
// --chart and every format.
#include "ops/reports/pipeline.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "model/amounts.hpp"
#include "ops/reports/report.hpp"
#include "store/rates.hpp"
#include "util/money.hpp"

namespace crm::ops {
namespace {

std::int64_t weigh(std::int64_t value_times_percent) {
  return money::scale_half_even(value_times_percent, 1, 100).value_or(0);
}

} // namespace

PipelineReport pipeline(Session& session, const time::Date& today, const index::Scope& closing) {
  PipelineReport report;
  report.as_of = time::format_date(today);
  const auto rates = store::Rates::load(session.workspace());
  report.currency = rates.base();
  report.exponent = money::exponent(report.currency).value_or(2);
  const auto& config = session.workspace().config();
  std::map<std::string, std::size_t> stage_row;
  for (const auto& s : config.deal_stages) {
    stage_row[s.name] = report.stages.size();
    report.stages.push_back({s.name, s.probability, 0, 0, 0});
  }
  // Sums of value x percent, weighed once per row at the end.
  std::vector<std::int64_t> stage_vp(report.stages.size(), 0);
  std::map<std::string, std::int64_t> month_vp;
  std::map<std::string, PipelineMonth> months;
  std::int64_t open_vp = 0;
  std::map<std::string, std::pair<std::int64_t, int>> stay_seconds; // stage -> total, count
  std::set<std::string> warned;
  for (const auto& deal : index::deals_closing(session.index(), closing)) {
    const std::string stage = deal.value("stage", "");
    std::int64_t value = 0;
    if (auto v = model::amount_of(deal, "value")) {
      const std::string currency = deal.value("currency", "");
      if (auto base = rates.to_base(*v, currency, report.as_of)) {
        value = *base;
      } else {
        const auto message = store::missing_rate_message(currency, report.as_of);
        if (warned.insert(message).second) report.warnings.push_back(message);
      }
    }
    // Time in each stage: from the move into it to the move out of it.
    if (auto moves = deal.find("moves"); moves != deal.end() && moves->is_array())
      for (std::size_t i = 0; i + 1 < moves->size(); ++i) {
        const auto in = time::parse_timestamp((*moves)[i].value("at", ""));
        const auto out = time::parse_timestamp((*moves)[i + 1].value("at", ""));
        if (!in || !out) continue;
        auto& [seconds, count] = stay_seconds[(*moves)[i].value("to", "")];
        seconds += out->unix_seconds - in->unix_seconds;
        ++count;
      }
    if (stage == "won") {
      ++report.won;
      report.won_value += value;
      continue;
    }
    if (stage == "lost") {
      ++report.lost;
      continue;
    }
    const std::int64_t percent = deal.value("probability", 0);
    auto row = stage_row.find(stage);
    if (row == stage_row.end()) { // a stage no longer configured: listed after the others
      stage_row[stage] = report.stages.size();
      report.stages.push_back({stage, 0, 0, 0, 0});
      stage_vp.push_back(0);
      row = stage_row.find(stage);
    }
    auto& s = report.stages[row->second];
    ++s.deals;
    s.value += value;
    stage_vp[row->second] += value * percent;
    const std::string close = deal.value("close", "");
    const std::string month = close.size() >= 7 ? close.substr(0, 7) : "none";
    auto& m = months[month];
    m.month = month;
    ++m.deals;
    m.value += value;
    month_vp[month] += value * percent;
    ++report.open.deals;
    report.open.value += value;
    open_vp += value * percent;
  }
  for (std::size_t i = 0; i < report.stages.size(); ++i) report.stages[i].weighted = weigh(stage_vp[i]);
  for (auto& [month, m] : months) {
    m.weighted = weigh(month_vp[month]);
    report.months.push_back(m);
  }
  // ("none" sorts after the months by itself.)
  report.open.stage = "open";
  report.open.weighted = weigh(open_vp);
  if (report.won + report.lost > 0)
    report.win_rate = static_cast<int>(
        money::scale_half_even(report.won, 100, report.won + report.lost).value_or(0));
  // Stages in pipeline order, then any others deals passed through (since removed from the config).
  auto add_time = [&](const std::string& stage) {
    auto it = stay_seconds.find(stage);
    if (it == stay_seconds.end()) return;
    const auto [seconds, count] = it->second;
    report.stage_times.push_back(
        {stage, count, money::scale_half_even(seconds, 10, static_cast<std::int64_t>(count) * 86400).value_or(0)});
    stay_seconds.erase(it);
  };
  for (const auto& s : report.stages) add_time(s.stage);
  while (!stay_seconds.empty()) add_time(stay_seconds.begin()->first);
  return report;
}

Report pipeline_report(Session& session, const ReportOptions& o) {
  // --from/--to select deals by their expected (or actual) close date.
  const auto r = pipeline(session, o.today, scope_of(o));
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
