// libFuzzer target: the small value parsers every command takes from its user:
// WHEN (util/time.hpp), dates, timestamps, periods, durations, decimals and
// amounts (util/money.hpp). Each either refuses the text or reads a value that
// formats back to text it reads as the same value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/money.hpp"
#include "util/time.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace time = crm::time;
  namespace money = crm::money;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  static const auto now = time::parse_timestamp("2026-11-25T10:00:00+02:00");
  check(now.has_value());
  if (const auto when = time::parse_when(text, *now)) {
    const auto again = time::parse_date(time::format_date(when->date));
    check(again && time::format_date(*again) == time::format_date(when->date));
  }
  if (const auto date = time::parse_date(text)) {
    const auto again = time::parse_date(time::format_date(*date));
    check(again && time::days_since_epoch(*again) == time::days_since_epoch(*date));
  }
  if (const auto at = time::parse_timestamp(text)) {
    const auto again = time::parse_timestamp(time::format_timestamp(*at));
    check(again && time::format_timestamp(*again) == time::format_timestamp(*at));
  }
  if (const auto period = time::parse_period(text)) {
    const auto again = time::parse_period(time::format_period(*period));
    check(again && again->count == period->count && again->unit == period->unit);
  }
  if (const auto minutes = time::parse_duration_minutes(text)) {
    check(time::parse_duration_minutes(time::format_duration(*minutes)) == minutes);
  }
  if (const auto decimal = money::parse_decimal(text)) {
    const auto again = money::parse_decimal(money::format_decimal(*decimal));
    check(again && money::compare(*again, *decimal) == 0);
  }
  for (const int exponent : {0, 2, 3}) {
    if (const auto minor = money::parse_amount(text, exponent))
      check(money::parse_amount(money::format_amount(*minor, exponent), exponent) == minor);
  }
  (void)money::decimal_comma_hint(text);
  return 0;
}
