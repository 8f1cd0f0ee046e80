#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "ops/records/hooks.hpp"
#include "ops/records/session.hpp"
#include "ops/records/trust.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::ops::Change;
using crm::ops::ChangeAction;
using crm::ops::run_hook;
using crm_test::read_text;

namespace stdfs = std::filesystem;

namespace {

void hook(const crm_test::PinnedWorkspace& f, const std::string& name, const std::string& script, bool executable = true) {
  f.file(".crm/hooks/" + name, script);
  ::chmod((f.dir / ".crm/hooks" / name).c_str(), executable ? 0755 : 0644);
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("hooks: a missing, non-executable or folder hook is no hook") {
  crm_test::PinnedWorkspace f;
  const crm::store::Workspace ws(f.dir.path());
  CHECK_FALSE(run_hook(ws, "post-write", "{}").ran);
  hook(f, "post-write", "#!/bin/sh\nexit 3\n", false);
  CHECK_FALSE(crm::ops::hook_file(ws, "post-write"));
  CHECK_FALSE(run_hook(ws, "post-write", "{}").ran);
  stdfs::create_directories(f.dir / ".crm/hooks/pre-write");
  CHECK_FALSE(crm::ops::hook_file(ws, "pre-write"));
}

TEST_CASE("hooks: the payload on stdin, the workspace as cwd, CRM_WORKSPACE and CRM_HOOK set, output kept") {
  crm_test::PinnedWorkspace f;
  const crm::store::Workspace ws(f.dir.path());
  hook(f, "post-write",
       "#!/bin/sh\ncat >got.json\necho \"$CRM_HOOK $CRM_WORKSPACE $(pwd)\"\necho 'to stderr' >&2\nexit 7\n");
  const auto r = run_hook(ws, "post-write", "{\"a\":1}\n");
  CHECK(r.ran);
  CHECK(r.status == 7);
  const auto root = f.dir.path().string();
  CHECK(r.output == "post-write " + root + " " + stdfs::canonical(root).string() + "\nto stderr\n");
  CHECK(read_text(f.dir / "got.json") == "{\"a\":1}\n");
}

TEST_CASE("hooks: a hook that reads no stdin of a big payload, or leaves a process behind, does not hang crm") {
  crm_test::PinnedWorkspace f;
  const crm::store::Workspace ws(f.dir.path());
  hook(f, "pre-write", "#!/bin/sh\nexit 0\n");
  const auto r = run_hook(ws, "pre-write", std::string(4 << 20, 'x'));
  CHECK(r.ran);
  CHECK(r.status == 0);
  // A background process holding the output pipe: crm stops reading when the hook exits.
  hook(f, "post-write", "#!/bin/sh\necho started\nsleep 30 &\nexit 0\n");
  const auto start = std::chrono::steady_clock::now();
  const auto r2 = run_hook(ws, "post-write", "{}");
  CHECK(r2.output == "started\n");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("hooks: a hook the system cannot start counts as a failed one") {
  crm_test::PinnedWorkspace f;
  const crm::store::Workspace ws(f.dir.path());
  hook(f, "pre-write", "#!/no/such/interpreter\n");
  const auto r = run_hook(ws, "pre-write", "{}");
  CHECK(r.ran);
  CHECK(r.status != 0);
}

TEST_CASE("hooks: the payload lists each change, records read from their files, extra fields before changes") {
  crm_test::PinnedWorkspace f;
  const crm::store::Workspace ws(f.dir.path());
  f.file("contacts/ana-k7q2.yaml", "id: ana-k7q2\nname: Ana\n");
  Change created{ChangeAction::create, "contact", "ana-k7q2", "contacts/ana-k7q2.yaml", "Ana", std::nullopt};
  Change gone{ChangeAction::remove, "contact", "old-k7q2", "contacts/old-k7q2.yaml", "Old", std::nullopt};
  Change file{ChangeAction::create, "file", "ana-k7q2", "files/ana-k7q2/photo.jpg", "", std::nullopt};
  const auto text = crm::ops::hook_payload("post-import", ws, "import csv", "import csv: 1 created, 0 updated",
                                           {created, gone, file}, {{"batch", "b1"}, {"created", 1}});
  CHECK(text == "{\"hook\":\"post-import\",\"workspace\":\"" + ws.root().string() +
                    "\",\"command\":\"import csv\",\"summary\":\"import csv: 1 created, 0 updated\","
                    "\"batch\":\"b1\",\"created\":1,\"changes\":["
                    "{\"action\":\"create\",\"type\":\"contact\",\"id\":\"ana-k7q2\",\"path\":\"contacts/ana-k7q2.yaml\","
                    "\"record\":{\"id\":\"ana-k7q2\",\"name\":\"Ana\"}},"
                    "{\"action\":\"delete\",\"type\":\"contact\",\"id\":\"old-k7q2\",\"path\":\"contacts/old-k7q2.yaml\"},"
                    "{\"action\":\"create\",\"type\":\"file\",\"id\":\"ana-k7q2\",\"path\":\"files/ana-k7q2/photo.jpg\"}]}\n");
  CHECK(nlohmann::json::parse(text)["changes"].size() == 3);
}

TEST_CASE("hooks: run_after_hook warns in an untrusted workspace and runs in a trusted one") {
  crm_test::PinnedWorkspace f;
  crm_test::TempDir home;
  crm_test::EnvVar h("HOME", home.path().string());
  crm_test::EnvVar x("XDG_CONFIG_HOME", std::nullopt);
  const crm::store::Workspace ws(f.dir.path());
  int made = 0;
  auto payload = [&] {
    ++made;
    return std::string("{}\n");
  };
  CHECK(crm::ops::run_after_hook(ws, "post-sync", payload).empty());
  hook(f, "post-sync", "#!/bin/sh\necho synced\nexit 2\n");
  auto notices = crm::ops::run_after_hook(ws, "post-sync", payload);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].text == "hooks in .crm/hooks are not run: this workspace is not trusted");
  CHECK(made == 0);
  crm::ops::trust_workspace(ws.root());
  notices = crm::ops::run_after_hook(ws, "post-sync", payload);
  REQUIRE(notices.size() == 2);
  CHECK(notices[0].kind == crm::ops::Notice::Kind::output);
  CHECK(notices[0].text == "synced\n");
  CHECK(notices[1].text == "the post-sync hook failed (exit status 2)");
  CHECK(made == 1);
}
