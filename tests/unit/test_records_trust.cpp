#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ops/records/trust.hpp"
#include "test_support.hpp"

using crm_test::EnvVar;
using crm_test::read_text;
using crm_test::TempDir;

namespace stdfs = std::filesystem;

TEST_SUITE_BEGIN("ops");

TEST_CASE("trust: the list is in XDG_CONFIG_HOME, else in HOME's .config") {
  TempDir home;
  EnvVar h("HOME", home.path().string());
  {
    EnvVar x("XDG_CONFIG_HOME", std::nullopt);
    CHECK(crm::ops::trust_file() == home / ".config/crm/trusted");
  }
  {
    EnvVar x("XDG_CONFIG_HOME", (home / "xdg").string());
    CHECK(crm::ops::trust_file() == home / "xdg/crm/trusted");
  }
  {
    EnvVar x("XDG_CONFIG_HOME", "relative/not/used"); // the XDG spec ignores a relative one
    CHECK(crm::ops::trust_file() == home / ".config/crm/trusted");
  }
}

TEST_CASE("trust: a workspace is trusted by its canonical path, once, and taken off again") {
  TempDir home;
  EnvVar h("HOME", home.path().string());
  EnvVar x("XDG_CONFIG_HOME", std::nullopt);
  stdfs::create_directories(home / "ws/sub");
  stdfs::create_directory_symlink(home / "ws", home / "link");
  const auto real = stdfs::canonical(home / "ws").string();
  CHECK_FALSE(crm::ops::is_trusted(home / "ws"));
  CHECK(crm::ops::trusted_workspaces().empty());
  CHECK(crm::ops::trust_workspace(home / "link"));
  CHECK_FALSE(crm::ops::trust_workspace(home / "ws/sub/.."));
  CHECK(crm::ops::is_trusted(home / "ws"));
  CHECK(crm::ops::is_trusted(home / "link"));
  CHECK_FALSE(crm::ops::is_trusted(home / "ws/sub"));
  CHECK(crm::ops::trusted_workspaces() == std::vector<std::string>{real});
  CHECK(read_text(home / ".config/crm/trusted") ==
        "# workspaces whose .crm/hooks crm runs (crm trust), one a line\n" + real + "\n");
  CHECK(crm::ops::untrust_workspace(home / "link"));
  CHECK_FALSE(crm::ops::untrust_workspace(home / "ws"));
  CHECK_FALSE(crm::ops::is_trusted(home / "ws"));
}

TEST_CASE("trust: comments and blank lines are left out, and a deleted workspace can be taken off") {
  TempDir home;
  EnvVar h("HOME", home.path().string());
  EnvVar x("XDG_CONFIG_HOME", (home / "cfg").string());
  crm_test::write_text(home / "cfg/crm/trusted", "# mine\n\n/gone/ws\r\n/other\n");
  CHECK(crm::ops::trusted_workspaces() == std::vector<std::string>{"/gone/ws", "/other"});
  CHECK(crm::ops::untrust_workspace("/gone/ws"));
  CHECK(crm::ops::trusted_workspaces() == std::vector<std::string>{"/other"});
}

TEST_CASE("trust: without HOME nothing is trusted, and trusting says why it cannot") {
  EnvVar h("HOME", std::nullopt);
  EnvVar x("XDG_CONFIG_HOME", std::nullopt);
  CHECK_FALSE(crm::ops::is_trusted("/tmp"));
  const auto e = crm_test::error_from([] { crm::ops::trust_workspace("/tmp"); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "cannot find the list of trusted workspaces: HOME is not set");
}
