// ops/git/git: the clone a workspace is in, `crm git setup` and the merge driver.

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "ops/git/git.hpp"
#include "test_support.hpp"
#include "util/process.hpp"

using crm::ops::GitRepo;
using crm_test::EnvVar;
using crm_test::read_text;
using crm_test::TempDir;
using crm_test::write_text;

namespace {

// A git repository in `dir`, with no user or system config in the way.
struct Repo {
  TempDir dir;
  EnvVar home{"HOME", (dir / "home").string()};
  EnvVar no_system{"GIT_CONFIG_NOSYSTEM", "1"};
  Repo() {
    std::filesystem::create_directories(dir / "home");
    REQUIRE(crm::process::run({"git", "init", "-q", (dir / "ws").string()}, {}, true) == 0);
  }
  std::string git(const std::vector<std::string>& args) {
    crm::process::Spawn spawn;
    spawn.argv = {"git"};
    spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
    spawn.cwd = dir / "ws";
    return crm::process::run_captured(spawn).out;
  }
};

const std::string attributes = "# crm merges its record files field by field (crm git setup, docs/git.md)\n"
                               "contacts/**/*.yaml merge=crm\n"
                               "companies/**/*.yaml merge=crm\n"
                               "products/**/*.yaml merge=crm\n"
                               "campaigns/**/*.yaml merge=crm\n"
                               "segments/**/*.yaml merge=crm\n"
                               "activities/**/*.yaml merge=crm\n"
                               "sales/**/*.yaml merge=crm\n"
                               "payments/**/*.yaml merge=crm\n"
                               "deals/**/*.yaml merge=crm\n"
                               "feedback/**/*.yaml merge=crm\n"
                               "followups/**/*.yaml merge=crm\n"
                               "loyalty/**/*.yaml merge=crm\n"
                               "vouchers/**/*.yaml merge=crm\n";

} // namespace

TEST_SUITE_BEGIN("git");

TEST_CASE("git: GitRepo finds the work tree a workspace is in, and names a folder below its top") {
  Repo r;
  CHECK(GitRepo::find(r.dir / "ws").has_value());
  CHECK(GitRepo::find(r.dir / "ws")->prefix().empty());
  std::filesystem::create_directories(r.dir / "ws" / "crm");
  CHECK(GitRepo::find(r.dir / "ws" / "crm")->prefix() == "crm/");
  std::filesystem::create_directories(r.dir / "elsewhere");
  CHECK_FALSE(GitRepo::find(r.dir / "elsewhere").has_value());
  const auto e = crm_test::error_from([&] { GitRepo::open(r.dir / "elsewhere"); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "not a git repository: " + (r.dir / "elsewhere").string());
}

TEST_CASE("git: git_setup writes .gitattributes and the clone's config once") {
  Repo r;
  const auto repo = GitRepo::open(r.dir / "ws");
  const auto first = crm::ops::git_setup(repo);
  CHECK(first.attributes);
  CHECK(first.config);
  CHECK(read_text(r.dir / "ws" / ".gitattributes") == attributes);
  CHECK(r.git({"config", "merge.crm.driver"}) == crm::ops::merge_driver_command() + "\n");
  CHECK(r.git({"config", "merge.crm.name"}) == "crm: record files merged field by field\n");
  CHECK(r.git({"check-attr", "merge", "--", "activities/2026/11/x.yaml"}) == "activities/2026/11/x.yaml: merge: crm\n");
  CHECK(r.git({"check-attr", "merge", "--", "files/x/quote.yaml"}) == "files/x/quote.yaml: merge: unspecified\n");
  const auto again = crm::ops::git_setup(repo);
  CHECK_FALSE(again.attributes);
  CHECK_FALSE(again.config);
  CHECK(read_text(r.dir / "ws" / ".gitattributes") == attributes);
}

TEST_CASE("git: git_setup keeps the lines a .gitattributes has and adds only the missing ones") {
  Repo r;
  write_text(r.dir / "ws" / ".gitattributes", "*.pdf binary\ncontacts/**/*.yaml merge=crm");
  crm::ops::git_setup(GitRepo::open(r.dir / "ws"));
  const std::string text = read_text(r.dir / "ws" / ".gitattributes");
  CHECK(text.starts_with("*.pdf binary\ncontacts/**/*.yaml merge=crm\ncompanies/**/*.yaml merge=crm\n"));
  CHECK(text.ends_with("vouchers/**/*.yaml merge=crm\n"));
  CHECK(text.find("contacts/") == text.rfind("contacts/"));
}

TEST_CASE("git: the driver command is this binary by its absolute path") {
  const std::string cmd = crm::ops::merge_driver_command();
  CHECK(cmd.starts_with("'/"));
  CHECK(cmd.ends_with("' __merge-driver %O %A %B %P"));
}

TEST_CASE("git: run_merge_driver writes the field-level merge into OURS") {
  TempDir dir;
  write_text(dir / "O", "id: ana-k7q2\nname: Ana\ncity: Brasov\n");
  write_text(dir / "A", "id: ana-k7q2\nname: Ana Popescu\ncity: Brasov\n");
  write_text(dir / "B", "id: ana-k7q2\nname: Ana\ncity: Iasi\n");
  CHECK(crm::ops::run_merge_driver(dir / "O", dir / "A", dir / "B", "contacts/ana-k7q2.yaml") == 0);
  CHECK(read_text(dir / "A") == "id: ana-k7q2\nname: Ana Popescu\ncity: Iasi\n");
  // A conflict: markers in OURS and 1.
  write_text(dir / "A", "id: ana-k7q2\nname: Ana\ncity: Cluj\n");
  CHECK(crm::ops::run_merge_driver(dir / "O", dir / "A", dir / "B", "crm/contacts/ana-k7q2.yaml") == 1);
  CHECK(read_text(dir / "A") ==
        "id: ana-k7q2\nname: Ana\n<<<<<<< ours\ncity: Cluj\n=======\ncity: Iasi\n>>>>>>> theirs\n");
}

TEST_CASE("git: run_merge_driver merges what is not a record line by line, losing nothing") {
  TempDir dir;
  // Broken YAML on one side: git merge-file's markers around the lines.
  write_text(dir / "O", "id: ana-k7q2\nname: Ana\ncity: Brasov\n");
  write_text(dir / "A", "id: ana-k7q2\nname: [Ana\ncity: Brasov\n");
  write_text(dir / "B", "id: ana-k7q2\nname: Ana Maria\ncity: Brasov\n");
  CHECK(crm::ops::run_merge_driver(dir / "O", dir / "A", dir / "B", "contacts/ana-k7q2.yaml") == 1);
  CHECK(read_text(dir / "A") ==
        "id: ana-k7q2\n<<<<<<< ours\nname: [Ana\n=======\nname: Ana Maria\n>>>>>>> theirs\ncity: Brasov\n");
  // A file in no record folder: line by line, cleanly when the lines allow.
  write_text(dir / "O", "a\nb\nc\n");
  write_text(dir / "A", "A\nb\nc\n");
  write_text(dir / "B", "a\nb\nC\n");
  CHECK(crm::ops::run_merge_driver(dir / "O", dir / "A", dir / "B", "notes/readme.yaml") == 0);
  CHECK(read_text(dir / "A") == "A\nb\nC\n");
}

TEST_SUITE_END();
