#pragma once
// Follow-ups: things to do for a contact by a date (followups/<id>.yaml), and
// the commands that add, list, finish and put them off.

#include <optional>
#include <string>

#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

// A new open follow-up record (not yet written) for `contact`, due `when`.
model::Record new_followup(Session& session, const model::Record& contact, const time::When& when,
                           const std::string& summary);

// `crm followup add REF --due WHEN -m TEXT`: returns the new id.
std::string add_followup(Session& session, const std::string& ref, const std::string& due, const std::string& text);

enum class FollowupWindow { all_open, due, overdue, upcoming, done };

// The list query for `followup list`: open ones by due date; `due` = due today or
// before, `overdue` = before today, `upcoming` = from today to today + `days`.
index::ListQuery followup_query(FollowupWindow window, int days = 7);

struct DoneResult {
  std::string followup_id;
  std::string activity_id; // the activity that records it
};

// Marks it done (done_at, done_note) and logs an activity of `kind` ("note" by
// default) for the contact. Error(conflict) when it is already done.
DoneResult finish_followup(Session& session, const std::string& ref, const std::string& note,
                           const std::string& kind = "note");

// Moves the due date to WHEN and counts the snooze. Returns the new due value.
std::string snooze_followup(Session& session, const std::string& ref, const std::string& when);

// How a due value is stored: a date, or a timestamp when the user gave a time.
std::string due_value(const time::When& when);

} // namespace crm::ops
