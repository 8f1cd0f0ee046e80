// ops::log_activity (`crm log`): what an activity
// file holds, how --at/--direction/--duration are read, the follow-up a log can
// ask for, and that a rejected log writes nothing.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::activity_type;
using crm::model::contact_type;
using crm::model::followup_type;
using crm::model::Record;
using crm::ops::LogRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::read_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00

// The workspace every test starts from: region RO, the clock at t0.
using Fixture = crm_test::PinnedWorkspace;

LogRequest call(const std::string& ref, const std::string& text) {
  LogRequest r;
  r.kind = "call";
  r.ref = ref;
  r.text = text;
  return r;
}

Record activity(Session& s, const std::string& id) { return crm::ops::load_record(s, activity_type(), id); }

const std::string suffix = "[a-km-np-z2-9]{4}";

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ log_activity

TEST_CASE("ops log: a call is written under activities/YYYY/MM with every field") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = call("ana popescu", "  Talked about the spring order \n");
  req.direction = " OUT ";
  req.duration = "90";
  req.outcome = " interested ";
  req.campaign = "spring";
  const auto result = crm::ops::log_activity(s, req);
  CHECK(std::regex_match(result.activity_id, std::regex("2026-11-25-call-ana-popescu-" + suffix)));
  CHECK_FALSE(result.followup_id.has_value());
  const auto relpath = "activities/2026/11/" + result.activity_id + ".yaml";
  CHECK(f.files("activities") == Strings{relpath});
  CHECK(read_text(f.dir / relpath) == "id: " + result.activity_id + "\n"
                                      "kind: call\n"
                                      "contact: " + ana + "\n"
                                      "at: 2026-11-25T10:00:00+02:00\n"
                                      "direction: out\n"
                                      "duration: 1h30m\n"
                                      "outcome: interested\n"
                                      "campaign: spring\n"
                                      "summary: Talked about the spring order\n"
                                      "created: 2026-11-25T10:00:00+02:00\n"
                                      "updated: 2026-11-25T10:00:00+02:00\n");
  // The index has it, under the contact.
  const auto indexed = s.index().get(activity_type(), result.activity_id);
  REQUIRE(indexed.has_value());
  CHECK((*indexed)["contact"] == ana);
  CHECK(s.index().path_of(activity_type(), result.activity_id) == std::optional<std::string>(relpath));
}

TEST_CASE("ops log: every kind but stage, with the bare minimum of fields") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  for (const char* kind : {"call", "email", "meeting", "text", "note", "chat"}) {
    CAPTURE(kind);
    LogRequest r;
    r.kind = kind;
    r.ref = ana;
    const auto id = crm::ops::log_activity(s, r).activity_id;
    CHECK(std::regex_match(id, std::regex(std::string("2026-11-25-") + kind + "-ana-popescu-" + suffix)));
    const auto rec = activity(s, id);
    CHECK(rec == Json{{"id", id},
                      {"kind", kind},
                      {"contact", ana},
                      {"at", t0},
                      {"created", t0},
                      {"updated", t0}});
  }
  CHECK(f.files("activities").size() == 6);
}

TEST_CASE("ops log: a summary over several lines ends with one newline") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  const auto id = crm::ops::log_activity(s, call("Ana Popescu", "\n first line\nsecond line\n\n\n")).activity_id;
  CHECK(activity(s, id)["summary"] == "first line\nsecond line\n");
}

TEST_CASE("ops log: --at takes the WHEN forms, the id and folder follow its date") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  struct Case {
    const char* at;
    const char* stored;
    const char* folder;
  };
  for (const auto& c : {Case{"2026-11-20T15:30+02:00", "2026-11-20T15:30:00+02:00", "activities/2026/11/"},
                        Case{"yesterday", "2026-11-24T12:00:00+02:00", "activities/2026/11/"},
                        Case{"-2w", "2026-11-11T12:00:00+02:00", "activities/2026/11/"},
                        Case{"2026-10-31", "2026-10-31T12:00:00+02:00", "activities/2026/10/"},
                        Case{"-30min", "2026-11-25T09:30:00+02:00", "activities/2026/11/"},
                        Case{"now", "2026-11-25T10:00:00+02:00", "activities/2026/11/"}}) {
    CAPTURE(c.at);
    auto req = call("Ana Popescu", "x");
    req.at = c.at;
    const auto id = crm::ops::log_activity(s, req).activity_id;
    CHECK(id.starts_with(std::string(c.stored).substr(0, 10) + "-call-ana-popescu-"));
    CHECK(activity(s, id)["at"] == c.stored);
    CHECK(stdfs::exists(f.dir / (c.folder + id + ".yaml")));
    // created is when it was logged, not when it happened.
    CHECK(activity(s, id)["created"] == t0);
  }
}

TEST_CASE("ops log: a bad --at, --direction or --duration is refused and nothing is written") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");

  auto req = call("Ana Popescu", "x");
  req.at = "someday";
  req.follow_up = "+3d";
  auto e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --at 'someday'");
  CHECK(e.hints() == Strings{"use a date (2026-11-22), a date and time (2026-11-22T15:30), today, tomorrow,",
                             "+3d, -2w, +1m, +4h, monday or next monday"});

  req = call("Ana Popescu", "x");
  req.direction = "both";
  req.follow_up = "+3d";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --direction 'both'");
  CHECK(e.hints() == Strings{"in: they reached out; out: you did"});

  req = call("Ana Popescu", "x");
  req.duration = "x";
  req.follow_up = "+3d";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --duration 'x'");
  CHECK(e.hints() == Strings{"use minutes or hours: 15m, 1h, 1h30m, 90"});

  req = call("Ana Popescu", "x");
  req.duration = "1h60m";
  CHECK(std::string(error_from([&] { crm::ops::log_activity(s, req); }).what()) == "bad --duration '1h60m'");

  req = call("Ana Popescu", "x");
  req.follow_up = "someday";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --follow-up 'someday'");

  // Values checked with the record: a one-line field given two lines.
  req = call("Ana Popescu", "x");
  req.outcome = "good\nvery good";
  req.follow_up = "+3d";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "'outcome' must be one line");

  req = call("Ana Popescu", "x");
  req.follow_up = "+3d";
  req.follow_up_text = "one\ntwo";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "'summary' must be one line");

  CHECK(f.files("activities").empty());
  CHECK(f.files("followups").empty());
  CHECK(s.index().list(activity_type(), {}).empty());
  CHECK(s.index().list(followup_type(), {}).empty());
}

TEST_CASE("ops log: a kind that cannot be logged is a usage error") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  for (const char* kind : {"fax", "stage", "Call", ""}) {
    CAPTURE(kind);
    auto req = call("Ana Popescu", "x");
    req.kind = kind;
    const auto e = error_from([&] { crm::ops::log_activity(s, req); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "bad activity kind '" + std::string(kind) + "'");
    CHECK(e.hints() == Strings{"use call, email, meeting, text, note or chat"});
  }
  CHECK(f.files("activities").empty());
}

TEST_CASE("ops log: --follow-up adds an open follow-up linked both ways") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = call("Ana Popescu", "Send the offer\nand the price list");
  req.follow_up = "+3d";
  const auto result = crm::ops::log_activity(s, req);
  REQUIRE(result.followup_id.has_value());
  const auto& fid = *result.followup_id;
  CHECK(std::regex_match(fid, std::regex("2026-11-25-ana-popescu-" + suffix)));
  CHECK(f.files("followups") == Strings{"followups/" + fid + ".yaml"});
  CHECK(crm::ops::load_record(s, followup_type(), fid) == Json{{"id", fid},
                                                               {"contact", ana},
                                                               {"due", "2026-11-28"},
                                                               {"summary", "follow up: Send the offer"},
                                                               {"status", "open"},
                                                               {"source", result.activity_id},
                                                               {"created", t0},
                                                               {"updated", t0}});
  CHECK(activity(s, result.activity_id)["followup"] == fid);
}

TEST_CASE("ops log: the follow-up's text and time, or a default text") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  auto req = call("Ana Popescu", "Send the offer");
  req.follow_up = "2026-11-27T09:00+02:00";
  req.follow_up_text = "  Call back about the offer ";
  auto result = crm::ops::log_activity(s, req);
  REQUIRE(result.followup_id.has_value());
  auto fu = crm::ops::load_record(s, followup_type(), *result.followup_id);
  CHECK(fu["due"] == "2026-11-27T09:00:00+02:00");
  CHECK(fu["summary"] == "Call back about the offer");

  LogRequest bare;
  bare.kind = "meeting";
  bare.ref = "Ana Popescu";
  bare.follow_up = "tomorrow";
  result = crm::ops::log_activity(s, bare);
  REQUIRE(result.followup_id.has_value());
  fu = crm::ops::load_record(s, followup_type(), *result.followup_id);
  CHECK(fu["due"] == "2026-11-26");
  CHECK(fu["summary"] == "follow up on the meeting");
}

TEST_CASE("ops log: an unknown or ambiguous contact is refused and nothing is written") {
  Fixture f;
  Session s(f.dir.path());
  const auto a1 = add_contact(s, "Ana Popescu");
  const auto a2 = add_contact(s, "Ana Popescu");

  auto req = call("Nobody Here", "x");
  req.follow_up = "+3d";
  auto e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'Nobody Here'");

  req.ref = "Ana Popescu";
  e = error_from([&] { crm::ops::log_activity(s, req); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(std::string(e.what()) == "'Ana Popescu' matches 2 contacts");
  REQUIRE(e.hints().size() == 3);
  CHECK(e.hints()[0] == "the candidates are:");
  Strings candidates = {e.hints()[1], e.hints()[2]};
  std::sort(candidates.begin(), candidates.end());
  Strings expected = {"  " + a1 + "  Ana Popescu", "  " + a2 + "  Ana Popescu"};
  std::sort(expected.begin(), expected.end());
  CHECK(candidates == expected);

  CHECK(f.files("activities").empty());
  CHECK(f.files("followups").empty());
  // An id is unambiguous.
  req.ref = a1;
  CHECK(crm::ops::log_activity(s, req).followup_id.has_value());
  CHECK(f.files("activities").size() == 1);
}

TEST_SUITE_END();
