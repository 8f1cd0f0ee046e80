#pragma once
// Dates and times as crm writes them: ISO 8601 dates, and timestamps with their
// UTC offset. `CRM_NOW` (an ISO timestamp) overrides the clock so that tests and
// scripts can pin "now", like git's GIT_COMMITTER_DATE.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm::time {

struct Timestamp {
  std::int64_t unix_seconds = 0; // UTC seconds since the epoch
  int offset_minutes = 0;        // the writer's UTC offset
};

// Now in the local time zone (or CRM_NOW). Throws invalid_data on a bad CRM_NOW.
Timestamp now();

// "2026-11-25T16:02:25+02:00" (seconds precision, "Z" never used: always +HH:MM).
std::string format_timestamp(const Timestamp& t);

// Accepts "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"; without an offset, the local zone.
std::optional<Timestamp> parse_timestamp(std::string_view s);

// A calendar date "YYYY-MM-DD" with a real month/day (leap years checked).
bool is_valid_date(std::string_view s);

// Same, or a date without a year "--MM-DD" (vCard style, for birthdays).
bool is_valid_date_or_month_day(std::string_view s);

// Today's date (local zone, or CRM_NOW's date) as "YYYY-MM-DD".
std::string today();

// ------------------------------------------------------------------ calendar dates
// Plain proleptic Gregorian dates, for due dates, cadences and agenda windows where
// the time of day and the zone do not matter.

// A calendar date.
struct Date {
  int year = 1970, month = 1, day = 1;
  auto operator<=>(const Date&) const = default; // chronological: year, month, day
};

// "YYYY-MM-DD" only, with a real month/day (is_valid_date); nullopt otherwise.
std::optional<Date> parse_date(std::string_view s);

// "YYYY-MM-DD".
std::string format_date(const Date& d);

// Days since 1970-01-01 (negative before), so that date arithmetic is integer arithmetic.
std::int64_t days_since_epoch(const Date& d);
Date date_from_days(std::int64_t days);

Date add_days(const Date& d, std::int64_t n);

// Calendar months; the day is clamped to the month's end (Jan 31 + 1 = Feb 28/29)
// rather than spilling into the next month.
Date add_months(const Date& d, int n);

// 0 = Monday ... 6 = Sunday (ISO order).
int weekday(const Date& d);

// to - from in days (negative when `to` is earlier).
std::int64_t days_between(const Date& from, const Date& to);

// The local calendar date of a timestamp, in the timestamp's own offset.
Date date_of(const Timestamp& t);

// Today's date as a Date (same source as today(): CRM_NOW or the local clock).
Date today_date();

// A timestamp for date d at hh:mm local time in the given UTC offset.
Timestamp at_time(const Date& d, int hour, int minute, int offset_minutes);

// ------------------------------------------------------------------ WHEN

// WHEN as the command line takes it (--at, --due, snooze).
struct When {
  Timestamp at;          // the moment; for a date-only WHEN: that date at 12:00 in now's offset
  bool has_time = false; // false when the user gave only a day
  Date date;             // the local calendar date of `at`
};

// Accepted forms (ASCII case-insensitive, surrounding spaces ignored):
//   2026-11-22                         a date
//   2026-11-22T15:30, 2026-11-22 15:30, with optional :SS and optional Z or ±HH:MM offset
//                                      (no offset = the local zone, as parse_timestamp does)
//   now                                now (has_time)
//   today, tomorrow, yesterday         dates relative to now's local date
//   +3d, -3d, 3d, +2w, +1m, -1y        days, weeks, months (calendar, clamped), years from
//                                      today (date-only)
//   +4h, -30min                        hours/minutes from now (has_time); "min" for minutes
//                                      because "m" means months
//   monday..sunday, mon..sun           the next such day strictly after today
//   next monday (= monday), last friday (the most recent such day strictly before today)
// A relative count spans at most 100000 days (3225m, 273y) or 100000 hours or
// minutes, so that the date it gives has four digits. nullopt for anything else (empty, "+d", "2026-02-30",
// "next", "someday"...). `now` is a parameter so that callers and tests pin the clock.
std::optional<When> parse_when(std::string_view text, const Timestamp& now);

// ------------------------------------------------------------------ periods, durations

// A period such as a cadence ("30d") or a window ("7d"): N days, weeks, months or years.
struct Period {
  int count = 0;
  char unit = 'd'; // 'd', 'w', 'm' or 'y'
};

// "30d", "2w", "3m", "1y": count from 1, spanning at most 100000 days (14285w,
// 3225m, 273y), no sign, no spaces; the unit letter is
// case-insensitive and stored lowercase.
std::optional<Period> parse_period(std::string_view s);

// "30d".
std::string format_period(const Period& p);

// d + p * times. Months and years are counted from `d` in one step (clamped once), so
// a monthly cadence from Jan 31 gives Feb 28, Mar 31, Apr 30 rather than drifting to 28.
// Throws invalid_data for a unit other than d/w/m/y (only a hand-built Period has one).
Date add_period(const Date& d, const Period& p, int times = 1);

// Call/meeting durations in minutes: "15m", "15min", "1h", "1h30m", "1h30", "90" (plain =
// minutes), "1.5h" (= 90; fractional hours must come to whole minutes). Units are
// case-insensitive; minutes after hours must be under 60. nullopt for negative, empty
// text, spaces or junk, and above 100000 minutes. "0" is a valid zero duration.
std::optional<int> parse_duration_minutes(std::string_view s);

// 15 -> "15m", 60 -> "1h", 90 -> "1h30m", 0 -> "0m" (parse_duration_minutes reads it back).
std::string format_duration(int minutes);

} // namespace crm::time
