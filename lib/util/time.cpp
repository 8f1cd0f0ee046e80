#include "util/time.hpp"

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "util/error.hpp"

namespace crm::time {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Parses exactly `n` ASCII digits at s[pos]; -1 when they are not there.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

int local_offset_minutes(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  return static_cast<int>(tm.tm_gmtoff / 60);
}

} // namespace

bool is_valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool is_valid_date_or_month_day(std::string_view s) {
  if (s.size() == 7 && s[0] == '-' && s[1] == '-' && s[4] == '-') {
    const int m = digits(s, 2, 2), d = digits(s, 5, 2);
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(2000, m);
  }
  return is_valid_date(s);
}

std::optional<Timestamp> parse_timestamp(std::string_view s) {
  if (s.size() < 16 || !is_valid_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' '))
    return std::nullopt;
  const int hh = digits(s, 11, 2), mm = digits(s, 14, 2);
  if (hh < 0 || hh > 23 || s[13] != ':' || mm < 0 || mm > 59) return std::nullopt;
  std::size_t pos = 16;
  int ss = 0;
  if (pos < s.size() && s[pos] == ':') {
    ss = digits(s, pos + 1, 2);
    if (ss < 0 || ss > 60) return std::nullopt;
    pos += 3;
  }
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const std::int64_t local = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss;
  Timestamp t;
  if (pos == s.size()) { // no offset: the local zone at that moment
    t.offset_minutes = local_offset_minutes(local);
    t.unix_seconds = local - t.offset_minutes * 60;
    t.offset_minutes = local_offset_minutes(t.unix_seconds);
    t.unix_seconds = local - t.offset_minutes * 60;
    return t;
  }
  if (s[pos] == 'Z' && pos + 1 == s.size()) {
    t.unix_seconds = local;
    return t;
  }
  if ((s[pos] != '+' && s[pos] != '-') || s.size() != pos + 6 || s[pos + 3] != ':')
    return std::nullopt;
  const int oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
  if (oh < 0 || oh > 18 || om < 0 || om > 59) return std::nullopt;
  t.offset_minutes = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
  t.unix_seconds = local - t.offset_minutes * 60;
  return t;
}

std::string format_timestamp(const Timestamp& t) {
  const std::int64_t local = t.unix_seconds + t.offset_minutes * 60;
  std::int64_t days = local / 86400, secs = local % 86400;
  if (secs < 0) { secs += 86400; --days; }
  int y, m, d;
  civil_from_days(days, y, m, d);
  const int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", y, m, d, secs / 3600,
                     (secs / 60) % 60, secs % 60, t.offset_minutes < 0 ? '-' : '+', off / 60,
                     off % 60);
}

Timestamp now() {
  if (const char* pinned = std::getenv("CRM_NOW"); pinned && *pinned) {
    if (auto t = parse_timestamp(pinned)) return *t;
    if (is_valid_date(pinned)) return *parse_timestamp(std::string(pinned) + "T12:00:00");
    throw Error(ErrorKind::invalid_data, fmt::format("bad CRM_NOW '{}'", pinned),
                {"use an ISO timestamp such as 2026-11-25T10:00:00+02:00"});
  }
  Timestamp t;
  t.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  t.offset_minutes = local_offset_minutes(t.unix_seconds);
  return t;
}

std::string today() { return format_timestamp(now()).substr(0, 10); }

} // namespace crm::time
