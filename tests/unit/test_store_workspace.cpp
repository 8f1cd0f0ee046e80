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

TEST_CASE("store: an id that is not a file name has no record path") {
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  for (const char* id : {"../x", "a/b", "..", ".", ""}) {
    CAPTURE(id);
    const auto e = error_from([&] { (void)ws.record_relpath(crm::model::contact_type(), id); });
    CHECK(e.kind() == ErrorKind::invalid_data);
  }
  CHECK(error_from([&] { (void)ws.record_relpath(crm::model::contact_type(), "../x"); }).what() ==
        std::string("'../x' cannot be a contact id: an id is a file name"));
}

TEST_CASE("store: is_plain_relpath takes names joined by slashes, nothing that climbs or roots") {
  using crm::store::is_plain_relpath;
  CHECK(is_plain_relpath("contacts/a.yaml"));
  CHECK(is_plain_relpath("activities/2026/11/x.yaml"));
  CHECK(is_plain_relpath("files/ana/photo.jpg"));
  CHECK(is_plain_relpath("a..b/c.yaml")); // dots inside a name are a name
  for (const char* bad : {"", "/etc/passwd", "../x", "contacts/../../x", "contacts/./a.yaml", "contacts//a.yaml",
                          "contacts/", "..", "."}) {
    CAPTURE(bad);
    CHECK_FALSE(is_plain_relpath(bad));
  }
  CHECK_FALSE(is_plain_relpath(std::string("contacts/a\0b.yaml", 17)));
}

TEST_CASE("store: is_record_relpath is the record's own file in its type's folder") {
  using crm::store::is_record_relpath;
  const auto& contact = crm::model::contact_type();
  const auto& activity = crm::model::activity_type();
  CHECK(is_record_relpath(contact, "ana", "contacts/ana.yaml"));
  CHECK(is_record_relpath(contact, "ana", "contacts/filed/by/hand/ana.yaml"));
  CHECK(is_record_relpath(activity, "2026-11-20-call-x", "activities/2026/11/2026-11-20-call-x.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "../ana.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "companies/ana.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "contacts/bob.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "contacts/xana.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "contacts/../../ana.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "ana", "/tmp/contacts/ana.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "", "contacts/.yaml"));
  // A file named in NFD holds its id in NFC (ș = s + U+0326).
  CHECK(is_record_relpath(contact, "\xC8\x99-k7q2", "contacts/s\xCC\xA6-k7q2.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "s\xCC\xA6-k7q2", "contacts/s-k7q2.yaml"));
  CHECK_FALSE(is_record_relpath(contact, "\xC8\x99-k7q2", "contacts/\xFF.yaml"));
}

TEST_CASE("store: absolute refuses a path that leaves the workspace") {
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  for (const char* bad : {"../outside.yaml", "/etc/passwd", "contacts/../../x"}) {
    CAPTURE(bad);
    const auto e = error_from([&] { (void)ws.absolute(bad); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    CHECK(e.what() == "'" + std::string(bad) + "' is not a path inside the workspace");
  }
}

TEST_CASE("store: writable refuses a link on the way, in a folder or as the file itself") {
  TempDir tmp, elsewhere;
  const auto ws = Workspace::init(tmp.path(), options());
  CHECK(ws.writable("contacts/a.yaml") == tmp / "contacts" / "a.yaml");
  CHECK(ws.writable("activities/2026/11/x.yaml") == tmp / "activities" / "2026" / "11" / "x.yaml"); // not there yet
  stdfs::remove_all(tmp / "followups");
  stdfs::create_directory_symlink(elsewhere.path(), tmp / "followups");
  const auto e = error_from([&] { (void)ws.writable("followups/f.yaml"); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(e.what() == std::string("'followups' is a symbolic link: crm does not write through links in a workspace"));
  write_text(elsewhere / "target.yaml", "id: x\n");
  stdfs::create_symlink(elsewhere / "target.yaml", tmp / "contacts" / "x.yaml");
  CHECK(std::string(error_from([&] { (void)ws.writable("contacts/x.yaml"); }).what()) ==
        "'contacts/x.yaml' is a symbolic link: crm does not write through links in a workspace");
  stdfs::create_directories(tmp / "activities" / "2026");
  stdfs::create_directory_symlink(elsewhere.path(), tmp / "activities" / "2026" / "12");
  CHECK(std::string(error_from([&] { (void)ws.writable("activities/2026/12/y.yaml"); }).what()) ==
        "'activities/2026/12' is a symbolic link: crm does not write through links in a workspace");
}

// ------------------------------------------------------------------ deals.stages, loyalty

namespace {

// "name:percent" for each configured deal stage, in order.
std::vector<std::string> stage_list(const crm::store::Config& c) {
  std::vector<std::string> out;
  for (const auto& s : c.deal_stages) out.push_back(s.name + ":" + std::to_string(s.probability));
  return out;
}

} // namespace

TEST_CASE("store: a new workspace has the default deal stages and no loyalty programme") {
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  const std::vector<std::string> defaults = {"lead:10", "qualified:25", "proposal:50", "negotiation:75"};
  CHECK(stage_list(ws.config()) == defaults);
  CHECK(ws.config().loyalty_points_per_unit == "");
  const std::string text = read_text(ws.config_path());
  CHECK(text.find("deals:\n") != std::string::npos);
  CHECK(text.find("  stages: {lead: 10, qualified: 25, proposal: 50, negotiation: 75}\n") != std::string::npos);
  CHECK(text.find("loyalty:\n") != std::string::npos);
  CHECK(text.find("  points_per_unit: 0\n") != std::string::npos);
  // Read back from the file, the same; a config without the sections has the same defaults.
  CHECK(stage_list(Workspace(tmp.path()).config()) == defaults);
  write_text(ws.config_path(), "currency: EUR\n");
  CHECK(stage_list(Workspace(tmp.path()).config()) == defaults);
  CHECK(Workspace(tmp.path()).config().loyalty_points_per_unit == "");
  write_text(ws.config_path(), "currency: EUR\ndeals:\n  stages:\nloyalty:\n");
  CHECK(stage_list(Workspace(tmp.path()).config()) == defaults);
  CHECK(Workspace(tmp.path()).config().loyalty_points_per_unit == "");
}

TEST_CASE("store: deals.stages replaces the stages, in the file's order, Config::deal_stage finds one by name") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  write_text(tmp / ".crm" / "config.yaml", "currency: EUR\n"
                                           "deals:\n"
                                           "  stages: {discovery: 20, demo: 60, trial: 0, contract: 100, a: 5}\n");
  const Workspace ws(tmp.path());
  CHECK(stage_list(ws.config()) ==
        std::vector<std::string>{"discovery:20", "demo:60", "trial:0", "contract:100", "a:5"});
  const auto* demo = ws.config().deal_stage("demo");
  REQUIRE(demo != nullptr);
  CHECK(demo->name == "demo");
  CHECK(demo->probability == 60);
  REQUIRE(ws.config().deal_stage("trial") != nullptr);
  CHECK(ws.config().deal_stage("trial")->probability == 0);
  CHECK(ws.config().deal_stage("lead") == nullptr); // the defaults are gone
  CHECK(ws.config().deal_stage("Demo") == nullptr); // exact names
  CHECK(ws.config().deal_stage("won") == nullptr);  // won and lost are never configured stages
  CHECK(ws.config().deal_stage("lost") == nullptr);
  CHECK(ws.config().deal_stage("") == nullptr);

  // The block form reads the same.
  write_text(tmp / ".crm" / "config.yaml", "deals:\n  stages:\n    new: 5\n    hot: 90\n");
  CHECK(stage_list(Workspace(tmp.path()).config()) == std::vector<std::string>{"new:5", "hot:90"});

  // The defaults, looked up.
  const crm::store::Config defaults;
  REQUIRE(defaults.deal_stage("proposal") != nullptr);
  CHECK(defaults.deal_stage("proposal")->probability == 50);
  CHECK(defaults.deal_stage("demo") == nullptr);
}

TEST_CASE("store: bad deals.stages are invalid_data with the line") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto config = tmp / ".crm" / "config.yaml";
  auto message = [&](const std::string& text) {
    write_text(config, text);
    const auto e = error_from([&] { Workspace ws(tmp.path()); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    return std::string(e.what());
  };
  const std::string c = config.string();
  CHECK(message("currency: EUR\ndeals:\n  stages: {lead: 10, won: 100}\n") == c + ":3: bad deal stage 'won'");
  CHECK(message("deals:\n  stages:\n    lead: 10\n    lost: 0\n") == c + ":4: bad deal stage 'lost'");
  CHECK(message("deals:\n  stages: {\"two words\": 10}\n") == c + ":2: bad deal stage 'two words'");
  CHECK(message("deals:\n  stages: {\"a,b\": 10}\n") == c + ":2: bad deal stage 'a,b'");
  CHECK(message("deals:\n  stages: {\"\": 10}\n") == c + ":2: bad deal stage ''");
  const auto hints = error_from([&] { Workspace ws(tmp.path()); }).hints();
  CHECK(hints == std::vector<std::string>{"stage names are single words; won and lost are always there"});

  for (const char* pct : {"101", "-1", "ten", "50%", "1000", "12.5", "\"\""}) {
    CAPTURE(pct);
    const std::string shown = std::string(pct) == "\"\"" ? "" : pct;
    CHECK(message("currency: EUR\ndeals:\n  stages:\n    lead: 10\n    demo: " + std::string(pct) + "\n") ==
          c + ":5: bad deals.stages.demo (expected a percent from 0 to 100) '" + shown + "'");
  }
  CHECK(message("deals:\n  stages: {lead: [10]}\n") ==
        c + ":2: bad deals.stages.lead (expected a percent from 0 to 100) '...'");
  CHECK(message("deals:\n  stages: [lead, demo]\n") == c + ":2: deals.stages must be STAGE: PERCENT pairs");
  CHECK(message("deals:\n  stages: {}\n") == c + ":2: deals.stages must be STAGE: PERCENT pairs");
  CHECK(message("deals:\n  stages: lead\n") == c + ":2: deals.stages must be STAGE: PERCENT pairs");
}

TEST_CASE("store: loyalty.points_per_unit: a non-negative number, 0 means no programme") {
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto config = tmp / ".crm" / "config.yaml";
  struct Case {
    const char* given;
    const char* read;
  };
  for (const auto& k : {Case{"1", "1"}, Case{"0.5", "0.5"}, Case{"2.25", "2.25"}, Case{"10", "10"},
                        Case{"0", ""}, Case{"0.0", ""}, Case{"0.00", ""}}) {
    CAPTURE(k.given);
    write_text(config, std::string("currency: EUR\nloyalty:\n  points_per_unit: ") + k.given + "\n");
    CHECK(Workspace(tmp.path()).config().loyalty_points_per_unit == k.read);
  }
  for (const char* bad : {"-1", "one", "1,5", "1/2"}) {
    CAPTURE(bad);
    write_text(config, std::string("currency: EUR\nloyalty:\n  points_per_unit: ") + bad + "\n");
    const auto e = error_from([&] { Workspace ws(tmp.path()); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    CHECK(std::string(e.what()) == config.string() + ":3: bad loyalty.points_per_unit '" + bad + "'");
  }
}

// ------------------------------------------------------------------ contact stages, the first sale

namespace {

// The model's stage choices, as strings (they follow the last workspace read).
std::vector<std::string> model_stages() {
  const auto& views = crm::model::contact_stages();
  return {views.begin(), views.end()};
}

// Puts the default stages back for the tests after this one, whatever happens.
struct DefaultStagesAfter {
  ~DefaultStagesAfter() { crm::model::use_contact_stages(crm::model::default_contact_stages()); }
};

} // namespace

TEST_CASE("store: a contact's stages: the defaults, or config stages in order, which the model's choices follow") {
  DefaultStagesAfter restore;
  TempDir tmp;
  const auto ws = Workspace::init(tmp.path(), options());
  const std::vector<std::string> defaults = {"lead", "prospect", "customer", "inactive", "lost"};
  CHECK(ws.config().contact_stages == defaults);
  CHECK(ws.config().first_sale_stage == "customer");
  const std::string text = read_text(ws.config_path());
  CHECK(text.find("\nstages: [lead, prospect, customer, inactive, lost]\n") != std::string::npos);
  CHECK(text.find("sales:\n  # the stage a contact's first completed sale moves it to (off: sales leave the stage "
                  "alone)\n  first_sale_stage: customer\n") != std::string::npos);

  write_text(ws.config_path(), "stages: [awareness, lead, onboarding, customer]\n");
  const Workspace own(tmp.path());
  const std::vector<std::string> custom = {"awareness", "lead", "onboarding", "customer"};
  CHECK(own.config().contact_stages == custom);
  CHECK(model_stages() == custom);
  CHECK(crm::model::contact_type().field("stage")->choices.size() == 4);
  CHECK(crm::model::activity_type().field("to")->choices.size() == 4);
  CHECK(crm::model::check_field(*crm::model::contact_type().field("stage"), "onboarding") == std::nullopt);
  CHECK(crm::model::check_field(*crm::model::contact_type().field("stage"), "prospect") ==
        std::optional<std::string>("bad stage 'prospect' (expected one of: awareness, lead, onboarding, customer)"));
  CHECK(own.config().first_sale_stage == "customer");

  // Without a customer stage, sales leave the stage alone unless told which.
  write_text(ws.config_path(), "stages: [new, client]\n");
  CHECK(Workspace(tmp.path()).config().first_sale_stage == "");
  write_text(ws.config_path(), "stages: [new, client]\nsales:\n  first_sale_stage: client\n");
  CHECK(Workspace(tmp.path()).config().first_sale_stage == "client");
  write_text(ws.config_path(), "sales:\n  first_sale_stage: off\n");
  CHECK(Workspace(tmp.path()).config().first_sale_stage == "");
  // A workspace without stages of its own puts the defaults back.
  CHECK(model_stages() == defaults);
}

TEST_CASE("store: bad stages and first_sale_stage are invalid_data with the line") {
  DefaultStagesAfter restore;
  TempDir tmp;
  Workspace::init(tmp.path(), options());
  const auto config = tmp / ".crm" / "config.yaml";
  auto message = [&](const std::string& text) {
    write_text(config, text);
    const auto e = error_from([&] { Workspace ws(tmp.path()); });
    CHECK(e.kind() == ErrorKind::invalid_data);
    return std::string(e.what());
  };
  const std::string c = config.string();
  CHECK(message("currency: EUR\nstages: [lead, Lead Two]\n") == c + ":2: bad stage 'Lead Two'");
  CHECK(message("stages:\n  - lead\n  - lead\n") == c + ":3: duplicate stage 'lead'");
  CHECK(message("stages: [lead, [a]]\n") == c + ":1: bad stage '...'");
  CHECK(message("stages: []\n") == c + ":1: stages must be a list of stage names");
  CHECK(message("stages: lead\n") == c + ":1: stages must be a list of stage names");
  CHECK(message("sales:\n  first_sale_stage: client\n") ==
        c + ":2: bad sales.first_sale_stage (expected off or one of: lead, prospect, customer, inactive, lost) 'client'");
  CHECK(message("stages: [new, client]\nsales:\n  first_sale_stage: customer\n") ==
        c + ":3: bad sales.first_sale_stage (expected off or one of: new, client) 'customer'");
}

TEST_SUITE_END();
