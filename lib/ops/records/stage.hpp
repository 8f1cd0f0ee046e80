#pragma once
// A contact's stage change is an activity (kind "stage"), written by whatever
// changed the stage (contact set, a first sale, a deal won), so the history of
// the relationship is complete.

#include <optional>
#include <string>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

// Writes a "stage" activity when `after`'s stage differs from `before`'s (a new
// contact has no before: pass an empty object). Holds lost_to/lost_reason for a
// change to lost. Returns the activity id, if one was written. It happened at
// `at` (default now): a sale's stage change is dated by the sale. `log` is told
// of the activity's file before it is written (records.hpp).
std::optional<std::string> record_stage_change(Session& session, const model::Record& before,
                                               const model::Record& after,
                                               const std::optional<time::Timestamp>& at = std::nullopt,
                                               WriteLog* log = nullptr);

// A new activity record (not yet written): id, kind, contact, at, created.
model::Record new_activity(Session& session, const std::string& kind, const model::Record& contact,
                           const time::Timestamp& at);

} // namespace crm::ops
