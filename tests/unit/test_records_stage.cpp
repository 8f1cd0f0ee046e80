// ops::record_stage_change (ops/records/stage.cpp): a contact's stage change is
// an activity, from contact add and set too.

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/records/stage.hpp"
#include "test_support.hpp"

using crm::model::activity_type;
using crm::model::contact_type;
using crm::model::Record;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::EnvVar;
using Json = nlohmann::ordered_json;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00

// The workspace every test starts from: region RO, the clock at t0.
using Fixture = crm_test::PinnedWorkspace;

Record activity(Session& s, const std::string& id) { return crm::ops::load_record(s, activity_type(), id); }

const std::string suffix = "[a-km-np-z2-9]{4}";

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ stage changes

TEST_CASE("ops stage: nothing is recorded when the stage is unchanged or unset") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  Record before = crm::ops::load_record(s, contact_type(), ana);
  Record after = before;
  CHECK_FALSE(crm::ops::record_stage_change(s, before, after).has_value());
  before["stage"] = "lead";
  after["stage"] = "lead";
  CHECK_FALSE(crm::ops::record_stage_change(s, before, after).has_value());
  after.erase("stage"); // unset: not a change worth an activity
  CHECK_FALSE(crm::ops::record_stage_change(s, before, after).has_value());
  CHECK_FALSE(crm::ops::record_stage_change(s, Record::object(), Record::object()).has_value());
  CHECK(f.files("activities").empty());
}

TEST_CASE("ops stage: a first stage and a change from one stage to another") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  Record after = crm::ops::load_record(s, contact_type(), ana);
  after["stage"] = "lead";
  const auto first = crm::ops::record_stage_change(s, Record::object(), after);
  REQUIRE(first.has_value());
  CHECK(std::regex_match(*first, std::regex("2026-11-25-stage-ana-popescu-" + suffix)));
  CHECK(activity(s, *first) == Json{{"id", *first},
                                    {"kind", "stage"},
                                    {"contact", ana},
                                    {"at", t0},
                                    {"to", "lead"},
                                    {"summary", "stage: lead"},
                                    {"created", t0},
                                    {"updated", t0}});

  Record before = after;
  after["stage"] = "customer";
  after["lost_to"] = "Rival SRL"; // only a change to lost copies these
  const auto second = crm::ops::record_stage_change(s, before, after);
  REQUIRE(second.has_value());
  const auto rec = activity(s, *second);
  CHECK(rec["from"] == "lead");
  CHECK(rec["to"] == "customer");
  CHECK(rec["summary"] == "stage: lead -> customer");
  CHECK_FALSE(rec.contains("lost_to"));
  CHECK(f.files("activities").size() == 2);
}

TEST_CASE("ops stage: a change to lost copies lost_to and lost_reason") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"stage=customer"});
  Record before = crm::ops::load_record(s, contact_type(), ana);
  Record after = before;
  after["stage"] = "lost";
  after["lost_to"] = "Rival SRL";
  after["lost_reason"] = "cheaper delivery";
  const auto id = crm::ops::record_stage_change(s, before, after);
  REQUIRE(id.has_value());
  CHECK(activity(s, *id) == Json{{"id", *id},
                                 {"kind", "stage"},
                                 {"contact", ana},
                                 {"at", t0},
                                 {"from", "customer"},
                                 {"to", "lost"},
                                 {"lost_to", "Rival SRL"},
                                 {"lost_reason", "cheaper delivery"},
                                 {"summary", "stage: customer -> lost"},
                                 {"created", t0},
                                 {"updated", t0}});
}

TEST_CASE("ops stage: contact add and set record stage changes as activities") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"stage=lead"});
  REQUIRE(f.files("activities").size() == 1);
  crm::index::ListQuery q;
  q.sort = "at";
  auto stages = s.index().list(activity_type(), q);
  REQUIRE(stages.size() == 1);
  CHECK(stages[0]["summary"] == "stage: lead");
  CHECK(stages[0]["contact"] == ana);

  EnvVar later("CRM_NOW", std::string("2026-11-26T09:00:00+02:00"));
  crm::ops::set_record(s, contact_type(), ana,
                       {crm::ops::parse_assignment("stage=lost"), crm::ops::parse_assignment("lost_to=Rival SRL"),
                        crm::ops::parse_assignment("lost_reason=price")});
  stages = s.index().list(activity_type(), q);
  REQUIRE(stages.size() == 2);
  CHECK(stages[1]["at"] == "2026-11-26T09:00:00+02:00");
  CHECK(stages[1]["from"] == "lead");
  CHECK(stages[1]["to"] == "lost");
  CHECK(stages[1]["lost_to"] == "Rival SRL");
  CHECK(stages[1]["lost_reason"] == "price");
  // Changing something else is not a stage change.
  crm::ops::set_record(s, contact_type(), ana, {crm::ops::parse_assignment("city=Iași")});
  CHECK(f.files("activities").size() == 2);
}

TEST_SUITE_END();
