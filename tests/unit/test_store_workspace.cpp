#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "store/workspace.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::store::InitOptions;
using crm::store::Workspace;
using crm_test::EnvVar;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::TempDir;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

InitOptions options(std::string currency = "EUR", std::string region = "") {
  InitOptions o;
  o.currency = std::move(currency);
  o.region = std::move(region);
  return o;
}

} // namespace

TEST_SUITE_BEGIN("store");

// ------------------------------------------------------------------ init

TEST_CASE("store: Workspace::init creates the config, the record folders and .gitignore") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  const auto root = tmp / "myclients"; // created if needed
  const auto ws = Workspace::init(root, options("RON", "RO"));
  CHECK(ws.root() == root);
  CHECK(ws.crm_dir() == root / ".crm");
  CHECK(ws.config_path() == root / ".crm" / "config.yaml");
  CHECK(ws.index_path() == root / ".crm" / "index.sqlite");
  CHECK(ws.lock_path() == root / ".crm" / "lock");
  CHECK(ws.config().currency == "RON");
  CHECK(ws.config().region == "RO");
  CHECK(ws.config().index_verify == "stat");
  CHECK(stdfs::is_regular_file(ws.config_path()));

  const std::vector<std::string> folders = {"contacts", "companies", "products", "campaigns", "segments",
                                            "activities", "sales", "payments", "deals", "feedback",
                                            "followups", "loyalty", "vouchers", "files"};
  CHECK(crm::store::record_folders() == folders);
  for (const auto& f : folders) {
    CAPTURE(f);
    CHECK(stdfs::is_directory(root / f));
    // Git drops empty folders; .keep keeps the layout in every clone.
    CHECK(crm_test::dir_names(root / f) == std::vector<std::string>{".keep"});
  }
  const std::string gitignore = read_text(root / ".gitignore");
  CHECK(gitignore.find(".crm/index.sqlite\n") != std::string::npos);
  CHECK(gitignore.find(".crm/lock\n") != std::string::npos);
  CHECK(gitignore.find("config.yaml") == std::string::npos); // settings are shared through git

  // A fresh Workspace reads back the same settings.
  const Workspace again(root);
  CHECK(again.config().currency == "RON");
  CHECK(again.config().region == "RO");
}

TEST_CASE("store: Workspace::init without a region leaves it empty") {
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  CHECK(ws.config().currency == "EUR");
  CHECK(ws.config().region == "");
  CHECK(Workspace(tmp.path()).config().region == "");
}

TEST_CASE("store: Workspace::init twice throws conflict and changes nothing") {
  TempDir tmp;
  Workspace::init(tmp.path(), options("EUR", "RO"));
  const std::string config = read_text(tmp / ".crm" / "config.yaml");
  const auto e = error_from([&] { Workspace::init(tmp.path(), options("GBP", "GB")); });
  CHECK(e.kind() == ErrorKind::conflict);
  CHECK(std::string(e.what()) == "'" + tmp.path().string() + "' is already a crm workspace");
  CHECK(read_text(tmp / ".crm" / "config.yaml") == config);
}

TEST_CASE("store: Workspace::init rejects a bad currency or region as usage errors") {
  TempDir tmp;
  for (const char* c : {"eur", "EURO", "EU", "", "€"}) {
    CAPTURE(c);
    const auto e = error_from([&] { Workspace::init(tmp / "ws", options(c, "RO")); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "bad currency '" + std::string(c) + "'");
    CHECK_FALSE(e.hints().empty());
  }
  for (const char* r : {"ro", "ROU", "R", "Romania"}) {
    CAPTURE(r);
    const auto e = error_from([&] { Workspace::init(tmp / "ws", options("EUR", r)); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "bad region '" + std::string(r) + "'");
  }
  // Nothing was created.
  CHECK_FALSE(stdfs::exists(tmp / "ws"));
}

// ------------------------------------------------------------------ discover

TEST_CASE("store: Workspace::discover walks up from a subdirectory") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  stdfs::create_directories(tmp / "contacts" / "deep" / "er");
  CHECK(Workspace::discover(tmp / "contacts" / "deep" / "er").root() == tmp.path());
  CHECK(Workspace::discover(tmp.path()).root() == tmp.path());
  CHECK(Workspace::discover(tmp / "contacts" / ".." / "companies").root() == tmp.path());
}

TEST_CASE("store: Workspace::discover outside a workspace throws usage with git's wording") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  stdfs::create_directories(tmp / "not" / "here");
  const auto e = error_from([&] { Workspace::discover(tmp / "not" / "here"); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "not a crm workspace (or any parent): " + (tmp / "not" / "here").string());
  REQUIRE_FALSE(e.hints().empty());
  CHECK(e.hints()[0].find("crm init") != std::string::npos);
}

TEST_CASE("store: a .crm folder without config.yaml is not a workspace") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  stdfs::create_directories(tmp / ".crm");
  CHECK(error_from([&] { Workspace::discover(tmp.path()); }).kind() == ErrorKind::usage);
}

TEST_CASE("store: CRM_WORKSPACE wins over the directory walk") {
  TempDir a, b;
  Workspace::init(a.path(), options("EUR"));
  Workspace::init(b.path(), options("GBP"));
  EnvVar env("CRM_WORKSPACE", b.path().string());
  const auto ws = Workspace::discover(a / "contacts");
  CHECK(ws.root() == b.path());
  CHECK(ws.config().currency == "GBP");

  // Pointing it somewhere else is a usage error, not a silent fallback to the walk.
  TempDir empty;
  env.set(empty.path().string());
  const auto e = error_from([&] { Workspace::discover(a.path()); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()).find(empty.path().string()) != std::string::npos);
}

TEST_CASE("store: an explicit start directory (-C) wins over CRM_WORKSPACE") {
  TempDir a, b;
  Workspace::init(a.path(), options("EUR"));
  Workspace::init(b.path(), options("GBP"));
  EnvVar env("CRM_WORKSPACE", b.path().string());
  CHECK(Workspace::discover(a / "contacts", true).root() == a.path());
  CHECK(Workspace::discover(a / "contacts", false).root() == b.path());
}

TEST_CASE("store: discover from a missing directory is a usage error") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto e = error_from([&] { Workspace::discover(tmp / "no-such-dir", true); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "cannot change to '" + (tmp / "no-such-dir").string() + "': no such directory");
}

TEST_CASE("store: workspace roots carry no trailing slash or dot") {
  EnvVar no_env("CRM_WORKSPACE", std::nullopt);
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path().string() + "/shop/", options());
  CHECK(ws.root() == tmp / "shop");
  CHECK(ws.root().string().back() != '/');
  CHECK(Workspace::discover(tmp / "shop" / ".").root() == tmp / "shop");
  CHECK(Workspace::discover(tmp.path().string() + "/shop/contacts/").root() == tmp / "shop");
  EnvVar env("CRM_WORKSPACE", tmp.path().string() + "/shop/.");
  CHECK(Workspace::discover(tmp.path()).root() == tmp / "shop");
}

// ------------------------------------------------------------------ config

TEST_CASE("store: a config.yaml with a bad region throws invalid_data with its line") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto config = tmp / ".crm" / "config.yaml";
  write_text(config, "# settings\ncurrency: EUR\nregion: Romania\n");
  const auto e = error_from([&] { Workspace ws(tmp.path()); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == config.string() + ":3: bad region 'Romania'");
}

TEST_CASE("store: config.yaml problems are invalid_data with a line") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto config = tmp / ".crm" / "config.yaml";

  write_text(config, "currency: euro\n");
  CHECK(std::string(error_from([&] { Workspace ws(tmp.path()); }).what()) ==
        config.string() + ":1: bad currency 'euro'");

  write_text(config, "currency: EUR\nindex:\n  verify: sometimes\n");
  CHECK(std::string(error_from([&] { Workspace ws(tmp.path()); }).what()) ==
        config.string() + ":3: bad index.verify 'sometimes'");

  write_text(config, "currency: EUR\nregion: [RO\n");
  const auto syntax = error_from([&] { Workspace ws(tmp.path()); });
  CHECK(syntax.kind() == ErrorKind::invalid_data);
  CHECK(std::string(syntax.what()).starts_with(config.string() + ":"));

  write_text(config, "- a list\n");
  CHECK(error_from([&] { Workspace ws(tmp.path()); }).kind() == ErrorKind::invalid_data);
}

TEST_CASE("store: config.yaml settings and defaults") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  write_text(tmp / ".crm" / "config.yaml", "region: GB\nindex:\n  verify: dirs\nunknown_setting: kept\n");
  const Workspace ws(tmp.path());
  CHECK(ws.config().currency == "EUR"); // default
  CHECK(ws.config().region == "GB");
  CHECK(ws.config().index_verify == "dirs");

  write_text(tmp / ".crm" / "config.yaml", "");
  const Workspace empty(tmp.path());
  CHECK(empty.config().currency == "EUR");
  CHECK(empty.config().region == "");
  CHECK(empty.config().index_verify == "stat");
}

// ------------------------------------------------------------------ paths

TEST_CASE("store: record_relpath is <plural>/<id>.yaml") {
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  CHECK(ws.record_relpath(crm::model::contact_type(), "ana-popescu-k7q2") == stdfs::path("contacts/ana-popescu-k7q2.yaml"));
  CHECK(ws.record_relpath(crm::model::company_type(), "acme-x4b9") == stdfs::path("companies/acme-x4b9.yaml"));
  CHECK(ws.record_relpath(crm::model::contact_type(), "олена-k7q2").string() == "contacts/олена-k7q2.yaml");
  CHECK(ws.absolute("contacts/a.yaml") == tmp / "contacts" / "a.yaml");
}

TEST_SUITE_END();
