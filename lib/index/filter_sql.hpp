#pragma once
// Turns a filter (query/filter.hpp, parsed) into one SQL condition on a record type's
// index table, every value bound. What a value must be follows the field:
// dates (2026-11-01, today, -90d, -6m) for dates and timestamps, numbers for
// counts, amounts for money (in the record's currency, or the base currency
// for computed revenue, balance...), one of the choices for a choice field.
// Text compares with = and ~ ignoring case and accents; != and `not` also match
// records that have no value.

#include <string_view>

#include "index/index.hpp"
#include "query/filter.hpp"
#include "store/workspace.hpp"
#include "util/time.hpp"

namespace crm::index {

struct FilterContext {
  const index::Index& index;
  const store::Config& config;
  time::Timestamp now; // relative dates count from its local date
  bool allow_score = true; // false inside lead scoring rules (score is made of them)
  index::LeadScore lead_score; // the rules compiled, for score (none: score is 0)
};

// Throws Error(invalid_data) "bad filter at column N: ..." for an unknown
// field (with the nearest names as hints) or a value the field cannot hold.
index::SqlExpr compile_filter(const model::RecordType& type, const query::FilterNode& filter, const FilterContext& ctx);

// parse_filter + compile_filter.
index::SqlExpr where_sql(const model::RecordType& type, std::string_view text, const FilterContext& ctx);

// The lead score of a contact: the sum of the points of the lead_scoring rules
// (config.yaml) it matches, as one SQL expression on the contacts table.
// Throws Error(invalid_data) "config.yaml:LINE: lead_scoring: ..." for a bad rule.
index::SqlExpr lead_score_sql(const FilterContext& ctx);

// The names --where accepts for `type`: its fields and computed fields, sorted.
std::vector<std::string> filter_fields(const model::RecordType& type);

} // namespace crm::index
