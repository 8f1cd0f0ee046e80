// The record types of lib/model/types.cpp: what each type is called, where its
// files go, how it is listed and searched, and the checks of the field kinds the
// event types brought (integer, when, period, duration).

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "store/record_file.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::model::activity_type;
using crm::model::check_field;
using crm::model::company_type;
using crm::model::contact_type;
using crm::model::feedback_type;
using crm::model::Field;
using crm::model::FieldKind;
using crm::model::followup_type;
using crm::model::RecordType;
using crm_test::TempDir;
using Json = nlohmann::ordered_json;
using Views = std::vector<std::string_view>;

namespace stdfs = std::filesystem;

namespace {

const Field& field(const RecordType& t, std::string_view key) {
  const Field* f = t.field(key);
  REQUIRE(f != nullptr);
  return *f;
}

std::optional<std::string> check(const RecordType& t, std::string_view key, const Json& value) {
  return check_field(field(t, key), value);
}

std::optional<std::string> none() { return std::nullopt; }
std::optional<std::string> msg(const char* m) { return std::string(m); }

Views required_keys(const RecordType& t) {
  Views keys;
  for (const auto& f : t.fields)
    if (f.required) keys.push_back(f.key);
  return keys;
}

Views field_keys(const RecordType& t) {
  Views keys;
  for (const auto& f : t.fields) keys.push_back(f.key);
  return keys;
}

} // namespace

TEST_SUITE_BEGIN("model");

// ------------------------------------------------------------------ what each type is

TEST_CASE("model types: contact") {
  const auto& t = contact_type();
  CHECK(t.name == "contact");
  CHECK(t.plural == "contacts");
  CHECK_FALSE(t.dated);
  CHECK(t.title_key == "name");
  CHECK(t.default_sort == "name");
  CHECK(t.search_keys == Views{"name", "title", "notes", "family", "lost_reason"});
  CHECK(t.list_columns == Views{"id", "name", "emails", "phones", "company", "stage", "tags"});
  // The fields issue 5 added to contacts.
  CHECK(field(t, "cadence").kind == FieldKind::period);
  CHECK(field(t, "lost_to").kind == FieldKind::text);
  CHECK(field(t, "lost_reason").kind == FieldKind::text);
  CHECK(field(t, "anniversary").kind == FieldKind::date);
}

TEST_CASE("model types: company") {
  const auto& t = company_type();
  CHECK(t.name == "company");
  CHECK(t.plural == "companies");
  CHECK_FALSE(t.dated);
  CHECK(t.title_key == "name");
  CHECK(t.default_sort == "name");
  CHECK(t.search_keys == Views{"name", "industry", "notes"});
  CHECK(t.list_columns == Views{"id", "name", "emails", "phones", "city", "country", "tags"});
  CHECK(t.indexed_keys() == Views{"industry", "city", "country"});
}

TEST_CASE("model types: activity") {
  const auto& t = activity_type();
  CHECK(t.name == "activity");
  CHECK(t.plural == "activities");
  CHECK(t.dated);
  CHECK(t.title_key == "summary");
  CHECK(t.default_sort == "-at");
  CHECK(t.search_keys == Views{"summary", "outcome", "lost_reason", "notes"});
  CHECK(t.list_columns == Views{"id", "at", "kind", "direction", "contact_name", "summary"});
  CHECK(field_keys(t) == Views{"id", "kind", "contact", "at", "direction", "duration", "outcome", "campaign", "from",
                               "to", "lost_to", "lost_reason", "summary", "followup", "tags", "notes", "custom",
                               "created", "updated"});
  CHECK(required_keys(t) == Views{"id", "kind", "contact", "at"});
  CHECK(t.indexed_keys() == Views{"kind", "contact", "at", "direction", "campaign"});
  CHECK(field(t, "kind").choices == crm::model::activity_kinds());
  CHECK(field(t, "direction").choices == Views{"in", "out"});
  CHECK(field(t, "from").choices == Views{"lead", "prospect", "customer", "inactive", "lost"});
  CHECK(field(t, "to").choices == Views{"lead", "prospect", "customer", "inactive", "lost"});
  CHECK(field(t, "contact").kind == FieldKind::ref);
  CHECK(field(t, "contact").ref_type == "contact");
  CHECK(field(t, "followup").ref_type == "followup");
  CHECK(field(t, "duration").kind == FieldKind::duration);
  CHECK(field(t, "at").kind == FieldKind::timestamp);
}

TEST_CASE("model types: followup") {
  const auto& t = followup_type();
  CHECK(t.name == "followup");
  CHECK(t.plural == "followups");
  CHECK_FALSE(t.dated);
  CHECK(t.title_key == "summary");
  CHECK(t.default_sort == "due");
  CHECK(t.search_keys == Views{"summary", "done_note", "notes"});
  CHECK(t.list_columns == Views{"id", "due", "status", "contact_name", "summary"});
  CHECK(field_keys(t) == Views{"id", "contact", "due", "summary", "status", "snoozed", "source", "done_at",
                               "done_note", "tags", "notes", "custom", "created", "updated"});
  CHECK(required_keys(t) == Views{"id", "contact", "due", "summary", "status"});
  CHECK(t.indexed_keys() == Views{"contact", "due", "status"});
  CHECK(field(t, "due").kind == FieldKind::when);
  CHECK(field(t, "status").choices == Views{"open", "done"});
  CHECK(field(t, "snoozed").kind == FieldKind::integer);
  CHECK(field(t, "snoozed").min == 0);
  CHECK(field(t, "snoozed").max == 1000000);
}

TEST_CASE("model types: feedback") {
  const auto& t = feedback_type();
  CHECK(t.name == "feedback");
  CHECK(t.plural == "feedback");
  CHECK(t.dated);
  CHECK(t.title_key == "summary");
  CHECK(t.default_sort == "-at");
  CHECK(t.search_keys == Views{"summary", "resolution", "product", "notes"});
  CHECK(t.list_columns == Views{"id", "at", "kind", "status", "contact_name", "rating", "summary"});
  CHECK(field_keys(t) == Views{"id", "kind", "contact", "at", "product", "sale", "rating", "nps", "channel",
                               "summary", "status", "resolved_at", "resolution_minutes", "resolution", "followup",
                               "tags", "notes", "custom", "created", "updated"});
  CHECK(required_keys(t) == Views{"id", "kind", "contact", "at", "summary", "status"});
  CHECK(t.indexed_keys() == Views{"kind", "contact", "at", "product", "sale", "rating", "nps", "status"});
  CHECK(field(t, "kind").choices == crm::model::feedback_kinds());
  CHECK(field(t, "status").choices == Views{"open", "resolved"});
  CHECK(field(t, "rating").min == 1);
  CHECK(field(t, "rating").max == 5);
  CHECK(field(t, "nps").min == 0);
  CHECK(field(t, "nps").max == 10);
  CHECK(field(t, "followup").ref_type == "followup");
}

TEST_CASE("model types: activity and feedback kinds") {
  CHECK(crm::model::activity_kinds() == Views{"call", "email", "meeting", "text", "note", "chat", "stage"});
  CHECK(crm::model::feedback_kinds() == Views{"complaint", "return", "support", "review", "survey", "suggestion"});
}

TEST_CASE("model types: find_type knows the event types by name and plural") {
  CHECK(crm::model::find_type("activity") == &activity_type());
  CHECK(crm::model::find_type("activities") == &activity_type());
  CHECK(crm::model::find_type("followup") == &followup_type());
  CHECK(crm::model::find_type("followups") == &followup_type());
  CHECK(crm::model::find_type("feedback") == &feedback_type());
  CHECK(crm::model::find_type("follow-up") == nullptr);
}

// ------------------------------------------------------------------ check_field: new kinds

TEST_CASE("model types: check_field integer (rating 1..5)") {
  const auto& t = feedback_type();
  CHECK(check(t, "rating", 5) == none());
  CHECK(check(t, "rating", 1) == none());
  CHECK(check(t, "rating", 0) == msg("bad rating '0' (expected a whole number from 1 to 5)"));
  CHECK(check(t, "rating", 6) == msg("bad rating '6' (expected a whole number from 1 to 5)"));
  CHECK(check(t, "rating", -1) == msg("bad rating '-1' (expected a whole number from 1 to 5)"));
  // A number written as text, or with a fraction, is not a whole number.
  CHECK(check(t, "rating", "5") == msg("bad rating '5' (expected a whole number from 1 to 5)"));
  CHECK(check(t, "rating", 3.5) == msg("bad rating '3.5' (expected a whole number from 1 to 5)"));
  CHECK(check(t, "rating", true) == msg("bad rating 'true' (expected a whole number from 1 to 5)"));
  // The bounds are the field's own.
  CHECK(check(t, "nps", 0) == none());
  CHECK(check(t, "nps", 10) == none());
  CHECK(check(t, "nps", 11) == msg("bad nps '11' (expected a whole number from 0 to 10)"));
  CHECK(check(followup_type(), "snoozed", 0) == none());
  CHECK(check(followup_type(), "snoozed", -1) ==
        msg("bad snoozed '-1' (expected a whole number from 0 to 1000000)"));
  CHECK(check(t, "resolution_minutes", 150) == none());
}

TEST_CASE("model types: check_field when (a date, or a timestamp)") {
  const auto& t = followup_type();
  CHECK(check(t, "due", "2026-11-25") == none());
  CHECK(check(t, "due", "2028-02-29") == none());
  CHECK(check(t, "due", "2026-11-25T15:30:00+02:00") == none());
  CHECK(check(t, "due", "2026-02-30") ==
        msg("bad due '2026-02-30' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"));
  CHECK(check(t, "due", "soon") == msg("bad due 'soon' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"));
  // Relative forms are for the command line, never stored.
  CHECK(check(t, "due", "tomorrow") ==
        msg("bad due 'tomorrow' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"));
  // A yearless date is for birthdays only.
  CHECK(check(t, "due", "--11-25") ==
        msg("bad due '--11-25' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"));
  CHECK(check(t, "due", 20261125) ==
        msg("bad due '20261125' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"));
}

TEST_CASE("model types: check_field period (cadence)") {
  const auto& t = contact_type();
  for (const char* ok : {"30d", "2w", "3m", "1y", "100000d"}) {
    CAPTURE(ok);
    CHECK(check(t, "cadence", ok) == none());
  }
  CHECK(check(t, "cadence", "30") == msg("bad cadence '30' (expected a period such as 30d, 2w, 3m or 1y)"));
  CHECK(check(t, "cadence", "0d") == msg("bad cadence '0d' (expected a period such as 30d, 2w, 3m or 1y)"));
  CHECK(check(t, "cadence", "-3d") == msg("bad cadence '-3d' (expected a period such as 30d, 2w, 3m or 1y)"));
  CHECK(check(t, "cadence", "30 d") == msg("bad cadence '30 d' (expected a period such as 30d, 2w, 3m or 1y)"));
  CHECK(check(t, "cadence", 30) == msg("bad cadence '30' (expected a period such as 30d, 2w, 3m or 1y)"));
}

TEST_CASE("model types: check_field duration") {
  const auto& t = activity_type();
  for (const char* ok : {"1h30m", "15m", "1h", "90", "0m"}) {
    CAPTURE(ok);
    CHECK(check(t, "duration", ok) == none());
  }
  CHECK(check(t, "duration", "x") == msg("bad duration 'x' (expected a duration such as 15m, 1h or 1h30m)"));
  CHECK(check(t, "duration", "-5m") == msg("bad duration '-5m' (expected a duration such as 15m, 1h or 1h30m)"));
  CHECK(check(t, "duration", "1h60m") ==
        msg("bad duration '1h60m' (expected a duration such as 15m, 1h or 1h30m)"));
  CHECK(check(t, "duration", 15) == msg("bad duration '15' (expected a duration such as 15m, 1h or 1h30m)"));
}

TEST_CASE("model types: check_field choice for activity kind and direction") {
  const auto& t = activity_type();
  CHECK(check(t, "kind", "call") == none());
  CHECK(check(t, "kind", "stage") == none());
  CHECK(check(t, "kind", "fax") ==
        msg("bad kind 'fax' (expected one of: call, email, meeting, text, note, chat, stage)"));
  CHECK(check(t, "direction", "both") == msg("bad direction 'both' (expected one of: in, out)"));
  CHECK(check(feedback_type(), "kind", "praise") ==
        msg("bad kind 'praise' (expected one of: complaint, return, support, review, survey, suggestion)"));
}

// ------------------------------------------------------------------ files

namespace {

constexpr const char* feedback_file = "id: 2026-11-25-complaint-ana-k7q2\n"
                                      "kind: complaint\n"
                                      "contact: ana-k7q2\n"
                                      "at: 2026-11-25T10:00:00+02:00\n"
                                      "rating: {}\n"
                                      "summary: the mug arrived broken\n"
                                      "status: open\n";

std::string feedback_with_rating(const std::string& rating) {
  std::string text = feedback_file;
  text.replace(text.find("{}"), 2, rating);
  return text;
}

} // namespace

TEST_CASE("model types: a feedback file's rating is read as a number") {
  const auto parsed = crm::store::parse_record(feedback_type(), feedback_with_rating("4"), "feedback/x.yaml");
  CHECK(parsed.problems.empty());
  REQUIRE(parsed.record.contains("rating"));
  CHECK(parsed.record["rating"].is_number_integer());
  CHECK(parsed.record["rating"] == 4);
  CHECK(parsed.lines.at("rating") == 5);
  // Written back as a plain number.
  CHECK(crm::store::render_record(feedback_type(), parsed.record) == feedback_with_rating("4"));
}

TEST_CASE("model types: a feedback file's bad rating stays text and is a problem on its line") {
  auto parsed = crm::store::parse_record(feedback_type(), feedback_with_rating("four"), "feedback/x.yaml");
  CHECK(parsed.record["rating"] == "four");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 5);
  CHECK(parsed.problems[0].key == "rating");
  CHECK(parsed.problems[0].message == "bad rating 'four' (expected a whole number from 1 to 5)");

  parsed = crm::store::parse_record(feedback_type(), feedback_with_rating("9"), "feedback/x.yaml");
  CHECK(parsed.record["rating"] == 9);
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 5);
  CHECK(parsed.problems[0].message == "bad rating '9' (expected a whole number from 1 to 5)");

  parsed = crm::store::parse_record(feedback_type(), feedback_with_rating("4.5"), "feedback/x.yaml");
  CHECK(parsed.record["rating"] == "4.5");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].message == "bad rating '4.5' (expected a whole number from 1 to 5)");
}

TEST_CASE("model types: record_relpath files dated types by the date their id starts with") {
  TempDir dir;
  const auto ws = crm::store::Workspace::init(dir.path(), {});
  CHECK(ws.record_relpath(activity_type(), "2026-11-25-call-ana-popescu-k7q2") ==
        stdfs::path("activities/2026/11/2026-11-25-call-ana-popescu-k7q2.yaml"));
  CHECK(ws.record_relpath(activity_type(), "2027-01-02-stage-ana-k7q2") ==
        stdfs::path("activities/2027/01/2027-01-02-stage-ana-k7q2.yaml"));
  CHECK(ws.record_relpath(feedback_type(), "2026-11-25-complaint-ana-k7q2") ==
        stdfs::path("feedback/2026/11/2026-11-25-complaint-ana-k7q2.yaml"));
  // Follow-ups are not dated: their ids start with a date, their folder is flat.
  CHECK(ws.record_relpath(followup_type(), "2026-11-25-ana-popescu-k7q2") ==
        stdfs::path("followups/2026-11-25-ana-popescu-k7q2.yaml"));
  CHECK(ws.record_relpath(contact_type(), "ana-popescu-k7q2") == stdfs::path("contacts/ana-popescu-k7q2.yaml"));
}

TEST_SUITE_END();
