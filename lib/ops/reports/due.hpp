#pragma once
// `crm due`: what needs attention, worked out from the records each time it
// runs (no daemon, nothing scheduled): overdue and today's follow-ups, sales
// on credit due to be paid, customers due to buy again by their own rhythm,
// birthdays and anniversaries, contacts whose cadence has run out.

#include <string>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

struct DueItem {
  std::string group;     // overdue, today, credit, reorder, birthdays, cadence, upcoming
  std::string kind;      // followup, payment, reorder, birthday, anniversary, cadence
  std::string due;       // YYYY-MM-DD (the day it falls on)
  std::string time;      // the follow-up's timestamp when it has one, else empty
  std::string contact;   // contact id
  std::string name;      // contact name
  std::string summary;   // what to do
  std::string id;        // the follow-up id, the sale id (payment), or the contact id
  long long days = 0;    // days overdue (negative: days until)
};

struct DueOptions {
  int upcoming_days = 0; // also list what falls in the next N days
};

// Groups in this order: overdue, today, credit, reorder, birthdays, cadence, then upcoming;
// within a group by date, then name.
std::vector<DueItem> due_items(Session& session, const DueOptions& options);

// The group names, in the order `crm due` prints them.
const std::vector<std::string>& due_groups();

} // namespace crm::ops
