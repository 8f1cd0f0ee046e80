#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using crm::time::format_timestamp;
using crm::time::is_valid_date;
using crm::time::is_valid_date_or_month_day;
using crm::time::parse_timestamp;
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

TEST_SUITE_END();
