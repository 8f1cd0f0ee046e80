// util country: a country as files write it, in any language or as a code, is
// its ISO 3166-1 alpha-2 code (iso-codes' table, generated at build time).

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "util/country.hpp"

using crm::country::code_of;
using Code = std::optional<std::string>;

TEST_SUITE_BEGIN("util");

TEST_CASE("country: codes in any case, alpha-3 codes and UK") {
  CHECK(code_of("RO") == Code("RO"));
  CHECK(code_of(" gb ") == Code("GB"));
  CHECK(code_of("UK") == Code("GB")); // ISO reserves UK for the United Kingdom
  CHECK(code_of("DEU") == Code("DE"));
  CHECK(code_of("usa") == Code("US"));
  CHECK_FALSE(code_of("XX").has_value()); // two letters that are no code
  CHECK_FALSE(code_of("").has_value());
}

TEST_CASE("country: English, official and inverted names") {
  CHECK(code_of("United Kingdom") == Code("GB"));
  CHECK(code_of("Iran, Islamic Republic of") == Code("IR"));
  CHECK(code_of("Iran") == Code("IR"));
  CHECK(code_of("Bolivia") == Code("BO"));
  CHECK(code_of("Federal Republic of Germany") == Code("DE"));
  CHECK(code_of("united states") == Code("US"));
}

TEST_CASE("country: names in other languages, any case, with or without accents") {
  CHECK(code_of("Deutschland") == Code("DE"));
  CHECK(code_of("România") == Code("RO"));
  CHECK(code_of("romania") == Code("RO"));
  CHECK(code_of("Україна") == Code("UA"));
  CHECK(code_of("УКРАЇНА") == Code("UA"));
  CHECK(code_of("Österreich") == Code("AT"));
  CHECK(code_of("España") == Code("ES"));
  CHECK(code_of("日本") == Code("JP"));
  CHECK(code_of("대한민국") == Code("KR"));
  CHECK(code_of("ایران") == Code("IR"));
  CHECK(code_of("المملكة العربية السعودية") == Code("SA"));
  CHECK(code_of("Ελλάδα") == Code("GR"));
}

TEST_CASE("country: the short names ICU carries and iso-codes does not") {
  CHECK(code_of("Россия") == Code("RU"));      // iso-codes: Российская Федерация
  CHECK(code_of("Turkey") == Code("TR"));      // ISO's English name is now Türkiye
  CHECK(code_of("South Korea") == Code("KR")); // ISO: Korea, Republic of
  CHECK(code_of("Yr Almaen") == Code("DE"));   // Welsh
  CHECK(code_of("Moldova") == Code("MD"));
}

TEST_CASE("country: what names no country is nullopt") {
  CHECK_FALSE(code_of("Atlantis").has_value());
  CHECK_FALSE(code_of("Narnia, Kingdom of").has_value());
  CHECK_FALSE(code_of("\xff\xfe").has_value());
}

TEST_SUITE_END();
