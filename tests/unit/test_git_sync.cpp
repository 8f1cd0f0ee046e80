// ops/git/sync and undo: what a stopped sync says, and which commits crm made.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/git/sync.hpp"
#include "ops/git/undo.hpp"

using crm::ops::SyncConflict;

TEST_SUITE_BEGIN("git");

TEST_CASE("git: conflict_line names the record and the field, or what happened to the file") {
  CHECK(crm::ops::conflict_line({"contacts/ana-k7q2.yaml", 4, "city", ""}) ==
        "merge conflict in contacts/ana-k7q2.yaml field 'city'");
  CHECK(crm::ops::conflict_line({"contacts/ana-k7q2.yaml", 0, "", "deleted here, changed in 'origin/main'"}) ==
        "merge conflict in contacts/ana-k7q2.yaml: deleted here, changed in 'origin/main'");
  CHECK(crm::ops::conflict_line({"sales/2026/11/x.yaml", 2, "", ""}) == "merge conflict in sales/2026/11/x.yaml");
}

TEST_CASE("git: conflict_hints say how to resolve, name an edit command once per file, then what to run") {
  const std::vector<SyncConflict> conflicts = {{"contacts/ana-k7q2.yaml", 4, "city", ""},
                                               {"contacts/ana-k7q2.yaml", 9, "custom.size", ""},
                                               {"sales/2026/11/2026-11-20-sale-k7q2.yaml", 3, "status", ""},
                                               {"companies/acme-k7q2.yaml", 0, "", "changed here, deleted in 'o/m'"}};
  CHECK(crm::ops::conflict_hints(conflicts) ==
        std::vector<std::string>{
            "in each file keep one side of each conflict and drop the <<<<<<<, ======= and >>>>>>> lines",
            "'crm contact edit ana-k7q2' opens contacts/ana-k7q2.yaml",
            "a file deleted on one side is kept as changed; 'git rm FILE' deletes it instead",
            "then run 'crm sync --continue', or 'crm sync --abort' to go back to before the sync"});
}

TEST_CASE("git: a commit crm made has a Crm-Command trailer line") {
  CHECK(crm::ops::is_crm_commit_message("contact add: Ana Popescu\n\nCrm-Command: contact add\n"));
  CHECK(crm::ops::is_crm_commit_message("import csv: 3 created\n\nbatch 7f3a\nCrm-Command: import csv"));
  CHECK_FALSE(crm::ops::is_crm_commit_message("contact add: Ana Popescu\n"));
  CHECK_FALSE(crm::ops::is_crm_commit_message("fix\n\nsee Crm-Command: in the docs\n"));
  CHECK_FALSE(crm::ops::is_crm_commit_message(""));
}

TEST_SUITE_END();
