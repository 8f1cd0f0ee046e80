#include "format/ics.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::format {

namespace {

constexpr std::size_t kMaxLineOctets = 75; // RFC 5545 3.1, excluding the CRLF
constexpr std::string_view kCrlf = "\r\n";
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kTimedEventSeconds = 30 * 60;

struct Civil {
  int year = 0;
  int month = 0;
  int day = 0;
};

bool is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// algorithms): plain integer math, so no time zone or libc state is involved.
std::int64_t days_from_civil(Civil c) {
  const std::int64_t y = c.month <= 2 ? c.year - 1 : c.year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (c.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// `n` ASCII digits at s[pos..]; nullopt when any is not a digit or s is short.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Years 0001..9999 only: DATE and DATE-TIME values have exactly four year digits.
bool valid_civil(const Civil& c) {
  return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
         c.day <= days_in_month(c.year, c.month);
}

// "YYYY-MM-DD"
std::optional<Civil> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const Civil c{*y, *m, *d};
  if (!valid_civil(c)) return std::nullopt;
  return c;
}

// "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" -> UTC seconds since the epoch. An offset is
// required: a local time would make the output depend on the machine's zone.
std::optional<std::int64_t> parse_instant(std::string_view s) {
  if (s.size() < 17 || s[10] != 'T' || s[13] != ':') return std::nullopt;
  const auto date = parse_date(s.substr(0, 10));
  const auto hh = digits(s, 11, 2), mm = digits(s, 14, 2);
  if (!date || !hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
  std::size_t pos = 16;
  int ss = 0;
  if (pos < s.size() && s[pos] == ':') {
    const auto sec = digits(s, pos + 1, 2);
    if (!sec || *sec > 59) return std::nullopt;
    ss = *sec;
    pos += 3;
  }
  const std::string_view zone = s.substr(pos);
  int offset_minutes = 0;
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
      return std::nullopt;
    }
    const auto oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (zone[0] == '-' ? -1 : 1);
  }
  return days_from_civil(*date) * kSecondsPerDay + *hh * 3600 + *mm * 60 + ss -
         std::int64_t{offset_minutes} * 60;
}

// RFC 5545 DATE: "YYYYMMDD"; nullopt when the year leaves 0001..9999.
std::optional<std::string> ics_date(const Civil& c) {
  if (!valid_civil(c)) return std::nullopt;
  return fmt::format("{:04}{:02}{:02}", c.year, c.month, c.day);
}

// RFC 5545 DATE-TIME in UTC: "YYYYMMDDTHHMMSSZ".
std::optional<std::string> ics_utc(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, kSecondsPerDay);
  const std::int64_t secs = unix_seconds - days * kSecondsPerDay;
  const auto date = ics_date(civil_from_days(days));
  if (!date) return std::nullopt;
  return fmt::format("{}T{:02}{:02}{:02}Z", *date, secs / 3600, secs / 60 % 60, secs % 60);
}

bool valid_stamp(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return false;
  const auto y = digits(s, 0, 4), mo = digits(s, 4, 2), d = digits(s, 6, 2);
  const auto h = digits(s, 9, 2), mi = digits(s, 11, 2), se = digits(s, 13, 2);
  return y && mo && d && h && mi && se && valid_civil({*y, *mo, *d}) && *h <= 23 && *mi <= 59 &&
         *se <= 60; // 60: a leap second is a valid DATE-TIME
}

[[noreturn]] void bad_event(const CalendarEvent& e, std::string_view problem) {
  throw Error(ErrorKind::invalid_data, fmt::format("calendar event \"{}\": {}", e.uid, problem));
}

void check_utf8(const CalendarEvent& e, std::string_view field, std::string_view value) {
  if (!text::is_valid_utf8(value)) bad_event(e, fmt::format("{} is not valid utf-8", field));
}

struct Span {
  std::string start; // the whole property line without CRLF, e.g. "DTSTART;VALUE=DATE:20261125"
  std::string end;
};

Span event_span(const CalendarEvent& e) {
  if (!e.date.empty() && !e.start.empty()) bad_event(e, "has both a date and a start time");
  if (!e.date.empty()) {
    const auto day = parse_date(e.date);
    if (!day) bad_event(e, fmt::format("invalid date \"{}\" (expected YYYY-MM-DD)", e.date));
    // All-day events end (exclusively) at the start of the next day (RFC 5545 3.6.1).
    const auto start = ics_date(*day);
    const auto end = ics_date(civil_from_days(days_from_civil(*day) + 1));
    if (!start || !end) bad_event(e, fmt::format("date \"{}\" is out of range", e.date));
    return {"DTSTART;VALUE=DATE:" + *start, "DTEND;VALUE=DATE:" + *end};
  }
  if (!e.start.empty()) {
    const auto at = parse_instant(e.start);
    if (!at) {
      bad_event(e, fmt::format("invalid start time \"{}\" (expected YYYY-MM-DDTHH:MM:SS+HH:MM)",
                               e.start));
    }
    const auto start = ics_utc(*at);
    const auto end = ics_utc(*at + kTimedEventSeconds);
    if (!start || !end) bad_event(e, fmt::format("start time \"{}\" is out of range", e.start));
    return {"DTSTART:" + *start, "DTEND:" + *end};
  }
  bad_event(e, "needs a date or a start time");
}

void add_line(std::string& out, std::string_view line) { out += ics_fold(line); }

void add_property(std::string& out, std::string_view name, std::string_view text_value) {
  std::string line(name);
  line += ':';
  line += ics_escape(text_value);
  add_line(out, line);
}

} // namespace

std::string ics_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
    case '\\': out += "\\\\"; break;
    case ';': out += "\\;"; break;
    case ',': out += "\\,"; break;
    case '\n': out += "\\n"; break;
    default:
      // CR (of CRLF) and other controls but TAB are not allowed in TEXT.
      if ((c < 0x20 && c != '\t') || c == 0x7f) break;
      out += ch;
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / (kMaxLineOctets - 1) * 3 + 2);
  std::size_t pos = 0;
  std::size_t limit = kMaxLineOctets;
  while (line.size() - pos > limit) {
    std::size_t cut = pos + limit;
    // Back up to the first byte of the character, so each physical line stays
    // valid UTF-8 (some importers decode lines before unfolding them).
    while (cut > pos && is_cont(static_cast<unsigned char>(line[cut]))) --cut;
    if (cut == pos) cut = pos + limit; // not UTF-8 at all: split anywhere
    out.append(line.substr(pos, cut - pos));
    out += kCrlf;
    out += ' ';
    pos = cut;
    limit = kMaxLineOctets - 1; // the leading space counts
  }
  out.append(line.substr(pos));
  out += kCrlf;
  return out;
}

void write_ics(std::ostream& out, const std::vector<CalendarEvent>& events,
               std::string_view calendar_name, std::string_view stamp_utc) {
  if (!valid_stamp(stamp_utc)) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("invalid calendar stamp \"{}\" (expected YYYYMMDDTHHMMSSZ)", stamp_utc));
  }
  if (!text::is_valid_utf8(calendar_name)) {
    throw Error(ErrorKind::invalid_data, "calendar name is not valid utf-8");
  }

  // Everything is built first, so a bad event leaves no half-written calendar.
  std::string ics;
  add_line(ics, "BEGIN:VCALENDAR");
  add_line(ics, "VERSION:2.0");
  add_line(ics, "PRODID:-//crm//crm " CRM_VERSION "//EN");
  add_line(ics, "CALSCALE:GREGORIAN");
  add_line(ics, "METHOD:PUBLISH");
  add_property(ics, "X-WR-CALNAME", calendar_name);

  std::set<std::string, std::less<>> seen_uids;
  for (const auto& e : events) {
    if (e.uid.empty()) bad_event(e, "has no uid");
    check_utf8(e, "uid", e.uid);
    // Two events with one UID would be merged into one by calendar apps.
    if (!seen_uids.insert(e.uid).second) bad_event(e, "uid is used twice");
    check_utf8(e, "summary", e.summary);
    check_utf8(e, "description", e.description);
    for (const auto& c : e.categories) check_utf8(e, "category", c);
    const Span span = event_span(e);

    add_line(ics, "BEGIN:VEVENT");
    add_property(ics, "UID", e.uid);
    add_line(ics, fmt::format("DTSTAMP:{}", stamp_utc));
    add_line(ics, span.start);
    add_line(ics, span.end);
    add_property(ics, "SUMMARY", e.summary);
    if (!e.description.empty()) add_property(ics, "DESCRIPTION", e.description);
    // CATEGORIES is a comma-separated list of TEXT, each escaped on its own.
    std::string categories;
    for (const auto& c : e.categories) {
      if (c.empty()) continue;
      if (!categories.empty()) categories += ',';
      categories += ics_escape(c);
    }
    if (!categories.empty()) add_line(ics, "CATEGORIES:" + categories);
    // Reminders should not show the user as busy.
    add_line(ics, "TRANSP:TRANSPARENT");
    if (e.alarm) {
      add_line(ics, "BEGIN:VALARM");
      add_line(ics, "ACTION:DISPLAY");
      // Relative to DTSTART: an all-day event starts at midnight, so remind at 09:00.
      add_line(ics, e.date.empty() ? "TRIGGER:-PT0M" : "TRIGGER:PT9H");
      // DESCRIPTION is required for a DISPLAY alarm (RFC 5545 3.6.6).
      add_property(ics, "DESCRIPTION", e.summary);
      add_line(ics, "END:VALARM");
    }
    add_line(ics, "END:VEVENT");
  }
  add_line(ics, "END:VCALENDAR");
  out << ics;
}

} // namespace crm::format
