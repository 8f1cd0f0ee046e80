// ops campaigns: campaign_value (the id of the campaign a text names, else the
// text itself) and change_audience (`crm campaign audience NAME REF...
// [--remove]`): contacts added once, removed, every REF resolved before
// anything is written, and the counts it reports.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/campaign.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::campaign_type;
using crm::model::Record;
using crm::ops::Session;
using crm_test::add_contact;
using crm_test::error_from;
using crm_test::read_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

constexpr const char* t0 = crm_test::pinned_now; // 2026-11-25T10:00:00+02:00
constexpr const char* t1 = "2026-11-26T08:00:00+02:00";

struct Fixture : crm_test::PinnedWorkspace {
  std::string campaign_text(const std::string& id) const { return read_text(dir / "campaigns" / (id + ".yaml")); }
};

std::string add_campaign(Session& s, const std::string& name, Strings changes = {}) {
  std::vector<crm::ops::Assignment> a;
  for (const auto& c : changes) a.push_back(crm::ops::parse_assignment(c));
  return crm::ops::add_record(s, campaign_type(), name, a);
}

Json audience_of(Session& s, const std::string& id) {
  const auto c = crm::ops::load_record(s, campaign_type(), id);
  return c.contains("audience") ? c["audience"] : Json();
}

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ campaign_value

TEST_CASE("ops: campaign campaign_value names a campaign by id, id prefix or name") {
  Fixture f;
  Session s(f.dir.path());
  const auto spring = add_campaign(s, "Spring Sale");
  const auto summer = add_campaign(s, "Summer Sale");
  const auto fair = add_campaign(s, "Târg de Crăciun");
  CHECK(spring.starts_with("spring-sale-"));
  CHECK(crm::ops::campaign_value(s, spring) == spring);
  CHECK(crm::ops::campaign_value(s, "spring-sale") == spring);
  CHECK(crm::ops::campaign_value(s, "Spring Sale") == spring);
  CHECK(crm::ops::campaign_value(s, "SPRING SALE") == spring);
  CHECK(crm::ops::campaign_value(s, "Summer Sale") == summer);
  CHECK(crm::ops::campaign_value(s, "targ de craciun") == fair); // accents and case do not matter
  CHECK(crm::ops::campaign_value(s, "T\xc3\xa2rg de Cr\xc4\x83" "ciun") == fair);
}

TEST_CASE("ops: campaign campaign_value is the text, NFC and trimmed, when it names no single campaign") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(crm::ops::campaign_value(s, "Newsletter") == "Newsletter"); // no campaigns at all
  add_campaign(s, "Spring Sale");
  add_campaign(s, "Spring Fair");
  CHECK(crm::ops::campaign_value(s, "  Black Friday\t") == "Black Friday");
  CHECK(crm::ops::campaign_value(s, "Cafe\xcc\x81 night") == "Caf\xc3\xa9 night");
  CHECK(crm::ops::campaign_value(s, "Sale") == "Sale"); // part of a name, not an id prefix
  CHECK(crm::ops::campaign_value(s, "Spring Sales") == "Spring Sales");
}

TEST_CASE("ops: campaign campaign_value: a text naming two campaigns is ambiguous, with both in the hints") {
  Fixture f;
  Session s(f.dir.path());
  const auto sale = add_campaign(s, "Spring Sale");
  const auto fair = add_campaign(s, "Spring Fair");
  const auto e = error_from([&] { crm::ops::campaign_value(s, "spring"); }); // a prefix of both ids
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(std::string(e.what()) == "'spring' matches 2 campaigns");
  const std::string hints = [&] {
    std::string all;
    for (const auto& h : e.hints()) all += h + "\n";
    return all;
  }();
  CHECK(hints.find(sale) != std::string::npos);
  CHECK(hints.find(fair) != std::string::npos);
  CHECK(error_from([&] { crm::ops::campaign_value(s, "  spring-  "); }).kind() == ErrorKind::ambiguous);
}

// ------------------------------------------------------------------ change_audience

TEST_CASE("ops: campaign change_audience adds contacts once, in order, and counts them") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu", {"email=ana@example.ro"});
  const auto bob = add_contact(s, "Bob Barbu", {"phone=0722 123 456"});
  const auto cleo = add_contact(s, "Cleo Cazacu");
  const auto id = add_campaign(s, "Spring Sale", {"channel=email"});

  f.now.set(t1);
  auto change = crm::ops::change_audience(s, "spring sale", {"ANA@EXAMPLE.RO", "+40722123456"}, false);
  CHECK(change.campaign_id == id);
  CHECK(change.changed == 2);
  CHECK(change.size == 2);
  CHECK(f.campaign_text(id) == "id: " + id + "\n"
                               "name: Spring Sale\n"
                               "channel: email\n"
                               "audience:\n"
                               "  - " + ana + "\n"
                               "  - " + bob + "\n"
                               "created: 2026-11-25T10:00:00+02:00\n"
                               "updated: 2026-11-26T08:00:00+02:00\n");

  // One already there, one new, and the same contact twice in one call.
  change = crm::ops::change_audience(s, id, {bob, "Cleo Cazacu", cleo}, false);
  CHECK(change.changed == 1);
  CHECK(change.size == 3);
  CHECK(audience_of(s, id) == Json::array({ana, bob, cleo}));
  CHECK(s.index().get(campaign_type(), id).value()["audience"] == Json::array({ana, bob, cleo}));
}

TEST_CASE("ops: campaign change_audience: adding contacts already there writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto id = add_campaign(s, "Spring Sale");
  crm::ops::change_audience(s, id, {ana}, false);
  const std::string before = f.campaign_text(id);
  const auto mtime = crm_test::mtime_ns(f.dir / "campaigns" / (id + ".yaml"));
  f.now.set(t1);
  const auto change = crm::ops::change_audience(s, id, {ana, "Ana Popescu"}, false);
  CHECK(change.campaign_id == id);
  CHECK(change.changed == 0);
  CHECK(change.size == 1);
  CHECK(f.campaign_text(id) == before);
  CHECK(crm_test::mtime_ns(f.dir / "campaigns" / (id + ".yaml")) == mtime);
  CHECK(crm::ops::load_record(s, campaign_type(), id)["updated"] == t0);
}

TEST_CASE("ops: campaign change_audience removes contacts, removing one not there changes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  const auto bob = add_contact(s, "Bob Barbu");
  const auto cleo = add_contact(s, "Cleo Cazacu");
  const auto id = add_campaign(s, "Spring Sale");
  crm::ops::change_audience(s, id, {ana, bob, cleo}, false);

  f.now.set(t1);
  auto change = crm::ops::change_audience(s, "Spring Sale", {"Bob Barbu"}, true);
  CHECK(change.changed == 1);
  CHECK(change.size == 2);
  CHECK(audience_of(s, id) == Json::array({ana, cleo}));
  CHECK(crm::ops::load_record(s, campaign_type(), id)["updated"] == t1);

  const std::string before = f.campaign_text(id);
  change = crm::ops::change_audience(s, id, {bob}, true);
  CHECK(change.changed == 0);
  CHECK(change.size == 2);
  CHECK(f.campaign_text(id) == before);

  change = crm::ops::change_audience(s, id, {ana, cleo, ana}, true);
  CHECK(change.changed == 2);
  CHECK(change.size == 0);
  // An empty audience is left out of the file.
  CHECK(audience_of(s, id).is_null());
  CHECK(f.campaign_text(id).find("audience") == std::string::npos);

  // Removing from a campaign that never had an audience.
  const auto other = add_campaign(s, "Autumn Fair");
  const std::string untouched = f.campaign_text(other);
  change = crm::ops::change_audience(s, other, {ana}, true);
  CHECK(change.campaign_id == other);
  CHECK(change.changed == 0);
  CHECK(change.size == 0);
  CHECK(f.campaign_text(other) == untouched);
}

TEST_CASE("ops: campaign change_audience: an unknown REF or campaign is not_found and nothing is written") {
  Fixture f;
  Session s(f.dir.path());
  const auto ana = add_contact(s, "Ana Popescu");
  add_contact(s, "Bob Barbu");
  const auto id = add_campaign(s, "Spring Sale");
  const std::string before = f.campaign_text(id);
  f.now.set(t1);

  // The unknown one comes last: the ones before it are not added either.
  auto e = error_from([&] { crm::ops::change_audience(s, id, {ana, "Bob Barbu", "Nobody Known"}, false); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(f.campaign_text(id) == before);
  CHECK(audience_of(s, id).is_null());

  e = error_from([&] { crm::ops::change_audience(s, "Winter Sale", {ana}, false); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(f.files("campaigns") == Strings{"campaigns/" + id + ".yaml"});

  crm::ops::change_audience(s, id, {ana}, false);
  const std::string with_ana = f.campaign_text(id);
  e = error_from([&] { crm::ops::change_audience(s, id, {ana, "nobody@example.ro"}, true); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(f.campaign_text(id) == with_ana);

  // A REF that names two contacts is ambiguous; nothing is written either.
  add_contact(s, "Ana Popa");
  e = error_from([&] { crm::ops::change_audience(s, id, {"ana-"}, true); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  CHECK(f.campaign_text(id) == with_ana);
}

TEST_SUITE_END();
