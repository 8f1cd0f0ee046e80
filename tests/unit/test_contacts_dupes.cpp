// ops contact dupes: `crm contact dupes` (reasons, scores, which one is kept, the
// order, the rows and KEEP OTHER lines it prints).

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "format/output.hpp"
#include "format/rows.hpp"
#include "ops/contacts/dupes.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"

using crm::ops::DupeReason;
using crm::ops::Session;
using Strings = std::vector<std::string>;

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

DupeReason reason(const std::string& kind, int score) { return {kind, "", score}; }

} // namespace

TEST_SUITE_BEGIN("ops");

// ------------------------------------------------------------------ scores

TEST_CASE("ops: contact_dupes dupe_score takes the best reason plus 5 per further one, at most 100") {
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

TEST_CASE("ops: contact_dupes text_edit_distance counts code points, not bytes") {
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

TEST_CASE("ops: contact_dupes find_duplicates gives each pair its reasons, score and the older record to keep") {
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

TEST_CASE("ops: contact_dupes find_duplicates pairs every member of a group, once per pair") {
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

TEST_CASE("ops: contact_dupes find_duplicates finds nothing in a workspace of different people") {
  Fixture f;
  f.contact("ana-popescu-aaaa", "Ana Popescu", "emails:\n  - address: ana@acme.ro\n");
  f.contact("ioana-marin-bbbb", "Ioana Marin", "emails:\n  - address: ioana@acme.ro\n");
  Session s(f.dir.path());
  CHECK(crm::ops::find_duplicates(s).empty());
}

TEST_CASE("ops: contact_dupes duplicate_rows print ids as KEEP OTHER lines and tsv with the reasons") {
  std::vector<crm::ops::DuplicatePair> pairs = {
      {"a-1", "Ana", "a-2", "ANA", 100, {{"email", "ana@acme.ro", 95}, {"same name", "", 80}}},
      {"b-1", "Bo", "b-2", "Bö", 80, {{"same name", "", 80}}}};
  std::ostringstream ids, tsv;
  crm::format::OutputOptions o;
  o.format = crm::format::Format::ids;
  crm::format::write_rows(ids, crm::ops::duplicate_rows(pairs), o);
  CHECK(ids.str() == "a-1 a-2\nb-1 b-2\n");
  o.format = crm::format::Format::tsv;
  crm::format::write_rows(tsv, crm::ops::duplicate_rows(pairs), o);
  CHECK(tsv.str() == "score\tkeep\tkeep_name\tother\tother_name\treasons\n"
                     "100\ta-1\tAna\ta-2\tANA\temail ana@acme.ro, same name\n"
                     "80\tb-1\tBo\tb-2\tBö\tsame name\n");
}

TEST_SUITE_END();
