// ops::merge_record_files: the field-level three-way merge of a record file.

#include <doctest/doctest.h>

#include <string>

#include "model/record_type.hpp"
#include "ops/git/merge.hpp"
#include "store/record_file.hpp"
#include "test_support.hpp"

using crm::model::company_type;
using crm::model::contact_type;
using crm::model::deal_type;
using crm::ops::merge_record_files;
using crm::ops::RecordMerge;

namespace {

const std::string path = "contacts/ana-k7q2.yaml";

RecordMerge merge(const std::string& base, const std::string& ours, const std::string& theirs) {
  return merge_record_files(contact_type(), base, ours, theirs, path);
}

const std::string base = "id: ana-k7q2\n"
                         "name: Ana Popescu\n"
                         "title: Buyer\n"
                         "city: Brasov\n"
                         "country: RO\n"
                         "created: 2026-11-20T09:00:00+02:00\n"
                         "updated: 2026-11-20T09:00:00+02:00\n";

} // namespace

TEST_SUITE_BEGIN("git");

TEST_CASE("git: merge keeps a change to a different field on each side") {
  const std::string ours = "id: ana-k7q2\n"
                           "name: Ana Popescu\n"
                           "title: Head of Purchasing\n"
                           "city: Brasov\n"
                           "country: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\n"
                           "updated: 2026-11-21T10:00:00+02:00\n";
  const std::string theirs = "id: ana-k7q2\n"
                             "name: Ana Popescu\n"
                             "title: Buyer\n"
                             "city: Cluj-Napoca\n"
                             "country: RO\n"
                             "created: 2026-11-20T09:00:00+02:00\n"
                             "updated: 2026-11-22T08:00:00+02:00\n";
  const auto m = merge(base, ours, theirs);
  CHECK(m.conflicts.empty());
  // Both changes, and the later `updated`.
  CHECK(m.text == "id: ana-k7q2\n"
                  "name: Ana Popescu\n"
                  "title: Head of Purchasing\n"
                  "city: Cluj-Napoca\n"
                  "country: RO\n"
                  "created: 2026-11-20T09:00:00+02:00\n"
                  "updated: 2026-11-22T08:00:00+02:00\n");
  // The two sides the other way round give the same record.
  CHECK(merge(base, theirs, ours).text == m.text);
}

TEST_CASE("git: merge writes the file as crm writes the record, byte for byte") {
  // Keys written by hand out of order come back in the type's field order, as
  // render_record writes them.
  const std::string ours = "name: Ana Popescu\nid: ana-k7q2\ncity: Brasov\ntitle: Buyer\n"
                           "country: RO\ncreated: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-20T09:00:00+02:00\n"
                           "postal_code: '500001'\n";
  const auto m = merge(base, ours, base);
  CHECK(m.conflicts.empty());
  const auto expected = crm::store::parse_record(contact_type(), ours, path).record;
  CHECK(m.text == crm::store::render_record(contact_type(), crm::model::in_field_order(contact_type(), expected)));
  CHECK(m.text.find("postal_code: \"500001\"\n") != std::string::npos);
}

TEST_CASE("git: merge accepts a field changed the same way on both sides") {
  const std::string both = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncity: Iasi\ncountry: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const auto m = merge(base, both, both);
  CHECK(m.conflicts.empty());
  CHECK(m.text == both);
}

TEST_CASE("git: merge marks a field changed two ways, and only that field") {
  const std::string ours = "id: ana-k7q2\nname: Ana Popescu\ntitle: CEO\ncity: Cluj-Napoca\ncountry: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const std::string theirs = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncity: Iasi\ncountry: RO\n"
                             "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-22T10:00:00+02:00\n";
  const auto m = merge(base, ours, theirs);
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0] == "city");
  CHECK(m.text == "id: ana-k7q2\n"
                  "name: Ana Popescu\n"
                  "title: CEO\n"
                  "<<<<<<< ours\n"
                  "city: Cluj-Napoca\n"
                  "=======\n"
                  "city: Iasi\n"
                  ">>>>>>> theirs\n"
                  "country: RO\n"
                  "created: 2026-11-20T09:00:00+02:00\n"
                  "updated: 2026-11-22T10:00:00+02:00\n");
  // The file is a broken record that names the field, for the index and doctor.
  const auto marks = crm::store::conflict_marks(m.text);
  REQUIRE(marks.size() == 1);
  CHECK(marks[0].line == 4);
  CHECK(marks[0].field == "city");
  const auto e = crm_test::error_from([&] { crm::store::parse_record(contact_type(), m.text, path); });
  CHECK(std::string(e.what()) == "contacts/ana-k7q2.yaml:4: merge conflict in field 'city'");
}

TEST_CASE("git: merge marks a field removed on one side and changed on the other") {
  const std::string ours = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncountry: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const std::string theirs = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncity: Iasi\ncountry: RO\n"
                             "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const auto m = merge(base, ours, theirs);
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0] == "city");
  CHECK(m.text.find("title: Buyer\n<<<<<<< ours\n=======\ncity: Iasi\n>>>>>>> theirs\ncountry: RO\n") !=
        std::string::npos);
  // Removed on one side and left alone on the other: removed.
  const auto clean = merge(base, ours, base);
  CHECK(clean.conflicts.empty());
  CHECK(clean.text.find("city:") == std::string::npos);
}

TEST_CASE("git: merge marks every conflicting field, in file order") {
  const std::string ours = "id: ana-k7q2\nname: Ana P.\ntitle: CEO\ncity: Cluj-Napoca\ncountry: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const std::string theirs = "id: ana-k7q2\nname: A. Popescu\ntitle: CTO\ncity: Cluj-Napoca\ncountry: RO\n"
                             "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-21T10:00:00+02:00\n";
  const auto m = merge(base, ours, theirs);
  CHECK(m.conflicts == std::vector<std::string>{"name", "title"});
  const auto e = crm_test::error_from([&] { crm::store::parse_record(contact_type(), m.text, path); });
  CHECK(std::string(e.what()) == "contacts/ana-k7q2.yaml:2: merge conflict in field 'name' (and 1 more)");
}

TEST_CASE("git: merge takes the later updated and the earlier created") {
  const std::string ours = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncity: Brasov\ncountry: RO\n"
                           "created: 2026-11-20T09:00:00+02:00\nupdated: 2026-11-23T10:00:00+02:00\n";
  // 09:00 UTC is 11:00+02:00: later, though it reads earlier.
  const std::string theirs = "id: ana-k7q2\nname: Ana Popescu\ntitle: Buyer\ncity: Brasov\ncountry: RO\n"
                             "created: 2026-11-19T09:00:00+02:00\nupdated: 2026-11-23T09:00:00+00:00\n";
  const auto m = merge(base, ours, theirs);
  CHECK(m.conflicts.empty());
  CHECK(m.text.find("created: 2026-11-19T09:00:00+02:00\nupdated: 2026-11-23T09:00:00+00:00\n") != std::string::npos);
}

TEST_CASE("git: merge treats lists as sets: additions from both, removals from both, stable order") {
  const std::string b = "id: ana-k7q2\nname: Ana\ntags:\n  - vip\n  - cluj\n  - old\ninterests:\n  - jazz\n";
  const std::string o = "id: ana-k7q2\nname: Ana\ntags:\n  - vip\n  - cluj\n  - old\n  - fair-2026\n"
                        "interests:\n  - jazz\n";
  const std::string t = "id: ana-k7q2\nname: Ana\ntags:\n  - newsletter\n  - vip\n  - cluj\ninterests:\n  - hiking\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts.empty());
  // Ours' order, less what theirs removed (old), then theirs' additions.
  CHECK(m.text == "id: ana-k7q2\nname: Ana\ninterests:\n  - hiking\ntags:\n  - vip\n  - cluj\n  - fair-2026\n"
                  "  - newsletter\n");
  // Both removed everything: the field goes.
  const std::string none = "id: ana-k7q2\nname: Ana\n";
  CHECK(merge(b, none, "id: ana-k7q2\nname: Ana\ntags:\n  - vip\n  - cluj\n  - old\n").text ==
        "id: ana-k7q2\nname: Ana\n");
}

TEST_CASE("git: merge matches emails by address and phones by number") {
  const std::string b = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: work\n"
                        "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n";
  // Ours relabels the email; theirs adds one and drops the phone.
  const std::string o = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: home\n"
                        "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n";
  const std::string t = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: work\n"
                        "  - address: ana@gmail.com\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts.empty());
  CHECK(m.text == "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: home\n"
                  "  - address: ana@gmail.com\n");
  // The same email given two labels: the list is the conflict.
  const std::string t2 = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: other\n"
                         "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n";
  const auto c = merge(b, o, t2);
  CHECK(c.conflicts == std::vector<std::string>{"emails"});
  CHECK(c.text == "id: ana-k7q2\nname: Ana\n"
                  "<<<<<<< ours\nemails:\n  - address: ana@acme.ro\n    label: home\n"
                  "=======\nemails:\n  - address: ana@acme.ro\n    label: other\n>>>>>>> theirs\n"
                  "phones:\n  - number: 0722 123 456\n    e164: \"+40722123456\"\n");
}

TEST_CASE("git: merge of lists keeps an item one side changed and the other removed as a conflict") {
  const std::string b = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: work\n";
  const std::string o = "id: ana-k7q2\nname: Ana\nemails:\n  - address: ana@acme.ro\n    label: home\n";
  const std::string t = "id: ana-k7q2\nname: Ana\n";
  CHECK(merge(b, o, t).conflicts == std::vector<std::string>{"emails"});
  CHECK(merge(b, t, o).conflicts == std::vector<std::string>{"emails"});
}

TEST_CASE("git: merge appends notes both sides changed: ours, then what theirs added") {
  const std::string b = "id: ana-k7q2\nname: Ana\nnotes: Met at the fair.\n";
  const std::string o = "id: ana-k7q2\nname: Ana\nnotes: |\n  Met at the fair.\n  Wants a quote for 40 chairs.\n";
  const std::string t = "id: ana-k7q2\nname: Ana\nnotes: |\n  Met at the fair.\n  Prefers calls after 5.\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts.empty());
  CHECK(m.text == "id: ana-k7q2\nname: Ana\nnotes: |\n  Met at the fair.\n  Wants a quote for 40 chairs.\n"
                  "  Prefers calls after 5.\n");
  // A line theirs rewrote is added as it is now; ours' lines all stay.
  const std::string t2 = "id: ana-k7q2\nname: Ana\nnotes: Met at the autumn fair.\n";
  CHECK(merge(b, o, t2).text == "id: ana-k7q2\nname: Ana\nnotes: |\n  Met at the fair.\n"
                                "  Wants a quote for 40 chairs.\n  Met at the autumn fair.\n");
  // The other free text fields too (family notes), but not the address.
  const std::string fb = "id: ana-k7q2\nname: Ana\naddress: Str. Lunga 1\nfamily: Two kids\n";
  const std::string fo = "id: ana-k7q2\nname: Ana\naddress: Str. Scurta 2\nfamily: Two kids; a dog\n";
  const std::string ft = "id: ana-k7q2\nname: Ana\naddress: Str. Noua 3\nfamily: Two kids, both at school\n";
  const auto f = merge(fb, fo, ft);
  CHECK(f.conflicts == std::vector<std::string>{"address"});
  CHECK(f.text.find("family: |\n  Two kids; a dog\n  Two kids, both at school\n") != std::string::npos);
}

TEST_CASE("git: merge merges maps key by key and marks one key changed two ways inside the map") {
  const std::string b = "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-p\ncustom:\n  size: M\n  color: red\n";
  const std::string o = "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-p\n  github: anap\n"
                        "custom:\n  size: L\n  color: red\n";
  const std::string t = "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-popescu\n"
                        "custom:\n  size: M\n  color: blue\n  vat: RO1\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts.empty());
  CHECK(m.text == "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-popescu\n  github: anap\n"
                  "custom:\n  size: L\n  color: blue\n  vat: RO1\n");
  const std::string t2 = "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-p\ncustom:\n  size: XL\n  color: blue\n";
  const auto c = merge(b, o, t2);
  CHECK(c.conflicts == std::vector<std::string>{"custom.size"});
  CHECK(c.text == "id: ana-k7q2\nname: Ana\nsocial:\n  linkedin: ana-p\n  github: anap\n"
                  "custom:\n<<<<<<< ours\n  size: L\n=======\n  size: XL\n>>>>>>> theirs\n  color: blue\n");
  const auto e = crm_test::error_from([&] { crm::store::parse_record(contact_type(), c.text, path); });
  CHECK(std::string(e.what()) == "contacts/ana-k7q2.yaml:7: merge conflict in field 'custom.size'");
}

TEST_CASE("git: merge marks the whole map when one side has none of it left") {
  const std::string b = "id: ana-k7q2\nname: Ana\ncustom:\n  size: M\n";
  const std::string o = "id: ana-k7q2\nname: Ana\n";
  const std::string t = "id: ana-k7q2\nname: Ana\ncustom:\n  size: L\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts == std::vector<std::string>{"custom"});
  CHECK(m.text == "id: ana-k7q2\nname: Ana\n<<<<<<< ours\n=======\ncustom:\n  size: L\n>>>>>>> theirs\n");
}

TEST_CASE("git: merge keeps keys written by hand, merged like any field, after the declared ones") {
  const std::string b = "id: ana-k7q2\nname: Ana\nvat_id: RO1\n";
  const std::string o = "id: ana-k7q2\nname: Ana\nvat_id: RO1\nshoe: \"38\"\n";
  const std::string t = "id: ana-k7q2\nname: Ana\ncity: Iasi\nvat_id: RO2\n";
  const auto m = merge(b, o, t);
  CHECK(m.conflicts.empty());
  CHECK(m.text == "id: ana-k7q2\nname: Ana\ncity: Iasi\nvat_id: RO2\nshoe: \"38\"\n");
}

TEST_CASE("git: merge of a file both sides added (no base) keeps what agrees and marks what does not") {
  const std::string o = "id: ana-k7q2\nname: Ana\ntags:\n  - vip\ncity: Iasi\n";
  const std::string t = "id: ana-k7q2\nname: Ana\ntags:\n  - cluj\ncity: Cluj\n";
  const auto m = merge("", o, t);
  CHECK(m.conflicts == std::vector<std::string>{"city"});
  CHECK(m.text == "id: ana-k7q2\nname: Ana\n<<<<<<< ours\ncity: Iasi\n=======\ncity: Cluj\n>>>>>>> theirs\n"
                  "tags:\n  - vip\n  - cluj\n");
}

TEST_CASE("git: merge of a deal's moves keeps the moves of both sides") {
  const std::string head = "id: 2026-11-20-chairs-k7q2\ntitle: Chairs\ncontact: ana-k7q2\nstage: proposal\nmoves:\n"
                           "  - at: 2026-11-20T09:00:00+02:00\n    to: lead\n";
  const std::string first = "  - at: 2026-11-21T09:00:00+02:00\n    from: lead\n    to: qualified\n";
  const std::string second = "  - at: 2026-11-22T09:00:00+02:00\n    from: qualified\n    to: proposal\n";
  const auto m = merge_record_files(deal_type(), head, head + first, head + second, "deals/2026-11-20-chairs-k7q2.yaml");
  CHECK(m.conflicts.empty());
  CHECK(m.text == head + first + second);
}

TEST_CASE("git: merge refuses a version that is not a record, naming the file") {
  const auto e = crm_test::error_from([&] { merge(base, "id: [\n", base); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()).starts_with("contacts/ana-k7q2.yaml:"));
  // A version with conflict markers is not a record either.
  const auto marked = crm_test::error_from([&] { merge(base, "<<<<<<< ours\nid: x\n=======\n>>>>>>> theirs\n", base); });
  CHECK(std::string(marked.what()) == "contacts/ana-k7q2.yaml:1: merge conflict in field 'id'");
}

TEST_CASE("git: merge of a company uses the company's fields") {
  const std::string b = "id: acme-k7q2\nname: Acme\nindustry: retail\n";
  const std::string o = "id: acme-k7q2\nname: Acme SRL\nindustry: retail\n";
  const std::string t = "id: acme-k7q2\nname: Acme\nindustry: furniture\ncity: Cluj\n";
  const auto m = merge_record_files(company_type(), b, o, t, "companies/acme-k7q2.yaml");
  CHECK(m.conflicts.empty());
  CHECK(m.text == "id: acme-k7q2\nname: Acme SRL\nindustry: furniture\ncity: Cluj\n");
}

TEST_SUITE_END();
