#include "util/time.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

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

// ------------------------------------------------------------------ calendar dates

std::optional<Date> parse_date(std::string_view s) {
  if (!is_valid_date(s)) return std::nullopt;
  return Date{digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)};
}

std::string format_date(const Date& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

std::int64_t days_since_epoch(const Date& d) { return days_from_civil(d.year, d.month, d.day); }

Date date_from_days(std::int64_t days) {
  Date d;
  civil_from_days(days, d.year, d.month, d.day);
  return d;
}

Date add_days(const Date& d, std::int64_t n) { return date_from_days(days_since_epoch(d) + n); }

namespace {

// add_months with a 64-bit count, so that add_period's count * times cannot overflow.
Date add_months_wide(const Date& d, std::int64_t n) {
  const std::int64_t total = std::int64_t{d.year} * 12 + (d.month - 1) + n;
  std::int64_t y = total / 12, m0 = total % 12;
  if (m0 < 0) { m0 += 12; --y; } // floor division for dates before year 0
  Date r;
  r.year = static_cast<int>(y);
  r.month = static_cast<int>(m0) + 1;
  r.day = std::min(d.day, days_in_month(r.year, r.month));
  return r;
}

} // namespace

Date add_months(const Date& d, int n) { return add_months_wide(d, n); }

int weekday(const Date& d) {
  const std::int64_t w = (days_since_epoch(d) + 3) % 7; // 1970-01-01 was a Thursday (3)
  return static_cast<int>(w < 0 ? w + 7 : w);
}

std::int64_t days_between(const Date& from, const Date& to) {
  return days_since_epoch(to) - days_since_epoch(from);
}

Date date_of(const Timestamp& t) {
  const std::int64_t local = t.unix_seconds + std::int64_t{t.offset_minutes} * 60;
  std::int64_t days = local / 86400;
  if (local % 86400 < 0) --days; // floor: a second before midnight is still the day before
  return date_from_days(days);
}

Date today_date() { return date_of(now()); }

Timestamp at_time(const Date& d, int hour, int minute, int offset_minutes) {
  Timestamp t;
  t.unix_seconds = days_since_epoch(d) * 86400 + std::int64_t{hour} * 3600 +
                   std::int64_t{minute} * 60 - std::int64_t{offset_minutes} * 60;
  t.offset_minutes = offset_minutes;
  return t;
}

// ------------------------------------------------------------------ WHEN, periods, durations

namespace {

// Upper bound for relative counts, periods and durations: large enough for any real
// use, small enough that no arithmetic on it overflows.
constexpr int max_count = 100000;

// A date crm computes from a relative count or a period stays within what a file
// holds (a four-digit year): a period spans at most max_count days, so that
// 100000y, 9025y or 5000m are refused rather than written as an unreadable date.
bool spans_at_most_max_days(int count, char unit) {
  switch (unit) {
  case 'd': return count <= max_count;
  case 'w': return count <= max_count / 7;
  case 'm': return count <= max_count / 31;
  case 'y': return count <= max_count / 366;
  default: return false;
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// An unsigned decimal number at s[pos] (one or more digits, at most max_count); pos
// is left after the digits. nullopt when there is no digit or the number is too big.
std::optional<int> read_count(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  int v = 0;
  for (; pos < s.size() && is_digit(s[pos]); ++pos) {
    v = v * 10 + (s[pos] - '0');
    if (v > max_count) return std::nullopt;
  }
  if (pos == start) return std::nullopt;
  return v;
}

// "monday"/"mon" ... "sunday"/"sun" -> 0..6 as weekday(); -1 for anything else.
int weekday_from_name(std::string_view s) {
  static constexpr std::string_view names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  for (int i = 0; i < 7; ++i)
    if (s == names[i] || s == names[i].substr(0, 3)) return i;
  return -1;
}

// A date-only WHEN: noon keeps the moment on the same date in nearby zones.
When date_when(const Date& d, const Timestamp& now) {
  return When{at_time(d, 12, 0, now.offset_minutes), false, d};
}

When moment_when(const Timestamp& t) { return When{t, true, date_of(t)}; }

} // namespace

std::optional<When> parse_when(std::string_view text, const Timestamp& now) {
  const std::string s = text::ascii_lower(text::trim(text));
  if (s.empty()) return std::nullopt;
  const Date today = date_of(now);

  if (s == "now") return moment_when(now);
  if (s == "today") return date_when(today, now);
  if (s == "tomorrow") return date_when(add_days(today, 1), now);
  if (s == "yesterday") return date_when(add_days(today, -1), now);
  if (const auto d = parse_date(s)) return date_when(*d, now);
  {
    // parse_timestamp wants 'T' and 'Z' upper case; nothing else in a timestamp has a case.
    std::string upper = s;
    for (char& c : upper)
      if (c == 't' || c == 'z') c = static_cast<char>(c - 'a' + 'A');
    if (const auto t = parse_timestamp(upper)) return moment_when(*t);
  }

  // [+|-]N followed by a unit.
  std::size_t pos = s[0] == '+' || s[0] == '-' ? 1 : 0;
  if (pos < s.size() && is_digit(s[pos])) {
    const auto count = read_count(s, pos);
    if (!count) return std::nullopt;
    const std::int64_t n = s[0] == '-' ? -std::int64_t{*count} : std::int64_t{*count};
    const std::string_view unit = std::string_view(s).substr(pos);
    if ((unit == "d" || unit == "w" || unit == "m" || unit == "y") && !spans_at_most_max_days(*count, unit[0]))
      return std::nullopt;
    if (unit == "d") return date_when(add_days(today, n), now);
    if (unit == "w") return date_when(add_days(today, 7 * n), now);
    if (unit == "m") return date_when(add_months_wide(today, n), now);
    if (unit == "y") return date_when(add_months_wide(today, 12 * n), now);
    if (unit == "h") return moment_when({now.unix_seconds + n * 3600, now.offset_minutes});
    if (unit == "min") return moment_when({now.unix_seconds + n * 60, now.offset_minutes});
    return std::nullopt;
  }

  // [next|last] weekday.
  std::string_view day = s;
  int direction = 1;
  if (const auto space = day.find_first_of(" \t"); space != std::string_view::npos) {
    const std::string_view word = day.substr(0, space);
    if (word == "last") direction = -1;
    else if (word != "next") return std::nullopt;
    day.remove_prefix(space);
    const auto start = day.find_first_not_of(" \t");
    if (start == std::string_view::npos) return std::nullopt;
    day.remove_prefix(start);
  }
  const int target = weekday_from_name(day);
  if (target < 0) return std::nullopt;
  const int wd = weekday(today);
  int delta = direction > 0 ? (target - wd + 7) % 7 : (wd - target + 7) % 7;
  if (delta == 0) delta = 7; // strictly after (or before) today: "monday" on a Monday is next week
  return date_when(add_days(today, direction * delta), now);
}

std::optional<Period> parse_period(std::string_view s) {
  std::size_t pos = 0;
  const auto count = read_count(s, pos);
  if (!count || *count < 1 || pos + 1 != s.size()) return std::nullopt;
  char unit = s[pos];
  if (unit >= 'A' && unit <= 'Z') unit = static_cast<char>(unit - 'A' + 'a');
  if (!spans_at_most_max_days(*count, unit)) return std::nullopt; // also any other unit
  return Period{*count, unit};
}

std::string format_period(const Period& p) { return fmt::format("{}{}", p.count, p.unit); }

Date add_period(const Date& d, const Period& p, int times) {
  const std::int64_t n = std::int64_t{p.count} * times;
  switch (p.unit) {
  case 'd': return add_days(d, n);
  case 'w': return add_days(d, 7 * n);
  case 'm': return add_months_wide(d, n);
  case 'y': return add_months_wide(d, 12 * n);
  }
  throw Error(ErrorKind::invalid_data, fmt::format("bad period unit '{}'", p.unit));
}

std::optional<int> parse_duration_minutes(std::string_view text) {
  const std::string s = text::ascii_lower(text);
  const std::string_view v = s;
  std::size_t pos = 0;
  const auto whole = read_count(v, pos);
  if (!whole) return std::nullopt; // also rejects a sign, a leading '.', spaces, empty text
  std::string_view rest = v.substr(pos);
  if (rest.empty() || rest == "m" || rest == "min") return *whole; // plain number = minutes

  std::int64_t minutes = std::int64_t{*whole} * 60;
  if (rest[0] == '.') { // fractional hours: "1.5h"
    std::int64_t num = 0, den = 1;
    std::size_t i = 1;
    for (; i < rest.size() && is_digit(rest[i]); ++i) {
      if (den >= 1000000) return std::nullopt; // more precision than a minute needs
      num = num * 10 + (rest[i] - '0');
      den *= 10;
    }
    if (den == 1 || rest.substr(i) != "h" || num * 60 % den != 0) return std::nullopt;
    minutes += num * 60 / den;
  } else {
    if (rest[0] != 'h') return std::nullopt;
    rest.remove_prefix(1);
    if (!rest.empty()) { // "1h30m", "1h30min", "1h30"
      std::size_t p = 0;
      const auto extra = read_count(rest, p);
      const std::string_view unit = rest.substr(p);
      if (!extra || *extra >= 60 || (!unit.empty() && unit != "m" && unit != "min"))
        return std::nullopt;
      minutes += *extra;
    }
  }
  if (minutes > max_count) return std::nullopt;
  return static_cast<int>(minutes);
}

std::string format_duration(int minutes) {
  const std::int64_t total = minutes;
  const std::int64_t abs = total < 0 ? -total : total;
  const char* sign = total < 0 ? "-" : "";
  const std::int64_t h = abs / 60, m = abs % 60;
  if (h == 0) return fmt::format("{}{}m", sign, m);
  if (m == 0) return fmt::format("{}{}h", sign, h);
  return fmt::format("{}{}h{}m", sign, h, m);
}

} // namespace crm::time
