#pragma once
// `crm timeline REF`: everything about one contact (activities, feedback,
// follow-ups, sales, payments...), newest first; for a company, everything
// about each of its contacts.

#include <optional>
#include <string>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

struct TimelineEntry {
  std::string when;    // timestamp or date, as stored
  std::string type;    // activity, feedback, followup
  std::string kind;    // call, email... complaint... or followup
  std::string status;  // open/done/resolved, when the record has one
  std::string summary; // first line
  std::string id;
  std::string contact_id, contact_name; // whom it is about
};

struct TimelineOptions {
  std::optional<std::size_t> limit;
  std::optional<std::string> kind; // a record type (activity, feedback, followup) or a kind (call, complaint...)
};

// The contact's (or company's) id and name, and its entries. A REF that names
// no contact may name a company. Throws like find_record.
struct Timeline {
  std::string contact_id, contact_name;
  bool company = false; // the REF named a company: entries of its contacts
  std::vector<TimelineEntry> entries;
};
Timeline timeline(Session& session, const std::string& ref, const TimelineOptions& options);

} // namespace crm::ops
