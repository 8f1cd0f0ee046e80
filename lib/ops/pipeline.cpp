#include "ops/pipeline.hpp"

#include <map>
#include <set>

#include "model/amounts.hpp"
#include "store/rates.hpp"
#include "util/money.hpp"

namespace crm::ops {
namespace {

std::int64_t weigh(std::int64_t value_times_percent) {
  return money::scale_half_even(value_times_percent, 1, 100).value_or(0);
}

} // namespace

PipelineReport pipeline(Session& session, const time::Date& today, const index::SqlExpr& where) {
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
  index::ListQuery q;
  q.sort = "id";
  q.where = where;
  for (const auto& deal : session.index().list(model::deal_type(), q)) {
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

} // namespace crm::ops
