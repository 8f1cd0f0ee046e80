#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::contact_type;
using crm::ops::Session;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::TempDir;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

// A workspace without a phone region, and a lock timeout short enough to wait out.
struct Fixture : crm_test::PinnedWorkspace {
  Fixture() : PinnedWorkspace("", "50") {}
};

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: a Session outside a workspace is a usage error") {
  EnvVar no_workspace_env("CRM_WORKSPACE", std::nullopt);
  TempDir dir;
  const auto e = error_from([&] { Session s(dir.path()); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "not a crm workspace (or any parent): " + dir.path().string());
}

TEST_CASE("ops: a Session starts from a fresh index and lists broken files") {
  Fixture f;
  write_text(f.dir / "contacts" / "a-k7q2.yaml", "id: a-k7q2\nname: Ana\n");
  write_text(f.dir / "contacts" / "b-k7q2.yaml", "id: b-k7q2\nname: [\n");
  {
    Session s(f.dir / "contacts");
    CHECK(s.workspace().root() == f.dir.path());
    CHECK(s.index().exists(contact_type(), "a-k7q2"));
    REQUIRE(s.index().broken_files().size() == 1);
    CHECK(s.index().broken_files()[0].path == "contacts/b-k7q2.yaml");
  }
  // A hand edit between two commands is seen by the next one.
  write_text(f.dir / "contacts" / "a-k7q2.yaml", "id: a-k7q2\nname: Ana Maria\n");
  write_text(f.dir / "contacts" / "b-k7q2.yaml", "id: b-k7q2\nname: Bea\n");
  Session next(f.dir.path());
  CHECK(next.index().get(contact_type(), "a-k7q2").value()["name"] == "Ana Maria");
  CHECK(next.index().exists(contact_type(), "b-k7q2"));
  CHECK(next.index().broken_files().empty());
}

TEST_CASE("ops: lock_for_writing refreshes the index under the lock") {
  Fixture f;
  Session s(f.dir.path());
  write_text(f.dir / "contacts" / "late-k7q2.yaml", "id: late-k7q2\nname: Late\n");
  CHECK_FALSE(s.index().exists(contact_type(), "late-k7q2"));
  s.lock_for_writing();
  CHECK(s.index().exists(contact_type(), "late-k7q2"));
  CHECK(stdfs::exists(f.dir / ".crm" / "lock"));
  CHECK_NOTHROW(s.lock_for_writing()); // already held: nothing to wait for
}

TEST_CASE("ops: a second writer waits for the lock, then gives up with conflict") {
  Fixture f;
  std::optional<Session> first;
  first.emplace(f.dir.path());
  first->lock_for_writing();
  Session second(f.dir.path());
  const auto e = error_from([&] { crm::ops::add_record(second, contact_type(), "Ana", {}); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(crm_test::dir_names(f.dir / "contacts") == std::vector<std::string>{".keep"});
  first.reset();
  const auto id = crm::ops::add_record(second, contact_type(), "Ana", {});
  CHECK(stdfs::exists(f.dir / "contacts" / (id + ".yaml")));
}

TEST_CASE("ops: a writer removes temp files a killed writer left, readers leave them") {
  Fixture f;
  write_text(f.dir / "contacts" / ".crm-tmp-x-k7q2.yaml-99", "partial");
  write_text(f.dir / "companies" / ".crm-tmp-y-x4b9.yaml-98", "partial");
  Session s(f.dir.path());
  CHECK(stdfs::exists(f.dir / "contacts" / ".crm-tmp-x-k7q2.yaml-99"));
  s.lock_for_writing();
  CHECK_FALSE(stdfs::exists(f.dir / "contacts" / ".crm-tmp-x-k7q2.yaml-99"));
  CHECK_FALSE(stdfs::exists(f.dir / "companies" / ".crm-tmp-y-x4b9.yaml-98"));
  CHECK(crm_test::dir_names(f.dir / "contacts") == std::vector<std::string>{".keep"});
}

TEST_CASE("ops: a Session can skip the first refresh") {
  Fixture f;
  write_text(f.dir / "contacts" / "a-k7q2.yaml", "id: a-k7q2\nname: Ana\n");
  Session lazy(f.dir.path(), false, false);
  CHECK_FALSE(lazy.index().exists(contact_type(), "a-k7q2"));
  lazy.lock_for_writing(false);
  CHECK_FALSE(lazy.index().exists(contact_type(), "a-k7q2"));
  CHECK(lazy.index().refresh().added == 1);
  CHECK(lazy.index().exists(contact_type(), "a-k7q2"));
}

TEST_CASE("ops: a Session with an explicit start ignores CRM_WORKSPACE") {
  Fixture f;
  TempDir other;
  crm::store::Workspace::init(other.path(), {});
  EnvVar env("CRM_WORKSPACE", other.path().string());
  CHECK(Session(f.dir.path(), true).workspace().root() == f.dir.path());
  CHECK(Session(f.dir.path()).workspace().root() == other.path());
}

TEST_CASE("ops: lock_timeout_ms defaults to 10 s and CRM_LOCK_TIMEOUT_MS overrides it") {
  {
    EnvVar unset("CRM_LOCK_TIMEOUT_MS", std::nullopt);
    CHECK(crm::ops::lock_timeout_ms() == 10000);
  }
  EnvVar set("CRM_LOCK_TIMEOUT_MS", std::string("250"));
  CHECK(crm::ops::lock_timeout_ms() == 250);
}

TEST_SUITE_END();
