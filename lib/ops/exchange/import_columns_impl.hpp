#pragma once
// What import_columns.cpp (the role of each column, from its header) and
// import_cells.cpp (a row's cells read by those roles) share.

#include <string>
#include <string_view>
#include <utility>

#include "model/record_type.hpp"
#include "ops/exchange/import_columns.hpp"

namespace crm::ops::columns_impl {

using Kind = ColumnRole::Kind;
using model::RecordType;

// A custom field key from a header: "Yomi Name" -> "yomi_name".
std::string custom_key(std::string_view header);

inline bool is_contact(const RecordType& type) { return type.kind == model::RecordKind::contact; }
inline bool is_company(const RecordType& type) { return type.kind == model::RecordKind::company; }

ColumnRole role_of(Kind kind, std::string_view field, std::string label = "", std::string group = "",
                   std::string part = "");

// A contact's name fields, by the part of the name they hold.
inline constexpr std::pair<std::string_view, std::string_view> name_part_fields[] = {
    {"given_name", "given"}, {"middle_name", "middle"}, {"family_name", "family"},
    {"name_prefix", "prefix"}, {"name_suffix", "suffix"}};

} // namespace crm::ops::columns_impl
