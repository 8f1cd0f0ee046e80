#pragma once
// Exact money: amounts are integers in the currency's minor unit (ISO 4217
// exponent: JPY 0, EUR 2, KWD 3), written as decimal strings ("49.90"). No
// floating point anywhere: quantities are decimals too, and a line total is
// rounded half-to-even once. Every amount and decimal has at most 18 digits (in
// minor units): a result past that is nullopt, like an overflow, so that whatever
// crm writes it reads back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm::money {

// The number of minor-unit digits of an active ISO 4217 code ("EUR" -> 2,
// "JPY" -> 0, "KWD" -> 3); nullopt for a code that is not one.
std::optional<int> exponent(std::string_view currency);

// A decimal number as written: `units` / 10^`scale` ("2.5" = {25, 1}).
struct Decimal {
  std::int64_t units = 0;
  int scale = 0;
};

// The decimal as written without a sign for positives: {25, 1} -> "2.5", {-300, 2} -> "-3.00".
std::string format_decimal(const Decimal& d);

// a + b and the order of a and b, exactly (at the larger scale; nullopt on overflow).
std::optional<Decimal> add(const Decimal& a, const Decimal& b);
int compare(const Decimal& a, const Decimal& b);

// "12", "-3.25", "0.10", "+4", ".5"; digits with at most one '.', at most 18 digits
// in all and 17 after the dot (format_decimal writes ".5" as "0.5"). nullopt for anything else ("12,5", "1e3", "", ".", "1.2.3").
std::optional<Decimal> parse_decimal(std::string_view text);

// "use a dot as decimal separator: 12.5" for a number written with a decimal
// comma ("12,5", "1.234,50"), the hint an error about it gives; nullopt for
// anything else.
std::optional<std::string> decimal_comma_hint(std::string_view text);

// An amount in `exponent` digits of minor unit: "49.9" with exponent 2 = 4990.
// More decimals than the currency has, more than 18 digits in minor units ("1.000"
// with 16 digits before the dot in KWD), or a bad number: nullopt.
std::optional<std::int64_t> parse_amount(std::string_view text, int exponent);

// 4990, 2 -> "49.90"; -5, 2 -> "-0.05"; 1500, 0 -> "1500".
std::string format_amount(std::int64_t minor, int exponent);

// minor x quantity, rounded half to even to a whole minor unit ("0.10 x 3" is
// exactly 30; 0.05 x 0.5 = 2.5 -> 2). nullopt on overflow.
std::optional<std::int64_t> multiply(std::int64_t minor, const Decimal& quantity);

// `minor` x numerator / denominator, half to even (percentages, rates).
// nullopt on overflow or a zero denominator.
std::optional<std::int64_t> scale_half_even(std::int64_t minor, std::int64_t numerator, std::int64_t denominator);

// `minor` units of a currency with `from_exponent` digits, times `rate`, in
// minor units of a currency with `to_exponent` digits, half to even (exchange
// rates). nullopt on overflow.
std::optional<std::int64_t> convert(std::int64_t minor, int from_exponent, const Decimal& rate, int to_exponent);

} // namespace crm::money
