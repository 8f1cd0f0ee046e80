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

struct ComputedField {
  std::string key;
  std::string help;
  std::string sql; // an expression; `{t}` is the outer table (the record's type)
};

// The computed fields of a type, in the order `show` lists them.
const std::vector<ComputedField>& computed_fields(const model::RecordType& type);
const ComputedField* find_computed(const model::RecordType& type, std::string_view key);

// The expression for `field` on type `type`'s table, ready to splice into SQL
// (table names come from the fixed type list, never from input).
std::string computed_sql(const model::RecordType& type, const ComputedField& field);

} // namespace crm::index
