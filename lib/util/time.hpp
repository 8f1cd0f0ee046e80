#pragma once
// Dates and times as crm writes them: ISO 8601 dates, and timestamps with their
// UTC offset. `CRM_NOW` (an ISO timestamp) overrides the clock so that tests and
// scripts can pin "now", like git's GIT_COMMITTER_DATE.

#include <chrono>
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

} // namespace crm::time
