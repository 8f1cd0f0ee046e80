#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "util/money.hpp"

using crm::money::Decimal;
using crm::money::exponent;
using crm::money::format_amount;
using crm::money::format_decimal;
using crm::money::multiply;
using crm::money::parse_amount;
using crm::money::parse_decimal;
using crm::money::scale_half_even;

TEST_SUITE_BEGIN("util");

TEST_CASE("money: ISO 4217 exponents, unknown codes refused") {
  CHECK(exponent("EUR") == 2);
  CHECK(exponent("RON") == 2);
  CHECK(exponent("UAH") == 2);
  CHECK(exponent("JPY") == 0);
  CHECK(exponent("KRW") == 0);
  CHECK(exponent("KWD") == 3);
  CHECK(exponent("BHD") == 3);
  CHECK(exponent("CLF") == 4);
  CHECK(exponent("XPF") == 0);
  CHECK_FALSE(exponent("eur"));
  CHECK_FALSE(exponent("EURO"));
  CHECK_FALSE(exponent("ABC"));
  CHECK_FALSE(exponent(""));
}

TEST_CASE("money: decimals as written") {
  auto d = [](const char* s) {
    auto v = parse_decimal(s);
    return v ? std::to_string(v->units) + "e-" + std::to_string(v->scale) : std::string("none");
  };
  CHECK(d("12") == "12e-0");
  CHECK(d("2.5") == "25e-1");
  CHECK(d("0.10") == "10e-2");
  CHECK(d("-3.25") == "-325e-2");
  CHECK(d("+4") == "4e-0");
  CHECK(d(".5") == "5e-1");
  for (const char* bad : {"", ".", "12,5", "1e3", "1.2.3", "1.", "-", "+", " 1", "1 ", "١٢", "999999999999999999.9"})
    CHECK_MESSAGE(d(bad) == "none", bad);
}

TEST_CASE("money: amounts in minor units, never more decimals than the currency has") {
  CHECK(parse_amount("49.90", 2) == 4990);
  CHECK(parse_amount("49.9", 2) == 4990);
  CHECK(parse_amount("49", 2) == 4900);
  CHECK(parse_amount("-0.05", 2) == -5);
  CHECK(parse_amount("1500", 0) == 1500);
  CHECK(parse_amount("1.234", 3) == 1234);
  CHECK_FALSE(parse_amount("1.5", 0));   // JPY has no minor unit
  CHECK_FALSE(parse_amount("0.001", 2)); // a third decimal for EUR
  CHECK_FALSE(parse_amount("12,5", 2));
  CHECK_FALSE(parse_amount("999999999999999999", 2)); // overflows int64 once scaled
  // At most 18 digits in minor units, so that what crm writes it reads back.
  CHECK(parse_amount("9999999999999999.99", 2) == 999'999'999'999'999'999);
  CHECK(parse_amount("-9999999999999999.99", 2) == -999'999'999'999'999'999);
  CHECK_FALSE(parse_amount("5555555555555502", 3)); // 19 digits as 5555555555555502.000
  CHECK_FALSE(parse_decimal("5555555555555502.000"));
  CHECK(format_decimal(*parse_decimal("-.00000000000000001")) == "-0.00000000000000001");
  CHECK_FALSE(parse_decimal(".000000000000000000")); // written as 0.000000000000000000
}

TEST_CASE("money: formatting keeps every minor digit") {
  CHECK(format_amount(4990, 2) == "49.90");
  CHECK(format_amount(5, 2) == "0.05");
  CHECK(format_amount(-5, 2) == "-0.05");
  CHECK(format_amount(0, 2) == "0.00");
  CHECK(format_amount(1500, 0) == "1500");
  CHECK(format_amount(1234, 3) == "1.234");
  CHECK(format_amount(-1, 3) == "-0.001");
  CHECK(format_amount(std::numeric_limits<std::int64_t>::min(), 2) == "-92233720368547758.08");
}

TEST_CASE("money: sums stay within the 18 digits a file can hold") {
  const auto most = *parse_decimal("999999999999999999");
  CHECK_FALSE(crm::money::add(most, *parse_decimal("1")));
  CHECK(crm::money::add(most, *parse_decimal("-1"))->units == 999'999'999'999'999'998);
  CHECK_FALSE(multiply(999'999'999'999'999'999, *parse_decimal("1.5")));
}

TEST_CASE("money: line totals are exact and round half to even once") {
  CHECK(multiply(10, *parse_decimal("3")) == 30);    // 0.10 x 3 = 0.30 exactly
  CHECK(multiply(4990, *parse_decimal("2.5")) == 12475);
  CHECK(multiply(5, *parse_decimal("0.5")) == 2);    // 2.5 -> 2 (even)
  CHECK(multiply(15, *parse_decimal("0.5")) == 8);   // 7.5 -> 8 (even)
  CHECK(multiply(-5, *parse_decimal("0.5")) == -2);  // -2.5 -> -2
  CHECK(multiply(-15, *parse_decimal("0.5")) == -8); // -7.5 -> -8
  CHECK(multiply(1, *parse_decimal("0.333")) == 0);
  CHECK(multiply(2, *parse_decimal("0.75")) == 2);   // 1.5 -> 2
  CHECK_FALSE(multiply(std::numeric_limits<std::int64_t>::max(), *parse_decimal("2")));
}

TEST_CASE("money: scaling by a fraction (10% off, a rate)") {
  CHECK(scale_half_even(12345, 10, 100) == 1234);   // 1234.5 -> 1234
  CHECK(scale_half_even(12355, 10, 100) == 1236);   // 1235.5 -> 1236
  CHECK(scale_half_even(100, 1, 3) == 33);
  CHECK(scale_half_even(200, 1, 3) == 67);
  CHECK(scale_half_even(100, -1, 3) == -33);
  CHECK(scale_half_even(100, 1, -3) == -33);
  CHECK_FALSE(scale_half_even(100, 1, 0));
}

TEST_CASE("util: money convert at a rate, from one exponent to another") {
  using crm::money::convert;
  const auto rate = [](const char* s) { return *parse_decimal(s); };
  CHECK(convert(10000, 2, rate("0.92"), 2) == 9200);     // 100.00 USD -> 92.00 EUR
  CHECK(convert(1500, 0, rate("0.0061"), 2) == 915);     // 1500 JPY -> 9.15 EUR
  CHECK(convert(1234, 3, rate("2.98"), 2) == 368);       // 1.234 KWD -> 3.67732 -> 3.68 EUR
  CHECK(convert(1000, 3, rate("3.01"), 2) == 301);       // 1.000 KWD -> 3.01 EUR
  CHECK(convert(915, 2, rate("163.5"), 0) == 1496);      // 9.15 EUR -> 1496.025 -> 1496 JPY
  CHECK(convert(1000, 2, rate("0.335"), 3) == 3350);     // 10.00 EUR -> 3.350 KWD
  CHECK(convert(1500, 0, rate("1"), 0) == 1500);
  CHECK(convert(4990, 2, rate("5"), 2) == 24950);        // a whole-number rate
  CHECK(convert(4990, 2, rate("1.000000"), 2) == 4990);  // trailing zeros change nothing
  CHECK(convert(0, 2, rate("0.92"), 2) == 0);
}

TEST_CASE("util: money convert rounds half to even, negative amounts too") {
  using crm::money::convert;
  const auto rate = [](const char* s) { return *parse_decimal(s); };
  CHECK(convert(5, 2, rate("0.5"), 2) == 2);     // 0.025 -> 0.02
  CHECK(convert(15, 2, rate("0.5"), 2) == 8);    // 0.075 -> 0.08
  CHECK(convert(1, 0, rate("0.005"), 2) == 0);   // 1 JPY -> 0.005 -> 0.00
  CHECK(convert(3, 0, rate("0.005"), 2) == 2);   // 3 JPY -> 0.015 -> 0.02
  CHECK(convert(7, 0, rate("0.0061"), 2) == 4);  // 0.0427 -> 0.04
  CHECK(convert(9, 0, rate("0.0061"), 2) == 5);  // 0.0549 -> 0.05
  CHECK(convert(-10000, 2, rate("0.92"), 2) == -9200);
  CHECK(convert(-5, 2, rate("0.5"), 2) == -2);   // -0.025 -> -0.02
  CHECK(convert(-15, 2, rate("0.5"), 2) == -8);  // -0.075 -> -0.08
  CHECK(convert(-1500, 0, rate("0.0061"), 2) == -915);
  CHECK(convert(-1234, 3, rate("2.98"), 2) == -368);
  CHECK(convert(-1, 3, rate("5"), 2) == 0);      // -0.005 -> -0.00
  CHECK(convert(-3, 3, rate("5"), 2) == -2);     // -0.015 -> -0.02
}

TEST_CASE("util: money convert refuses a result that does not fit") {
  using crm::money::convert;
  CHECK_FALSE(convert(std::numeric_limits<std::int64_t>::max(), 2, *parse_decimal("1000"), 2));
  CHECK_FALSE(convert(std::numeric_limits<std::int64_t>::min(), 2, *parse_decimal("10"), 2));
  const std::int64_t most = 999'999'999'999'999'999; // 18 digits: the most a file holds
  CHECK(convert(most, 2, *parse_decimal("1"), 2) == most);
  CHECK_FALSE(convert(most, 2, *parse_decimal("10"), 2));
  CHECK(convert(std::numeric_limits<std::int64_t>::max(), 2, *parse_decimal("0.01"), 0) ==
        std::numeric_limits<std::int64_t>::max() / 10000 + 1); // ...477.5807 rounds up
}

TEST_CASE("money: a decimal comma gets the hint to write a dot") {
  using crm::money::decimal_comma_hint;
  CHECK(decimal_comma_hint("12,5") == std::optional<std::string>("use a dot as decimal separator: 12.5"));
  CHECK(decimal_comma_hint("1.234,50") == std::optional<std::string>("use a dot as decimal separator: 1234.50"));
  CHECK(decimal_comma_hint("-0,99") == std::optional<std::string>("use a dot as decimal separator: -0.99"));
  CHECK_FALSE(decimal_comma_hint("12.5").has_value());
  CHECK_FALSE(decimal_comma_hint("1,234.50").has_value()); // a thousands comma, then a dot
  CHECK_FALSE(decimal_comma_hint("1,2,3").has_value());
  CHECK_FALSE(decimal_comma_hint("abc,d").has_value());
  CHECK_FALSE(decimal_comma_hint("12,").has_value());
}

TEST_SUITE_END();
