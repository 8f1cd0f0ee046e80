#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/interactions/followup.hpp"
#include "ops/records/autocommit.hpp"
#include "ops/records/session.hpp"
#include "ops/records/write_description.hpp"
#include "test_support.hpp"

using crm::ops::Change;
using crm::ops::ChangeAction;
using crm::ops::Session;
using crm::ops::write_subject;

namespace {

Change change(std::string type, std::string label, ChangeAction action = ChangeAction::create) {
  Change c;
  c.action = action;
  c.type = type;
  c.id = label.empty() ? "x-k7q2" : label + "-k7q2";
  c.path = type + "s/" + c.id + ".yaml";
  c.label = std::move(label);
  return c;
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("write subject: the records of the command's own type, by name") {
  CHECK(write_subject("contact add", "", {change("company", "Acme"), change("contact", "Ana Popescu")}) ==
        "contact add: Ana Popescu");
  CHECK(write_subject("log call", "", {change("activity", "Ana Popescu"), change("followup", "Ana Popescu")}) ==
        "log call: Ana Popescu");
  CHECK(write_subject("sale record", "",
                      {change("sale", "Ana Popescu"), change("activity", "Ana Popescu"),
                       change("contact", "Ana Popescu", ChangeAction::update)}) == "sale record: Ana Popescu");
  CHECK(write_subject("contact rm", "", {change("contact", "Ana Popescu", ChangeAction::remove)}) ==
        "contact rm: Ana Popescu");
}

TEST_CASE("write subject: no record of the command's type names every change") {
  CHECK(write_subject("loyalty redeem", "", {change("loyalty", "Ana Popescu")}) == "loyalty redeem: Ana Popescu");
  CHECK(write_subject("import undo", "", {change("contact", "Ana"), change("company", "Acme")}) ==
        "import undo: Ana, Acme");
}

TEST_CASE("write subject: two or three names joined, more counted") {
  CHECK(write_subject("contact merge", "",
                      {change("contact", "Ana Popescu", ChangeAction::update),
                       change("contact", "Ana P.", ChangeAction::remove), change("activity", "Ana Popescu")}) ==
        "contact merge: Ana Popescu, Ana P.");
  std::vector<Change> many;
  for (const char* n : {"A", "B", "C", "D"}) many.push_back(change("contact", n));
  many.push_back(change("activity", "A"));
  CHECK(write_subject("contact add", "", many) == "contact add: 5 records");
  // One name said once, however many of its records changed.
  CHECK(write_subject("followup add", "", {change("followup", "Ana"), change("followup", "Ana")}) ==
        "followup add: Ana");
}

TEST_CASE("write subject: a command's own detail wins, no label falls back to the id, always one line") {
  CHECK(write_subject("import csv", "1200 created, 35 updated (batch 7f3a)", {change("contact", "A")}) ==
        "import csv: 1200 created, 35 updated (batch 7f3a)");
  CHECK(write_subject("deal add", "", {change("deal", "")}) == "deal add: x-k7q2");
  CHECK(write_subject("log note", "", {change("activity", "two\nlines\n")}) == "log note: two lines");
  CHECK(write_subject("segment create", "", {}) == "segment create");
}

TEST_CASE("write description: the commit message ends in the Crm-Command trailer") {
  CHECK(crm::ops::commit_message("contact add: Ana Popescu", "contact add") ==
        "contact add: Ana Popescu\n\nCrm-Command: contact add\n");
}

TEST_CASE("write description: action names and the type of a path") {
  CHECK(crm::ops::action_name(ChangeAction::create) == "create");
  CHECK(crm::ops::action_name(ChangeAction::update) == "update");
  CHECK(crm::ops::action_name(ChangeAction::remove) == "delete");
  CHECK(crm::ops::type_of_path("contacts/a.yaml")->name == "contact");
  CHECK(crm::ops::type_of_path("activities/2026/11/a.yaml")->name == "activity");
  CHECK(crm::ops::type_of_path("files/a/photo.jpg") == nullptr);
  CHECK(crm::ops::type_of_path("contacts") == nullptr);
}

TEST_CASE("session: a command is described by the files it wrote, named as people know them") {
  crm_test::PinnedWorkspace f;
  Session s(f.dir.path());
  CHECK(s.describe("contact list").empty());
  const auto ana = crm_test::add_contact(s, "Ana Popescu", {"company=Acme SRL"});
  auto d = s.describe("contact add");
  CHECK(d.subject == "contact add: Ana Popescu");
  REQUIRE(d.changes.size() == 2);
  CHECK(d.changes[0].type == "company");
  CHECK(d.changes[0].label == "Acme SRL");
  CHECK(d.changes[1].action == ChangeAction::create);
  CHECK(d.changes[1].type == "contact");
  CHECK(d.changes[1].id == ana);
  CHECK(d.changes[1].path == "contacts/" + ana + ".yaml");
  REQUIRE(d.changes[1].record);
  CHECK((*d.changes[1].record)["name"] == "Ana Popescu");
  CHECK(d.paths == std::vector<std::string>{d.changes[0].path, d.changes[1].path});
  // Kept: no hook, no git (autocommit is off), nothing to tell.
  CHECK(s.commit("contact add").empty());
  CHECK(s.describe("contact add").empty());

  // A change that leaves the file as it was is no change.
  crm::ops::set_record(s, crm::model::contact_type(), ana, {crm::ops::parse_assignment("city=Cluj")});
  d = s.describe("contact set");
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].action == ChangeAction::update);
  CHECK(d.subject == "contact set: Ana Popescu");
  CHECK(s.commit("contact set").empty());

  crm::ops::remove_record(s, crm::model::contact_type(), ana, [](const crm::model::Record&) { return true; });
  d = s.describe("contact rm");
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].action == ChangeAction::remove);
  CHECK(d.changes[0].label == "Ana Popescu"); // read from what the file held
  CHECK_FALSE(d.changes[0].record);
  CHECK(d.subject == "contact rm: Ana Popescu");
}

TEST_CASE("session: an event is called by its contact's name, and a failed command describes nothing") {
  crm_test::PinnedWorkspace f;
  Session s(f.dir.path());
  const auto ana = crm_test::add_contact(s, "Ana Popescu");
  CHECK(s.commit("contact add").empty());
  crm::ops::add_followup(s, ana, "2026-11-30", "call back");
  CHECK(s.describe("followup add").subject == "followup add: Ana Popescu");
  CHECK(s.revert_changes().empty());
  CHECK(s.describe("followup add").empty());
  CHECK(f.files("followups").empty());
}
