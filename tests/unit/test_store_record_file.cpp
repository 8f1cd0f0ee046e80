#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "store/record_file.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::model::company_type;
using crm::model::contact_type;
using crm::model::id_of;
using crm::model::Record;
using crm::store::parse_record;
using crm::store::RecordFileError;
using crm::store::render_record;
using Json = nlohmann::ordered_json;

namespace {

// A contact file as crm writes it, with a value for every kind of field and two
// keys added by hand at the end.
constexpr const char* full_contact = R"(id: ana-popescu-k7q2
name: Ana Popescu
given_name: Ana
family_name: Popescu
emails:
  - address: ana@example.ro
    label: work
  - address: ana.p@gmail.com
phones:
  - number: 0722 123 456
    e164: "+40722123456"
    label: mobile
company: acme-srl-x4b9
title: CTO
address: |
  Str. Memorandumului 28
  ap. 4
postal_code: "400114"
city: Cluj-Napoca
region: Cluj
country: RO
website: https://ana.example.ro
social:
  linkedin: ana-popescu
  x: "@ana"
prefers: email
source: referral
stage: customer
birthday: "1990-05-17"
anniversary: --06-01
family: Two kids.
interests:
  - hiking
  - jazz
groups:
  - board
tags:
  - vip
  - b2b
notes: |
  Met at DevFest.
  Likes espresso.
custom:
  shoe_size: "38"
  vat: RO123
created: 2026-11-25T16:02:25+02:00
updated: 2026-11-26T09:15:00+02:00
hobby_notes: by hand
zz:
  nested:
    - a
)";

std::vector<std::string> keys_of(const Json& r) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.push_back(k);
  return keys;
}

// Parses `text` expecting a RecordFileError; fails the test when there is none.
RecordFileError file_error(std::string_view text, std::string_view path = "contacts/x-k7q2.yaml") {
  try {
    parse_record(contact_type(), text, path);
  } catch (const RecordFileError& e) {
    return e;
  }
  FAIL("expected RecordFileError");
  return RecordFileError("", 0, "");
}

} // namespace

TEST_SUITE_BEGIN("store");

// ------------------------------------------------------------------ parse

TEST_CASE("store: parse_record reads every kind of field of a full contact file") {
  const auto parsed = parse_record(contact_type(), full_contact, "contacts/ana-popescu-k7q2.yaml");
  CHECK(parsed.problems.empty());
  const auto& r = parsed.record;
  CHECK(id_of(r) == "ana-popescu-k7q2");
  CHECK(r["name"] == "Ana Popescu");
  CHECK(r["emails"] == Json::parse(R"([{"address": "ana@example.ro", "label": "work"}, {"address": "ana.p@gmail.com"}])"));
  CHECK(r["phones"] == Json::parse(R"([{"number": "0722 123 456", "e164": "+40722123456", "label": "mobile"}])"));
  CHECK(r["company"] == "acme-srl-x4b9");
  CHECK(r["address"] == "Str. Memorandumului 28\nap. 4\n");
  CHECK(r["postal_code"] == "400114"); // a string, not the number 400114
  CHECK(r["country"] == "RO");
  CHECK(r["social"] == Json::parse(R"({"linkedin": "ana-popescu", "x": "@ana"})"));
  CHECK(r["stage"] == "customer");
  CHECK(r["birthday"] == "1990-05-17");
  CHECK(r["anniversary"] == "--06-01");
  CHECK(r["interests"] == Json::array({"hiking", "jazz"}));
  CHECK(r["tags"] == Json::array({"vip", "b2b"}));
  CHECK(r["notes"] == "Met at DevFest.\nLikes espresso.\n");
  CHECK(r["custom"] == Json::parse(R"({"shoe_size": "38", "vat": "RO123"})"));
  CHECK(r["created"] == "2026-11-25T16:02:25+02:00");
  CHECK(r["hobby_notes"] == "by hand");
  CHECK(r["zz"] == Json::parse(R"({"nested": ["a"]})"));
  CHECK(keys_of(r) == std::vector<std::string>{
                          "id", "name", "given_name", "family_name", "emails", "phones", "company", "title",
                          "address", "postal_code", "city", "region", "country", "website", "social", "prefers",
                          "source", "stage", "birthday", "anniversary", "family", "interests", "groups", "tags",
                          "notes", "custom", "created", "updated", "hobby_notes", "zz"});
}

TEST_CASE("store: parse_record keeps every scalar as text") {
  const auto parsed = parse_record(contact_type(), "id: x-k7q2\nname: 007\ncustom:\n  n: 12\n  b: yes\n  z: ~\n", "p");
  CHECK(parsed.record["name"] == "007");
  CHECK(parsed.record["custom"]["n"] == "12");
  CHECK(parsed.record["custom"]["b"] == "yes");
}

TEST_CASE("store: parse_record accepts hand-written shortcuts") {
  const auto parsed = parse_record(contact_type(),
                                   "id: ana-k7q2\n"
                                   "name: Ana\n"
                                   "tags: vip\n"            // a scalar instead of a list
                                   "emails: ana@example.ro\n" // a bare address instead of a map
                                   "phones:\n"
                                   "  - 0722 123 456\n"       // a bare number in a list
                                   "  - number: +40 21 123 4567\n"
                                   "interests: [hiking, jazz]\n",
                                   "contacts/ana-k7q2.yaml");
  CHECK(parsed.problems.empty());
  CHECK(parsed.record["tags"] == Json::array({"vip"}));
  CHECK(parsed.record["emails"] == Json::parse(R"([{"address": "ana@example.ro"}])"));
  CHECK(parsed.record["phones"] == Json::parse(R"([{"number": "0722 123 456"}, {"number": "+40 21 123 4567"}])"));
  CHECK(parsed.record["interests"] == Json::array({"hiking", "jazz"}));
}

TEST_CASE("store: parse_record treats an empty value as not set") {
  const auto parsed = parse_record(contact_type(), "id: ana-k7q2\nname: Ana\ncity:\ntags:\n", "p");
  CHECK(parsed.problems.empty());
  CHECK(keys_of(parsed.record) == std::vector<std::string>{"id", "name"});
}

TEST_CASE("store: parse_record keeps unknown keys in their order") {
  const auto parsed = parse_record(contact_type(),
                                   "zeta: last letter\nid: ana-k7q2\nalpha: first letter\nname: Ana\nmiddle:\n  - x\n",
                                   "p");
  CHECK(parsed.problems.empty());
  CHECK(keys_of(parsed.record) == std::vector<std::string>{"zeta", "id", "alpha", "name", "middle"});
  CHECK(parsed.record["middle"] == Json::array({"x"}));
}

TEST_CASE("store: parse_record gives the line of every top-level key") {
  const auto parsed = parse_record(contact_type(),
                                   "# a comment\n"
                                   "id: ana-k7q2\n"
                                   "name: Ana\n"
                                   "emails:\n"
                                   "  - address: ana@example.ro\n"
                                   "\n"
                                   "city:\n"
                                   "by_hand: x\n",
                                   "p");
  CHECK(parsed.lines == std::map<std::string, int>{{"id", 2}, {"name", 3}, {"emails", 4}, {"city", 7}, {"by_hand", 8}});
}

// ------------------------------------------------------------------ errors

TEST_CASE("store: parse_record reports invalid UTF-8 with its line") {
  const auto e = file_error("id: ana-k7q2\nname: Ana\ncity: Cluj\xFF\n");
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(e.line() == 3);
  CHECK(e.path() == "contacts/x-k7q2.yaml");
  CHECK(e.detail() == "invalid UTF-8");
  CHECK(std::string(e.what()) == "contacts/x-k7q2.yaml:3: invalid UTF-8");
}

TEST_CASE("store: parse_record reports a YAML syntax error with its line") {
  const auto e = file_error("id: ana-k7q2\nname: [Ana\ncity: Cluj\n");
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(e.line() == 3);
  CHECK(e.detail() == "end of sequence flow not found");
  CHECK(std::string(e.what()) == "contacts/x-k7q2.yaml:3: end of sequence flow not found");

  const auto indent = file_error("id: ana-k7q2\nname: Ana\n  city: Cluj\n");
  CHECK(indent.line() == 3);
  CHECK(indent.detail() == "illegal map value");
}

TEST_CASE("store: parse_record rejects an unterminated quoted value") {
  // Accepting it would swallow the following keys into the value ("Ana city: Cluj").
  for (const char* text : {"id: ana-k7q2\nname: \"Ana\ncity: Cluj\n", "id: ana-k7q2\nname: 'Ana\ncity: Cluj\n",
                           "id: ana-k7q2\nname: \"Ana\ncity:\ntags: [vip]\n",
                           "id: ana-k7q2\nname: \"Ana\nоцінка: 5\n",         // a key added by hand, in Ukrainian
                           "id: ana-k7q2\nname: \"Ana\nfavourite color: blue\n"}) {
    const std::string shown = text;
    CAPTURE(shown);
    int line = -1;
    try {
      parse_record(contact_type(), text, "p");
    } catch (const RecordFileError& e) {
      line = e.line();
    }
    CHECK(line == 3);
  }
}

TEST_CASE("store: a quoted value may span lines when it is closed") {
  const auto parsed = parse_record(contact_type(), "id: ana-k7q2\nname: Ana\nnotes: \"one\n  two: three\"\ncity: Cluj\n", "p");
  CHECK(parsed.record["notes"] == "one two: three");
  CHECK(parsed.record["city"] == "Cluj");
}

TEST_CASE("store: parse_record rejects a file that is not a mapping") {
  const auto list = file_error("- a\n- b\n");
  CHECK(list.line() == 1);
  CHECK(list.detail() == "expected a contact record (a mapping of keys to values)");
  const auto scalar = file_error("just text\n");
  CHECK(scalar.line() == 1);
  CHECK(scalar.detail() == "expected a contact record (a mapping of keys to values)");
  const auto empty = file_error("");
  CHECK(empty.line() == 0);
  CHECK(std::string(empty.what()) == "contacts/x-k7q2.yaml: expected a contact record (a mapping of keys to values)");
  CHECK(file_error("# only a comment\n").line() == 0);
  const auto company = [] {
    try {
      parse_record(company_type(), "- a\n", "companies/a.yaml");
    } catch (const RecordFileError& e) {
      return std::string(e.detail());
    }
    return std::string();
  }();
  CHECK(company == "expected a company record (a mapping of keys to values)");
}

TEST_CASE("store: parse_record rejects a duplicate key on its line") {
  const auto e = file_error("id: ana-k7q2\nname: Ana\ncity: Cluj\nname: Ana Maria\n");
  CHECK(e.line() == 4);
  CHECK(e.detail() == "duplicate key 'name'");
}

TEST_CASE("store: parse_record needs a usable id") {
  const auto missing = file_error("name: Ana\ncity: Cluj\n");
  CHECK(missing.line() == 0);
  CHECK(missing.detail() == "missing 'id'");
  CHECK(std::string(missing.what()) == "contacts/x-k7q2.yaml: missing 'id'");
  const auto bad = file_error("name: Ana\nid: ../../etc/passwd\n");
  CHECK(bad.line() == 2);
  CHECK(bad.detail() == "not a valid id (letters, digits and '-', no '/', no leading '.')");
  CHECK(file_error("id: [a]\nname: Ana\n").line() == 1);
  CHECK(file_error("id:\nname: Ana\n").detail() == "missing 'id'");
}

TEST_CASE("store: parse_record rejects keys that are not plain text") {
  const auto e = file_error("id: ana-k7q2\n? [a, b]\n: x\n");
  CHECK(e.line() == 2);
  CHECK(e.detail() == "keys must be plain text");
}

TEST_CASE("store: parse_record returns field problems with their line") {
  const auto parsed = parse_record(contact_type(),
                                   "id: ana-k7q2\n"
                                   "name: Ana\n"
                                   "emails:\n"
                                   "  - address: not-an-email\n"
                                   "country: ro\n"
                                   "stage: vip\n",
                                   "contacts/ana-k7q2.yaml");
  REQUIRE(parsed.problems.size() == 3);
  CHECK(parsed.problems[0].line == 4);
  CHECK(parsed.problems[0].key == "emails");
  CHECK(parsed.problems[0].message == "bad email 'not-an-email'");
  CHECK(parsed.problems[1].line == 5);
  CHECK(parsed.problems[1].key == "country");
  CHECK(parsed.problems[2].line == 6);
  CHECK(parsed.problems[2].message == "bad stage 'vip' (expected one of: lead, prospect, customer, inactive, lost)");
  // The record is still usable, values as written.
  CHECK(parsed.record["country"] == "ro");
  CHECK(parsed.record["emails"][0]["address"] == "not-an-email");
}

TEST_CASE("store: parse_record reports a missing name as a problem of the whole file") {
  const auto parsed = parse_record(contact_type(), "id: ana-k7q2\ncity: Cluj\n", "p");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 0);
  CHECK(parsed.problems[0].key == "name");
  CHECK(parsed.problems[0].message == "missing 'name'");
}

// ------------------------------------------------------------------ render

TEST_CASE("store: render_record writes the fixed key order whatever the input order") {
  const auto rec = Json::parse(R"({"tags": ["vip"], "city": "Cluj", "name": "Ana", "id": "ana-k7q2",
                                   "created": "2026-11-25T16:02:25+02:00"})");
  CHECK(render_record(contact_type(), rec) ==
        "id: ana-k7q2\nname: Ana\ncity: Cluj\ntags:\n  - vip\ncreated: 2026-11-25T16:02:25+02:00\n");
}

TEST_CASE("store: render_record omits empty values") {
  const auto rec = Json::parse(R"({"id": "ana-k7q2", "name": "Ana", "title": "", "tags": [], "social": {},
                                   "city": null, "emails": [], "notes": "", "by_hand": null})");
  CHECK(render_record(contact_type(), rec) == "id: ana-k7q2\nname: Ana\n");
}

TEST_CASE("store: render_record quotes only what another reader would misread") {
  const auto rec = Json::parse(R"({"id": "ana-k7q2", "name": "Ana",
    "phones": [{"number": "0722 123", "e164": "+40722123"}, {"number": "0722123456"}],
    "postal_code": "077190", "title": "No", "custom": {"answer": "yes", "color": "blue"}})");
  CHECK(render_record(contact_type(), rec) == "id: ana-k7q2\n"
                                               "name: Ana\n"
                                               "phones:\n"
                                               "  - number: 0722 123\n"
                                               "    e164: \"+40722123\"\n"
                                               "  - number: \"0722123456\"\n"
                                               "title: \"No\"\n"
                                               "postal_code: \"077190\"\n"
                                               "custom:\n"
                                               "  answer: \"yes\"\n"
                                               "  color: blue\n");
}

TEST_CASE("store: render_record keeps unknown keys after the known ones, in their order") {
  const auto rec = Json::parse(R"({"zeta": "z", "id": "ana-k7q2", "alpha": "a", "name": "Ana", "tags": ["vip"]})");
  CHECK(render_record(contact_type(), rec) == "id: ana-k7q2\nname: Ana\ntags:\n  - vip\nzeta: z\nalpha: a\n");
}

TEST_CASE("store: parse_record reads an empty field as not set, as render_record writes it") {
  // Found by fuzz_record: `amount: ""` was read, then left out when written.
  const auto p = parse_record(crm::model::payment_type(),
                              "id: pay-k7q2\nsale: s-a1b2\ncontact: ana\nat: 2026-11-25T10:00:00+02:00\namount: \"\"\n",
                              "payments/pay-k7q2.yaml");
  CHECK_FALSE(p.record.contains("amount"));
  CHECK(std::any_of(p.problems.begin(), p.problems.end(),
                    [](const auto& problem) { return problem.message == "missing 'amount'"; }));
  const auto c = parse_record(contact_type(), "id: ana\nname: Ana\ntitle: \"\"\ntags: []\nsocial: {}\nby_hand: \"\"\n", "x");
  CHECK(c.record == Json::parse(R"({"id": "ana", "name": "Ana", "by_hand": ""})")); // a key of its own keeps ""
  CHECK(render_record(contact_type(), c.record) == "id: ana\nname: Ana\nby_hand: \"\"\n");
}

TEST_CASE("store: parse_record reads a key of its own in NFC, as render_record writes it") {
  const auto p = parse_record(contact_type(), "id: ana\nname: Ana\ncla\xCC\x86: x\n", "x");
  CHECK(p.record == Json::parse(R"({"id": "ana", "name": "Ana", "clă": "x"})"));
  CHECK_THROWS_WITH_AS(parse_record(contact_type(), "id: ana\nname: Ana\ncla\xCC\x86: x\nclă: y\n", "c.yaml"),
                       "c.yaml:4: duplicate key 'clă'", RecordFileError);
  // Found by fuzz_record: yaml-cpp read a NUL byte as 0xA0, a key that is not UTF-8.
  using namespace std::string_literals;
  CHECK_THROWS_WITH_AS(parse_record(contact_type(), "id: ana\nname: Ana\nsummary:\0_x: y\n"s, "n.yaml"),
                       "n.yaml:3: a NUL byte", RecordFileError);
}

TEST_CASE("store: render_record writes NFC text") {
  // "Ștefan Niță" typed with combining marks (NFD).
  const auto rec = Json{{"id", "stefan-k7q2"}, {"name", "S\xCC\xA6tefan Nit\xCC\xA6\xC4\x83"},
                        {"notes", "S\xCC\xA6i mai departe\n"}, {"cla\xCC\x86"/* clă */, "x"}};
  CHECK(render_record(contact_type(), rec) ==
        "id: stefan-k7q2\nname: Ștefan Niță\nnotes: |\n  Și mai departe\nclă: x\n");
}

TEST_CASE("store: text and ids are read in NFC, as crm writes them") {
  // Found by fuzz_record: a value with combining marks out of canonical order
  // (U+0657 then U+0347) was read as written and written back reordered; an id
  // in NFD, rewritten, no longer matched what referred to it.
  const std::string nfd_name = "S\xCC\xA6tefan";      // Ștefan with a combining comma
  const std::string out_of_order = "x\xD9\x97\xCD\x87"; // x, U+0657, U+0347
  const auto p = parse_record(contact_type(),
                              "id: s\xCC\xA6-k7q2\nname: " + nfd_name + "\ncompany: s\xCC\xA6-srl\ntags: [" + out_of_order +
                                  "]\ncustom:\n  cla\xCC\x86: " + nfd_name + "\n",
                              "s.yaml");
  CHECK(id_of(p.record) == "\xC8\x99-k7q2");
  CHECK(p.record["name"] == "\xC8\x98tefan");
  CHECK(p.record["tags"][0] == "x\xCD\x87\xD9\x97");
  CHECK(p.record["company"] == "\xC8\x99-srl");
  CHECK(p.record["custom"] == Json{{"cl\xC4\x83", "\xC8\x98tefan"}});
  CHECK(parse_record(contact_type(), render_record(contact_type(), p.record), "s.yaml").record == p.record);
}

TEST_CASE("store: a key twice in a map inside a record is refused with its line") {
  CHECK_THROWS_WITH_AS(parse_record(contact_type(), "id: ana\nname: Ana\ncustom:\n  vat: 1\n  vat: 2\n", "d.yaml"),
                       "d.yaml:5: duplicate key 'vat'", RecordFileError);
  CHECK_THROWS_WITH_AS(
      parse_record(contact_type(), "id: ana\nname: Ana\ncustom:\n  cla\xCC\x86: 1\n  cl\xC4\x83: 2\n", "d.yaml"),
      "d.yaml:5: duplicate key 'cl\xC4\x83'", RecordFileError);
}

TEST_CASE("store: render_record writes multi-line text exactly") {
  const auto rec = Json{{"id", "a-k7q2"}, {"name", "A"}, {"notes", "no final newline\nsecond"}};
  CHECK(render_record(contact_type(), rec) == "id: a-k7q2\nname: A\nnotes: \"no final newline\\nsecond\"\n");
}

// ------------------------------------------------------------------ round trips

TEST_CASE("store: parse_record(render_record(r)) == r for a rich record") {
  const Record rich = Json::parse(R"({
    "id": "олена-шевченко-k7q2", "name": "Олена Шевченко", "given_name": "Олена",
    "emails": [{"address": "olena@example.ua", "label": "робота"}, {"address": "o@x.ua"}],
    "phones": [{"number": "067 123 4567", "e164": "+380671234567", "label": "mobile"}, {"number": "0722 123 456"}],
    "company": "acme-x4b9", "title": "CEO: sales & ops",
    "address": "вул. Хрещатик, 1\nкв. 5\n", "postal_code": "01001", "city": "Київ", "country": "UA",
    "social": {"x": "@olena", "telegram": "#olena"}, "stage": "lead", "birthday": "--02-29",
    "family": "  starts with spaces", "tags": ["vip", "true", "2024"], "notes": "# not a comment\n\nsecond paragraph\n",
    "custom": {"no": "yes", "price": "49.90", "empty_looking": "~"},
    "created": "2026-11-25T16:02:25+02:00", "updated": "2026-11-25T16:02:25+02:00",
    "by_hand": "a: b", "also_by_hand": {"list": ["1", "two"]}
  })");
  const std::string text = render_record(contact_type(), rich);
  CAPTURE(text);
  const auto back = parse_record(contact_type(), text, "contacts/олена-шевченко-k7q2.yaml");
  CHECK(back.problems.empty());
  CHECK(back.record == rich);
  CHECK(back.record.dump() == rich.dump()); // same key order too
}

TEST_CASE("store: render_record(parse_record(text)) == text for a canonical file") {
  const auto parsed = parse_record(contact_type(), full_contact, "contacts/ana-popescu-k7q2.yaml");
  CHECK(render_record(contact_type(), parsed.record) == full_contact);
}

TEST_CASE("store: render_record(parse_record(text)) == text for a canonical company file") {
  const std::string company = "id: acme-srl-x4b9\n"
                              "name: Acme SRL\n"
                              "emails:\n"
                              "  - address: office@acme.ro\n"
                              "website: https://acme.ro\n"
                              "industry: software\n"
                              "city: Cluj-Napoca\n"
                              "country: RO\n"
                              "tags:\n"
                              "  - partner\n"
                              "created: 2026-11-25T16:02:25+02:00\n"
                              "updated: 2026-11-25T16:02:25+02:00\n";
  const auto parsed = parse_record(company_type(), company, "companies/acme-srl-x4b9.yaml");
  CHECK(parsed.problems.empty());
  CHECK(render_record(company_type(), parsed.record) == company);
}

// ------------------------------------------------------------------ hostile files

TEST_CASE("store: a YAML alias bomb is refused at its first anchor, before anything expands") {
  // Nine levels of ten aliases: a billion values once expanded.
  std::string bomb = "id: x-k7q2\nname: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int k = 0; k < 9; ++k) bomb += std::string(k ? ",*" : "*") + prev;
    bomb += "]\n";
  }
  const auto e = file_error(bomb);
  CHECK(e.line() == 3);
  CHECK(e.detail() == "a YAML anchor (&): crm writes none, and reads none in a record file");
}

TEST_CASE("store: an alias alone, and a YAML tag, are errors with their line") {
  // An alias with no anchor is yaml-cpp's error; one whose anchor comes first is
  // refused at the anchor.
  CHECK(file_error("id: x-k7q2\nname: *someone\n").line() == 2);
  CHECK(file_error("id: x-k7q2\nname: Ana\nnotes: *someone\n").line() == 3);
  const auto tagged = file_error("id: x-k7q2\nname: Ana\nphoto: !!binary R0lGODlh\n");
  CHECK(tagged.line() == 3);
  CHECK(tagged.detail() == "a YAML tag (tag:yaml.org,2002:binary): crm writes none, and reads none in a record file");
}

TEST_CASE("store: '&', '*' and '!' inside text are text") {
  const auto parsed = parse_record(contact_type(), "id: x-k7q2\nname: \"Smith & Sons *\"\nnotes: Call back! *soon* & bring R&D\n"
                                                   "tags: [a&b, \"*\"]\n",
                                   "contacts/x-k7q2.yaml");
  CHECK(parsed.record["name"] == "Smith & Sons *");
  CHECK(parsed.record["notes"] == "Call back! *soon* & bring R&D");
  CHECK(parsed.record["tags"] == Json::array({"a&b", "*"}));
}

TEST_CASE("store: nesting deeper than 16 levels is refused, 16 is read") {
  auto nested = [](int depth) {
    return "id: x-k7q2\nname: N\ndeep: " + std::string(depth - 1, '[') + "x" + std::string(depth - 1, ']') + "\n";
  };
  CHECK(parse_record(contact_type(), nested(16), "contacts/x-k7q2.yaml").record.contains("deep"));
  const auto e = file_error(nested(17));
  CHECK(e.line() == 3);
  CHECK(e.detail() == "nested deeper than 16 levels");
  // Far deeper than any stack: yaml-cpp's own guard, still a file error.
  CHECK(file_error(nested(100000)).line() == 3);
}

TEST_CASE("store: a file over 1 MiB or a line over 128 KiB is refused, at the limits it is read") {
  const std::string head = "id: x-k7q2\nname: Big\nnotes: ";
  const std::string at_line_limit = head + std::string(128 * 1024 - 7, 'a') + "\n";
  CHECK(parse_record(contact_type(), at_line_limit, "contacts/x-k7q2.yaml").record["notes"].get<std::string>().size() ==
        128 * 1024 - 7);
  const auto long_line = file_error(head + std::string(128 * 1024, 'a') + "\n");
  CHECK(long_line.line() == 3);
  CHECK(long_line.detail() == "a line longer than 128 KiB, the most a record file's line may hold");
  std::string big = head + "|\n";
  while (big.size() <= 1024 * 1024) big += "  " + std::string(1000, 'b') + "\n";
  const auto too_big = file_error(big);
  CHECK(too_big.line() == 0);
  CHECK(too_big.detail() == "larger than 1024 KiB, the most a record file may hold");
}

TEST_CASE("store: render_record refuses a record it could not read back") {
  Record r = {{"id", "x-k7q2"}, {"name", "Big"}, {"notes", std::string(200 * 1024, 'n')}};
  const auto e = crm_test::error_from([&] { (void)render_record(contact_type(), r); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) ==
        "contact 'x-k7q2' would be a line longer than 128 KiB, the most a record file's line may hold");
}

TEST_CASE("store: read_yaml_text stops one byte past the limit, so an endless file ends") {
  crm_test::TempDir dir;
  crm_test::write_text(dir / "big.yaml", std::string(3 * 1024 * 1024, 'x'));
  CHECK(crm::store::read_yaml_text(dir / "big.yaml").size() == 1024 * 1024 + 1);
  CHECK(crm::store::read_yaml_text("/dev/zero").size() == 1024 * 1024 + 1);
}

TEST_CASE("store: conflict_marks names the field between the markers, nested keys by their map") {
  const std::string text = "id: a-k7q2\n"
                           "<<<<<<< ours\n"
                           "name: Ana\n"
                           "=======\n"
                           "name: Ana Maria\n"
                           ">>>>>>> theirs\n"
                           "custom:\n"
                           "  color: red\n"
                           "<<<<<<< ours\n"
                           "=======\n"
                           "  size: XL\n"
                           ">>>>>>> theirs\n"
                           "tags:\n"
                           "<<<<<<< HEAD\n"
                           "  - vip\n"
                           "||||||| base\n"
                           "=======\n"
                           ">>>>>>> origin/main\n"
                           "<<<<<<<\n"
                           ">>>>>>>\n";
  const auto marks = crm::store::conflict_marks(text);
  REQUIRE(marks.size() == 4);
  CHECK(marks[0].line == 2);
  CHECK(marks[0].field == "name");
  CHECK(marks[1].line == 9);
  CHECK(marks[1].field == "custom.size");
  CHECK(marks[2].line == 14);
  CHECK(marks[2].field == "tags");
  CHECK(marks[3].line == 19);
  CHECK(marks[3].field.empty());
  CHECK(crm::store::conflict_message(marks[0]) == "merge conflict in field 'name'");
  CHECK(crm::store::conflict_message(marks[3]) == "merge conflict");
}

TEST_CASE("store: conflict_marks sees no conflict in text that only looks like one") {
  CHECK(crm::store::conflict_marks("id: a\nnotes: |\n  <<<<<<< ours\n").empty());
  CHECK(crm::store::conflict_marks("id: a\n<<<<<<<< eight: x\n<<: y\n").empty());
  CHECK(crm::store::conflict_marks("").empty());
}

TEST_CASE("store: parse_record refuses a file with conflict markers, naming the first field") {
  const std::string text = "id: a-k7q2\nname: Ana\n<<<<<<< ours\ncity: Cluj\n=======\ncity: Iasi\n>>>>>>> theirs\n";
  try {
    parse_record(contact_type(), text, "contacts/a-k7q2.yaml");
    FAIL("no error");
  } catch (const RecordFileError& e) {
    CHECK(e.line() == 3);
    CHECK(e.detail() == "merge conflict in field 'city'");
    CHECK(std::string(e.what()) == "contacts/a-k7q2.yaml:3: merge conflict in field 'city'");
  }
}

TEST_SUITE_END();
