#pragma once
// What the index answers about what happened with contacts (activities,
// stage changes, feedback, and every record about a contact for the
// timeline). Each query's rows, typed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "index/scope.hpp"
#include "model/record_type.hpp"

namespace crm::index {

// Stage changes in the scope's period, of its customers, per move ("(none)":
// no stage), most first.
struct StageMove {
  std::string from, to;
  std::int64_t contacts = 0;
};
std::vector<StageMove> stage_moves(const Index& index, const Scope& scope);

// Interactions (activities but stage changes) per period, in the scope's
// period, of its customers.
std::vector<PeriodCount> interactions_per_period(const Index& index, const Scope& scope, Period period);

// The feedback in the scope's period, of its customers.
struct FeedbackRow {
  std::optional<std::string> product; // by name when a product record has its id
  std::string kind, status;
  std::optional<std::int64_t> rating, nps, resolution_minutes;
};
std::vector<FeedbackRow> feedback_in(const Index& index, const Scope& scope);

// The records of `type` (a type with a contact) about contact `id`, or with
// `company` about every contact of company `id`; of `kind` when given.
struct TimelineRow {
  std::string id;
  std::string when;   // the value that places it in time (at, due or created), as stored
  std::string kind;   // its kind, or its type's name when the type has none
  std::string status; // empty: none
  std::string title;  // its name field
  std::optional<std::string> amount; // a sale's total or a payment's amount, as stored
  std::string currency;
  std::string contact;
  std::optional<std::string> contact_name; // none: no such contact
};
std::vector<TimelineRow> timeline_rows(const Index& index, const model::RecordType& type, const std::string& id,
                                       bool company, const std::optional<std::string>& kind);

} // namespace crm::index
