#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "format/ics.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

using crm::format::CalendarEvent;
using crm::format::ics_escape;
using crm::format::ics_fold;

namespace {

constexpr std::string_view kStamp = "20261125T080000Z";

std::string render(const std::vector<CalendarEvent>& events, std::string_view name = "crm") {
  std::ostringstream out;
  crm::format::write_ics(out, events, name, kStamp);
  return out.str();
}

// Physical lines without their CRLF; fails when the text has a line that does not
// end with CRLF.
std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find("\r\n", pos);
    REQUIRE(end != std::string::npos);
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

// RFC 5545 3.1 unfolding: drop every CRLF that is followed by a space or tab,
// together with that one whitespace character.
std::string unfold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0 && i + 2 < text.size() &&
        (text[i + 2] == ' ' || text[i + 2] == '\t')) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The unfolded content line of the first property called `name` ("" when none).
std::string property(const std::string& ics, std::string_view name) {
  for (const auto& line : physical_lines(unfold(ics))) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        (line[name.size()] == ':' || line[name.size()] == ';')) {
      return line;
    }
  }
  return {};
}

CalendarEvent on_date(std::string uid, std::string date) {
  CalendarEvent e;
  e.uid = std::move(uid);
  e.date = std::move(date);
  e.summary = "x";
  return e;
}

CalendarEvent at_time(std::string uid, std::string start) {
  CalendarEvent e;
  e.uid = std::move(uid);
  e.start = std::move(start);
  e.summary = "x";
  return e;
}

// Each physical line is at most 75 octets, valid UTF-8, and unfolding gives `line`.
void check_folded(const std::string& line) {
  const std::string folded = ics_fold(line);
  const auto lines = physical_lines(folded);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(i);
    CHECK(lines[i].size() <= 75);
    CHECK(crm::text::is_valid_utf8(lines[i]));
    if (i > 0) {
      REQUIRE(!lines[i].empty());
      CHECK(lines[i][0] == ' ');
      CHECK(lines[i].size() > 1); // no empty continuation line
    }
  }
  CHECK(unfold(folded) == line + "\r\n");
}

} // namespace

TEST_SUITE_BEGIN("format");

// ------------------------------------------------------------------ calendar

TEST_CASE("ics: a small calendar is written exactly, CRLF line ends") {
  CalendarEvent followup;
  followup.uid = "followup-2026-11-25-ana-k7q2@crm";
  followup.date = "2026-11-25";
  followup.summary = "Follow up: Ana Lima";
  followup.description = "Call about the offer\nBring the contract";
  followup.categories = {"overdue"};
  followup.alarm = true;

  CalendarEvent lunch;
  lunch.uid = "cadence-2026-12-03-bo-x1@crm";
  lunch.start = "2026-12-03T10:15:00+02:00";
  lunch.summary = "Bo, lunch";
  lunch.categories = {"cadence", "work"};
  lunch.alarm = true;

  CalendarEvent birthday;
  birthday.uid = "birthday-2026-12-31-cy-m3@crm";
  birthday.date = "2026-12-31";
  birthday.summary = "Cy's birthday";
  birthday.categories = {"birthday"};

  const std::string expected = "BEGIN:VCALENDAR\r\n"
                               "VERSION:2.0\r\n"
                               "PRODID:-//crm//crm " CRM_VERSION "//EN\r\n"
                               "CALSCALE:GREGORIAN\r\n"
                               "METHOD:PUBLISH\r\n"
                               "X-WR-CALNAME:crm due\r\n"
                               "BEGIN:VEVENT\r\n"
                               "UID:followup-2026-11-25-ana-k7q2@crm\r\n"
                               "DTSTAMP:20261125T080000Z\r\n"
                               "DTSTART;VALUE=DATE:20261125\r\n"
                               "DTEND;VALUE=DATE:20261126\r\n"
                               "SUMMARY:Follow up: Ana Lima\r\n"
                               "DESCRIPTION:Call about the offer\\nBring the contract\r\n"
                               "CATEGORIES:overdue\r\n"
                               "TRANSP:TRANSPARENT\r\n"
                               "BEGIN:VALARM\r\n"
                               "ACTION:DISPLAY\r\n"
                               "TRIGGER:PT9H\r\n"
                               "DESCRIPTION:Follow up: Ana Lima\r\n"
                               "END:VALARM\r\n"
                               "END:VEVENT\r\n"
                               "BEGIN:VEVENT\r\n"
                               "UID:cadence-2026-12-03-bo-x1@crm\r\n"
                               "DTSTAMP:20261125T080000Z\r\n"
                               "DTSTART:20261203T081500Z\r\n"
                               "DTEND:20261203T084500Z\r\n"
                               "SUMMARY:Bo\\, lunch\r\n"
                               "CATEGORIES:cadence,work\r\n"
                               "TRANSP:TRANSPARENT\r\n"
                               "BEGIN:VALARM\r\n"
                               "ACTION:DISPLAY\r\n"
                               "TRIGGER:-PT0M\r\n"
                               "DESCRIPTION:Bo\\, lunch\r\n"
                               "END:VALARM\r\n"
                               "END:VEVENT\r\n"
                               "BEGIN:VEVENT\r\n"
                               "UID:birthday-2026-12-31-cy-m3@crm\r\n"
                               "DTSTAMP:20261125T080000Z\r\n"
                               "DTSTART;VALUE=DATE:20261231\r\n"
                               "DTEND;VALUE=DATE:20270101\r\n"
                               "SUMMARY:Cy's birthday\r\n"
                               "CATEGORIES:birthday\r\n"
                               "TRANSP:TRANSPARENT\r\n"
                               "END:VEVENT\r\n"
                               "END:VCALENDAR\r\n";
  CHECK(render({followup, lunch, birthday}, "crm due") == expected);
}

TEST_CASE("ics: no events is still a whole calendar") {
  CHECK(render({}) == "BEGIN:VCALENDAR\r\n"
                      "VERSION:2.0\r\n"
                      "PRODID:-//crm//crm " CRM_VERSION "//EN\r\n"
                      "CALSCALE:GREGORIAN\r\n"
                      "METHOD:PUBLISH\r\n"
                      "X-WR-CALNAME:crm\r\n"
                      "END:VCALENDAR\r\n");
}

TEST_CASE("ics: text values are escaped, empty categories are left out") {
  CalendarEvent e = on_date("a,b;c@crm", "2026-11-25");
  e.summary = "a,b;c\\d";
  e.description = "";
  e.categories = {"", "x,y", ""};
  const std::string ics = render({e}, "my; cal");
  CHECK(property(ics, "UID") == "UID:a\\,b\\;c@crm");
  CHECK(property(ics, "SUMMARY") == "SUMMARY:a\\,b\\;c\\\\d");
  CHECK(property(ics, "DESCRIPTION").empty());
  CHECK(property(ics, "CATEGORIES") == "CATEGORIES:x\\,y");
  CHECK(property(ics, "X-WR-CALNAME") == "X-WR-CALNAME:my\\; cal");

  e.categories = {""};
  CHECK(property(render({e}), "CATEGORIES").empty());
}

TEST_CASE("ics: a long description is folded and unfolds to the escaped text") {
  CalendarEvent e = on_date("long@crm", "2026-11-25");
  // Appended piece by piece: GCC 12 at -O2 warns falsely (-Warray-bounds) on a chain of +.
  e.description.assign(120, 'n');
  e.description.append("\nОлена Шевченко, 你好 — ");
  e.description.append(100, 'z');
  const std::string ics = render({e});
  for (const auto& line : physical_lines(ics)) {
    CAPTURE(line);
    CHECK(line.size() <= 75);
    CHECK(crm::text::is_valid_utf8(line));
  }
  CHECK(property(ics, "DESCRIPTION") == "DESCRIPTION:" + ics_escape(e.description));
}

// ------------------------------------------------------------------ escaping

TEST_CASE("ics_escape: backslash, semicolon, comma and line breaks") {
  CHECK(ics_escape("a,b;c\\d") == "a\\,b\\;c\\\\d");
  CHECK(ics_escape("one\ntwo") == "one\\ntwo");
  CHECK(ics_escape("one\r\ntwo\r\n") == "one\\ntwo\\n");
  CHECK(ics_escape("a\rb") == "ab");
  CHECK(ics_escape("") == "");
  // Colons and quotes are fine in TEXT; tabs stay, other controls cannot be written.
  CHECK(ics_escape("Re: \"hi\"\tthere") == "Re: \"hi\"\tthere");
  CHECK(ics_escape(std::string_view("a\x01" "b\x7f" "c\0d", 7)) == "abcd");
  CHECK(ics_escape("Ана, 你好; ok") == "Ана\\, 你好\\; ok");
}

// ------------------------------------------------------------------ folding

TEST_CASE("ics_fold: short lines are kept whole, with CRLF") {
  CHECK(ics_fold("") == "\r\n");
  CHECK(ics_fold("SUMMARY:x") == "SUMMARY:x\r\n");
  const std::string exact(75, 'a');
  CHECK(ics_fold(exact) == exact + "\r\n");
  const std::string one_more(76, 'a');
  CHECK(ics_fold(one_more) == exact + "\r\n a\r\n");
}

TEST_CASE("ics_fold: a 200-byte ASCII line") {
  std::string line = "DESCRIPTION:";
  for (int i = 0; line.size() < 200; ++i) line += static_cast<char>('a' + i % 26);
  REQUIRE(line.size() == 200);
  const std::string folded = ics_fold(line);
  const auto lines = physical_lines(folded);
  // 75 + 74 + 51: the first line is full, continuations give one octet to the space.
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].size() == 75);
  CHECK(lines[1].size() == 75);
  CHECK(lines[2].size() == 1 + 200 - 75 - 74);
  check_folded(line);
}

TEST_CASE("ics_fold: multibyte text is never split inside a UTF-8 sequence") {
  const std::vector<std::string> pieces = {
      "مرحبا بالعالم ",           // Arabic, 2-byte
      "Привіт, Олена Шевченко! ",  // Ukrainian, 2-byte
      "你好世界，日本語のテキスト。", // CJK, 3-byte
      "🎂🎉📅",                    // 4-byte
  };
  for (const auto& piece : pieces) {
    // Every prefix length moves the 75-octet boundary to a different byte of a
    // character, so the backing up is exercised at each position.
    for (std::size_t prefix = 0; prefix < 4; ++prefix) {
      std::string line = "DESCRIPTION:" + std::string(prefix, 'x');
      while (line.size() < 400) line += piece;
      CAPTURE(piece);
      CAPTURE(prefix);
      check_folded(line);
    }
  }
  std::string mixed = "SUMMARY:";
  for (int i = 0; i < 10; ++i) mixed += "Олена 你好 مرحبا 🎂 ";
  check_folded(mixed);
}

// ------------------------------------------------------------------ dates and times

TEST_CASE("ics: DTEND of an all-day event is the next calendar day") {
  const auto dtend = [](const std::string& date) {
    return property(render({on_date("d@crm", date)}), "DTEND");
  };
  CHECK(dtend("2028-02-28") == "DTEND;VALUE=DATE:20280229");
  CHECK(dtend("2028-02-29") == "DTEND;VALUE=DATE:20280301");
  CHECK(dtend("2026-02-28") == "DTEND;VALUE=DATE:20260301");
  CHECK(dtend("2100-02-28") == "DTEND;VALUE=DATE:21000301");
  CHECK(dtend("2000-02-28") == "DTEND;VALUE=DATE:20000229");
  CHECK(dtend("2026-12-31") == "DTEND;VALUE=DATE:20270101");
  CHECK(dtend("2026-04-30") == "DTEND;VALUE=DATE:20260501");
  CHECK(dtend("1969-12-31") == "DTEND;VALUE=DATE:19700101");
  CHECK(property(render({on_date("d@crm", "2028-02-28")}), "DTSTART") ==
        "DTSTART;VALUE=DATE:20280228");
}

TEST_CASE("ics: a timestamp with an offset is written in UTC, 30 minutes long") {
  const auto span = [](const std::string& start) {
    const std::string ics = render({at_time("t@crm", start)});
    return property(ics, "DTSTART") + " " + property(ics, "DTEND");
  };
  CHECK(span("2026-11-25T16:02:25+02:00") == "DTSTART:20261125T140225Z DTEND:20261125T143225Z");
  CHECK(span("2026-11-25T16:02:25Z") == "DTSTART:20261125T160225Z DTEND:20261125T163225Z");
  CHECK(span("2026-11-25T16:02+05:30") == "DTSTART:20261125T103200Z DTEND:20261125T110200Z");
  // Offsets that move the instant across a day, a year, and February 29th.
  CHECK(span("2026-12-31T23:45:00-01:00") == "DTSTART:20270101T004500Z DTEND:20270101T011500Z");
  CHECK(span("2027-01-01T00:10:00+02:00") == "DTSTART:20261231T221000Z DTEND:20261231T224000Z");
  CHECK(span("2028-03-01T01:00:00+02:00") == "DTSTART:20280229T230000Z DTEND:20280229T233000Z");
  CHECK(span("2028-02-29T23:40:00+00:00") == "DTSTART:20280229T234000Z DTEND:20280301T001000Z");
}

// ------------------------------------------------------------------ errors

TEST_CASE("ics: bad events are refused before anything is written") {
  const auto refused = [](const std::vector<CalendarEvent>& events,
                          std::string_view stamp = kStamp) {
    std::ostringstream out;
    const crm::Error err = crm_test::error_from(
        [&] { crm::format::write_ics(out, events, "crm", stamp); });
    CHECK(err.kind() == crm::ErrorKind::invalid_data);
    CHECK(out.str().empty());
    return std::string(err.what());
  };
  const CalendarEvent ok = on_date("ok@crm", "2026-11-25");

  CHECK(refused({ok, on_date("", "2026-11-25")}) == "calendar event \"\": has no uid");
  CHECK(refused({ok, ok}) == "calendar event \"ok@crm\": uid is used twice");
  CHECK(refused({on_date("d@crm", "2026-02-29")}) ==
        "calendar event \"d@crm\": invalid date \"2026-02-29\" (expected YYYY-MM-DD)");
  CHECK(refused({on_date("d@crm", "2026-1-5")}).find("invalid date") != std::string::npos);
  CHECK(refused({on_date("d@crm", "9999-12-31")}) ==
        "calendar event \"d@crm\": date \"9999-12-31\" is out of range");
  CHECK(refused({at_time("t@crm", "2026-11-25T16:02:25")}) ==
        "calendar event \"t@crm\": invalid start time \"2026-11-25T16:02:25\" "
        "(expected YYYY-MM-DDTHH:MM:SS+HH:MM)");
  CHECK(refused({at_time("t@crm", "2026-11-25T24:00:00Z")}).find("invalid start") !=
        std::string::npos);
  CHECK(refused({at_time("t@crm", "2026-11-25T10:00:00+2:00")}).find("invalid start") !=
        std::string::npos);

  CalendarEvent both = on_date("b@crm", "2026-11-25");
  both.start = "2026-11-25T10:00:00Z";
  CHECK(refused({both}) == "calendar event \"b@crm\": has both a date and a start time");
  CHECK(refused({on_date("n@crm", "")}) == "calendar event \"n@crm\": needs a date or a start time");

  CalendarEvent bad_text = ok;
  bad_text.summary = "caf\xc3";
  CHECK(refused({bad_text}) == "calendar event \"ok@crm\": summary is not valid utf-8");

  CHECK(refused({ok}, "2026-11-25T08:00:00Z") ==
        "invalid calendar stamp \"2026-11-25T08:00:00Z\" (expected YYYYMMDDTHHMMSSZ)");
  CHECK(refused({ok}, "20261125T080000").find("invalid calendar stamp") != std::string::npos);
  CHECK(refused({ok}, "20261325T080000Z").find("invalid calendar stamp") != std::string::npos);
}

TEST_SUITE_END();
