#pragma once
// What the index answers for `crm due`: open follow-ups by their due time, the
// contacts with a birthday or anniversary, and those a cadence may apply to.
// Each query's rows, typed.

#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"

namespace crm::index {

// Open follow-ups due before `before` (a due date or timestamp compared as
// text), soonest first, then by contact name.
struct FollowupDue {
  std::string id;
  std::string due; // YYYY-MM-DD, or a timestamp
  std::string contact, name, summary; // name, summary: empty when not set
};
std::vector<FollowupDue> open_followups_before(const Index& index, const std::string& before);

// Contacts with a birthday or an anniversary ("YYYY-MM-DD" or "--MM-DD"), by
// name.
struct YearlyDates {
  std::string id, name;
  std::optional<std::string> birthday, anniversary;
};
std::vector<YearlyDates> contacts_with_yearly_dates(const Index& index);

// Contacts by name, with what their cadence is worked out from: their own
// cadence, stage and tags, the day they were created, and the days of their
// last interaction and last order (empty: not set or none). With
// `own_cadence_only` only those with a cadence of their own.
struct CadenceContact {
  std::string id, name, cadence, stage;
  std::vector<std::string> tags;
  std::string created, last_contact, last_purchase;
};
std::vector<CadenceContact> cadence_contacts(const Index& index, bool own_cadence_only);

} // namespace crm::index
