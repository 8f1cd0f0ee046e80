#include "util/money.hpp"

#include <algorithm>
#include <limits>

namespace crm::money {
namespace {

// Active ISO 4217 codes whose minor unit is not 2 digits.
struct Special {
  std::string_view code;
  int exponent;
};
constexpr Special specials[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

// The other active codes (2 digits), sorted.
constexpr std::string_view two_digit[] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF",
    "CHW", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN",
    "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG",
    "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK",
    "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP",
    "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "YER", "ZAR", "ZMW",
    "ZWG", "ZWL",
};

// Every amount and decimal crm computes stays within 18 digits, the most
// parse_decimal reads: what crm writes into a file, it can read back.
constexpr std::int64_t max_units = 999'999'999'999'999'999;
constexpr bool within_digits(__int128 v) { return v >= -max_units && v <= max_units; }

constexpr std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Rounds numerator / denominator (denominator > 0) half to even.
std::optional<std::int64_t> divide_half_even(__int128 num, __int128 den) {
  if (den == 0) return std::nullopt;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  __int128 q = num / den, r = num % den;
  if (r < 0) { // floor division
    q -= 1;
    r += den;
  }
  const __int128 twice = 2 * r;
  if (twice > den || (twice == den && (q % 2 != 0))) q += 1;
  if (!within_digits(q)) return std::nullopt;
  return static_cast<std::int64_t>(q);
}

} // namespace

std::optional<int> exponent(std::string_view currency) {
  for (const auto& s : specials)
    if (s.code == currency) return s.exponent;
  for (auto c : two_digit)
    if (c == currency) return 2;
  return std::nullopt;
}

std::optional<Decimal> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  Decimal d;
  bool dot = false;
  int digits = 0;
  for (char c : text) {
    if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > 18) return std::nullopt;
    d.units = d.units * 10 + (c - '0');
    if (dot) ++d.scale;
  }
  // format_decimal writes a 0 before the dot: ".5" is "0.5", so 18 decimals would
  // be written with 19 digits.
  if (digits == 0 || text.back() == '.' || d.scale > 17) return std::nullopt;
  if (negative) d.units = -d.units;
  return d;
}

std::optional<std::string> decimal_comma_hint(std::string_view text) {
  const auto comma = text.rfind(',');
  if (comma == std::string_view::npos || text.find(',') != comma ||
      text.find('.', comma) != std::string_view::npos)
    return std::nullopt;
  // The dots before the comma group thousands ("1.234,50"): they go.
  std::string dotted;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i == comma) dotted += '.';
    else if (text[i] != '.') dotted += text[i];
  if (!parse_decimal(dotted)) return std::nullopt;
  return "use a dot as decimal separator: " + dotted;
}

std::string format_decimal(const Decimal& d) { return format_amount(d.units, d.scale); }

namespace {
// Both at the larger scale; false on overflow.
bool align(Decimal& a, Decimal& b) {
  while (a.scale < b.scale) {
    if (__builtin_mul_overflow(a.units, 10, &a.units)) return false;
    ++a.scale;
  }
  while (b.scale < a.scale) {
    if (__builtin_mul_overflow(b.units, 10, &b.units)) return false;
    ++b.scale;
  }
  return true;
}
} // namespace

std::optional<Decimal> add(const Decimal& a_in, const Decimal& b_in) {
  Decimal a = a_in, b = b_in;
  if (!align(a, b)) return std::nullopt;
  Decimal sum{0, a.scale};
  if (__builtin_add_overflow(a.units, b.units, &sum.units) || !within_digits(sum.units)) return std::nullopt;
  return sum;
}

int compare(const Decimal& a_in, const Decimal& b_in) {
  Decimal a = a_in, b = b_in;
  if (!align(a, b)) { // too many digits to align: compare the integer parts first
    const __int128 ia = a_in.units / pow10(a_in.scale), ib = b_in.units / pow10(b_in.scale);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }
  return a.units < b.units ? -1 : a.units > b.units ? 1 : 0;
}

std::optional<std::int64_t> parse_amount(std::string_view text, int exp) {
  const auto d = parse_decimal(text);
  if (!d || d->scale > exp) return std::nullopt;
  const __int128 v = static_cast<__int128>(d->units) * pow10(exp - d->scale);
  if (!within_digits(v)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string format_amount(std::int64_t minor, int exp) {
  const bool negative = minor < 0;
  // Via unsigned: the most negative value has no positive counterpart.
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
  std::string digits = std::to_string(magnitude);
  std::string out = negative ? "-" : "";
  if (exp <= 0) return out + digits;
  const auto e = static_cast<std::size_t>(exp);
  if (digits.size() <= e) digits = std::string(e + 1 - digits.size(), '0') + digits;
  out += digits.substr(0, digits.size() - e);
  out += '.';
  out += digits.substr(digits.size() - e);
  return out;
}

std::optional<std::int64_t> multiply(std::int64_t minor, const Decimal& quantity) {
  return divide_half_even(static_cast<__int128>(minor) * quantity.units, pow10(quantity.scale));
}

std::optional<std::int64_t> scale_half_even(std::int64_t minor, std::int64_t numerator, std::int64_t denominator) {
  return divide_half_even(static_cast<__int128>(minor) * numerator, denominator);
}

std::optional<std::int64_t> convert(std::int64_t minor, int from_exp, const Decimal& rate, int to_exp) {
  // minor / 10^from * rate.units / 10^rate.scale * 10^to, as one fraction.
  __int128 num = static_cast<__int128>(minor) * rate.units;
  __int128 den = pow10(from_exp);
  int shift = to_exp - rate.scale;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  return divide_half_even(num, den);
}

} // namespace crm::money
