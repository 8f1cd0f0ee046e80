#pragma once
// `crm report pipeline`: open deals by stage (value and value weighted by the
// chance to win), expected close by month, the win rate of closed deals, and
// the average days deals spent in each stage (from their recorded moves).
// Values are in the base currency, converted at the latest rate on or before
// the day of the report.

#include <cstdint>
#include <string>
#include <vector>

#include "index/scope.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

struct PipelineStage {
  std::string stage;
  int probability = 0; // the stage's default
  int deals = 0;
  std::int64_t value = 0, weighted = 0;
};

struct PipelineMonth {
  std::string month; // YYYY-MM, or "none" for deals without a close date
  int deals = 0;
  std::int64_t value = 0, weighted = 0;
};

struct StageTime {
  std::string stage;
  int stays = 0;           // finished stays in the stage
  std::int64_t tenths = 0; // average days, in tenths of a day
};

struct PipelineReport {
  std::string as_of, currency;
  int exponent = 2;
  std::vector<PipelineStage> stages; // configured order; only open deals
  std::vector<PipelineMonth> months; // by expected close
  PipelineStage open;                // totals of the open deals
  int won = 0, lost = 0;
  std::int64_t won_value = 0;
  int win_rate = -1; // percent of closed deals that were won; -1: none closed
  std::vector<StageTime> stage_times;
  std::vector<std::string> warnings;
};

// The deals whose expected (or actual) close date is in `closing`'s period, of
// its customers (the default: every deal).
PipelineReport pipeline(Session& session, const time::Date& today, const index::Scope& closing = {});

} // namespace crm::ops
