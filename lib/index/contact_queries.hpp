#pragma once
// What the index answers about contacts as a whole, for the reports and the
// segment list: counts by stage, why contacts were lost, when they converted,
// the leads. Each query's rows, typed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "index/scope.hpp"

namespace crm::index {

// The contacts matching a compiled --where on contacts (empty: all of them).
std::size_t count_contacts(const Index& index, const SqlExpr& where);

// Contacts per stage now, of the scope's customers ("(none)": no stage).
struct StageCount {
  std::string stage;
  std::int64_t contacts = 0;
};
std::vector<StageCount> contacts_per_stage(const Index& index, const Scope& scope);

// Lost contacts of the scope's customers, by competitor and reason (empty:
// not given), most first.
struct LostReason {
  std::string lost_to, reason;
  std::int64_t contacts = 0;
};
std::vector<LostReason> lost_reasons(const Index& index, const Scope& scope);

// Each contact of the scope's customers: the day it was created, its source
// ("(none)" without one), and the day it converted, the earlier of its first
// change to stage customer and its first order (days YYYY-MM-DD; empty: none).
struct ContactConversion {
  std::string id, created, source, converted;
};
std::vector<ContactConversion> contact_conversions(const Index& index, const Scope& scope);

// Past leads: contacts created in the scope's period that were a lead or
// prospect at some point (now, or in a recorded stage change), of its
// customers; what they were (empty: not set), their interactions in their
// first 30 days, and whether they became customers (stage change or a sale).
struct PastLead {
  std::string id, source, country, prefers;
  std::vector<std::string> tags; // as the tags table keys them
  std::int64_t early_interactions = 0;
  bool converted = false;
};
std::vector<PastLead> past_leads(const Index& index, const Scope& scope);

// Open leads and prospects created in the scope's period who have not bought,
// of its customers, with their lead score and, for each rule in `rules` (the
// compiled where of each lead_scoring rule), whether they match it.
struct OpenLead {
  std::string id, name, stage, source; // source: empty when not set
  std::int64_t score = 0;
  std::vector<bool> matches; // one per rule
};
std::vector<OpenLead> open_leads(const Index& index, const Scope& scope, const SqlExpr& score,
                                 const std::vector<SqlExpr>& rules);

} // namespace crm::index
