#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/records/change_journal.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::ops::ChangeJournal;
using crm_test::read_text;

namespace stdfs = std::filesystem;

namespace {

using Fixture = crm_test::PinnedWorkspace;

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("change journal: nothing on disk before a note, and a commit leaves no trace") {
  Fixture f;
  const crm::store::Workspace ws(f.dir.path());
  f.file("contacts/a.yaml", "id: a\nname: A\n");
  ChangeJournal j(ws, "crm contact set a");
  CHECK_FALSE(stdfs::exists(f.dir / ".crm/changes"));
  j.note("contacts/a.yaml");
  j.note("contacts/a.yaml"); // once is enough
  REQUIRE(stdfs::exists(j.path()));
  CHECK(read_text(j.path()) ==
        "{\"command\":\"crm contact set a\",\"pid\":" + std::to_string(::getpid()) +
            "}\n{\"before\":\"id: a\\nname: A\\n\",\"path\":\"contacts/a.yaml\"}\n");
  j.commit();
  CHECK_FALSE(stdfs::exists(f.dir / ".crm/changes"));
}

TEST_CASE("change journal: revert puts back what each file held and removes what was new") {
  Fixture f;
  const crm::store::Workspace ws(f.dir.path());
  f.file("contacts/a.yaml", "id: a\nname: A\n");
  ChangeJournal j(ws, "crm test");
  j.note("contacts/a.yaml");
  f.file("contacts/a.yaml", "id: a\nname: Changed\n");
  j.note("followups/2026/11/f.yaml");
  f.file("followups/2026/11/f.yaml", "id: f\n");
  j.note("activities/2026/11/never.yaml"); // noted, then killed before it was written
  CHECK(j.revert().empty());
  CHECK(read_text(f.dir / "contacts/a.yaml") == "id: a\nname: A\n");
  CHECK_FALSE(stdfs::exists(f.dir / "followups/2026")); // the folders it made go too
  CHECK(stdfs::exists(f.dir / "followups"));
  CHECK_FALSE(stdfs::exists(f.dir / ".crm/changes"));
}

TEST_CASE("change journal: a killed command's journal is taken back by the next lock holder, once") {
  Fixture f;
  const crm::store::Workspace ws(f.dir.path());
  f.file("contacts/a.yaml", "id: a\nname: A\n");
  {
    ChangeJournal j(ws, "crm contact set a name=B");
    j.note("contacts/a.yaml");
    f.file("contacts/a.yaml", "id: a\nname: B\n");
  } // killed: no commit, no revert
  const auto found = crm::ops::interrupted_changes(ws);
  REQUIRE(found.size() == 1);
  CHECK(found[0].command == "crm contact set a name=B");
  CHECK(found[0].files == 1);
  CHECK(found[0].journal.starts_with(".crm/changes/"));
  CHECK(crm::ops::recover_interrupted_changes(ws) ==
        std::vector<std::string>{"an interrupted 'crm contact set a name=B' was taken back (1 file)"});
  CHECK(read_text(f.dir / "contacts/a.yaml") == "id: a\nname: A\n");
  CHECK(crm::ops::recover_interrupted_changes(ws).empty());
}

TEST_CASE("change journal: a planted journal cannot reach outside the workspace") {
  Fixture f;
  const crm::store::Workspace ws(f.dir.path());
  crm_test::TempDir outside;
  crm_test::write_text(outside / "victim.yaml", "keep\n");
  const std::string victim = (outside / "victim.yaml").string();
  f.file(".crm/changes/planted.jsonl", "{\"command\":\"crm x\"}\n{\"path\":\"../victim.yaml\"}\n{\"path\":\"" + victim +
                                           "\",\"before\":\"owned\"}\n{\"path\":\".crm/config.yaml\"}\n");
  const auto messages = crm::ops::recover_interrupted_changes(ws);
  CHECK(messages == std::vector<std::string>{
                        "an interrupted 'crm x': '.crm/config.yaml' is not a file of the workspace: left alone",
                        "an interrupted 'crm x': '" + victim + "' is not a file of the workspace: left alone",
                        "an interrupted 'crm x': '../victim.yaml' is not a file of the workspace: left alone"});
  CHECK(read_text(outside / "victim.yaml") == "keep\n");
  CHECK(stdfs::exists(f.dir / ".crm/config.yaml"));
}

TEST_SUITE_END();
