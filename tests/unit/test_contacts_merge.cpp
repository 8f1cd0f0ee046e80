// ops contact_merge: `crm contact dupes` (reasons, scores, which one is kept, the
// order) and `crm contact merge KEEP OTHER` (the union of lists, conflicts and
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
using crm::ops::DupeReason;
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

std::string pair_line(const crm::ops::DuplicatePair& p) {
  std::string line = std::to_string(p.score) + " " + p.keep + " " + p.other + ":";
  for (const auto& r : p.reasons) {
    line += " ";
    line += r.kind;
    if (!r.value.empty()) {
      line += "=";
      line += r.value;
    }
  }
  return line;
}

Strings pair_lines(Session& s) {
  Strings out;
  for (const auto& p : crm::ops::find_duplicates(s)) out.push_back(pair_line(p));
  return out;
}

std::string report_text(const crm::ops::MergeReport& r, crm::format::Format f = crm::format::Format::tsv) {
  std::ostringstream out;
  crm::format::OutputOptions o;
  o.format = f;
  crm::ops::write_merge_report(out, r, o);
  return out.str();
}

DupeReason reason(const std::string& kind, int score) { return {kind, "", score}; }

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ scores

TEST_CASE("ops: contact_merge dupe_score takes the best reason plus 5 per further one, at most 100") {
  using crm::ops::dupe_score;
  CHECK(dupe_score({}) == 0);
  CHECK(dupe_score({reason("email", 95)}) == 95);
  CHECK(dupe_score({reason("phone", 90)}) == 90);
  CHECK(dupe_score({reason("same name", 80)}) == 80);
  CHECK(dupe_score({reason("close name", 60)}) == 60);
  CHECK(dupe_score({reason("phone", 90), reason("same name", 80)}) == 95);
  CHECK(dupe_score({reason("phone", 90), reason("close name", 60)}) == 95);
  CHECK(dupe_score({reason("email", 95), reason("email", 95)}) == 100);
  CHECK(dupe_score({reason("email", 95), reason("phone", 90), reason("same name", 80)}) == 100);
  CHECK(dupe_score({reason("same name", 80), reason("close name", 60), reason("close name", 60)}) == 90);
}

TEST_CASE("ops: contact_merge text_edit_distance counts code points, not bytes") {
  using crm::ops::text_edit_distance;
  CHECK(text_edit_distance("popescu", "popescu", 1) == 0);
  CHECK(text_edit_distance("popescu", "popesku", 1) == 1);
  CHECK(text_edit_distance("popescu", "popescuu", 1) == 1);
  CHECK(text_edit_distance("popescu", "popsecu", 5) == 2); // a swap is two edits
  CHECK(text_edit_distance("popescu", "popsecu", 1) == 2); // stops at limit + 1
  // Cyrillic and Arabic letters are 2 bytes each: one replaced letter is one edit.
  CHECK(text_edit_distance("олена коваленко", "олена коваленку", 1) == 1);
  CHECK(text_edit_distance("فاطمة الزهراء", "فاطمه الزهراء", 1) == 1);
  CHECK(text_edit_distance("", "abc", 5) == 3);
  CHECK(text_edit_distance("abc", "", 1) == 2);
}

// ------------------------------------------------------------------ dupes

TEST_CASE("ops: contact_merge find_duplicates gives each pair its reasons, score and the older record to keep") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu",
            "emails:\n  - address: ana@acme.ro\nphones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n",
            "2026-11-01T09:00:00+02:00");
  // Older, so it is the one kept, though its id sorts after.
  f.contact("ana-popescu-zzzz", "ANA  POPESCU", "emails:\n  - address: Ana@ACME.ro\n", "2026-10-01T09:00:00+02:00");
  f.contact("ion-ionescu-cccc", "Ion Ionescu", "phones:\n  - number: +40 722 999 888\n    e164: \"+40722999888\"\n");
  f.contact("ionel-dddd", "Ionel", "phones:\n  - number: 0722999888\n    e164: \"+40722999888\"\n");
  f.contact("stefan-popescu-eeee", "Ștefan Popescu");
  f.contact("stefan-popescu-ffff", "stefan  popescu");
  f.contact("олена-коваленко-gggg", "Олена Коваленко");
  f.contact("олена-коваленку-hhhh", "Олена Коваленку");
  f.contact("maria-ionescu-iiii", "Maria Ionescu");
  f.contact("ionescu-maria-jjjj", "Ionescu Maria");
  f.contact("محمد-الاحمد-kkkk", "محمد الأحمد");
  f.contact("محمد-الاحمد-llll", "محمد الاحمد");
  f.contact("gwen-jones-mmmm", "Dr Gwen Jones", "given_name: Gwen\nfamily_name: Jones\n");
  f.contact("jones-gwen-nnnn", "Jones, Gwen (Mrs)", "given_name: Jones\nfamily_name: Gwen\n");
  // Not duplicates: two edits apart, short names one edit apart, unrelated.
  f.contact("ion-popescu-oooo", "Ion Popescu");
  f.contact("ion-popsecu-pppp", "Ion Popsecu");
  f.contact("ana-qqqq", "Ana");
  f.contact("ane-rrrr", "Ane");
  f.contact("sian-evans-ssss", "Siân Evans", "emails:\n  - address: sian@example.cymru\n");
  Session s(f.dir.path());
  CHECK(pair_lines(s) == Strings{
                             "100 ana-popescu-zzzz ana-popescu-aaaa: email=ana@acme.ro same name",
                             "90 ion-ionescu-cccc ionel-dddd: phone=+40722999888",
                             "80 stefan-popescu-eeee stefan-popescu-ffff: same name",
                             "80 محمد-الاحمد-kkkk محمد-الاحمد-llll: same name",
                             "60 gwen-jones-mmmm jones-gwen-nnnn: swapped name",
                             "60 ionescu-maria-jjjj maria-ionescu-iiii: swapped name",
                             "60 олена-коваленко-gggg олена-коваленку-hhhh: close name",
                         });
}

TEST_CASE("ops: contact_merge find_duplicates pairs every member of a group, once per pair") {
  Fixture f;
  f.contact("a-1111", "Rhys Morgan", "emails:\n  - address: rhys@example.cymru\n  - address: r.morgan@example.cymru\n");
  f.contact("b-2222", "Rhys Morgan", "emails:\n  - address: RHYS@example.cymru\n  - address: r.morgan@example.cymru\n");
  f.contact("c-3333", "Rhys Morgans");
  Session s(f.dir.path());
  CHECK(pair_lines(s) == Strings{
                             "100 a-1111 b-2222: email=r.morgan@example.cymru email=rhys@example.cymru same name",
                             "60 a-1111 c-3333: close name",
                             "60 b-2222 c-3333: close name",
                         });
}

TEST_CASE("ops: contact_merge find_duplicates finds nothing in a workspace of different people") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu", "emails:\n  - address: ana@acme.ro\n");
  f.contact("ioana-marin-bbbb", "Ioana Marin", "emails:\n  - address: ioana@acme.ro\n");
  Session s(f.dir.path());
  CHECK(crm::ops::find_duplicates(s).empty());
}

TEST_CASE("ops: contact_merge write_duplicates prints ids as KEEP OTHER lines and tsv with the reasons") {
  std::vector<crm::ops::DuplicatePair> pairs = {
      {"a-1", "Ana", "a-2", "ANA", 100, {{"email", "ana@acme.ro", 95}, {"same name", "", 80}}},
      {"b-1", "Bo", "b-2", "Bö", 80, {{"same name", "", 80}}}};
  std::ostringstream ids, tsv;
  crm::format::OutputOptions o;
  o.format = crm::format::Format::ids;
  crm::ops::write_duplicates(ids, pairs, o);
  CHECK(ids.str() == "a-1 a-2\nb-1 b-2\n");
  o.format = crm::format::Format::tsv;
  crm::ops::write_duplicates(tsv, pairs, o);
  CHECK(tsv.str() == "score\tkeep\tkeep_name\tother\tother_name\treasons\n"
                     "100\ta-1\tAna\ta-2\tANA\temail ana@acme.ro, same name\n"
                     "80\tb-1\tBo\tb-2\tBö\tsame name\n");
}

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
