#pragma once
// Computed fields: values worked out from other records at query time (a
// contact's last contact, interactions per channel, open follow-ups...), so
// they are never stale and never written into files. Each is one SQL
// expression over the index tables that `list --fields`, `--sort` and `show`
// (and the filter language) use like a stored field.

#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"

namespace crm::index {

// What a computed value is, for filters (what a literal must be) and output.
enum class ComputedKind {
  count,  // a whole number
  number, // a number (an average rating, points, a score)
  money,  // minor units of the base currency (converted with rates.yaml)
  date,   // YYYY-MM-DD
  text,   // a word (priority A, B or C)
};

struct ComputedField {
  std::string key;
  std::string help;
  std::string sql; // an expression; `{t}` is the outer table (the record's type)
  ComputedKind kind = ComputedKind::count;
  // score: no SQL of its own, it is the lead_scoring rules of config.yaml, which
  // the caller hands in (LeadScore, index.hpp).
  bool from_rules = false;
};

// Money conversion inside SQL: `crm_base(minor, currency, day)` gives minor
// units of the base currency with the rate of rates.yaml dated on or before
// `day` (NULL without one); the index registers it (sql_functions.cpp).
//
// A sale's balance in its own currency (sale `s`): its total, less its refunds
// and its payments; never below zero. The SQL of the balance computed field.
extern const char* const sale_balance_sql;
// One item `i` (a row of json_each(s.data, '$.items')) of sale `s`, in minor
// units of the sale's currency: its share of the sale's total (its own total
// less its share of the discount), and what it cost (cost x quantity; NULL when
// the item has no cost, so only that item's margin is unknown).
extern const char* const item_amount_sql;
extern const char* const item_cost_sql;
// The RFM scores of the customers with sales from day ? to day ?, as rows of
// (contact, last, orders, revenue, r, f, m, total, class); the last two
// parameters are the A and B thresholds of the class. The `priority` computed
// field reads them (all time) from the temporary table `rfm`, made once per
// process when an expression mentions temp.rfm.
extern const char* const rfm_select_sql;

// The computed fields of a type, in the order `show` lists them.
const std::vector<ComputedField>& computed_fields(const model::RecordType& type);
const ComputedField* find_computed(const model::RecordType& type, std::string_view key);

// The expression for `field` on type `type`'s table, ready to splice into SQL
// (table names come from the fixed type list, never from input).
std::string computed_sql(const model::RecordType& type, const ComputedField& field);

} // namespace crm::index
