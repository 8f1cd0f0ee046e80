// ops::init_workspace (`crm init`): a new workspace a session can open.

#include <doctest/doctest.h>

#include <optional>

#include "ops/records/session.hpp"
#include "ops/workspace/doctor.hpp"
#include "ops/workspace/init.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"

using crm::ops::Session;
using crm_test::EnvVar;
using crm_test::TempDir;

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: init_workspace creates a workspace a session can open") {
  EnvVar no_workspace_env("CRM_WORKSPACE", std::nullopt);
  TempDir dir;
  crm::store::InitOptions o;
  o.currency = "GBP";
  o.region = "GB";
  const auto ws = crm::ops::init_workspace(dir / "shop", o);
  CHECK(ws.root() == dir / "shop");
  Session s(dir / "shop" / "contacts");
  CHECK(s.workspace().root() == dir / "shop");
  CHECK(s.workspace().config().currency == "GBP");
  CHECK(crm::ops::doctor(s).empty());
}

TEST_SUITE_END();
