#pragma once
// Countries as people write them ("Deutschland", "United Kingdom", "Iran",
// "Україна", "DEU", "ro") mapped to ISO 3166-1 alpha-2 codes, from Debian's
// iso-codes and its translations (a table generated at build time by
// scripts/gen_country_names.py).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace crm::country {

// One name of a country. `tier` orders trust when names of two countries fold to
// the same key: 0 English names and alpha-3 codes, 1 translations, 2 the part of
// an inverted name before its comma ("Iran" of "Iran, Islamic Republic of").
struct CountryName {
  std::string_view name;
  std::string_view code;
  int tier;
};

// The generated table (countries_table.cpp in the build tree).
extern const std::string_view iso_alpha2_codes[];
extern const std::size_t iso_alpha2_code_count;
extern const CountryName iso_country_names[];
extern const std::size_t iso_country_name_count;

// The alpha-2 code of `written`: an alpha-2 code in any case ("ro", "UK" for GB,
// as ISO reserves it), an alpha-3 code, or a country's name in any language that
// iso-codes translates to, compared case-folded and without accents. nullopt when
// it names no country, or names two with equal trust.
std::optional<std::string> code_of(std::string_view written);

} // namespace crm::country
