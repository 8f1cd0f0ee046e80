#include "util/country.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "util/text.hpp"

namespace crm::country {
namespace {

bool is_alpha2(std::string_view code) {
  return std::binary_search(iso_alpha2_codes, iso_alpha2_codes + iso_alpha2_code_count, code);
}

// Folded name -> code, "" for a name two countries share at the same tier.
// Built on first use only: a file whose country cells are codes never pays for it.
const std::unordered_map<std::string, std::string_view>& names_by_key() {
  static const auto table = [] {
    std::unordered_map<std::string, std::pair<std::string_view, int>> by_key;
    by_key.reserve(iso_country_name_count);
    for (std::size_t i = 0; i < iso_country_name_count; ++i) {
      const auto& n = iso_country_names[i];
      auto [it, added] = by_key.try_emplace(text::match_key(n.name), n.code, n.tier);
      if (!added && it->second.second == n.tier && it->second.first != n.code) it->second.first = {};
    }
    std::unordered_map<std::string, std::string_view> out;
    out.reserve(by_key.size());
    for (auto& [key, value] : by_key)
      if (!value.first.empty()) out.emplace(key, value.first);
    return out;
  }();
  return table;
}

} // namespace

std::optional<std::string> code_of(std::string_view written) {
  const std::string t = text::trim(written);
  if (t.size() == 2) {
    std::string code = t;
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
    if (code == "UK") code = "GB";
    if (is_alpha2(code)) return code;
  }
  if (t.empty() || !text::is_valid_utf8(t)) return std::nullopt;
  const auto& names = names_by_key();
  if (auto it = names.find(text::match_key(t)); it != names.end()) return std::string(it->second);
  return std::nullopt;
}

} // namespace crm::country
