#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using crm::time::Date;
using crm::time::format_date;
using crm::time::format_timestamp;
using crm::time::is_valid_date;
using crm::time::is_valid_date_or_month_day;
using crm::time::parse_date;
using crm::time::parse_duration_minutes;
using crm::time::parse_period;
using crm::time::parse_timestamp;
using crm::time::Period;
using crm::time::Timestamp;
using crm_test::EnvVar;

namespace {

// Pins the local zone for the scope. localtime_r does not re-read TZ by itself,
// hence the explicit tzset() on both ends.
class LocalZone {
public:
  explicit LocalZone(const char* tz) {
    env_.emplace("TZ", std::string(tz));
    ::tzset();
  }
  ~LocalZone() {
    env_.reset(); // restore TZ first, then make the C library read it again
    ::tzset();
  }
  LocalZone(const LocalZone&) = delete;
  LocalZone& operator=(const LocalZone&) = delete;

private:
  std::optional<EnvVar> env_;
};

// Europe/Bucharest as a POSIX rule, so the test does not depend on tzdata.
constexpr const char* bucharest = "EET-2EEST,M3.5.0/3,M10.5.0/4";

void check_ts(std::string_view text, std::int64_t unix_seconds, int offset_minutes) {
  CAPTURE(text);
  const auto t = parse_timestamp(text);
  REQUIRE(t.has_value());
  CHECK(t->unix_seconds == unix_seconds);
  CHECK(t->offset_minutes == offset_minutes);
}


// Dates as text, so that failures print something readable.
std::optional<std::string> date_text(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return format_date(*d);
}

Date date(std::string_view text) {
  const auto d = parse_date(text);
  REQUIRE_MESSAGE(d.has_value(), "bad test date " << std::string(text));
  return *d;
}

// The "now" every WHEN test starts from unless it says otherwise: a Wednesday.
constexpr const char* wednesday_10am = "2026-11-25T10:00:00+02:00";

// parse_when against a pinned now, as one line: "day|time DATE at TIMESTAMP", so that a
// single CHECK covers all of When. Also checks the invariant date == date_of(at).
std::optional<std::string> when(std::string_view text, const char* now_text = wednesday_10am) {
  const auto now = parse_timestamp(now_text);
  REQUIRE(now.has_value());
  const auto w = crm::time::parse_when(text, *now);
  if (!w) return std::nullopt;
  CHECK(format_date(w->date) == format_date(crm::time::date_of(w->at)));
  return std::string(w->has_time ? "time " : "day ") + format_date(w->date) + " at " +
         format_timestamp(w->at);
}

// The date of a date-only WHEN, nullopt when it fails or carries a time.
std::optional<std::string> when_day(std::string_view text, const char* now_text = wednesday_10am) {
  const auto now = parse_timestamp(now_text);
  REQUIRE(now.has_value());
  const auto w = crm::time::parse_when(text, *now);
  if (!w || w->has_time) return std::nullopt;
  return format_date(w->date);
}

std::optional<std::string> period_text(std::string_view text) {
  const auto p = parse_period(text);
  if (!p) return std::nullopt;
  return std::to_string(p->count) + "/" + p->unit;
}

} // namespace

TEST_SUITE_BEGIN("util");

// ------------------------------------------------------------------ dates

TEST_CASE("util: is_valid_date checks leap years") {
  CHECK(is_valid_date("2024-02-29"));  // divisible by 4
  CHECK_FALSE(is_valid_date("2023-02-29"));
  CHECK_FALSE(is_valid_date("1900-02-29")); // divisible by 100, not by 400
  CHECK(is_valid_date("2000-02-29"));       // divisible by 400
  CHECK_FALSE(is_valid_date("2024-02-30"));
  CHECK(is_valid_date("2023-02-28"));
}

TEST_CASE("util: is_valid_date checks month and day ranges") {
  CHECK(is_valid_date("2026-01-31"));
  CHECK(is_valid_date("2026-12-31"));
  CHECK_FALSE(is_valid_date("2026-13-01"));
  CHECK_FALSE(is_valid_date("2026-00-10"));
  CHECK_FALSE(is_valid_date("2026-01-00"));
  CHECK_FALSE(is_valid_date("2026-04-31")); // April has 30 days
  CHECK(is_valid_date("2026-04-30"));
  CHECK_FALSE(is_valid_date("2026-01-32"));
}

TEST_CASE("util: is_valid_date rejects wrong lengths and separators") {
  CHECK_FALSE(is_valid_date(""));
  CHECK_FALSE(is_valid_date("2026-1-05"));
  CHECK_FALSE(is_valid_date("2026-01-5"));
  CHECK_FALSE(is_valid_date("26-01-05"));
  CHECK_FALSE(is_valid_date("2026-01-050"));
  CHECK_FALSE(is_valid_date("02026-01-05"));
  CHECK_FALSE(is_valid_date("2026/01/05"));
  CHECK_FALSE(is_valid_date("2026-01-05T10:00"));
  CHECK_FALSE(is_valid_date("2026-0a-05"));
  CHECK_FALSE(is_valid_date(" 2026-01-0"));
}

TEST_CASE("util: is_valid_date_or_month_day accepts --MM-DD birthdays") {
  CHECK(is_valid_date_or_month_day("--12-25"));
  CHECK(is_valid_date_or_month_day("--02-29")); // a birthday on a leap day has no year
  CHECK(is_valid_date_or_month_day("--01-31"));
  CHECK_FALSE(is_valid_date_or_month_day("--02-30"));
  CHECK_FALSE(is_valid_date_or_month_day("--04-31"));
  CHECK_FALSE(is_valid_date_or_month_day("--13-01"));
  CHECK_FALSE(is_valid_date_or_month_day("--00-10"));
  CHECK_FALSE(is_valid_date_or_month_day("--12-00"));
  CHECK_FALSE(is_valid_date_or_month_day("-12-25"));
  CHECK_FALSE(is_valid_date_or_month_day("--1225"));
  CHECK_FALSE(is_valid_date_or_month_day("--12-5"));
  CHECK_FALSE(is_valid_date_or_month_day("--12-255"));
  // Full dates are still accepted, and still checked.
  CHECK(is_valid_date_or_month_day("2024-02-29"));
  CHECK_FALSE(is_valid_date_or_month_day("2023-02-29"));
  // The plain date check does not take the year-less form.
  CHECK_FALSE(is_valid_date("--12-25"));
}

// ------------------------------------------------------------------ timestamps

TEST_CASE("util: parse_timestamp reads Z and explicit offsets") {
  check_ts("2026-11-25T16:02:25Z", 1795622545, 0);
  check_ts("2026-11-25T16:02:25+02:00", 1795622545 - 2 * 3600, 120);
  check_ts("2026-11-25T16:02:25-05:30", 1795622545 + 5 * 3600 + 30 * 60, -330);
  check_ts("2026-11-25T16:02:25+00:00", 1795622545, 0);
}

TEST_CASE("util: parse_timestamp makes seconds optional") {
  check_ts("2026-11-25T16:02Z", 1795622520, 0);
  check_ts("2026-11-25T16:02+02:00", 1795622520 - 2 * 3600, 120);
  check_ts("2026-11-25T16:02:00Z", 1795622520, 0);
}

TEST_CASE("util: parse_timestamp without an offset uses the local zone, with DST") {
  LocalZone zone(bucharest);
  check_ts("2024-01-15T10:00", 1705305600, 120);    // EET, winter
  check_ts("2024-07-15T10:00:00", 1721026800, 180); // EEST, summer
}

TEST_CASE("util: parse_timestamp rejects malformed input") {
  for (const char* bad : {
           "",
           "2026-11-25",              // a date is not a timestamp
           "2026-11-25T",
           "2026-11-25T16",
           "2026-11-25T1:02Z",
           "2026-02-30T10:00Z",       // no such day
           "2026-13-01T10:00Z",
           "2026-11-25T24:00Z",       // hour out of range
           "2026-11-25T10:60Z",       // minute out of range
           "2026-11-25T10:00:61Z",    // second out of range
           "2026-11-25T10:00:5Z",     // one-digit seconds
           "2026-11-25X10:00Z",       // bad separator
           "2026-11-25T10-00Z",
           "2026-11-25T10:00+2:00",   // one-digit offset hour
           "2026-11-25T10:00+02",     // offset without minutes
           "2026-11-25T10:00+0200",   // offset without colon
           "2026-11-25T10:00+02:60",
           "2026-11-25T10:00Zjunk",   // trailing text
           "2026-11-25T10:00:00+02:00 ",
           "2026-11-25T10:00 UTC",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_timestamp(bad).has_value());
  }
}

TEST_CASE("util: format_timestamp writes the offset, never Z") {
  CHECK(format_timestamp({1795622545, 120}) == "2026-11-25T18:02:25+02:00");
  CHECK(format_timestamp({1795622545, 0}) == "2026-11-25T16:02:25+00:00");
  CHECK(format_timestamp({1795622545, 180}) == "2026-11-25T19:02:25+03:00");
}

TEST_CASE("util: format_timestamp handles negative offsets and earlier local days") {
  CHECK(format_timestamp({1795622545, -330}) == "2026-11-25T10:32:25-05:30");
  CHECK(format_timestamp({1795593600, -600}) == "2026-11-24T22:00:00-10:00"); // 08:00Z
  CHECK(format_timestamp({1795593600, -30}) == "2026-11-25T07:30:00-00:30");
  // Before the epoch too.
  CHECK(format_timestamp({-1, 0}) == "1969-12-31T23:59:59+00:00");
  CHECK(format_timestamp({-1, -60}) == "1969-12-31T22:59:59-01:00");
}

TEST_CASE("util: format_timestamp and parse_timestamp round-trip") {
  for (const Timestamp t : {Timestamp{1795622545, 120}, Timestamp{1795622545, -330},
                            Timestamp{0, 0}, Timestamp{-86401, 345}, Timestamp{1709251140, -720},
                            Timestamp{4102444799, 840}}) {
    const std::string text = format_timestamp(t);
    CAPTURE(text);
    const auto back = parse_timestamp(text);
    REQUIRE(back.has_value());
    CHECK(back->unix_seconds == t.unix_seconds);
    CHECK(back->offset_minutes == t.offset_minutes);
  }
  // And text -> value -> the same text.
  for (const char* text : {"2026-11-25T16:02:25+02:00", "2024-02-29T23:59:00-05:30",
                           "2000-01-01T00:00:00+00:00"}) {
    CAPTURE(text);
    CHECK(format_timestamp(*parse_timestamp(text)) == text);
  }
}

// ------------------------------------------------------------------ now / today

TEST_CASE("util: CRM_NOW pins now() and today()") {
  EnvVar pin("CRM_NOW", std::string("2026-11-25T16:02:25+02:00"));
  const auto t = crm::time::now();
  CHECK(t.unix_seconds == 1795615345);
  CHECK(t.offset_minutes == 120);
  CHECK(crm::time::today() == "2026-11-25");
  CHECK(format_timestamp(crm::time::now()) == "2026-11-25T16:02:25+02:00");
}

TEST_CASE("util: today() is CRM_NOW's own date, not the UTC date") {
  // 23:30 at -05:00 is already the 26th in UTC.
  EnvVar pin("CRM_NOW", std::string("2026-11-25T23:30:00-05:00"));
  CHECK(crm::time::now().unix_seconds == 1795667400);
  CHECK(crm::time::now().offset_minutes == -300);
  CHECK(crm::time::today() == "2026-11-25");
}

TEST_CASE("util: a bad CRM_NOW throws invalid_data") {
  EnvVar pin("CRM_NOW", std::string("yesterday"));
  const auto e = crm_test::error_from([] { crm::time::now(); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad CRM_NOW 'yesterday'");
  CHECK_FALSE(e.hints().empty());
  CHECK(crm_test::error_from([] { crm::time::today(); }).kind() == crm::ErrorKind::invalid_data);
  pin.set("2026-11-25T25:00:00Z");
  CHECK(crm_test::error_from([] { crm::time::now(); }).kind() == crm::ErrorKind::invalid_data);
}

TEST_CASE("util: without CRM_NOW, now() follows the system clock and local zone") {
  EnvVar unpin("CRM_NOW", std::nullopt);
  LocalZone zone(bucharest);
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const auto t = crm::time::now();
  const auto after = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(t.unix_seconds >= before);
  CHECK(t.unix_seconds <= after);
  CHECK((t.offset_minutes == 120 || t.offset_minutes == 180));
  CHECK(crm::time::today() == format_timestamp(crm::time::now()).substr(0, 10));
}

// ------------------------------------------------------------------ Date

TEST_CASE("util: parse_date and format_date") {
  const auto d = parse_date("2026-11-25");
  REQUIRE(d.has_value());
  CHECK(d->year == 2026);
  CHECK(d->month == 11);
  CHECK(d->day == 25);
  CHECK(format_date(*d) == "2026-11-25");
  CHECK(format_date(Date{2024, 2, 9}) == "2024-02-09"); // zero padded
  CHECK(format_date(Date{987, 1, 1}) == "0987-01-01");
  CHECK(format_date(Date{}) == "1970-01-01");           // the default is the epoch
  CHECK(date_text(parse_date("2024-02-29")) == "2024-02-29");
  for (const char* bad : {"", "2026-02-30", "2023-02-29", "2026-13-01", "2026-1-05",
                          "2026-11-25T10:00", " 2026-11-25", "2026-11-25 ", "today",
                          "--12-25", "2026/11/25"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_date(bad).has_value());
  }
}

TEST_CASE("util: Date compares chronologically") {
  CHECK(Date{2026, 1, 31} < Date{2026, 2, 1});
  CHECK(Date{2025, 12, 31} < Date{2026, 1, 1});
  CHECK(Date{2026, 2, 10} > Date{2026, 2, 9});
  CHECK(Date{2026, 2, 10} == date("2026-02-10"));
  CHECK(Date{2026, 2, 10} != Date{2026, 2, 11});
}

TEST_CASE("util: days_since_epoch and date_from_days") {
  CHECK(crm::time::days_since_epoch(Date{1970, 1, 1}) == 0);
  CHECK(crm::time::days_since_epoch(Date{1970, 1, 2}) == 1);
  CHECK(crm::time::days_since_epoch(Date{1969, 12, 31}) == -1);
  CHECK(crm::time::days_since_epoch(date("2026-11-25")) == 1795564800 / 86400);
  CHECK(crm::time::days_since_epoch(date("2000-03-01")) == 11017);
  CHECK(format_date(crm::time::date_from_days(0)) == "1970-01-01");
  CHECK(format_date(crm::time::date_from_days(-1)) == "1969-12-31");
  CHECK(format_date(crm::time::date_from_days(20782)) == "2026-11-25");
  CHECK(format_date(crm::time::date_from_days(11016)) == "2000-02-29");
}

TEST_CASE("util: date_from_days walks every day of two centuries in order") {
  // An independent successor function checks the conversions day by day.
  auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  auto month_days = [&](int y, int m) {
    const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
  };
  Date d{1899, 12, 31};
  std::int64_t n = crm::time::days_since_epoch(d);
  int failures = 0;
  while (d.year < 2101 && failures < 5) {
    if (++d.day > month_days(d.year, d.month)) {
      d.day = 1;
      if (++d.month > 12) { d.month = 1; ++d.year; }
    }
    ++n;
    if (crm::time::days_since_epoch(d) != n || crm::time::date_from_days(n) != d ||
        !crm::time::is_valid_date(format_date(d))) {
      ++failures;
      FAIL_CHECK("mismatch at " << format_date(d) << " (day " << n << ")");
    }
  }
  CHECK(failures == 0);
  CHECK(format_date(d) == "2101-01-01");
}

TEST_CASE("util: add_days crosses months, years and leap days") {
  using crm::time::add_days;
  CHECK(format_date(add_days(date("2026-11-25"), 0)) == "2026-11-25");
  CHECK(format_date(add_days(date("2026-11-25"), 6)) == "2026-12-01");
  CHECK(format_date(add_days(date("2026-12-31"), 1)) == "2027-01-01");
  CHECK(format_date(add_days(date("2027-01-01"), -1)) == "2026-12-31");
  CHECK(format_date(add_days(date("2024-02-28"), 1)) == "2024-02-29");
  CHECK(format_date(add_days(date("2023-02-28"), 1)) == "2023-03-01");
  CHECK(format_date(add_days(date("2024-03-01"), -1)) == "2024-02-29");
  CHECK(format_date(add_days(date("2024-01-01"), 366)) == "2025-01-01");
  CHECK(format_date(add_days(date("1970-01-01"), -365)) == "1969-01-01");
}

TEST_CASE("util: add_months clamps the day to the month's end") {
  using crm::time::add_months;
  CHECK(format_date(add_months(date("2026-01-31"), 1)) == "2026-02-28");
  CHECK(format_date(add_months(date("2024-01-31"), 1)) == "2024-02-29"); // leap year
  CHECK(format_date(add_months(date("2026-03-31"), 1)) == "2026-04-30");
  CHECK(format_date(add_months(date("2026-03-31"), -1)) == "2026-02-28");
  CHECK(format_date(add_months(date("2024-03-31"), -1)) == "2024-02-29");
  CHECK(format_date(add_months(date("2026-01-31"), 2)) == "2026-03-31"); // not 03-28
  CHECK(format_date(add_months(date("2026-11-25"), 0)) == "2026-11-25");
  CHECK(format_date(add_months(date("2026-11-25"), 1)) == "2026-12-25");
  CHECK(format_date(add_months(date("2026-12-15"), 1)) == "2027-01-15");
  CHECK(format_date(add_months(date("2026-01-15"), -1)) == "2025-12-15");
  CHECK(format_date(add_months(date("2026-01-15"), -13)) == "2024-12-15");
  CHECK(format_date(add_months(date("2026-01-15"), 24)) == "2028-01-15");
  CHECK(format_date(add_months(date("2026-01-15"), -12 * 2026)) == "0000-01-15");
  // A year from a leap day, and four years.
  CHECK(format_date(add_months(date("2024-02-29"), 12)) == "2025-02-28");
  CHECK(format_date(add_months(date("2024-02-29"), 48)) == "2028-02-29");
  CHECK(format_date(add_months(date("2024-02-29"), -12)) == "2023-02-28");
}

TEST_CASE("util: weekday of known dates, 0 = Monday") {
  using crm::time::weekday;
  CHECK(weekday(date("2026-11-25")) == 2); // Wednesday
  CHECK(weekday(date("2026-11-30")) == 0); // Monday
  CHECK(weekday(date("2026-11-29")) == 6); // Sunday
  CHECK(weekday(date("1970-01-01")) == 3); // Thursday
  CHECK(weekday(date("1969-12-31")) == 2); // Wednesday, before the epoch
  CHECK(weekday(date("1969-12-29")) == 0); // Monday
  CHECK(weekday(date("2000-01-01")) == 5); // Saturday
  CHECK(weekday(date("2024-02-29")) == 3); // Thursday
  CHECK(weekday(date("1900-01-01")) == 0); // Monday
  CHECK(weekday(date("1066-10-14")) == 6); // Sunday (proleptic Gregorian; Saturday in Julian)
  // Seven consecutive days take every value once, in order.
  for (int i = 0; i < 7; ++i)
    CHECK(weekday(crm::time::add_days(date("2026-11-30"), i)) == i);
}

TEST_CASE("util: days_between is to - from") {
  using crm::time::days_between;
  CHECK(days_between(date("2026-11-25"), date("2026-11-25")) == 0);
  CHECK(days_between(date("2026-11-25"), date("2026-12-25")) == 30);
  CHECK(days_between(date("2026-12-25"), date("2026-11-25")) == -30);
  CHECK(days_between(date("2024-01-01"), date("2025-01-01")) == 366);
  CHECK(days_between(date("2025-01-01"), date("2026-01-01")) == 365);
  CHECK(days_between(date("1969-12-31"), date("1970-01-02")) == 2);
}

TEST_CASE("util: date_of uses the timestamp's own offset") {
  using crm::time::date_of;
  CHECK(format_date(date_of({1795593600, 120})) == "2026-11-25"); // 10:00+02:00
  // 23:30 at -05:00 on the 25th is already the 26th in UTC.
  CHECK(format_date(date_of({1795667400, -300})) == "2026-11-25");
  CHECK(format_date(date_of({1795667400, 0})) == "2026-11-26");
  // 23:30Z on the 25th is the 26th at +02:00.
  CHECK(format_date(date_of({1795649400, 0})) == "2026-11-25");
  CHECK(format_date(date_of({1795649400, 120})) == "2026-11-26");
  // Midnight belongs to the new day, the second before to the old one.
  CHECK(format_date(date_of({1795564800, 0})) == "2026-11-25");
  CHECK(format_date(date_of({1795564799, 0})) == "2026-11-24");
  CHECK(format_date(date_of({0, 0})) == "1970-01-01");
  CHECK(format_date(date_of({-1, 0})) == "1969-12-31");
  CHECK(format_date(date_of({-86400, 0})) == "1969-12-31");
  CHECK(format_date(date_of({-86401, 0})) == "1969-12-30");
  CHECK(format_date(date_of({0, -60})) == "1969-12-31");
}

TEST_CASE("util: today_date() agrees with today()") {
  EnvVar pin("CRM_NOW", std::string("2026-11-25T23:30:00-05:00"));
  CHECK(format_date(crm::time::today_date()) == "2026-11-25");
  CHECK(format_date(crm::time::today_date()) == crm::time::today());
  pin.set("2024-02-29T00:00:00+14:00");
  CHECK(format_date(crm::time::today_date()) == "2024-02-29");
  pin.set("2026-01-01"); // a date-only CRM_NOW means noon of that day
  CHECK(format_date(crm::time::today_date()) == "2026-01-01");
}

TEST_CASE("util: at_time builds a local wall-clock time in an offset") {
  using crm::time::at_time;
  const Timestamp t = at_time(date("2026-11-25"), 10, 0, 120);
  CHECK(t.unix_seconds == 1795593600);
  CHECK(t.offset_minutes == 120);
  CHECK(format_timestamp(at_time(date("2026-11-22"), 15, 30, 60)) == "2026-11-22T15:30:00+01:00");
  CHECK(format_timestamp(at_time(date("2026-11-25"), 23, 59, -330)) ==
        "2026-11-25T23:59:00-05:30");
  CHECK(format_timestamp(at_time(date("2026-11-25"), 0, 0, 0)) == "2026-11-25T00:00:00+00:00");
  CHECK(at_time(date("1970-01-01"), 0, 0, 60).unix_seconds == -3600);
  CHECK(format_date(crm::time::date_of(at_time(date("2026-11-25"), 0, 0, 840))) == "2026-11-25");
}

// ------------------------------------------------------------------ parse_when

TEST_CASE("util: parse_when reads dates as noon in now's offset") {
  CHECK(when("2026-11-22") == "day 2026-11-22 at 2026-11-22T12:00:00+02:00");
  CHECK(when("2024-02-29") == "day 2024-02-29 at 2024-02-29T12:00:00+02:00");
  CHECK(when("2026-11-22", "2026-11-25T10:00:00-05:30") ==
        "day 2026-11-22 at 2026-11-22T12:00:00-05:30");
  CHECK(when("  2026-11-22\t") == "day 2026-11-22 at 2026-11-22T12:00:00+02:00");
  const auto w = crm::time::parse_when("2026-11-22", *parse_timestamp(wednesday_10am));
  REQUIRE(w.has_value());
  CHECK_FALSE(w->has_time);
  CHECK(w->date == Date{2026, 11, 22});
  CHECK(w->at.unix_seconds == 1795305600 + 10 * 3600); // 12:00+02:00 = 10:00Z
  CHECK(w->at.offset_minutes == 120);
}

TEST_CASE("util: parse_when reads timestamps exactly") {
  const Timestamp now = *parse_timestamp(wednesday_10am);
  const auto w = crm::time::parse_when("2026-11-22T15:30+01:00", now);
  REQUIRE(w.has_value());
  CHECK(w->has_time);
  CHECK(w->at.unix_seconds == 1795357800); // 14:30Z
  CHECK(w->at.offset_minutes == 60);
  CHECK(w->date == Date{2026, 11, 22});

  CHECK(when("2026-11-22 15:30") != std::nullopt);
  CHECK(when("2026-11-22 15:30:45Z") == "time 2026-11-22 at 2026-11-22T15:30:45+00:00");
  CHECK(when("2026-11-22T15:30:45-05:30") == "time 2026-11-22 at 2026-11-22T15:30:45-05:30");
  // Case-insensitive 'T' and 'Z', spaces around ignored.
  CHECK(when(" 2026-11-22t15:30z ") == "time 2026-11-22 at 2026-11-22T15:30:00+00:00");
  // The date is the timestamp's own, not now's offset's nor UTC's.
  CHECK(when("2026-11-22T23:30-05:00") == "time 2026-11-22 at 2026-11-22T23:30:00-05:00");
}

TEST_CASE("util: parse_when timestamps without an offset use the local zone") {
  LocalZone zone(bucharest);
  const auto w = crm::time::parse_when("2026-11-22 15:30", *parse_timestamp(wednesday_10am));
  REQUIRE(w.has_value());
  CHECK(w->has_time);
  CHECK(w->at.offset_minutes == 120); // EET
  CHECK(w->at.unix_seconds == 1795354200);
  CHECK(when("2026-07-01T09:00") == "time 2026-07-01 at 2026-07-01T09:00:00+03:00"); // EEST
}

TEST_CASE("util: parse_when now, today, tomorrow, yesterday") {
  CHECK(when("now") == "time 2026-11-25 at 2026-11-25T10:00:00+02:00");
  CHECK(when(" NOW ") == "time 2026-11-25 at 2026-11-25T10:00:00+02:00");
  const Timestamp now = *parse_timestamp(wednesday_10am);
  const auto w = crm::time::parse_when("now", now);
  REQUIRE(w.has_value());
  CHECK(w->at.unix_seconds == now.unix_seconds);
  CHECK(w->at.offset_minutes == now.offset_minutes);

  CHECK(when("today") == "day 2026-11-25 at 2026-11-25T12:00:00+02:00");
  CHECK(when("Today") == "day 2026-11-25 at 2026-11-25T12:00:00+02:00");
  CHECK(when("tomorrow") == "day 2026-11-26 at 2026-11-26T12:00:00+02:00");
  CHECK(when("TOMORROW") == "day 2026-11-26 at 2026-11-26T12:00:00+02:00");
  CHECK(when("yesterday") == "day 2026-11-24 at 2026-11-24T12:00:00+02:00");
  // Across month, year and leap-day boundaries.
  CHECK(when_day("tomorrow", "2026-11-30T10:00:00+02:00") == "2026-12-01");
  CHECK(when_day("tomorrow", "2026-12-31T10:00:00+02:00") == "2027-01-01");
  CHECK(when_day("tomorrow", "2024-02-28T10:00:00+02:00") == "2024-02-29");
  CHECK(when_day("yesterday", "2026-03-01T10:00:00+02:00") == "2026-02-28");
  CHECK(when_day("yesterday", "2024-03-01T10:00:00+02:00") == "2024-02-29");
}

TEST_CASE("util: parse_when counts from now's local date, not the UTC date") {
  // 23:30 at -05:00 is already the 26th in UTC.
  const char* late = "2026-11-25T23:30:00-05:00";
  CHECK(when("today", late) == "day 2026-11-25 at 2026-11-25T12:00:00-05:00");
  CHECK(when("tomorrow", late) == "day 2026-11-26 at 2026-11-26T12:00:00-05:00");
  CHECK(when_day("+1d", late) == "2026-11-26");
  CHECK(when_day("thursday", late) == "2026-11-26");
  // 00:30 at +02:00 is still the 24th in UTC.
  const char* early = "2026-11-25T00:30:00+02:00";
  CHECK(when_day("today", early) == "2026-11-25");
  CHECK(when_day("last wednesday", early) == "2026-11-18");
}

TEST_CASE("util: parse_when relative days, weeks, months and years are dates") {
  CHECK(when("+3d") == "day 2026-11-28 at 2026-11-28T12:00:00+02:00");
  CHECK(when("3d") == "day 2026-11-28 at 2026-11-28T12:00:00+02:00");
  CHECK(when("-3d") == "day 2026-11-22 at 2026-11-22T12:00:00+02:00");
  CHECK(when_day("+0d") == "2026-11-25");
  CHECK(when_day("+6d") == "2026-12-01");
  CHECK(when_day("+2w") == "2026-12-09");
  CHECK(when_day("-1w") == "2026-11-18");
  CHECK(when_day("+1m") == "2026-12-25");
  CHECK(when_day("+2m") == "2027-01-25");
  CHECK(when_day("-11m") == "2025-12-25");
  CHECK(when_day("-1y") == "2025-11-25");
  CHECK(when_day("+1Y") == "2027-11-25");
  CHECK(when_day("+3D") == "2026-11-28");
  CHECK(when_day("+1M") == "2026-12-25"); // M is months in any case, never minutes
  CHECK(when_day("+365d") == "2027-11-25");
  CHECK(when_day("+100000d") == "2300-09-10");
  // At most 100000 days in any unit, so that the date has four digits and a file
  // that holds it reads back (9025y would be the year 11051).
  CHECK(when_day("+273y") == "2299-11-25");
  CHECK(when_day("-3225m") == "1758-02-25");
  CHECK(when_day("+14285w") == "2300-09-05");
  for (const char* too_far : {"+274y", "9025y", "-3226m", "+14286w", "+100001d"}) {
    CAPTURE(too_far);
    CHECK_FALSE(crm::time::parse_when(too_far, *crm::time::parse_timestamp("2026-11-25T10:00:00+02:00")));
  }
  CHECK(when_day("+007d") == "2026-12-02");
  // Months and years clamp to the month's end.
  CHECK(when_day("+1m", "2026-01-31T10:00:00+02:00") == "2026-02-28");
  CHECK(when_day("+1m", "2024-01-31T10:00:00+02:00") == "2024-02-29");
  CHECK(when_day("-1m", "2026-03-31T10:00:00+02:00") == "2026-02-28");
  CHECK(when_day("+1y", "2024-02-29T10:00:00+02:00") == "2025-02-28");
  CHECK(when_day("-4y", "2024-02-29T10:00:00+02:00") == "2020-02-29");
  CHECK(when_day("+12m", "2024-02-29T10:00:00+02:00") == "2025-02-28");
}

TEST_CASE("util: parse_when relative hours and minutes keep the time and offset") {
  CHECK(when("+4h") == "time 2026-11-25 at 2026-11-25T14:00:00+02:00");
  CHECK(when("4h") == "time 2026-11-25 at 2026-11-25T14:00:00+02:00");
  CHECK(when("-30min") == "time 2026-11-25 at 2026-11-25T09:30:00+02:00");
  CHECK(when("+90MIN") == "time 2026-11-25 at 2026-11-25T11:30:00+02:00");
  CHECK(when("+0h") == "time 2026-11-25 at 2026-11-25T10:00:00+02:00");
  // The date follows the moment across local midnight.
  CHECK(when("+14h") == "time 2026-11-26 at 2026-11-26T00:00:00+02:00");
  CHECK(when("-11h") == "time 2026-11-24 at 2026-11-24T23:00:00+02:00");
  CHECK(when("+1h", "2026-11-25T23:30:00-05:00") ==
        "time 2026-11-26 at 2026-11-26T00:30:00-05:00");
  const Timestamp now = *parse_timestamp(wednesday_10am);
  const auto w = crm::time::parse_when("+4h", now);
  REQUIRE(w.has_value());
  CHECK(w->has_time);
  CHECK(w->at.unix_seconds == now.unix_seconds + 4 * 3600);
  CHECK(w->at.offset_minutes == 120);
}

TEST_CASE("util: parse_when weekdays are strictly after today") {
  // now is Wednesday 2026-11-25.
  CHECK(when("monday") == "day 2026-11-30 at 2026-11-30T12:00:00+02:00");
  CHECK(when_day("mon") == "2026-11-30");
  CHECK(when_day("tuesday") == "2026-12-01");
  CHECK(when_day("tue") == "2026-12-01");
  CHECK(when_day("wednesday") == "2026-12-02"); // today is Wednesday: next week's
  CHECK(when_day("wed") == "2026-12-02");
  CHECK(when_day("thursday") == "2026-11-26");
  CHECK(when_day("thu") == "2026-11-26");
  CHECK(when_day("friday") == "2026-11-27");
  CHECK(when_day("fri") == "2026-11-27");
  CHECK(when_day("saturday") == "2026-11-28");
  CHECK(when_day("sat") == "2026-11-28");
  CHECK(when_day("sunday") == "2026-11-29");
  CHECK(when_day("sun") == "2026-11-29");
  CHECK(when_day("Friday") == "2026-11-27");
  CHECK(when_day("  SUN  ") == "2026-11-29");
}

TEST_CASE("util: parse_when next and last weekdays") {
  CHECK(when("next monday") == "day 2026-11-30 at 2026-11-30T12:00:00+02:00");
  CHECK(when_day("next wednesday") == "2026-12-02");
  CHECK(when_day("next thu") == "2026-11-26");
  CHECK(when_day("Next  Friday") == "2026-11-27"); // several spaces
  CHECK(when_day("next\tfri") == "2026-11-27");
  CHECK(when("last wednesday") == "day 2026-11-18 at 2026-11-18T12:00:00+02:00");
  CHECK(when_day("last friday") == "2026-11-20");
  CHECK(when_day("last thursday") == "2026-11-19");
  CHECK(when_day("last tue") == "2026-11-24");
  CHECK(when_day("LAST Mon") == "2026-11-23");
  CHECK(when_day("last sunday") == "2026-11-22");
  CHECK(when_day("last monday", "2026-01-01T10:00:00+02:00") == "2025-12-29"); // across years
}

TEST_CASE("util: parse_when weekdays from every day of the week") {
  const char* names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                         "sunday"};
  for (int start = 0; start < 7; ++start) {
    // 2026-11-30 is a Monday.
    const Date today = crm::time::add_days(date("2026-11-30"), start);
    const std::string now_text = format_date(today) + "T10:00:00+02:00";
    for (int target = 0; target < 7; ++target) {
      CAPTURE(now_text);
      CAPTURE(names[target]);
      const auto next = when_day(names[target], now_text.c_str());
      const auto last = when_day(std::string("last ") + names[target], now_text.c_str());
      REQUIRE(next.has_value());
      REQUIRE(last.has_value());
      const auto ahead = crm::time::days_between(today, date(*next));
      const auto behind = crm::time::days_between(date(*last), today);
      CHECK(ahead >= 1);
      CHECK(ahead <= 7);
      CHECK(behind >= 1);
      CHECK(behind <= 7);
      CHECK(crm::time::weekday(date(*next)) == target);
      CHECK(crm::time::weekday(date(*last)) == target);
      CHECK(when_day(std::string("next ") + names[target], now_text.c_str()) == next);
    }
  }
}

TEST_CASE("util: parse_when rejects everything else") {
  for (const char* bad : {
           "",
           "   ",
           "+d",                 // no count
           "-d",
           "d",
           "+",
           "3",                  // no unit
           "+3",
           "+3x",
           "+3 d",               // no space inside
           "+ 3d",
           "++3d",
           "+-3d",
           "3dd",
           "+3days",
           "+3hours",
           "+30mins",
           "+30mn",
           "+1.5d",
           "+3m1",
           "+100001d",           // count too large
           "99999999999999999999d",
           "2026-02-30",         // no such day
           "2026-02-30T10:00Z",
           "2026-11-22T",
           "2026-11-22T15:30+1:00",
           "2026-11-22T25:00",
           "2026-11-22x",
           "20261122",
           "next",
           "last",
           "next week",
           "next 3d",
           "next next monday",
           "monday next",
           "mondays",
           "nextmonday",
           "mo",
           "tues",
           "thurs",
           "someday",
           "tomorrow 10:00",
           "now+1d",
           "noon",
           "\xe2\x88\x92" "3d",  // U+2212 MINUS SIGN
       }) {
    CAPTURE(bad);
    CHECK(when(bad) == std::nullopt);
  }
}

// ------------------------------------------------------------------ periods

TEST_CASE("util: parse_period reads N days, weeks, months or years") {
  CHECK(period_text("30d") == "30/d");
  CHECK(period_text("2w") == "2/w");
  CHECK(period_text("3m") == "3/m");
  CHECK(period_text("1y") == "1/y");
  CHECK(period_text("1D") == "1/d"); // unit stored lower case
  CHECK(period_text("6M") == "6/m");
  CHECK(period_text("007d") == "7/d");
  CHECK(period_text("100000d") == "100000/d");
  // At most 100000 days in any unit: the dates it gives keep four-digit years.
  CHECK(period_text("14285w") == "14285/w");
  CHECK(period_text("3225m") == "3225/m");
  CHECK(period_text("273y") == "273/y");
  for (const char* bad : {"", "d", "0d", "00d", "-1d", "+1d", "100001d", "14286w", "3226m", "274y", "9025y", "99999999999999999999d",
                          "30", "30x", "30dd", "30min", "30h", " 30d", "30d ", "30 d", "1.5m",
                          "d30", "3m1"}) {
    CAPTURE(bad);
    CHECK(period_text(bad) == std::nullopt);
  }
}

TEST_CASE("util: format_period writes what parse_period reads") {
  CHECK(crm::time::format_period(Period{30, 'd'}) == "30d");
  CHECK(crm::time::format_period(Period{1, 'y'}) == "1y");
  for (const char* text : {"30d", "2w", "3m", "1y", "100000d"}) {
    CAPTURE(text);
    const auto p = parse_period(text);
    REQUIRE(p.has_value());
    CHECK(crm::time::format_period(*p) == text);
  }
}

TEST_CASE("util: add_period adds calendar units, times at once") {
  using crm::time::add_period;
  CHECK(format_date(add_period(date("2026-11-25"), Period{30, 'd'})) == "2026-12-25");
  CHECK(format_date(add_period(date("2026-11-25"), Period{2, 'w'})) == "2026-12-09");
  CHECK(format_date(add_period(date("2026-11-25"), Period{2, 'w'}, 3)) == "2027-01-06");
  CHECK(format_date(add_period(date("2026-11-25"), Period{3, 'm'})) == "2027-02-25");
  CHECK(format_date(add_period(date("2026-11-25"), Period{1, 'y'})) == "2027-11-25");
  CHECK(format_date(add_period(date("2026-11-25"), Period{30, 'd'}, 0)) == "2026-11-25");
  CHECK(format_date(add_period(date("2026-11-25"), Period{1, 'w'}, -1)) == "2026-11-18");
  // A monthly cadence from the 31st does not drift to the 28th.
  const Date jan31 = date("2026-01-31");
  CHECK(format_date(add_period(jan31, Period{1, 'm'})) == "2026-02-28");
  CHECK(format_date(add_period(jan31, Period{1, 'm'}, 2)) == "2026-03-31");
  CHECK(format_date(add_period(jan31, Period{1, 'm'}, 3)) == "2026-04-30");
  CHECK(format_date(add_period(jan31, Period{1, 'm'}, 13)) == "2027-02-28");
  // Yearly from a leap day.
  CHECK(format_date(add_period(date("2024-02-29"), Period{1, 'y'})) == "2025-02-28");
  CHECK(format_date(add_period(date("2024-02-29"), Period{1, 'y'}, 4)) == "2028-02-29");
  // Large counts times large multipliers do not overflow an int.
  CHECK(format_date(add_period(date("2026-01-15"), Period{100000, 'm'}, 0)) == "2026-01-15");
  CHECK(format_date(add_period(date("2026-01-15"), Period{100000, 'd'}, 1)) == "2299-10-31");
}

TEST_CASE("util: add_period rejects a hand-built Period with a bad unit") {
  const auto e = crm_test::error_from([] { crm::time::add_period(Date{}, Period{1, 'x'}); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad period unit 'x'");
}

// ------------------------------------------------------------------ durations

TEST_CASE("util: parse_duration_minutes reads minutes and hours") {
  CHECK(parse_duration_minutes("15m") == 15);
  CHECK(parse_duration_minutes("15min") == 15);
  CHECK(parse_duration_minutes("1h") == 60);
  CHECK(parse_duration_minutes("1h30m") == 90);
  CHECK(parse_duration_minutes("1h30min") == 90);
  CHECK(parse_duration_minutes("1h30") == 90);
  CHECK(parse_duration_minutes("1h05") == 65);
  CHECK(parse_duration_minutes("2h0m") == 120);
  CHECK(parse_duration_minutes("90") == 90); // plain = minutes
  CHECK(parse_duration_minutes("90m") == 90);
  CHECK(parse_duration_minutes("1.5h") == 90);
  CHECK(parse_duration_minutes("0.25h") == 15);
  CHECK(parse_duration_minutes("2.75h") == 165);
  CHECK(parse_duration_minutes("1.50h") == 90);
  CHECK(parse_duration_minutes("1.1h") == 66);
  CHECK(parse_duration_minutes("1H30M") == 90);
  CHECK(parse_duration_minutes("15MIN") == 15);
  CHECK(parse_duration_minutes("0") == 0);
  CHECK(parse_duration_minutes("0m") == 0);
  CHECK(parse_duration_minutes("100000") == 100000);
  CHECK(parse_duration_minutes("1666h40m") == 100000);
  CHECK(parse_duration_minutes("1666.5h") == 99990);
}

TEST_CASE("util: parse_duration_minutes rejects negatives, junk and too much") {
  for (const char* bad : {"", "-15m", "-15", "+15m", "m", "h", "min", "15 m", " 15m", "15m ",
                          "1h 30m", "1h60m", "1h90", "1h-30m", "1h30s", "1hh", "1h30mm",
                          "1h30h", "1.5", "1.5m", "1.h", ".5h", "1.01h", "1.5h30m", "1..5h",
                          "1,5h", "100001", "100001m", "1667h", "1666h41m", "99999999999999",
                          "15mins", "15x", "1d", "1w", "abc", "1:30", "0.0000001h"}) {
    CAPTURE(bad);
    CHECK(parse_duration_minutes(bad) == std::nullopt);
  }
}

TEST_CASE("util: format_duration writes what parse_duration_minutes reads") {
  using crm::time::format_duration;
  CHECK(format_duration(15) == "15m");
  CHECK(format_duration(60) == "1h");
  CHECK(format_duration(90) == "1h30m");
  CHECK(format_duration(61) == "1h1m");
  CHECK(format_duration(0) == "0m");
  CHECK(format_duration(1500) == "25h");
  CHECK(format_duration(59) == "59m");
  CHECK(format_duration(-90) == "-1h30m");
  for (int m = 0; m <= 100000; m += (m < 200 ? 1 : 997)) {
    CAPTURE(m);
    CHECK(parse_duration_minutes(format_duration(m)) == m);
  }
}

TEST_SUITE_END();
