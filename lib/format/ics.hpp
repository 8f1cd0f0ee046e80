#pragma once
// iCalendar (RFC 5545) output for `crm due --format ics`: what needs attention
// (follow-ups, birthdays, cadence reminders) as events a calendar app imports.

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace crm::format {

struct CalendarEvent {
  // Stable: the same item gives the same UID on every run, so re-importing the
  // file updates events instead of duplicating them
  // (e.g. "followup-2026-11-25-ana-k7q2@crm").
  std::string uid;
  // Either a date "YYYY-MM-DD": an all-day event (DTSTART;VALUE=DATE, DTEND = the
  // next day) ...
  std::string date;
  // ... or (with `date` empty) a timestamp "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)":
  // DTSTART in UTC ("...Z"), DTEND 30 minutes later.
  std::string start;
  std::string summary;                 // one line
  std::string description;             // may hold newlines
  std::vector<std::string> categories; // e.g. {"overdue"}, {"birthday"}
  // Adds a VALARM (ACTION:DISPLAY): at the start (TRIGGER:-PT0M), or for an
  // all-day event at 09:00 that day (TRIGGER:PT9H).
  bool alarm = false;
};

// Writes a VCALENDAR (VERSION:2.0, PRODID:-//crm//crm VERSION//EN,
// CALSCALE:GREGORIAN, METHOD:PUBLISH, X-WR-CALNAME) with one VEVENT per event:
// UID, DTSTAMP (`stamp_utc`, "YYYYMMDDTHHMMSSZ", passed in so the output is
// reproducible), DTSTART/DTEND, SUMMARY, DESCRIPTION (when non-empty),
// CATEGORIES (when any), TRANSP:TRANSPARENT, and the VALARM when asked.
// Lines end with CRLF and are folded at 75 octets.
// Throws crm::Error(invalid_data) before writing anything when an event has no
// UID or a repeated one, neither or both of date/start, a bad date or timestamp,
// or text that is not valid UTF-8, or when `stamp_utc` is malformed.
void write_ics(std::ostream& out, const std::vector<CalendarEvent>& events,
               std::string_view calendar_name, std::string_view stamp_utc);

// TEXT value escaping (RFC 5545 3.3.11): '\\', ';' and ',' get a backslash,
// a newline becomes "\n", CR is dropped (so CRLF is one line break), and other
// control characters but TAB are dropped (TEXT cannot hold them).
std::string ics_escape(std::string_view text);

// Content-line folding (RFC 5545 3.1): `line` (one content line, no line break)
// is split into physical lines of at most 75 octets by CRLF + one space, never
// inside a UTF-8 sequence; every physical line, the last one too, ends with CRLF.
std::string ics_fold(std::string_view line);

} // namespace crm::format
