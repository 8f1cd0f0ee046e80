// ops feedback (`crm feedback add|resolve`): the record a piece of feedback
// becomes, the range and kind checks, the resolution time, and the satisfaction
// check a resolved complaint or return gets after feedback.check_after.

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/interactions/feedback.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::feedback_type;
using crm::model::followup_type;
using crm::model::Record;
using crm::ops::FeedbackRequest;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::invalid_data_message;
using crm_test::read_text;
using crm_test::write_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00
constexpr const char* t1 = "2026-11-25T12:30:00+02:00"; // 150 minutes later

// The workspace every test starts from (region RO, the clock at t0), and a config edit.
struct Fixture : crm_test::PinnedWorkspace {
  // Rewrites the check_after line of .crm/config.yaml (read by the next Session).
  void set_check_after(const std::string& value) {
    const auto path = dir / ".crm" / "config.yaml";
    std::string text = read_text(path);
    const std::string key = "  check_after: ";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find('\n', at) - at, key + value);
    write_text(path, text);
  }
};

FeedbackRequest request(const std::string& ref, const std::string& kind, const std::string& text) {
  FeedbackRequest r;
  r.ref = ref;
  r.kind = kind;
  r.text = text;
  return r;
}

Record feedback(Session& s, const std::string& id) { return crm::ops::load_record(s, feedback_type(), id); }

const std::string suffix = "[a-km-np-z2-9]{4}";

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ add

TEST_CASE("ops feedback: add_feedback writes feedback/YYYY/MM/<id>.yaml with every field") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request("ana popescu", "complaint", "  The mug arrived broken ");
  req.product = " Mug ";
  req.sale = "2026-11-02-sale-ana-k7q2";
  req.channel = "email";
  req.rating = 2;
  req.nps = 6;
  const auto id = crm::ops::add_feedback(s, req);
  CHECK(std::regex_match(id, std::regex("2026-11-25-complaint-ana-popescu-" + suffix)));
  CHECK(f.files("feedback") == Strings{"feedback/2026/11/" + id + ".yaml"});
  CHECK(read_text(f.dir / "feedback/2026/11" / (id + ".yaml")) == "id: " + id + "\n"
                                                                  "kind: complaint\n"
                                                                  "contact: " + ana + "\n"
                                                                  "at: 2026-11-25T10:00:00+02:00\n"
                                                                  "product: Mug\n"
                                                                  "sale: 2026-11-02-sale-ana-k7q2\n"
                                                                  "rating: 2\n"
                                                                  "nps: 6\n"
                                                                  "channel: email\n"
                                                                  "summary: The mug arrived broken\n"
                                                                  "status: open\n"
                                                                  "created: 2026-11-25T10:00:00+02:00\n"
                                                                  "updated: 2026-11-25T10:00:00+02:00\n");
  const auto indexed = s.index().get(feedback_type(), id);
  REQUIRE(indexed.has_value());
  CHECK((*indexed)["rating"] == 2);
}

TEST_CASE("ops feedback: the bare minimum, a multi-line text and --at") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto id = crm::ops::add_feedback(s, request(ana, "suggestion", "Open on Sundays"));
  CHECK(feedback(s, id) == Json{{"id", id},
                                {"kind", "suggestion"},
                                {"contact", ana},
                                {"at", t0},
                                {"summary", "Open on Sundays"},
                                {"status", "open"},
                                {"created", t0},
                                {"updated", t0}});
  auto req = request(ana, "review", "Great tea.\nWill come back.");
  req.at = "2026-10-20";
  req.rating = 5;
  id = crm::ops::add_feedback(s, req);
  CHECK(id.starts_with("2026-10-20-review-ana-popescu-"));
  CHECK(stdfs::exists(f.dir / "feedback/2026/10" / (id + ".yaml")));
  CHECK(feedback(s, id)["at"] == "2026-10-20T12:00:00+02:00");
  CHECK(feedback(s, id)["summary"] == "Great tea.\nWill come back.\n");
  CHECK(feedback(s, id)["created"] == t0);
}

TEST_CASE("ops feedback: rating, nps, kind and text are checked before anything is written") {
  Fixture f;
  Session s(f.dir.path());
  add_contact(s, "Ana Popescu");
  struct Case {
    int rating_or_nps;
    bool is_rating;
    const char* message;
  };
  for (const auto& c : {Case{0, true, "bad --rating '0' (expected 1 to 5)"},
                        Case{6, true, "bad --rating '6' (expected 1 to 5)"},
                        Case{9, true, "bad --rating '9' (expected 1 to 5)"},
                        Case{-1, false, "bad --nps '-1' (expected 0 to 10)"},
                        Case{11, false, "bad --nps '11' (expected 0 to 10)"}}) {
    CAPTURE(c.message);
    auto req = request("Ana Popescu", "review", "ok");
    if (c.is_rating) req.rating = c.rating_or_nps;
    else req.nps = c.rating_or_nps;
    const auto e = error_from([&] { crm::ops::add_feedback(s, req); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    CHECK(std::string(e.what()) == c.message);
  }
  for (int ok : {1, 5}) {
    auto req = request("Ana Popescu", "review", "ok");
    req.rating = ok;
    req.nps = ok == 1 ? 0 : 10;
    CHECK(feedback(s, crm::ops::add_feedback(s, req))["rating"] == ok);
  }
  const auto written = f.files("feedback");
  CHECK(written.size() == 2);

  auto e = error_from([&] { crm::ops::add_feedback(s, request("Ana Popescu", "praise", "ok")); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --kind 'praise'");
  CHECK(e.hints() == Strings{"use complaint, return, support, review, survey or suggestion"});

  e = error_from([&] { crm::ops::add_feedback(s, request("Ana Popescu", "complaint", " \n ")); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "feedback needs a text");
  CHECK(e.hints() == Strings{"give it with -m TEXT"});

  e = error_from([&] { crm::ops::add_feedback(s, request("Nobody", "complaint", "x")); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'Nobody'");

  auto req = request("Ana Popescu", "complaint", "x");
  req.at = "someday";
  e = error_from([&] { crm::ops::add_feedback(s, req); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad --at 'someday'");

  CHECK(f.files("feedback") == written);
}

// ------------------------------------------------------------------ resolve

TEST_CASE("ops feedback: resolve records the time from report to resolution") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_feedback(s, request(ana, "support", "Cannot log in"));
  EnvVar later("CRM_NOW", std::string(t1));
  const auto result = crm::ops::resolve_feedback(s, id, " Reset the password ", true);
  CHECK(result.feedback_id == id);
  CHECK(result.minutes == 150);
  CHECK_FALSE(result.followup_id.has_value()); // support gets no satisfaction check
  CHECK(feedback(s, id) == Json{{"id", id},
                                {"kind", "support"},
                                {"contact", ana},
                                {"at", t0},
                                {"summary", "Cannot log in"},
                                {"status", "resolved"},
                                {"resolved_at", t1},
                                {"resolution_minutes", 150},
                                {"resolution", "Reset the password"},
                                {"created", t0},
                                {"updated", t1}});
  CHECK(f.files("followups").empty());
  CHECK(s.index().get(feedback_type(), id).value()["status"] == "resolved");
}

TEST_CASE("ops feedback: minutes across offsets and days, never negative") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  auto req = request(ana, "support", "x");
  req.at = "2026-11-24T08:00:00Z"; // 10:00 at +02:00 the day before: 26h30m before t1
  const auto old_one = crm::ops::add_feedback(s, req);
  CHECK(feedback(s, old_one)["at"] == "2026-11-24T08:00:00+00:00");
  CHECK(old_one.starts_with("2026-11-24-support-"));
  req.at = "+2d"; // reported in the future (a typo, say)
  const auto future = crm::ops::add_feedback(s, req);
  EnvVar later("CRM_NOW", std::string(t1));
  CHECK(crm::ops::resolve_feedback(s, old_one, "done", true).minutes == 26 * 60 + 30);
  CHECK(feedback(s, old_one)["resolution_minutes"] == 26 * 60 + 30);
  CHECK(crm::ops::resolve_feedback(s, future, "done", true).minutes == 0);
  CHECK(feedback(s, future)["resolution_minutes"] == 0);
}

TEST_CASE("ops feedback: a resolved complaint or return gets a satisfaction check after 7 days") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  for (const char* kind : {"complaint", "return"}) {
    CAPTURE(kind);
    const auto id = crm::ops::add_feedback(s, request(ana, kind, "broken"));
    const auto result = crm::ops::resolve_feedback(s, id, "sent a new one", true);
    REQUIRE(result.followup_id.has_value());
    const auto& fid = *result.followup_id;
    CHECK(std::regex_match(fid, std::regex("2026-11-25-ana-popescu-" + suffix)));
    CHECK(crm::ops::load_record(s, followup_type(), fid) ==
          Json{{"id", fid},
               {"contact", ana},
               {"due", "2026-12-02"},
               {"summary", std::string("check satisfaction after the ") + kind},
               {"status", "open"},
               {"source", id},
               {"created", t0},
               {"updated", t0}});
    CHECK(feedback(s, id)["followup"] == fid);
  }
  CHECK(f.files("followups").size() == 2);
}

TEST_CASE("ops feedback: no satisfaction check when not asked for, or for other kinds") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto complaint = crm::ops::add_feedback(s, request(ana, "complaint", "broken"));
  CHECK_FALSE(crm::ops::resolve_feedback(s, complaint, "fixed", false).followup_id.has_value());
  CHECK_FALSE(feedback(s, complaint).contains("followup"));
  for (const char* kind : {"support", "review", "survey", "suggestion"}) {
    CAPTURE(kind);
    const auto id = crm::ops::add_feedback(s, request(ana, kind, "x"));
    CHECK_FALSE(crm::ops::resolve_feedback(s, id, "thanks", true).followup_id.has_value());
  }
  CHECK(f.files("followups").empty());
}

TEST_CASE("ops feedback: feedback.check_after in config.yaml sets the delay, off turns it off") {
  Fixture f;
  std::string ana;
  {
    Session s(f.dir.path());
    ana = add_contact(s, "Ana Popescu");
    CHECK(s.workspace().config().feedback_check_after == "7d"); // what crm init writes
  }
  struct Case {
    const char* setting;
    const char* due; // nullptr: no follow-up
  };
  for (const auto& c : {Case{"3d", "2026-11-28"}, Case{"2w", "2026-12-09"}, Case{"1m", "2026-12-25"},
                        Case{"off", nullptr}}) {
    CAPTURE(c.setting);
    f.set_check_after(c.setting);
    Session s(f.dir.path());
    const auto id = crm::ops::add_feedback(s, request(ana, "return", "wrong size"));
    const auto result = crm::ops::resolve_feedback(s, id, "exchanged", true);
    if (c.due) {
      REQUIRE(result.followup_id.has_value());
      CHECK(crm::ops::load_record(s, followup_type(), *result.followup_id)["due"] == c.due);
    } else {
      CHECK_FALSE(result.followup_id.has_value());
      CHECK_FALSE(feedback(s, id).contains("followup"));
    }
  }
  CHECK(f.files("followups").size() == 3);
}

TEST_CASE("ops feedback: resolving twice is a conflict that changes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_feedback(s, request(ana, "complaint", "broken"));
  {
    EnvVar later("CRM_NOW", std::string(t1));
    crm::ops::resolve_feedback(s, id, "fixed", true);
  }
  const auto path = f.dir / "feedback/2026/11" / (id + ".yaml");
  const auto before = read_text(path);
  const auto e = error_from([&] { crm::ops::resolve_feedback(s, id, "fixed again", true); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "feedback '" + id + "' is already resolved");
  CHECK(e.hints() == Strings{"it was resolved on 2026-11-25T12:30:00+02:00"});
  CHECK(read_text(path) == before);
  CHECK(f.files("followups").size() == 1);
}

TEST_CASE("ops feedback: resolve needs a text and a known feedback") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = crm::ops::add_feedback(s, request(ana, "complaint", "broken"));
  const auto path = f.dir / "feedback/2026/11" / (id + ".yaml");
  const auto before = read_text(path);
  auto e = error_from([&] { crm::ops::resolve_feedback(s, id, "  ", true); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "say how it was resolved");
  CHECK(e.hints() == Strings{"give it with -m TEXT"});
  e = error_from([&] { crm::ops::resolve_feedback(s, "2020-01-01-nothing", "fixed", true); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no feedback matches '2020-01-01-nothing'");
  CHECK(read_text(path) == before);
  CHECK(f.files("followups").empty());
}

TEST_CASE("ops feedback: resolving a hand-edited record with a status of the wrong type is invalid data") {
  Fixture f;
  std::string id;
  {
    Session s(f.dir.path());
    id = crm::ops::add_feedback(s, request(add_contact(s, "Ana Popescu"), "complaint", "broken"));
  }
  const auto relpath = "feedback/2026/11/" + id + ".yaml";
  std::string text = read_text(f.dir / relpath);
  text.replace(text.find("status: open\n"), 13, "status: [open]\n");
  write_text(f.dir / relpath, text);
  Session s(f.dir.path());
  const auto message = invalid_data_message([&] { crm::ops::resolve_feedback(s, id, "fixed", true); });
  CHECK(message.find(relpath) != std::string::npos);
  CHECK(message.find("status") != std::string::npos);
  CHECK(read_text(f.dir / relpath) == text);
  CHECK(f.files("followups").empty());
}

TEST_SUITE_END();
