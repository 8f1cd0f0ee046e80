#pragma once
// Logging what happened with a contact (calls, emails, meetings, texts, notes,
// chats) and recording stage changes, one file per activity under
// activities/YYYY/MM/.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

struct LogRequest {
  std::string kind; // call, email, meeting, text, note, chat
  std::string ref;  // the contact
  std::string text; // the summary
  std::optional<std::string> at, direction, duration, outcome, campaign; // as typed
  std::optional<std::string> follow_up;      // WHEN: also add a follow-up then
  std::optional<std::string> follow_up_text; // its text (default: from the summary)
  std::map<std::string, std::string> custom; // custom fields (import keeps its row key here)
  bool check_only = false;                   // check everything, write nothing (import --dry-run)
  WriteLog* log = nullptr;                   // told of each file before it is written (an import's journal)
};

struct LogResult {
  std::string activity_id;
  std::optional<std::string> followup_id;
};

// Checks everything first (contact, WHEN, direction, duration), then writes the
// activity and, when asked, its follow-up. Nothing is written on an error.
LogResult log_activity(Session& session, const LogRequest& request);

} // namespace crm::ops
