#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/interactions/timeline.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::ops::Session;
using crm::ops::Timeline;
using crm::ops::TimelineOptions;
using crm_test::error_from;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

// Ana's history, written by hand: activities (a stage change among them), feedback
// and follow-ups, each at its own time; Ion's records fall in between.
struct TimelineFixture : crm_test::PinnedWorkspace {
  TimelineFixture() {
    write_text(dir / "contacts" / "ana-popescu-a2b3.yaml", "id: ana-popescu-a2b3\nname: Ana Popescu\nstage: customer\n");
    write_text(dir / "contacts" / "ion-ionescu-c4d5.yaml", "id: ion-ionescu-c4d5\nname: Ion Ionescu\n");
    write_text(dir / "contacts" / "bo-gol-e6f7.yaml", "id: bo-gol-e6f7\nname: Bo Gol\n");
    activity("2026-11-01-stage-ana-popescu-aaaa", "stage", "ana-popescu-a2b3", "2026-11-01T09:00:00+02:00",
             "\"stage: lead\"");
    activity("2026-11-10-meeting-ana-popescu-aaab", "meeting", "ana-popescu-a2b3", "2026-11-10T11:00:00+02:00",
             "|\n  Visited the shop\n  and met the staff\n");
    activity("2026-11-20-call-ana-popescu-aaac", "call", "ana-popescu-a2b3", "2026-11-20T09:00:00+02:00",
             "Talked about the offer");
    activity("2026-11-24-stage-ana-popescu-aaad", "stage", "ana-popescu-a2b3", "2026-11-24T12:00:00+02:00",
             "\"stage: lead -> customer\"");
    activity("2026-11-22-call-ion-ionescu-bbba", "call", "ion-ionescu-c4d5", "2026-11-22T10:00:00+02:00",
             "Ion asked for a catalogue");
    write_text(dir / "followups" / "2026-11-15-ana-popescu-cccc.yaml",
               "id: 2026-11-15-ana-popescu-cccc\ncontact: ana-popescu-a2b3\ndue: \"2026-11-28\"\n"
               "summary: Call back about the offer\nstatus: open\n");
    write_text(dir / "followups" / "2026-11-15-ana-popescu-cccd.yaml",
               "id: 2026-11-15-ana-popescu-cccd\ncontact: ana-popescu-a2b3\ndue: \"2026-11-20\"\n"
               "summary: Send samples\nstatus: done\n");
    write_text(dir / "followups" / "2026-11-15-ion-ionescu-ccce.yaml",
               "id: 2026-11-15-ion-ionescu-ccce\ncontact: ion-ionescu-c4d5\ndue: \"2026-11-27\"\n"
               "summary: Send Ion the catalogue\nstatus: open\n");
    feedback("2026-11-23-complaint-ana-popescu-dddd", "complaint", "ana-popescu-a2b3", "2026-11-23T08:30:00+02:00",
             "Late delivery", "resolved");
    feedback("2026-11-24-review-ana-popescu-ddde", "review", "ana-popescu-a2b3", "2026-11-24T18:00:00+02:00",
             "Lovely tea set", "open");
    feedback("2026-11-23-complaint-ion-ionescu-dddf", "complaint", "ion-ionescu-c4d5", "2026-11-23T09:00:00+02:00",
             "Ion's parcel was late", "open");
  }

  void activity(const std::string& id, const std::string& kind, const std::string& who, const std::string& at,
                const std::string& summary) const {
    write_text(dir / "activities" / "2026" / "11" / (id + ".yaml"),
               "id: " + id + "\nkind: " + kind + "\ncontact: " + who + "\nat: " + at + "\nsummary: " + summary +
                   (summary.ends_with('\n') ? "" : "\n"));
  }
  void feedback(const std::string& id, const std::string& kind, const std::string& who, const std::string& at,
                const std::string& summary, const std::string& status) const {
    write_text(dir / "feedback" / "2026" / "11" / (id + ".yaml"), "id: " + id + "\nkind: " + kind + "\ncontact: " +
                                                                      who + "\nat: " + at + "\nsummary: " + summary +
                                                                      "\nstatus: " + status + "\n");
  }
};

// One line per entry: when|type|kind|status|summary|id.
std::string rows(const Timeline& t) {
  std::string out;
  for (const auto& e : t.entries)
    out += e.when + "|" + e.type + "|" + e.kind + "|" + e.status + "|" + e.summary + "|" + e.id + "\n";
  return out;
}

TimelineOptions kind(const std::string& k) {
  TimelineOptions o;
  o.kind = k;
  return o;
}

const std::string ana_all = "2026-11-28|followup|followup|open|Call back about the offer|2026-11-15-ana-popescu-cccc\n"
                            "2026-11-24T18:00:00+02:00|feedback|review|open|Lovely tea set|2026-11-24-review-ana-popescu-ddde\n"
                            "2026-11-24T12:00:00+02:00|activity|stage||stage: lead -> customer|2026-11-24-stage-ana-popescu-aaad\n"
                            "2026-11-23T08:30:00+02:00|feedback|complaint|resolved|Late delivery|2026-11-23-complaint-ana-popescu-dddd\n"
                            "2026-11-20T09:00:00+02:00|activity|call||Talked about the offer|2026-11-20-call-ana-popescu-aaac\n"
                            "2026-11-20|followup|followup|done|Send samples|2026-11-15-ana-popescu-cccd\n"
                            "2026-11-10T11:00:00+02:00|activity|meeting||Visited the shop|2026-11-10-meeting-ana-popescu-aaab\n"
                            "2026-11-01T09:00:00+02:00|activity|stage||stage: lead|2026-11-01-stage-ana-popescu-aaaa\n";

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: timeline merges one contact's activities, feedback and follow-ups, newest first") {
  TimelineFixture f;
  Session s(f.dir.path());
  REQUIRE(s.index().broken_files().empty());
  const auto t = crm::ops::timeline(s, "Ana Popescu", {});
  CHECK(t.contact_id == "ana-popescu-a2b3");
  CHECK(t.contact_name == "Ana Popescu");
  // A due date sorts as the start of its day: after the 09:00 call of the same day.
  // A multi-line summary shows its first line.
  CHECK(rows(t) == ana_all);
}

TEST_CASE("ops: timeline finds the contact by any REF and shows only its records") {
  TimelineFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::timeline(s, "ana-popescu-a2b3", {})) == ana_all);
  CHECK(rows(crm::ops::timeline(s, "ana-pop", {})) == ana_all);
  CHECK(rows(crm::ops::timeline(s, "ANA POPESCU", {})) == ana_all);
  CHECK(rows(crm::ops::timeline(s, "ion", {})) ==
        "2026-11-27|followup|followup|open|Send Ion the catalogue|2026-11-15-ion-ionescu-ccce\n"
        "2026-11-23T09:00:00+02:00|feedback|complaint|open|Ion's parcel was late|2026-11-23-complaint-ion-ionescu-dddf\n"
        "2026-11-22T10:00:00+02:00|activity|call||Ion asked for a catalogue|2026-11-22-call-ion-ionescu-bbba\n");
}

TEST_CASE("ops: timeline limit keeps the newest N") {
  TimelineFixture f;
  Session s(f.dir.path());
  TimelineOptions o;
  o.limit = 2;
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", o)) ==
        "2026-11-28|followup|followup|open|Call back about the offer|2026-11-15-ana-popescu-cccc\n"
        "2026-11-24T18:00:00+02:00|feedback|review|open|Lovely tea set|2026-11-24-review-ana-popescu-ddde\n");
  o.limit = 0;
  CHECK(crm::ops::timeline(s, "Ana Popescu", o).entries.empty());
  o.limit = 100;
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", o)) == ana_all);
}

TEST_CASE("ops: timeline kind filters by record type, singular or plural") {
  TimelineFixture f;
  Session s(f.dir.path());
  const std::string activities =
      "2026-11-24T12:00:00+02:00|activity|stage||stage: lead -> customer|2026-11-24-stage-ana-popescu-aaad\n"
      "2026-11-20T09:00:00+02:00|activity|call||Talked about the offer|2026-11-20-call-ana-popescu-aaac\n"
      "2026-11-10T11:00:00+02:00|activity|meeting||Visited the shop|2026-11-10-meeting-ana-popescu-aaab\n"
      "2026-11-01T09:00:00+02:00|activity|stage||stage: lead|2026-11-01-stage-ana-popescu-aaaa\n";
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("activity"))) == activities);
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("activities"))) == activities);
  const std::string followups = "2026-11-28|followup|followup|open|Call back about the offer|2026-11-15-ana-popescu-cccc\n"
                                "2026-11-20|followup|followup|done|Send samples|2026-11-15-ana-popescu-cccd\n";
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("followup"))) == followups);
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("followups"))) == followups);
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("feedback"))) ==
        "2026-11-24T18:00:00+02:00|feedback|review|open|Lovely tea set|2026-11-24-review-ana-popescu-ddde\n"
        "2026-11-23T08:30:00+02:00|feedback|complaint|resolved|Late delivery|2026-11-23-complaint-ana-popescu-dddd\n");
}

TEST_CASE("ops: timeline kind filters by an activity or feedback kind") {
  TimelineFixture f;
  Session s(f.dir.path());
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("call"))) ==
        "2026-11-20T09:00:00+02:00|activity|call||Talked about the offer|2026-11-20-call-ana-popescu-aaac\n");
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("complaint"))) ==
        "2026-11-23T08:30:00+02:00|feedback|complaint|resolved|Late delivery|2026-11-23-complaint-ana-popescu-dddd\n");
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("stage"))) ==
        "2026-11-24T12:00:00+02:00|activity|stage||stage: lead -> customer|2026-11-24-stage-ana-popescu-aaad\n"
        "2026-11-01T09:00:00+02:00|activity|stage||stage: lead|2026-11-01-stage-ana-popescu-aaaa\n");
  // Known kinds with nothing for this contact: an empty timeline, not an error.
  CHECK(crm::ops::timeline(s, "Ana Popescu", kind("email")).entries.empty());
  CHECK(crm::ops::timeline(s, "Ana Popescu", kind("return")).entries.empty());
}

TEST_CASE("ops: timeline kind with a limit") {
  TimelineFixture f;
  Session s(f.dir.path());
  TimelineOptions o = kind("activity");
  o.limit = 1;
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", o)) ==
        "2026-11-24T12:00:00+02:00|activity|stage||stage: lead -> customer|2026-11-24-stage-ana-popescu-aaad\n");
}

TEST_CASE("ops: timeline with a bad kind is a usage error naming the kinds") {
  TimelineFixture f;
  Session s(f.dir.path());
  for (const char* bad : {"bogus", "", "contact", "contacts"}) {
    CAPTURE(bad);
    const auto e = error_from([&] { crm::ops::timeline(s, "Ana Popescu", kind(bad)); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "bad --kind '" + std::string(bad) + "'");
    CHECK(e.hints() == std::vector<std::string>{
                           "use a record type (activity, feedback, followup, sale, payment, deal, loyalty) or a kind (call, email, meeting, text, "
                           "note, chat, stage, complaint, return, support, review, survey, suggestion)"});
  }
  // The kind is checked before the contact is looked up.
  CHECK(error_from([&] { crm::ops::timeline(s, "nobody", kind("bogus")); }).kind() == ErrorKind::usage);
}

TEST_CASE("ops: timeline of an unknown or ambiguous REF throws, of a quiet contact is empty") {
  TimelineFixture f;
  Session s(f.dir.path());
  const auto missing = error_from([&] { crm::ops::timeline(s, "nobody", {}); });
  CHECK(missing.kind() == ErrorKind::not_found);
  CHECK(std::string(missing.what()) == "no contact matches 'nobody'");
  write_text(f.dir / "contacts" / "ana-pop-g8h9.yaml", "id: ana-pop-g8h9\nname: Ana Pop\n");
  Session next(f.dir.path());
  CHECK(error_from([&] { crm::ops::timeline(next, "ana-pop", {}); }).kind() == ErrorKind::ambiguous);
  const auto bo = crm::ops::timeline(next, "Bo Gol", {});
  CHECK(bo.contact_id == "bo-gol-e6f7");
  CHECK(bo.contact_name == "Bo Gol");
  CHECK(bo.entries.empty());
}

TEST_CASE("ops: timeline ties at the same moment go by id, the later id first") {
  TimelineFixture f;
  f.activity("2026-11-24-note-ana-popescu-zzzz", "note", "ana-popescu-a2b3", "2026-11-24T12:00:00+02:00",
             "Noted the new stage");
  Session s(f.dir.path());
  CHECK(rows(crm::ops::timeline(s, "Ana Popescu", kind("activity"))).starts_with(
      "2026-11-24T12:00:00+02:00|activity|stage||stage: lead -> customer|2026-11-24-stage-ana-popescu-aaad\n"
      "2026-11-24T12:00:00+02:00|activity|note||Noted the new stage|2026-11-24-note-ana-popescu-zzzz\n"));
}

TEST_CASE("ops: timeline orders by the instant, whatever the offset") {
  TimelineFixture f;
  // 15:00 at +02:00 is 13:00 UTC, an hour before 14:00 at +00:00.
  f.activity("2026-11-22-call-bo-gol-kyiv", "call", "bo-gol-e6f7", "2026-11-22T15:00:00+02:00", "From Kyiv");
  f.activity("2026-11-22-call-bo-gol-lond", "call", "bo-gol-e6f7", "2026-11-22T14:00:00+00:00", "From London");
  Session s(f.dir.path());
  CHECK(rows(crm::ops::timeline(s, "Bo Gol", {})) ==
        "2026-11-22T14:00:00+00:00|activity|call||From London|2026-11-22-call-bo-gol-lond\n"
        "2026-11-22T15:00:00+02:00|activity|call||From Kyiv|2026-11-22-call-bo-gol-kyiv\n");
}

TEST_SUITE_END();
