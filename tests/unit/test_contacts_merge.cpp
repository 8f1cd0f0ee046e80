// ops contact_merge: `crm contact merge KEEP OTHER` (the union of lists, conflicts and
// who wins them, records re-pointed, OTHER's file gone, its id resolving to KEEP,
// a dry run writing nothing, refusals that write nothing).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/output.hpp"
#include "format/summary.hpp"
#include "model/record_type.hpp"
#include "ops/contacts/merge.hpp"
#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "ops/sales/campaign.hpp"
#include "ops/sales/deal.hpp"
#include "ops/sales/sale.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::contact_type;
using crm::model::id_of;
using crm::model::Record;
using crm::ops::MergeOptions;
using crm::ops::Session;
using crm_test::error_from;
using crm_test::read_text;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

namespace stdfs = std::filesystem;

namespace {

// A contact file with a fixed id; `more` holds the YAML lines after the name.
std::string contact_yaml(const std::string& id, const std::string& name, const std::string& more = "",
                         const std::string& created = "2026-11-01T09:00:00+02:00") {
  std::string y = "id: " + id + "\nname: " + name + "\n";
  y += more;
  y += "created: " + created + "\nupdated: " + created + "\n";
  return y;
}

struct Fixture : crm_test::PinnedWorkspace {
  void contact(const std::string& id, const std::string& name, const std::string& more = "",
               const std::string& created = "2026-11-01T09:00:00+02:00") const {
    file("contacts/" + id + ".yaml", contact_yaml(id, name, more, created));
  }

};

std::string report_text(const crm::ops::MergeReport& r, crm::format::Format f = crm::format::Format::tsv) {
  std::ostringstream out;
  crm::format::OutputOptions o;
  o.format = f;
  crm::format::write_summary(out, crm::ops::merge_summary(r), o);
  return out.str();
}

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ merge

TEST_CASE("ops: contact_merge merge joins lists without duplicates, fills what KEEP lacks, KEEP wins conflicts") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu",
            "emails:\n  - address: ana@acme.ro\n    label: work\n"
            "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n"
            "city: Cluj-Napoca\nstage: customer\ninterests:\n  - hiking\n"
            "tags:\n  - vip\nnotes: Met at the fair.\ncustom:\n  vat_id: RO123\n",
            "2026-11-01T09:00:00+02:00");
  f.contact("ana-popescu-bbbb", "ANA POPESCU",
            "emails:\n  - address: ANA@acme.ro\n  - address: ana.p@gmail.com\n    label: home\n"
            "phones:\n  - number: +40 722 123 456\n    e164: \"+40722123456\"\n  - number: 0264 555 111\n"
            "    e164: \"+40264555111\"\ntitle: CEO\ncity: Iași\nstage: lead\nsocial:\n  linkedin: anapop\n"
            "groups:\n  - fair-2026\ntags:\n  - VIP\n  - wholesale\nnotes: Prefers calls.\n"
            "custom:\n  vat_id: RO999\n  size: large\nmerged_ids:\n  - ana-p-old1\n",
            "2026-09-01T09:00:00+02:00");
  Session s(f.dir.path());
  const auto r = crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ana-popescu-bbbb", MergeOptions{});
  CHECK(r.keep == "ana-popescu-aaaa");
  CHECK(r.other == "ana-popescu-bbbb");
  CHECK(r.added == std::vector<std::pair<std::string, std::size_t>>{{"emails", 1}, {"phones", 1}, {"groups", 1}, {"tags", 1}});
  CHECK(r.filled == Strings{"title", "social.linkedin", "custom.size"});
  REQUIRE(r.conflicts.size() == 4);
  CHECK(r.conflicts[0].field == "name");
  CHECK(r.conflicts[1].field == "city");
  CHECK(r.conflicts[1].keep_value == "Cluj-Napoca");
  CHECK(r.conflicts[1].other_value == "Iași");
  CHECK(r.conflicts[2].field == "stage");
  CHECK(r.conflicts[3].field == "custom.vat_id");
  CHECK(std::none_of(r.conflicts.begin(), r.conflicts.end(), [](const auto& c) { return c.other_wins; }));
  CHECK(r.repointed.empty());
  CHECK(read_text(f.dir / "contacts/ana-popescu-aaaa.yaml") == R"(id: ana-popescu-aaaa
name: Ana Popescu
emails:
  - address: ana@acme.ro
    label: work
  - address: ana.p@gmail.com
    label: home
phones:
  - number: 0722 123 456
    e164: "+40722123456"
  - number: 0264 555 111
    e164: "+40264555111"
title: CEO
city: Cluj-Napoca
social:
  linkedin: anapop
stage: customer
interests:
  - hiking
groups:
  - fair-2026
merged_ids:
  - ana-popescu-bbbb
  - ana-p-old1
tags:
  - vip
  - wholesale
notes: |
  Met at the fair.

  Prefers calls.
custom:
  vat_id: RO123
  size: large
created: 2026-09-01T09:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
)");
  CHECK_FALSE(stdfs::exists(f.dir / "contacts/ana-popescu-bbbb.yaml"));
  CHECK(report_text(r) == "merged 'ana-popescu-bbbb' (ANA POPESCU) into 'ana-popescu-aaaa' (Ana Popescu)\n"
                          "added: 1 email, 1 phone, 1 group, 1 tag\n"
                          "filled: title, social.linkedin, custom.size\n"
                          "conflicts:\n"
                          "  field          keep         other        wins\n"
                          "  name           Ana Popescu  ANA POPESCU  keep\n"
                          "  city           Cluj-Napoca  Iași         keep\n"
                          "  stage          customer     lead         keep\n"
                          "  custom.vat_id  RO123        RO999        keep\n"
                          "re-pointed: none\n");
}

TEST_CASE("ops: contact_merge --take and --prefer other decide conflicts for OTHER") {
  Fixture f;
  const std::string a = "city: Cluj-Napoca\nstage: customer\ncustom:\n  vat_id: RO123\n  size: small\n";
  const std::string b = "city: Iași\nstage: lead\ncustom:\n  vat_id: RO999\n  size: large\n";
  f.contact("a-1111", "Ana", a);
  f.contact("b-2222", "Ana P", b);
  f.contact("c-3333", "Ana", a);
  f.contact("d-4444", "Ana P", b);
  Session s(f.dir.path());
  MergeOptions take;
  take.take = {"city", "custom.vat_id"};
  auto r = crm::ops::merge_contacts(s, "a-1111", "b-2222", take);
  CHECK(r.contact["name"] == "Ana");
  CHECK(r.contact["city"] == "Iași");
  CHECK(r.contact["stage"] == "customer");
  CHECK(r.contact["custom"] == Json{{"vat_id", "RO999"}, {"size", "small"}});
  CHECK(report_text(r).find("  city           Cluj-Napoca  Iași   other\n") != std::string::npos);
  MergeOptions prefer;
  prefer.prefer = crm::ops::Prefer::other;
  r = crm::ops::merge_contacts(s, "c-3333", "d-4444", prefer);
  CHECK(r.contact["name"] == "Ana P");
  CHECK(r.contact["city"] == "Iași");
  CHECK(r.contact["stage"] == "lead");
  CHECK(r.contact["custom"] == Json{{"vat_id", "RO999"}, {"size", "large"}});
  CHECK(std::all_of(r.conflicts.begin(), r.conflicts.end(), [](const auto& c) { return c.other_wins; }));
}

TEST_CASE("ops: contact_merge re-points every record of OTHER to KEEP, files and index alike") {
  Fixture f;
  Session s(f.dir.path());
  const auto keep = crm_test::add_contact(s, "Ana Popescu", {"email=ana@acme.ro"});
  const auto other = crm_test::add_contact(s, "Ana Popescu", {"email=ana.p@gmail.com", "stage=lead"});
  crm::ops::LogRequest call;
  call.kind = "call";
  call.ref = other;
  call.text = "asked for a quote";
  call.follow_up = "+3d";
  const auto logged = crm::ops::log_activity(s, call);
  crm::ops::SaleRequest sale;
  sale.ref = other;
  sale.items = {"Audit @ 100"};
  const auto sold = crm::ops::record_sale(s, sale);
  crm::ops::DealRequest deal;
  deal.ref = other;
  deal.title = "Annual audit";
  const auto dealt = crm::ops::add_deal(s, deal);
  const auto campaign = crm::ops::add_record(s, crm::model::campaign_type(), "Spring", {});
  crm::ops::change_audience(s, campaign, {keep, other}, false);
  const auto campaign2 = crm::ops::add_record(s, crm::model::campaign_type(), "Autumn", {});
  crm::ops::change_audience(s, campaign2, {other}, false);
  const auto keep_activities = s.index().ids_where(crm::model::activity_type(), "contact", keep).size();

  const auto r = crm::ops::merge_contacts(s, keep, other, MergeOptions{});
  CHECK(r.repointed == std::vector<std::pair<std::string, std::size_t>>{
                           {"campaigns", 2}, {"deals", 1}, {"activities", 3}, {"followups", 1}, {"sales", 1}});
  // The stage activities of OTHER's creation and of its first sale, and the call, now KEEP's.
  CHECK(s.index().ids_where(crm::model::activity_type(), "contact", keep).size() == keep_activities + 3);
  CHECK(s.index().ids_where(crm::model::activity_type(), "contact", other).empty());
  CHECK(crm::ops::load_record(s, crm::model::activity_type(), logged.activity_id)["contact"] == keep);
  CHECK(crm::ops::load_record(s, crm::model::followup_type(), *logged.followup_id)["contact"] == keep);
  CHECK(crm::ops::load_record(s, crm::model::sale_type(), sold.id)["contact"] == keep);
  CHECK(crm::ops::load_record(s, crm::model::deal_type(), dealt)["contact"] == keep);
  CHECK(crm::ops::load_record(s, crm::model::campaign_type(), campaign)["audience"] == Json::array({keep}));
  CHECK(crm::ops::load_record(s, crm::model::campaign_type(), campaign2)["audience"] == Json::array({keep}));
  // What the index says after the merge is what a fresh read of the files says.
  s.index().rebuild();
  CHECK(s.index().ids_where(crm::model::sale_type(), "contact", keep) == Strings{sold.id});
  CHECK_FALSE(s.index().exists(contact_type(), other));
  CHECK(s.index().computed_values(contact_type(), keep)["revenue"] == "100.00");
}

TEST_CASE("ops: contact_merge OTHER's id, and the ids merged into it, resolve to KEEP from then on") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu");
  f.contact("ana-popescu-bbbb", "Ana Popescu");
  f.contact("ana-pop-cccc", "Ana Pop");
  Session s(f.dir.path());
  crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ana-popescu-bbbb", MergeOptions{});
  auto c = s.index().resolve(contact_type(), "ana-popescu-bbbb");
  REQUIRE(c.size() == 1);
  CHECK(c[0].id == "ana-popescu-aaaa");
  CHECK(c[0].matched_by == "merged");
  CHECK(id_of(crm::ops::find_contact(s, "ana-popescu-bbbb")) == "ana-popescu-aaaa");
  // A merged id is matched whole, never as a prefix.
  CHECK(error_from([&] { crm::ops::find_contact(s, "ana-popescu-b"); }).kind() == ErrorKind::not_found);
  // Merged again: both old ids follow to the new KEEP.
  crm::ops::merge_contacts(s, "ana-pop-cccc", "ana-popescu-aaaa", MergeOptions{});
  CHECK(crm::ops::load_record(s, contact_type(), "ana-pop-cccc")["merged_ids"] ==
        Json::array({"ana-popescu-aaaa", "ana-popescu-bbbb"}));
  CHECK(id_of(crm::ops::find_contact(s, "ana-popescu-aaaa")) == "ana-pop-cccc");
  CHECK(id_of(crm::ops::find_contact(s, "ana-popescu-bbbb")) == "ana-pop-cccc");
  // A contact's own id still wins over an id merged into another one.
  f.contact("ana-popescu-bbbb", "Ana Popescu");
  s.index().refresh();
  CHECK(id_of(crm::ops::find_contact(s, "ana-popescu-bbbb")) == "ana-popescu-bbbb");
}

TEST_CASE("ops: contact_merge a dry run reports the same and writes nothing") {
  Fixture f;
  Session s(f.dir.path());
  const auto keep = crm_test::add_contact(s, "Ana Popescu", {"email=ana@acme.ro", "city=Cluj-Napoca"});
  const auto other = crm_test::add_contact(s, "Ana Popescu", {"email=ana.p@gmail.com", "city=Iași"});
  crm::ops::LogRequest call;
  call.kind = "call";
  call.ref = other;
  call.text = "asked for a quote";
  crm::ops::log_activity(s, call);
  const auto before = f.tree();
  MergeOptions dry;
  dry.dry_run = true;
  const auto planned = crm::ops::merge_contacts(s, keep, other, dry);
  CHECK(f.tree() == before);
  CHECK(s.index().exists(contact_type(), other));
  CHECK(report_text(planned).starts_with("would merge '" + other + "' (Ana Popescu) into '" + keep + "' (Ana Popescu)\n"));
  CHECK(report_text(planned).ends_with("re-pointed: 1 activity\ndry run: nothing was written\n"));
  const auto done = crm::ops::merge_contacts(s, keep, other, MergeOptions{});
  CHECK(done.contact == planned.contact);
  CHECK(done.conflicts.size() == planned.conflicts.size());
  CHECK(done.repointed == planned.repointed);
  CHECK(crm::ops::load_record(s, contact_type(), keep) == planned.contact);
}

TEST_CASE("ops: contact_merge refuses the same contact twice, unknown refs and bad --take, writing nothing") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu", "emails:\n  - address: ana@acme.ro\n");
  f.contact("ana-popescu-bbbb", "Ana Popescu");
  f.contact("ioana-marin-cccc", "Ioana Marin");
  Session s(f.dir.path());
  const auto before = f.tree();
  auto e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ana@acme.ro", MergeOptions{}); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "cannot merge contact 'ana-popescu-aaaa' into itself");
  e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "nobody", MergeOptions{}); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no contact matches 'nobody'");
  e = error_from([&] { crm::ops::merge_contacts(s, "Ana Popescu", "ioana", MergeOptions{}); });
  CHECK(e.kind() == ErrorKind::ambiguous);
  MergeOptions take;
  take.take = {"citty"};
  e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ioana-marin-cccc", take); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "unknown field 'citty' for --take");
  CHECK(e.hints() == Strings{"did you mean 'city'?"});
  take.take = {"emails"};
  e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ioana-marin-cccc", take); });
  CHECK(std::string(e.what()) == "'emails' cannot be taken: both contacts' emails are kept");
  take.take = {"city.x"};
  e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ioana-marin-cccc", take); });
  CHECK(std::string(e.what()) == "'city' has no sub-fields");
  take.take = {"created"};
  e = error_from([&] { crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ioana-marin-cccc", take); });
  CHECK(std::string(e.what()) == "'created' cannot be taken");
  CHECK(f.tree() == before);
}

TEST_CASE("ops: contact_merge a pair whose OTHER already went into KEEP is reported, not refused") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu");
  f.contact("ana-popescu-bbbb", "Ana Popescu");
  Session s(f.dir.path());
  crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ana-popescu-bbbb", MergeOptions{});
  const auto before = f.tree();
  const auto r = crm::ops::merge_contacts(s, "ana-popescu-aaaa", "ana-popescu-bbbb", MergeOptions{});
  CHECK(r.already_merged);
  CHECK(f.tree() == before);
  CHECK(report_text(r) == "'ana-popescu-bbbb' is already merged into 'ana-popescu-aaaa' (Ana Popescu): nothing to do\n");
}

TEST_CASE("ops: contact_merge notes are appended once, and a merge run again does not append them twice") {
  Fixture f;
  f.contact("a-1111", "Ana", "notes: |\n  Met at the fair.\n  Likes tea.\n");
  f.contact("b-2222", "Ana", "notes: Prefers calls.\n");
  f.contact("c-3333", "Ana", "notes: Prefers calls.\n");
  f.contact("d-4444", "Ana", "notes: Likes tea.\n");
  Session s(f.dir.path());
  auto r = crm::ops::merge_contacts(s, "a-1111", "b-2222", MergeOptions{});
  CHECK(r.contact["notes"] == "Met at the fair.\nLikes tea.\n\nPrefers calls.\n");
  r = crm::ops::merge_contacts(s, "a-1111", "c-3333", MergeOptions{}); // the same notes again
  CHECK(r.contact["notes"] == "Met at the fair.\nLikes tea.\n\nPrefers calls.\n");
  r = crm::ops::merge_contacts(s, "a-1111", "d-4444", MergeOptions{}); // a line of KEEP's is not all of them
  CHECK(r.contact["notes"] == "Met at the fair.\nLikes tea.\n\nPrefers calls.\n\nLikes tea.\n");
}

TEST_CASE("ops: contact_merge the JSON report names every part") {
  Fixture f;
  f.contact("a-1111", "Ana", "city: Cluj-Napoca\ntags:\n  - vip\n");
  f.contact("b-2222", "Ana", "city: Iași\ntags:\n  - Vip\n  - new\n", "2026-11-02T09:00:00+02:00");
  Session s(f.dir.path());
  MergeOptions take;
  take.take = {"city"};
  take.dry_run = true;
  const auto r = crm::ops::merge_contacts(s, "a-1111", "b-2222", take);
  CHECK(report_text(r, crm::format::Format::json) == R"({
  "keep": "a-1111",
  "keep_name": "Ana",
  "other": "b-2222",
  "other_name": "Ana",
  "dry_run": true,
  "added": {
    "tags": 1
  },
  "filled": [],
  "conflicts": [
    {
      "field": "city",
      "keep": "Cluj-Napoca",
      "other": "Iași",
      "wins": "other"
    }
  ],
  "repointed": {},
  "contact": {
    "id": "a-1111",
    "name": "Ana",
    "city": "Iași",
    "merged_ids": [
      "b-2222"
    ],
    "tags": [
      "vip",
      "new"
    ],
    "created": "2026-11-01T09:00:00+02:00",
    "updated": "2026-11-25T10:00:00+02:00"
  }
}
)");
}

TEST_SUITE_END();
