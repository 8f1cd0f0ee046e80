// ops follow-ups (`crm followup add|list|done|snooze`): how a due date is stored,
// the list windows as index conditions and as results, finishing (which logs an
// activity) and snoozing, and the errors that leave the files alone.

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/interactions/followup.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using crm::ErrorKind;
using crm::model::activity_type;
using crm::model::followup_type;
using crm::model::id_of;
using crm::model::Record;
using crm::ops::FollowupWindow;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::invalid_data_message;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00

// The workspace every test starts from: region RO, the clock at t0.
using Fixture = crm_test::PinnedWorkspace;

Record followup(Session& s, const std::string& id) { return crm::ops::load_record(s, followup_type(), id); }

// "key op value" for each condition, to compare whole queries at once.
Strings conditions(const crm::index::ListQuery& q) {
  Strings out;
  for (const auto& c : q.conditions) out.push_back(c.key + " " + c.op + " " + c.value);
  return out;
}

Strings summaries(Session& s, FollowupWindow w, int days = 7) {
  Strings out;
  for (const auto& r : s.index().list(followup_type(), crm::ops::followup_query(w, days)))
    out.push_back(r["summary"].get<std::string>());
  return out;
}

const std::string suffix = "[a-km-np-z2-9]{4}";

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ due values

TEST_CASE("ops followup: due_value stores a date, or a timestamp when a time was given") {
  EnvVar now("CRM_NOW", std::string(t0));
  const auto clock = crm::time::now();
  auto when = crm::time::parse_when("tomorrow", clock);
  REQUIRE(when.has_value());
  CHECK(crm::ops::due_value(*when) == "2026-11-26");
  when = crm::time::parse_when("+1m", clock);
  REQUIRE(when.has_value());
  CHECK(crm::ops::due_value(*when) == "2026-12-25");
  when = crm::time::parse_when("2026-11-27T09:30+02:00", clock);
  REQUIRE(when.has_value());
  CHECK(crm::ops::due_value(*when) == "2026-11-27T09:30:00+02:00");
  when = crm::time::parse_when("+4h", clock);
  REQUIRE(when.has_value());
  CHECK(crm::ops::due_value(*when) == "2026-11-25T14:00:00+02:00");
}

TEST_CASE("ops followup: new_followup builds an open record without writing it") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto contact = crm::ops::find_contact(s, ana);
  const auto rec = crm::ops::new_followup(s, contact, *crm::time::parse_when("friday", crm::time::now()), "Call");
  REQUIRE(rec.contains("id"));
  const auto id = id_of(rec);
  CHECK(std::regex_match(id, std::regex("2026-11-25-ana-popescu-" + suffix)));
  CHECK(rec == Json{{"id", id},
                    {"contact", ana},
                    {"due", "2026-11-27"}, // 2026-11-25 is a Wednesday
                    {"summary", "Call"},
                    {"status", "open"},
                    {"created", t0},
                    {"updated", t0}});
  CHECK(f.files("followups").empty());
}

// ------------------------------------------------------------------ add

TEST_CASE("ops followup: add_followup writes followups/<id>.yaml") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_followup(s, "ana popescu", "tomorrow", "  Send the offer ");
  CHECK(std::regex_match(id, std::regex("2026-11-25-ana-popescu-" + suffix)));
  CHECK(f.files("followups") == Strings{"followups/" + id + ".yaml"});
  CHECK(read_text(f.dir / "followups" / (id + ".yaml")) == "id: " + id + "\n"
                                                           "contact: " + ana + "\n"
                                                           "due: \"2026-11-26\"\n"
                                                           "summary: Send the offer\n"
                                                           "status: open\n"
                                                           "created: 2026-11-25T10:00:00+02:00\n"
                                                           "updated: 2026-11-25T10:00:00+02:00\n");
  const auto timed = crm::ops::add_followup(s, ana, "2026-11-27 09:30+02:00", "Meet at the shop");
  CHECK(followup(s, timed)["due"] == "2026-11-27T09:30:00+02:00");
  CHECK(s.index().get(followup_type(), timed).value()["due"] == "2026-11-27T09:30:00+02:00");
}

TEST_CASE("ops followup: add_followup refuses a missing text, a bad WHEN and an unknown contact") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  auto e = error_from([&] { crm::ops::add_followup(s, "Ana Popescu", "tomorrow", "  \n "); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "a follow-up needs a text");
  CHECK(e.hints() == Strings{"give it with -m TEXT"});
  e = error_from([&] { crm::ops::add_followup(s, "Ana Popescu", "tomorrow", "one\ntwo"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "a follow-up must be one line");
  e = error_from([&] { crm::ops::add_followup(s, "Ana Popescu", "soon", "Call"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --due 'soon'");
  e = error_from([&] { crm::ops::add_followup(s, "Ana Popescu", "2026-02-30", "Call"); });
  CHECK(std::string(e.what()) == "bad --due '2026-02-30'");
  e = error_from([&] { crm::ops::add_followup(s, "Bob", "tomorrow", "Call"); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'Bob'");
  CHECK(f.files("followups").empty());
}

// ------------------------------------------------------------------ list windows

TEST_CASE("ops followup: followup_query conditions for each window") {
  EnvVar now("CRM_NOW", std::string(t0));
  auto q = crm::ops::followup_query(FollowupWindow::all_open);
  CHECK(q.sort == "due");
  CHECK(conditions(q) == Strings{"status = open"});

  q = crm::ops::followup_query(FollowupWindow::due);
  CHECK(q.sort == "due");
  CHECK(conditions(q) == Strings{"due < 2026-11-25\xff", "status = open"});

  q = crm::ops::followup_query(FollowupWindow::overdue);
  CHECK(q.sort == "due");
  CHECK(conditions(q) == Strings{"due < 2026-11-25", "status = open"});

  q = crm::ops::followup_query(FollowupWindow::upcoming);
  CHECK(q.sort == "due");
  CHECK(conditions(q) == Strings{"due >= 2026-11-25", "due < 2026-12-02\xff", "status = open"});

  q = crm::ops::followup_query(FollowupWindow::upcoming, 30);
  CHECK(conditions(q) == Strings{"due >= 2026-11-25", "due < 2026-12-25\xff", "status = open"});

  q = crm::ops::followup_query(FollowupWindow::done);
  CHECK(q.sort == "-due");
  CHECK(conditions(q) == Strings{"status = done"});
  CHECK(q.tags.empty());
  CHECK_FALSE(q.limit.has_value());
}

TEST_CASE("ops followup: each window lists the right follow-ups, by due date") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  // Summaries name the due date, so the lists read as dates.
  for (const char* due : {"2026-12-03", "2026-11-24", "2026-11-25T23:59+02:00", "2026-11-25", "2026-11-26",
                          "2026-12-02T08:00+02:00", "2026-11-01", "2026-12-02"})
    crm::ops::add_followup(s, ana, due, due);
  const auto finished = crm::ops::add_followup(s, ana, "2026-11-20", "finished");
  crm::ops::finish_followup(s, finished, "");

  CHECK(summaries(s, FollowupWindow::all_open) ==
        Strings{"2026-11-01", "2026-11-24", "2026-11-25", "2026-11-25T23:59+02:00", "2026-11-26", "2026-12-02",
                "2026-12-02T08:00+02:00", "2026-12-03"});
  CHECK(summaries(s, FollowupWindow::overdue) == Strings{"2026-11-01", "2026-11-24"});
  CHECK(summaries(s, FollowupWindow::due) == Strings{"2026-11-01", "2026-11-24", "2026-11-25", "2026-11-25T23:59+02:00"});
  CHECK(summaries(s, FollowupWindow::upcoming) ==
        Strings{"2026-11-25", "2026-11-25T23:59+02:00", "2026-11-26", "2026-12-02", "2026-12-02T08:00+02:00"});
  CHECK(summaries(s, FollowupWindow::upcoming, 1) == Strings{"2026-11-25", "2026-11-25T23:59+02:00", "2026-11-26"});
  CHECK(summaries(s, FollowupWindow::upcoming, 0) == Strings{"2026-11-25", "2026-11-25T23:59+02:00"});
  CHECK(summaries(s, FollowupWindow::done) == Strings{"finished"});
}

// ------------------------------------------------------------------ done

TEST_CASE("ops followup: finish_followup marks it done and logs an activity") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_followup(s, ana, "2026-11-24", "Send the offer");
  EnvVar later("CRM_NOW", std::string("2026-11-26T16:45:00+02:00"));
  const auto done = crm::ops::finish_followup(s, id.substr(0, 16), "  sent it by post ");
  CHECK(done.followup_id == id);
  CHECK(std::regex_match(done.activity_id, std::regex("2026-11-26-note-ana-popescu-" + suffix)));
  CHECK(followup(s, id) == Json{{"id", id},
                                {"contact", ana},
                                {"due", "2026-11-24"},
                                {"summary", "Send the offer"},
                                {"status", "done"},
                                {"done_at", "2026-11-26T16:45:00+02:00"},
                                {"done_note", "sent it by post"},
                                {"created", t0},
                                {"updated", "2026-11-26T16:45:00+02:00"}});
  CHECK(f.files("activities") == Strings{"activities/2026/11/" + done.activity_id + ".yaml"});
  CHECK(crm::ops::load_record(s, activity_type(), done.activity_id) ==
        Json{{"id", done.activity_id},
             {"kind", "note"},
             {"contact", ana},
             {"at", "2026-11-26T16:45:00+02:00"},
             {"summary", "done: Send the offer\nsent it by post\n"},
             {"followup", id},
             {"created", "2026-11-26T16:45:00+02:00"},
             {"updated", "2026-11-26T16:45:00+02:00"}});
}

TEST_CASE("ops followup: finish_followup with a kind and no note, a second time is a conflict") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_followup(s, ana, "today", "Call back");
  const auto done = crm::ops::finish_followup(s, id, "", "call");
  const auto act = crm::ops::load_record(s, activity_type(), done.activity_id);
  CHECK(act["kind"] == "call");
  CHECK(act["summary"] == "done: Call back");
  CHECK_FALSE(followup(s, id).contains("done_note"));
  CHECK(followup(s, id)["status"] == "done");

  const auto before = read_text(f.dir / "followups" / (id + ".yaml"));
  const auto e = error_from([&] { crm::ops::finish_followup(s, id, "again"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "follow-up '" + id + "' is already done");
  CHECK(e.hints() == Strings{"it was done on 2026-11-25T10:00:00+02:00"});
  CHECK(read_text(f.dir / "followups" / (id + ".yaml")) == before);
  CHECK(f.files("activities").size() == 1);
}

TEST_CASE("ops followup: a multi-line done note is a block that ends with a newline") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_followup(s, ana, "today", "Call back");
  crm::ops::finish_followup(s, id, "line one\nline two\n\n");
  // docs/workspace.md: multi-line text is a literal block and always ends with one newline.
  CHECK(followup(s, id)["done_note"] == "line one\nline two\n");
  CHECK(read_text(f.dir / "followups" / (id + ".yaml")).find("done_note: |\n  line one\n  line two\n") !=
        std::string::npos);
}

TEST_CASE("ops followup: a hand-edited follow-up with a value of the wrong type is invalid data") {
  Fixture f;
  std::string id, text;
  {
    Session s(f.dir.path());
    const auto ana = add_contact(s, "Ana Popescu");
    id = crm::ops::add_followup(s, ana, "today", "Call back");
  }
  const auto path = f.dir / "followups" / (id + ".yaml");
  text = read_text(path);
  text.replace(text.find("status: open\n"), 13, "status: open\nsnoozed: two\n");
  write_text(path, text);
  {
    Session s(f.dir.path());
    const auto message = invalid_data_message([&] { crm::ops::snooze_followup(s, id, "+3d"); });
    CHECK(message.find("followups/" + id + ".yaml") != std::string::npos);
    CHECK(message.find("snoozed") != std::string::npos);
  }
  text.replace(text.find("status: open\n"), 13, "status: [open]\n");
  write_text(path, text);
  {
    Session s(f.dir.path());
    const auto message = invalid_data_message([&] { crm::ops::finish_followup(s, id, ""); });
    CHECK(message.find("followups/" + id + ".yaml") != std::string::npos);
    CHECK(message.find("status") != std::string::npos);
  }
  CHECK(read_text(path) == text);
  CHECK(f.files("activities").empty());
}

TEST_CASE("ops followup: finish_followup of an unknown follow-up") {
  Fixture f;
  Session s(f.dir.path());
  const auto e = error_from([&] { crm::ops::finish_followup(s, "2026-01-01-nobody", ""); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no followup matches '2026-01-01-nobody'");
  CHECK(f.files("activities").empty());
}

// ------------------------------------------------------------------ snooze

TEST_CASE("ops followup: snooze_followup moves the due date and counts") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_followup(s, ana, "2026-11-24", "Send the offer");
  EnvVar later("CRM_NOW", std::string("2026-11-25T18:00:00+02:00"));
  CHECK(crm::ops::snooze_followup(s, id, "+1w") == "2026-12-02");
  auto rec = followup(s, id);
  CHECK(rec["due"] == "2026-12-02");
  CHECK(rec["snoozed"] == 1);
  CHECK(rec["status"] == "open");
  CHECK(rec["updated"] == "2026-11-25T18:00:00+02:00");
  CHECK(rec["created"] == t0);
  CHECK(s.index().get(followup_type(), id).value()["due"] == "2026-12-02");

  CHECK(crm::ops::snooze_followup(s, id, "2026-12-03T09:00+02:00") == "2026-12-03T09:00:00+02:00");
  rec = followup(s, id);
  CHECK(rec["due"] == "2026-12-03T09:00:00+02:00");
  CHECK(rec["snoozed"] == 2);
  CHECK(read_text(f.dir / "followups" / (id + ".yaml")).find("snoozed: 2\n") != std::string::npos);
  CHECK(f.files("activities").empty()); // putting it off is not an interaction
}

TEST_CASE("ops followup: snooze_followup refuses a done follow-up and a bad WHEN") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto open = crm::ops::add_followup(s, ana, "2026-11-24", "Open one");
  const auto done = crm::ops::add_followup(s, ana, "2026-11-24", "Done one");
  crm::ops::finish_followup(s, done, "");
  const auto open_text = read_text(f.dir / "followups" / (open + ".yaml"));
  const auto done_text = read_text(f.dir / "followups" / (done + ".yaml"));

  auto e = error_from([&] { crm::ops::snooze_followup(s, done, "+3d"); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "follow-up '" + done + "' is already done");

  e = error_from([&] { crm::ops::snooze_followup(s, open, "soon"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad WHEN 'soon'");

  e = error_from([&] { crm::ops::snooze_followup(s, "nope", "+3d"); });
  CHECK(e.kind() == ErrorKind::not_found);

  CHECK(read_text(f.dir / "followups" / (open + ".yaml")) == open_text);
  CHECK(read_text(f.dir / "followups" / (done + ".yaml")) == done_text);
}

TEST_SUITE_END();
