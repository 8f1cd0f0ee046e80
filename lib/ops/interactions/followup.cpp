#include "ops/records/stage.hpp"
#include "ops/interactions/followup.hpp"

#include <fmt/format.h>

#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
namespace {

using model::Record;

std::string one_line(const std::string& text, std::string_view what) {
  std::string s = text::nfc(text::trim(text));
  if (s.empty()) throw Error(ErrorKind::usage, fmt::format("{} needs a text", what), {"give it with -m TEXT"});
  if (s.find_first_of("\r\n") != std::string::npos)
    throw Error(ErrorKind::invalid_data, fmt::format("{} must be one line", what));
  return s;
}

} // namespace

std::string due_value(const time::When& when) {
  return when.has_time ? time::format_timestamp(when.at) : time::format_date(when.date);
}

Record new_followup(Session& session, const Record& contact, const time::When& when, const std::string& summary) {
  const std::string stamp = time::format_timestamp(time::now());
  Record rec = Record::object();
  rec["id"] = new_record_id(session, model::followup_type(), stamp.substr(0, 10) + "-", contact.value("name", ""));
  rec["contact"] = contact["id"];
  rec["due"] = due_value(when);
  rec["summary"] = summary;
  rec["status"] = "open";
  rec["created"] = stamp;
  rec["updated"] = stamp;
  return rec;
}

std::string add_followup(Session& session, const std::string& ref, const std::string& due, const std::string& text) {
  const std::string summary = one_line(text, "a follow-up");
  const auto when = parse_when_arg(due, "--due");
  session.lock_for_writing();
  const Record contact = find_contact(session, ref);
  Record rec = new_followup(session, contact, when, summary);
  save_record(session, model::followup_type(), rec);
  return model::id_of(rec);
}

index::ListQuery followup_query(FollowupWindow window, int days) {
  index::ListQuery q;
  q.sort = "due";
  const std::string today = time::today();
  // Dates and timestamps share their first 10 characters; "2026-11-25\xff"
  // sorts after every timestamp of that day.
  const std::string end_of_today = today + "\xff";
  switch (window) {
  case FollowupWindow::done:
    q.conditions.push_back({"status", "=", "done"});
    q.sort = "-due";
    return q;
  case FollowupWindow::all_open: break;
  case FollowupWindow::due: q.conditions.push_back({"due", "<", end_of_today}); break;
  case FollowupWindow::overdue: q.conditions.push_back({"due", "<", today}); break;
  case FollowupWindow::upcoming:
    q.conditions.push_back({"due", ">=", today});
    q.conditions.push_back(
        {"due", "<", time::format_date(time::add_days(time::today_date(), days)) + "\xff"});
    break;
  }
  q.conditions.push_back({"status", "=", "open"});
  return q;
}

DoneResult finish_followup(Session& session, const std::string& ref, const std::string& note, const std::string& kind) {
  session.lock_for_writing();
  const auto& type = model::followup_type();
  const std::string id = model::id_of(find_record(session, type, ref));
  Record rec = load_record(session, type, id);
  if (rec.value("status", "") == "done")
    throw Error(ErrorKind::conflict, fmt::format("follow-up '{}' is already done", id),
                {fmt::format("it was done on {}", rec.value("done_at", "?"))});
  const Record contact = find_contact(session, rec.value("contact", ""));
  const auto now = time::now();
  Record activity = new_activity(session, kind, contact, now);
  std::string summary = fmt::format("done: {}", rec.value("summary", ""));
  const std::string n = multiline_text(note);
  if (!n.empty()) summary += "\n" + n + (n.back() == '\n' ? "" : "\n");
  activity["summary"] = summary;
  activity["followup"] = id;
  rec["status"] = "done";
  rec["done_at"] = time::format_timestamp(now);
  if (!n.empty()) rec["done_note"] = n;
  rec["updated"] = time::format_timestamp(now);
  validate_record(model::activity_type(), activity);
  save_record(session, type, rec);
  save_record(session, model::activity_type(), activity);
  return {id, model::id_of(activity)};
}

std::string snooze_followup(Session& session, const std::string& ref, const std::string& when_text) {
  const auto when = parse_when_arg(when_text, "WHEN");
  session.lock_for_writing();
  const auto& type = model::followup_type();
  const std::string id = model::id_of(find_record(session, type, ref));
  Record rec = load_record(session, type, id);
  if (rec.value("status", "") == "done")
    throw Error(ErrorKind::conflict, fmt::format("follow-up '{}' is already done", id));
  rec["due"] = due_value(when);
  rec["snoozed"] = rec.value("snoozed", 0) + 1;
  rec["updated"] = time::format_timestamp(time::now());
  save_record(session, type, rec);
  return rec["due"].get<std::string>();
}

} // namespace crm::ops
