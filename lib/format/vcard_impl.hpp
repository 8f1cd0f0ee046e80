#pragma once
// The content-line syntax that vcard.cpp (values, lines, writing cards) and
// vcard_reader.cpp (reading cards) share.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "format/vcard.hpp"

namespace crm::vcard::vcard_impl {

bool iequals(std::string_view a, std::string_view b); // ASCII case folded
std::string upper(std::string_view s);                // ASCII upper case
std::size_t value_colon(std::string_view line);
std::vector<std::string_view> split_unquoted(std::string_view s, char sep);
Param parse_param(std::string_view text);

} // namespace crm::vcard::vcard_impl
