// ops import_columns: which field each CSV column feeds (canonical names,
// synonyms, presets, --map, custom columns) and what one row asks for.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/record_type.hpp"
#include "ops/exchange/import_columns.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::model::company_type;
using crm::model::contact_type;
using crm::ops::ColumnRole;
using crm::ops::map_columns;
using crm::ops::row_changes;
using crm_test::error_from;
using Strings = std::vector<std::string>;
using Kind = ColumnRole::Kind;

namespace {

// "KEY op VALUE" for each change, in order.
Strings change_lines(const crm::ops::RowChanges& rc) {
  Strings out;
  for (const auto& c : rc.changes) out.push_back(c.key + (c.op == '=' ? "=" : std::string(1, c.op) + "=") + c.value);
  return out;
}

crm::ops::RowChanges contact_row(const Strings& header, const Strings& cells, const std::string& preset = "") {
  return row_changes(contact_type(), map_columns(contact_type(), header, preset, {}), cells);
}

} // namespace

TEST_SUITE_BEGIN("ops");

TEST_CASE("ops: import_columns maps canonical names and common synonyms") {
  const auto roles = map_columns(contact_type(),
                                 {"Name", "E-mail Address", "Mobile Phone", "City", "Tags", "Favourite colour"}, "", {});
  REQUIRE(roles.size() == 6);
  CHECK(roles[0].kind == Kind::field);
  CHECK(roles[0].field == "name");
  CHECK(roles[1].kind == Kind::field);
  CHECK(roles[1].field == "emails");
  CHECK(roles[2].field == "phones");
  CHECK(roles[2].label == "mobile");
  CHECK(roles[3].field == "city");
  CHECK(roles[4].field == "tags");
  // A column that matches nothing is kept as a custom field, never dropped.
  CHECK(roles[5].kind == Kind::custom);
  CHECK(roles[5].header == "Favourite colour");
}

TEST_CASE("ops: import_columns joins first and last name and keeps emails and phones with labels") {
  const auto rc = contact_row({"First Name", "Last Name", "E-mail Address", "Business Phone", "Company"},
                              {"Ștefan", "Țurcanu", "Stefan@Example.RO", "0722 123 456", "Acme SRL"});
  CHECK(rc.name == "Ștefan Țurcanu");
  CHECK(rc.emails == Strings{"Stefan@Example.RO"});
  CHECK(rc.phones == Strings{"0722 123 456"});
  CHECK(rc.company == "Acme SRL");
  CHECK_FALSE(rc.name_from_email);
  const auto lines = change_lines(rc);
  CHECK(std::find(lines.begin(), lines.end(), "emails+=Stefan@Example.RO") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "phones+=work:0722 123 456") != lines.end());
}

TEST_CASE("ops: import_columns empty cells ask for nothing") {
  const auto rc = contact_row({"Name", "Email", "Phone", "City"}, {"Ana Pop", "", "", ""});
  CHECK(rc.emails.empty());
  CHECK(rc.phones.empty());
  CHECK(rc.name == "Ana Pop");
  CHECK(change_lines(rc).empty()); // the name is set by the importer, not as a change
}

TEST_CASE("ops: import_columns with no name column lets the email stand in") {
  const auto rc = contact_row({"Email"}, {"ana@example.ro"});
  CHECK(rc.name_from_email);
  CHECK(rc.name == "ana@example.ro");
}

TEST_CASE("ops: import_columns builds the name from its parts whatever names their columns") {
  // crm's own field names, as a hand-made file or crm export writes them.
  auto rc = contact_row({"given_name", "family_name", "emails"}, {"Ana", "Pop", "ana@example.ro"});
  CHECK(rc.name == "Ana Pop");
  CHECK_FALSE(rc.name_from_email);
  CHECK(change_lines(rc) == Strings{"emails+=ana@example.ro", "given_name=Ana", "family_name=Pop"});
  rc = contact_row({"Name Prefix", "First Name", "Middle Name", "Last Name", "Name Suffix"},
                   {"Dr.", "John", "Quincy", "Public", "III"});
  CHECK(rc.name == "Dr. John Quincy Public III");
  CHECK(change_lines(rc) == Strings{"given_name=John", "middle_name=Quincy", "family_name=Public",
                                    "name_prefix=Dr.", "name_suffix=III"});
  // A name column wins; the parts are kept in their fields.
  rc = contact_row({"Display Name", "First Name", "Middle Name"}, {"Johnny", "John", "Q."});
  CHECK(rc.name == "Johnny");
  CHECK(change_lines(rc) == Strings{"given_name=John", "middle_name=Q."});
  // --map to a name field is a name part too.
  rc = row_changes(contact_type(), map_columns(contact_type(), {"Vorname X", "Zuname"}, "",
                                               {{"Vorname X", "given_name"}, {"Zuname", "family_name"}}),
                   {"Olena", "Shevchenko"});
  CHECK(rc.name == "Olena Shevchenko");
}

TEST_CASE("ops: import_columns reads Outlook's M/D/YYYY birthdays and its empty 0/0/00") {
  const Strings header = {"First Name", "Last Name", "Title", "Job Title", "Birthday"};
  const auto rc = contact_row(header, {"Ana", "Pop", "Dr.", "Engineer", "3/7/1985"}, "outlook");
  const auto lines = change_lines(rc);
  CAPTURE(lines);
  CHECK(std::find(lines.begin(), lines.end(), "birthday=1985-03-07") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "title=Engineer") != lines.end());
  // Outlook's "Title" is the honorific: the name's prefix.
  CHECK(rc.name == "Dr. Ana Pop");
  CHECK(std::find(lines.begin(), lines.end(), "name_prefix=Dr.") != lines.end());
  const auto none = change_lines(contact_row(header, {"Ana", "Pop", "", "", "0/0/00"}, "outlook"));
  CHECK(std::none_of(none.begin(), none.end(), [](const std::string& l) { return l.starts_with("birthday"); }));
}

TEST_CASE("ops: import_columns a bad cell names its column") {
  const auto e = error_from([] { contact_row({"Name", "Birthday"}, {"Ana", "1985-13-40"}); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()).find("Birthday") != std::string::npos);
}

TEST_CASE("ops: import_columns --map sends a column to a field, a custom field or nowhere") {
  const auto roles = map_columns(contact_type(), {"Client", "Cod", "Junk"}, "",
                                 {{"client", "name"}, {"COD", "custom.vat_id"}, {"Junk", "skip"}});
  CHECK(roles[0].kind == Kind::field);
  CHECK(roles[0].field == "name");
  CHECK(roles[1].kind == Kind::custom);
  CHECK(roles[1].field == "vat_id");
  CHECK(roles[2].kind == Kind::skip);
  CHECK(error_from([] { map_columns(contact_type(), {"Name"}, "", {{"Nope", "name"}}); }).kind() == ErrorKind::usage);
  CHECK(error_from([] { map_columns(contact_type(), {"Name"}, "", {{"Name", "no_such_field"}}); }).kind() ==
        ErrorKind::usage);
}

TEST_CASE("ops: import_columns reads Yahoo's one-word columns only in a Yahoo export") {
  const Strings header = {"First", "Middle", "Last", "Email", "Home", "Work", "Mobile", "Alternate Email 1",
                          "Yahoo! Phone", "Personal Website", "Comments"};
  const auto rc = contact_row(header, {"Jane", "Q.", "Doe", "jane@yahoo.com", "+1 212 555 0101", "+1 212 555 0102",
                                       "+1 917 555 0103", "jane@example.com", "", "https://jane.example", "hi"});
  CHECK(rc.name == "Jane Q. Doe");
  CHECK(rc.emails == Strings{"jane@yahoo.com", "jane@example.com"});
  const auto lines = change_lines(rc);
  CAPTURE(lines);
  for (const char* want : {"phones+=home:+1 212 555 0101", "phones+=work:+1 212 555 0102",
                           "phones+=mobile:+1 917 555 0103", "website=https://jane.example"})
    CHECK(std::find(lines.begin(), lines.end(), want) != lines.end());
  // The same words elsewhere are no fields of their own.
  const auto plain = map_columns(contact_type(), {"First", "Home"}, "", {});
  CHECK(plain[0].kind == Kind::custom);
  CHECK(plain[1].kind == Kind::custom);
  CHECK(map_columns(contact_type(), {"First", "Home"}, "yahoo", {})[1].field == "phones");
}

TEST_CASE("ops: import_columns reads crm export's labels and formula guard back") {
  const auto rc = contact_row({"name", "emails", "phones", "custom.formula"},
                              {"Ana", "work:ana@x.ro; home:ana@y.ro", "mobile:+44 7700 900123; +40 722 000 111",
                               "'=SUM(A1)"});
  CHECK(rc.emails == Strings{"ana@x.ro", "ana@y.ro"});
  CHECK(rc.phones == Strings{"+44 7700 900123", "+40 722 000 111"});
  CHECK(change_lines(rc) == Strings{"emails+=work:ana@x.ro", "emails+=home:ana@y.ro", "phones+=mobile:+44 7700 900123",
                                    "phones+=+40 722 000 111", "custom.formula==SUM(A1)"});
}

TEST_CASE("ops: import_columns --map COLUMN=custom.NAME works for a sale, an unmapped column is refused") {
  const auto& sale = *crm::model::find_type("sale");
  const auto roles = map_columns(sale, {"contact", "product", "colour"}, "", {{"colour", "custom.colour"}});
  CHECK(roles[2].kind == Kind::custom);
  CHECK(roles[2].field == "colour");
  CHECK(error_from([&] { map_columns(sale, {"contact", "product", "colour"}, "", {}); }).kind() == ErrorKind::usage);
}

TEST_CASE("ops: import_columns presets are checked by name") {
  crm::ops::check_preset("google");
  crm::ops::check_preset("outlook");
  crm::ops::check_preset("thunderbird");
  crm::ops::check_preset("yahoo");
  crm::ops::check_preset("wab");
  CHECK(error_from([] { crm::ops::check_preset("excel"); }).kind() == ErrorKind::usage);
}

TEST_CASE("ops: import_columns reads Roundcube's \"Email Home\" and old Gmail's \"Section 1 - Email\"") {
  const auto roles = map_columns(contact_type(), {"Email Home", "Email Work", "Email Other", "Section 1 - Email",
                                                  "Section 1 - Mobile", "Section 2 - Fax", "Section 1 - Company",
                                                  "Section 1 - Title", "Section 1 - IM", "Title", "Job Title"},
                                 "", {});
  REQUIRE(roles.size() == 11);
  for (std::size_t i = 0; i < 4; ++i) CHECK(roles[i].field == "emails");
  CHECK(roles[0].label == "home");
  CHECK(roles[1].label == "work");
  CHECK(roles[2].label == "other");
  CHECK(roles[3].label == "");
  CHECK(roles[4].field == "phones");
  CHECK(roles[4].label == "mobile");
  CHECK(roles[5].field == "phones");
  CHECK(roles[5].label == "fax");
  CHECK(roles[6].field == "company");
  // A section's title is a job title, even beside Outlook's "Title" and "Job Title".
  CHECK(roles[7].kind == Kind::field);
  CHECK(roles[7].field == "title");
  CHECK(roles[8].kind == Kind::custom);
  CHECK(roles[8].field == "section_1_im");
  CHECK(roles[9].kind == Kind::name_part);
}

TEST_CASE("ops: import_columns finds data in a first row by an email address cell") {
  using crm::ops::data_column_in_header;
  CHECK(data_column_in_header({"First Name", "E-mail Address", "Notes"}) == 0);
  CHECK(data_column_in_header({"Ann", "", "ann@example.ro"}) == 3);
  CHECK(data_column_in_header({"Ann", " ann@example.ro "}) == 2);
  CHECK(data_column_in_header({"email@", "@home", "x@y.", "mail me@x.ro", "a@b@c.ro"}) == 0);
  CHECK(data_column_in_header({"Ann", "ann@invalid"}) == 2); // Thunderbird's placeholder domain
}

TEST_CASE("ops: import_columns Thunderbird's headerless layouts, by the number of cells") {
  using crm::ops::thunderbird_columns;
  auto row = [](std::size_t n, bool last_empty) {
    Strings r(n, "x");
    if (last_empty) r.back() = "";
    return r;
  };
  const auto old36 = thunderbird_columns(row(36, false));
  REQUIRE(old36);
  CHECK(old36->size() == 36);
  CHECK((*old36)[6] == "Work Phone");
  CHECK(old36->back() == "Notes");
  const auto old_comma = thunderbird_columns(row(37, true)); // the horde example
  REQUIRE(old_comma);
  CHECK((*old_comma)[6] == "Work Phone");
  CHECK((*old_comma)[35] == "Notes");
  CHECK(old_comma->back() == "");
  const auto new37 = thunderbird_columns(row(37, false));
  REQUIRE(new37);
  CHECK((*new37)[6] == "Screen Name");
  CHECK(new37->back() == "Notes");
  const auto new_comma = thunderbird_columns(row(38, true));
  REQUIRE(new_comma);
  CHECK(new_comma->size() == 38);
  CHECK((*new_comma)[36] == "Notes");
  CHECK_FALSE(thunderbird_columns(row(38, false)));
  CHECK_FALSE(thunderbird_columns(row(3, false)));
  // The names map as a Thunderbird header does.
  const auto roles = map_columns(contact_type(), *old_comma, "thunderbird", {});
  CHECK(roles[4].field == "emails");
  CHECK(roles[10].field == "phones");
  CHECK(roles[10].label == "mobile");
}

TEST_CASE("ops: import_columns company rows use the company fields") {
  const auto roles = map_columns(company_type(), {"Name", "Website", "Country"}, "", {});
  CHECK(roles[0].field == "name");
  CHECK(roles[2].field == "country");
}

TEST_SUITE_END();
