#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "test_support.hpp"

using crm::model::check_field;
using crm::model::check_record;
using crm::model::company_type;
using crm::model::contact_type;
using crm::model::edit_distance;
using crm::model::Field;
using crm::model::FieldKind;
using crm::model::in_field_order;
using crm::model::is_valid_id;
using crm::model::nearest_keys;
using crm::model::Record;
using crm::model::RecordType;
using Json = nlohmann::ordered_json;

namespace {

const Field& field(const RecordType& t, std::string_view key) {
  const Field* f = t.field(key);
  REQUIRE(f != nullptr);
  return *f;
}

std::optional<std::string> check(std::string_view key, const Json& value) {
  return check_field(field(contact_type(), key), value);
}

std::vector<std::string> keys_of(const Record& r) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.push_back(k);
  return keys;
}

std::optional<std::string> none() { return std::nullopt; }

} // namespace

TEST_SUITE_BEGIN("model");

// ------------------------------------------------------------------ types

TEST_CASE("model: contact_type declares id first, a required name, and crm-kept timestamps") {
  const auto& t = contact_type();
  CHECK(t.name == "contact");
  CHECK(t.plural == "contacts");
  REQUIRE(t.fields.size() >= 3);
  CHECK(t.fields[0].key == "id");
  CHECK(t.fields[0].kind == FieldKind::id);
  CHECK(t.fields[0].required);
  CHECK_FALSE(t.fields[0].settable);
  CHECK(t.fields[1].key == "name");
  CHECK(t.fields[1].kind == FieldKind::text);
  CHECK(t.fields[1].required);
  CHECK(t.fields[1].settable);
  for (const char* k : {"created", "updated"}) {
    CAPTURE(k);
    CHECK(field(t, k).kind == FieldKind::timestamp);
    CHECK_FALSE(field(t, k).settable);
    CHECK_FALSE(field(t, k).required);
  }
  // Only id and name are required.
  int required = 0;
  for (const auto& f : t.fields) required += f.required ? 1 : 0;
  CHECK(required == 2);
}

TEST_CASE("model: contact_type field kinds and references") {
  const auto& t = contact_type();
  CHECK(field(t, "emails").kind == FieldKind::emails);
  CHECK(field(t, "phones").kind == FieldKind::phones);
  CHECK(field(t, "company").kind == FieldKind::ref);
  CHECK(field(t, "company").ref_type == "company");
  CHECK(field(t, "stage").kind == FieldKind::choice);
  CHECK(field(t, "stage").choices ==
        std::vector<std::string_view>{"lead", "prospect", "customer", "inactive", "lost"});
  CHECK(field(t, "country").kind == FieldKind::country);
  CHECK(field(t, "birthday").kind == FieldKind::date);
  CHECK(field(t, "tags").kind == FieldKind::list);
  CHECK(field(t, "notes").kind == FieldKind::multiline);
  CHECK(field(t, "social").kind == FieldKind::map);
  CHECK(field(t, "custom").kind == FieldKind::map);
  CHECK(t.field("emial") == nullptr);
  CHECK(t.field("") == nullptr);
  CHECK(t.indexed_keys() == std::vector<std::string_view>{"company", "city", "country", "source", "stage"});
  // The common tail ends every type: tags, notes, custom, created, updated.
  const auto n = t.fields.size();
  CHECK(t.fields[n - 1].key == "updated");
  CHECK(t.fields[n - 2].key == "created");
  CHECK(t.fields[n - 3].key == "custom");
}

TEST_CASE("model: company_type declares id first and a required name") {
  const auto& t = company_type();
  CHECK(t.name == "company");
  CHECK(t.plural == "companies");
  CHECK(t.fields[0].key == "id");
  CHECK_FALSE(t.fields[0].settable);
  CHECK(t.fields[1].key == "name");
  CHECK(t.fields[1].required);
  CHECK_FALSE(field(t, "created").settable);
  CHECK_FALSE(field(t, "updated").settable);
  CHECK(t.field("company") == nullptr); // a company has no company
  CHECK(t.field("stage") == nullptr);
}

TEST_CASE("model: find_type by name or plural") {
  CHECK(crm::model::find_type("contact") == &contact_type());
  CHECK(crm::model::find_type("contacts") == &contact_type());
  CHECK(crm::model::find_type("company") == &company_type());
  CHECK(crm::model::find_type("companies") == &company_type());
  CHECK(crm::model::find_type("Contact") == nullptr);
  CHECK(crm::model::find_type("deal") == &crm::model::deal_type());
  CHECK(crm::model::find_type("loyalty") == &crm::model::loyalty_type());
  CHECK(crm::model::find_type("invoice") == nullptr);
  CHECK(crm::model::find_type("") == nullptr);
  const auto all = crm::model::all_types();
  REQUIRE(all.size() == 12);
  CHECK(all[0] == &company_type());
  CHECK(all[1] == &contact_type());
  CHECK(all[2] == &crm::model::product_type());
  CHECK(all[5] == &crm::model::activity_type());
  CHECK(all[8] == &crm::model::sale_type());
  CHECK(all[10] == &crm::model::loyalty_type());
  CHECK(all[11] == &crm::model::segment_type());
  CHECK(crm::model::find_type("segment") == &crm::model::segment_type());
  CHECK(crm::model::find_type("segments") == &crm::model::segment_type());
  CHECK(crm::model::find_type("activities") == &crm::model::activity_type());
  CHECK(crm::model::find_type("feedback") == &crm::model::feedback_type());
}

// ------------------------------------------------------------------ check_field

TEST_CASE("model: check_field id") {
  CHECK(check("id", "ana-popescu-k7q2") == none());
  CHECK(check("id", "a/b").has_value());
  CHECK(check("id", ".hidden").has_value());
  CHECK(check("id", 5).has_value());
}

TEST_CASE("model: check_field text") {
  CHECK(check("name", "Ana Popescu") == none());
  CHECK(check("name", "Гвенліан") == none());
  CHECK(check("name", "") == std::optional<std::string>("'name' is empty"));
  CHECK(check("name", "two\nlines") == std::optional<std::string>("'name' must be one line"));
  CHECK(check("name", "cr\rhere") == std::optional<std::string>("'name' must be one line"));
  CHECK(check("name", 5) == std::optional<std::string>("'name' must be text"));
  CHECK(check("name", Json::array({"a"})) == std::optional<std::string>("'name' must be text"));
  CHECK(check("name", "bad \xFF") == std::optional<std::string>("'name' is not valid UTF-8"));
  CHECK(check("title", "") == std::optional<std::string>("'title' is empty"));
}

TEST_CASE("model: check_field multiline") {
  CHECK(check("notes", "line one\nline two\n") == none());
  CHECK(check("notes", "") == none());
  CHECK(check("notes", 5) == std::optional<std::string>("'notes' must be text"));
  CHECK(check("notes", "\xC3") == std::optional<std::string>("'notes' is not valid UTF-8"));
}

TEST_CASE("model: check_field date") {
  CHECK(check("birthday", "1990-02-28") == none());
  CHECK(check("birthday", "--02-29") == none());
  CHECK(check("birthday", "1991-02-29") ==
        std::optional<std::string>("bad date '1991-02-29' (expected YYYY-MM-DD or --MM-DD)"));
  CHECK(check("birthday", "29.02.1992") ==
        std::optional<std::string>("bad date '29.02.1992' (expected YYYY-MM-DD or --MM-DD)"));
  CHECK(check("birthday", 1990) == std::optional<std::string>("bad date '1990' (expected YYYY-MM-DD or --MM-DD)"));
}

TEST_CASE("model: check_field timestamp") {
  CHECK(check("created", "2026-11-25T16:02:25+02:00") == none());
  CHECK(check("created", "2026-11-25") == std::optional<std::string>("bad timestamp '2026-11-25'"));
  CHECK(check("created", "yesterday") == std::optional<std::string>("bad timestamp 'yesterday'"));
  CHECK(check("created", 0) == std::optional<std::string>("bad timestamp '0'"));
}

TEST_CASE("model: check_field choice") {
  CHECK(check("stage", "lead") == none());
  CHECK(check("stage", "customer") == none());
  CHECK(check("stage", "Lead") ==
        std::optional<std::string>("bad stage 'Lead' (expected one of: lead, prospect, customer, inactive, lost)"));
  CHECK(check("prefers", "pigeon") ==
        std::optional<std::string>("bad prefers 'pigeon' (expected one of: email, phone, text, chat, post, in-person)"));
  CHECK(check("prefers", "in-person") == none());
  CHECK(check("stage", true) ==
        std::optional<std::string>("bad stage (expected one of: lead, prospect, customer, inactive, lost)"));
}

TEST_CASE("model: check_field country") {
  CHECK(check("country", "RO") == none());
  CHECK(check("country", "GB") == none());
  CHECK(check("country", "ro") ==
        std::optional<std::string>("bad country 'ro' (expected an ISO 3166 code such as RO or GB)"));
  CHECK(check("country", "ROU") ==
        std::optional<std::string>("bad country 'ROU' (expected an ISO 3166 code such as RO or GB)"));
  CHECK(check("country", "R1").has_value());
  CHECK(check("country", 40) == std::optional<std::string>("bad country (expected an ISO 3166 code such as RO or GB)"));
}

TEST_CASE("model: check_field list") {
  CHECK(check("tags", Json::array({"vip", "b2b", "clienți"})) == none());
  CHECK(check("tags", Json::array()) == none());
  CHECK(check("tags", "vip") == std::optional<std::string>("expected a list"));
  CHECK(check("tags", Json::array({"two words"})) ==
        std::optional<std::string>("bad tags entry 'two words' (one word, no spaces or commas)"));
  CHECK(check("tags", Json::array({"a,b"})) ==
        std::optional<std::string>("bad tags entry 'a,b' (one word, no spaces or commas)"));
  CHECK(check("tags", Json::array({"-x"})).has_value());
  CHECK(check("tags", Json::array({""})).has_value());
  CHECK(check("interests", Json::array({5})) ==
        std::optional<std::string>("bad interests entry '5' (one word, no spaces or commas)"));
}

TEST_CASE("model: check_field emails") {
  CHECK(check("emails", Json::parse(R"([{"address": "ana@x.ro", "label": "work"}, {"address": "a@y.ro"}])")) == none());
  CHECK(check("emails", "ana@x.ro") == std::optional<std::string>("expected a list of emails"));
  CHECK(check("emails", Json::parse(R"([{"label": "work"}])")) ==
        std::optional<std::string>("each email needs an address"));
  CHECK(check("emails", Json::parse(R"(["ana@x.ro"])")) == std::optional<std::string>("each email needs an address"));
  CHECK(check("emails", Json::parse(R"([{"address": "ana@x.ro"}, {"address": "nope"}])")) ==
        std::optional<std::string>("bad email 'nope'"));
}

TEST_CASE("model: check_field phones") {
  CHECK(check("phones", Json::parse(R"([{"number": "0722 123 456", "e164": "+40722123456", "label": "mobile"}])")) ==
        none());
  CHECK(check("phones", "0722 123 456") == std::optional<std::string>("expected a list of phones"));
  CHECK(check("phones", Json::parse(R"([{"e164": "+40722123456"}])")) ==
        std::optional<std::string>("each phone needs a number"));
  CHECK(check("phones", Json::parse(R"([{"number": "12"}])")) == std::optional<std::string>("bad phone '12'"));
}

TEST_CASE("model: check_field map") {
  CHECK(check("social", Json::parse(R"({"linkedin": "ana-p", "x": "@ana"})")) == none());
  CHECK(check("social", Json::object()) == none());
  CHECK(check("social", "ana") == std::optional<std::string>("expected key: value pairs"));
  CHECK(check("social", Json::parse(R"({"x": 5})")) == std::optional<std::string>("'social.x' must be text"));
  CHECK(check("custom", Json::parse(R"({"a": "1", "b": ["x"]})")) ==
        std::optional<std::string>("'custom.b' must be text"));
}

TEST_CASE("model: check_field ref") {
  CHECK(check("company", "acme-k7q2") == none());
  CHECK(check("company", "") == std::optional<std::string>("'company' is empty"));
  CHECK(check("company", Json::object()) == std::optional<std::string>("'company' must be text"));
}

// ------------------------------------------------------------------ check_record

TEST_CASE("model: check_record reports a missing name") {
  const auto problems = check_record(contact_type(), Json::parse(R"({"id": "ana-k7q2"})"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "name");
  CHECK(problems[0].message == "missing 'name'");
  // null counts as missing.
  const auto null_name = check_record(contact_type(), Json::parse(R"({"id": "ana-k7q2", "name": null})"));
  REQUIRE(null_name.size() == 1);
  CHECK(null_name[0].message == "missing 'name'");
}

TEST_CASE("model: check_record lists every problem in field order") {
  const auto problems = check_record(
      contact_type(), Json::parse(R"({"stage": "vip", "name": "", "id": "ana-k7q2", "country": "ro", "x": 1})"));
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].key == "name");
  CHECK(problems[0].message == "'name' is empty");
  CHECK(problems[1].key == "country");
  CHECK(problems[2].key == "stage");
}

TEST_CASE("model: check_record accepts a good record and rejects a non-object") {
  const auto good = Json::parse(R"({"id": "ana-k7q2", "name": "Ana", "emails": [{"address": "a@x.ro"}],
    "tags": ["vip"], "created": "2026-11-25T16:02:25+02:00", "unknown_key": [1, 2]})");
  CHECK(check_record(contact_type(), good).empty());
  const auto problems = check_record(contact_type(), Json::array());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "");
  CHECK(problems[0].message == "expected a mapping of keys to values");
}

// ------------------------------------------------------------------ ids

TEST_CASE("model: is_valid_id accepts slugs in any script") {
  CHECK(is_valid_id("ana-popescu-k7q2"));
  CHECK(is_valid_id("олена-k7q2"));
  CHECK(is_valid_id("سارا-k7q2"));
  CHECK(is_valid_id("a"));
  CHECK(is_valid_id("a.b"));
  CHECK(is_valid_id(std::string(100, 'a')));
}

TEST_CASE("model: is_valid_id rejects what is unsafe as a file name") {
  for (const std::string& bad : std::vector<std::string>{"", ".x", "..", "-x", "a/b", "/abs", "a..b", "a b", "a\tb", "a\nb",
                                std::string("a\0b", 3), "a\x01z", "a\x7fz", "a\\b", "\xFF", "a\xC3"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_id(bad));
  }
  CHECK_FALSE(is_valid_id(std::string(101, 'a')));
}

// ------------------------------------------------------------------ field order

TEST_CASE("model: in_field_order puts known keys in field order, then unknown keys in theirs") {
  const auto rec = Json::parse(
      R"({"zeta": "1", "tags": ["vip"], "name": "Ana", "alpha": "2", "id": "ana-k7q2", "created": "x", "emails": []})");
  const auto ordered = in_field_order(contact_type(), rec);
  CHECK(keys_of(ordered) == std::vector<std::string>{"id", "name", "emails", "tags", "created", "zeta", "alpha"});
  CHECK(ordered["zeta"] == "1");
  CHECK(ordered["tags"] == Json::array({"vip"}));
  CHECK(ordered == in_field_order(contact_type(), ordered));
}

// ------------------------------------------------------------------ typos

TEST_CASE("model: edit_distance counts edits, a neighbour swap as one") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("email", "email") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("emial", "email") == 1);
  CHECK(edit_distance("nmae", "name") == 1);
  CHECK(edit_distance("emails", "email") == 1);
  CHECK(edit_distance("tag", "stage") == 2);
  CHECK(edit_distance("ab", "ba") == 1);
  // Bytes, not characters: "ș" is two bytes.
  CHECK(edit_distance("ș", "s") == 2);
}

TEST_CASE("model: nearest_keys suggests close field names, nearest first") {
  CHECK(nearest_keys(contact_type(), "emial") == std::vector<std::string>{"emails"});
  CHECK(nearest_keys(contact_type(), "nmae") == std::vector<std::string>{"name"});
  CHECK(nearest_keys(contact_type(), "tag") == std::vector<std::string>{"tags", "stage"});
  CHECK(nearest_keys(contact_type(), "compnay") == std::vector<std::string>{"company"});
  CHECK(nearest_keys(contact_type(), "zzzzzz").empty());
  CHECK(nearest_keys(company_type(), "compnay").empty());
}

TEST_CASE("model: likely_typo catches one-edit misses of a field or its singular") {
  using crm::model::likely_typo;
  const auto& t = contact_type();
  CHECK(likely_typo(t, "emial") == std::optional<std::string>("email"));
  CHECK(likely_typo(t, "nmae") == std::optional<std::string>("name"));
  CHECK(likely_typo(t, "titel") == std::optional<std::string>("title"));
  CHECK(likely_typo(t, "stagee") == std::optional<std::string>("stage"));
  CHECK(likely_typo(t, "phonse") == std::optional<std::string>("phones"));
  CHECK(likely_typo(t, "compnay") == std::optional<std::string>("company"));
  // Two edits away, or short keys, are not typos: they may be custom fields.
  CHECK_FALSE(likely_typo(t, "emal1").has_value());
  CHECK_FALSE(likely_typo(t, "shoe_size").has_value());
  CHECK_FALSE(likely_typo(t, "tgs").has_value());
  CHECK(likely_typo(t, "ctiy") == std::optional<std::string>("city")); // 4 characters are checked
  CHECK_FALSE(likely_typo(company_type(), "compnay").has_value());
}

TEST_SUITE_END();
