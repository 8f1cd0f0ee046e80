// ops export (ops/exchange/export.cpp): records as CSV, JSON, JSON lines and YAML
// documents, streamed into a format::ExportStream, with the CSV formula guard, and
// written atomically to a file.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "format/export_stream.hpp"
#include "format/output.hpp"
#include "model/record_type.hpp"
#include "ops/exchange/export.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using crm::ErrorKind;
using crm::ops::ExportOptions;
using Format = crm::format::Format;
using crm::ops::Session;
using crm_test::error_from;
using crm_test::read_text;
using crm_test::write_text;

namespace stdfs = std::filesystem;

namespace {

// Two contacts written by hand with fixed ids: the files are what an export reads.
struct Fixture : crm_test::PinnedWorkspace {
  Fixture() {
    file("contacts/ana-popescu-k7q2.yaml", "id: ana-popescu-k7q2\n"
                                           "name: Ana Popescu\n"
                                           "emails:\n"
                                           "  - address: ana@acme.ro\n"
                                           "    label: work\n"
                                           "  - address: ana@example.org\n"
                                           "phones:\n"
                                           "  - number: 0722 123 456\n"
                                           "    e164: \"+40722123456\"\n"
                                           "title: '=HYPERLINK(\"http://x\")'\n"
                                           "city: Cluj-Napoca\n"
                                           "stage: customer\n"
                                           "tags:\n"
                                           "  - vip\n"
                                           "notes: |\n"
                                           "  said \"call me\", then\n"
                                           "  left\n"
                                           "custom:\n"
                                           "  vat_id: RO123\n"
                                           "  fax.home: 021 555 0101\n"
                                           "social:\n"
                                           "  linkedin: ana-popescu\n"
                                           "created: 2026-11-01T09:00:00+02:00\n"
                                           "updated: 2026-11-01T09:00:00+02:00\n");
    file("contacts/олена-коваленко-p5r6.yaml", "id: олена-коваленко-p5r6\n"
                                                "name: Олена Коваленко\n"
                                                "title: \"-12.00\"\n"
                                                "city: Київ\n"
                                                "stage: lead\n"
                                                "created: 2026-11-03T09:00:00+02:00\n"
                                                "updated: 2026-11-03T09:00:00+02:00\n");
  }
};

// The records an export selects, and how `crm export` writes them.
struct Export : ExportOptions {
  Format format = Format::csv;
  bool formula_guard = true;
  std::string output; // -o
};

std::size_t export_to(Session& s, const Export& o, std::ostream& out) {
  crm::format::OutputOptions how;
  how.format = o.format;
  how.csv_formula_guard = o.formula_guard;
  crm::format::ExportStream stream(out, o.output, how);
  return crm::ops::export_records(s, o, stream);
}

std::string run_export(Session& s, const Export& o) {
  std::ostringstream out;
  export_to(s, o, out);
  return out.str();
}

Export options(Format format, std::string fields = "") {
  Export o;
  o.format = format;
  o.fields = std::move(fields);
  return o;
}

std::string joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

} // namespace

TEST_CASE("ops: export_type takes a type's name or plural and refuses others with the list") {
  CHECK(&crm::ops::export_type("contacts") == &crm::model::contact_type());
  CHECK(&crm::ops::export_type("contact") == &crm::model::contact_type());
  CHECK(&crm::ops::export_type("feedback") == &crm::model::feedback_type());
  CHECK(&crm::ops::export_type("sales") == &crm::model::sale_type());
  auto e = error_from([] { crm::ops::export_type("people"); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "unknown record type 'people'");
  REQUIRE(e.hints().size() == 1);
  CHECK(e.hints()[0] == "types: companies, contacts, products, campaigns, deals, activities, followups, feedback, "
                        "sales, payments, loyalty, segments");
}

TEST_CASE("ops: default_export_columns are the declared fields that fit a cell, in file order") {
  CHECK(joined(crm::ops::default_export_columns(crm::model::contact_type())) ==
        "id,name,given_name,family_name,middle_name,name_prefix,name_suffix,emails,phones,company,title,address,postal_code,city,region,country,"
        "website,prefers,source,stage,lost_to,lost_reason,cadence,birthday,anniversary,family,interests,groups,"
        "vcard_extra,merged_ids,tags,notes,created,updated");
  // No map (custom, social) and no entries (a sale's items).
  const auto sale = crm::ops::default_export_columns(crm::model::sale_type());
  CHECK(std::find(sale.begin(), sale.end(), "items") == sale.end());
  CHECK(std::find(sale.begin(), sale.end(), "custom") == sale.end());
  CHECK(std::find(sale.begin(), sale.end(), "total") != sale.end());
  const auto deal = crm::ops::default_export_columns(crm::model::deal_type());
  CHECK(std::find(deal.begin(), deal.end(), "moves") == deal.end());
}

TEST_CASE("ops: export csv quotes per RFC 4180, joins lists with a semicolon and a space keeping labels, and guards formulas") {
  Fixture f;
  Session s(f.dir.path());
  const auto o = options(Format::csv, "id,name,emails,phones,title,notes,custom.vat_id");
  CHECK(run_export(s, o) == "id,name,emails,phones,title,notes,custom.vat_id\r\n"
                            "ana-popescu-k7q2,Ana Popescu,work:ana@acme.ro; ana@example.org,0722 123 456,"
                            "\"'=HYPERLINK(\"\"http://x\"\")\",\"said \"\"call me\"\", then\nleft\n\",RO123\r\n"
                            "олена-коваленко-p5r6,Олена Коваленко,,,-12.00,,\r\n");
  auto off = o;
  off.formula_guard = false;
  CHECK(run_export(s, off) == "id,name,emails,phones,title,notes,custom.vat_id\r\n"
                              "ana-popescu-k7q2,Ana Popescu,work:ana@acme.ro; ana@example.org,0722 123 456,"
                              "\"=HYPERLINK(\"\"http://x\"\")\",\"said \"\"call me\"\", then\nleft\n\",RO123\r\n"
                              "олена-коваленко-p5r6,Олена Коваленко,,,-12.00,,\r\n");
}

TEST_CASE("ops: export csv without --fields has every cell-sized field, then the map keys the records hold") {
  Fixture f;
  Session s(f.dir.path());
  const std::string csv = run_export(s, options(Format::csv));
  std::string header = joined(crm::ops::default_export_columns(crm::model::contact_type()));
  // Maps in file order, keys sorted; "fax.home" is one key of custom.
  header.append(",social.linkedin,custom.fax.home,custom.vat_id\r\n");
  REQUIRE(csv.size() > header.size());
  CHECK(csv.substr(0, header.size()) == header);
  // id, name, 5 empty name parts, emails, phones, company, title ... every record has 37 cells.
  const std::string first_end = "vip,\"said \"\"call me\"\", then\nleft\n\",2026-11-01T09:00:00+02:00,"
                                "2026-11-01T09:00:00+02:00,ana-popescu,021 555 0101,RO123\r\n";
  CHECK(csv.find(first_end) != std::string::npos);
  std::string second = "олена-коваленко-p5r6,Олена Коваленко,,,,,,,,,-12.00,,,Київ,,,,,,lead,,,,,,,,,,,,,";
  second += "2026-11-03T09:00:00+02:00,2026-11-03T09:00:00+02:00,,,\r\n";
  CHECK(csv.size() > second.size());
  CHECK(csv.substr(csv.size() - second.size()) == second);
  // --where narrows the columns to what the chosen records hold.
  auto lead = options(Format::csv);
  lead.where = "stage = lead";
  const std::string leads = run_export(s, lead);
  CHECK(leads.substr(0, leads.find('\r')) == joined(crm::ops::default_export_columns(crm::model::contact_type())));
}

TEST_CASE("ops: export json and jsonl give whole records as stored, or just --fields") {
  Fixture f;
  Session s(f.dir.path());
  CHECK(run_export(s, options(Format::jsonl, "id,city,custom.vat_id")) ==
        "{\"id\":\"ana-popescu-k7q2\",\"city\":\"Cluj-Napoca\",\"custom.vat_id\":\"RO123\"}\n"
        "{\"id\":\"олена-коваленко-p5r6\",\"city\":\"Київ\"}\n");
  CHECK(run_export(s, options(Format::json, "name")) ==
        "[\n  {\n    \"name\": \"Ana Popescu\"\n  },\n  {\n    \"name\": \"Олена Коваленко\"\n  }\n]\n");
  auto where = options(Format::jsonl);
  where.where = "stage = lead";
  CHECK(run_export(s, where) == "{\"id\":\"олена-коваленко-p5r6\",\"name\":\"Олена Коваленко\",\"title\":\"-12.00\","
                                "\"city\":\"Київ\",\"stage\":\"lead\",\"created\":\"2026-11-03T09:00:00+02:00\","
                                "\"updated\":\"2026-11-03T09:00:00+02:00\"}\n");
}

TEST_CASE("ops: export yaml is one document per record as its file holds it, --- between them") {
  Fixture f;
  Session s(f.dir.path());
  auto o = options(Format::yaml);
  o.where = "city ~ \"КИЇВ\"";
  CHECK(run_export(s, o) == "id: олена-коваленко-p5r6\n"
                            "name: Олена Коваленко\n"
                            "title: \"-12.00\"\n"
                            "city: Київ\n"
                            "stage: lead\n"
                            "created: 2026-11-03T09:00:00+02:00\n"
                            "updated: 2026-11-03T09:00:00+02:00\n");
  CHECK(run_export(s, options(Format::yaml, "name,tags")) == "name: Ana Popescu\n"
                                                                   "tags:\n"
                                                                   "  - vip\n"
                                                                   "---\n"
                                                                   "name: Олена Коваленко\n");
}

TEST_CASE("ops: an export of nothing is a header (csv), [] (json) or empty (jsonl, yaml)") {
  Fixture f;
  Session s(f.dir.path());
  auto o = options(Format::csv, "id,name");
  o.where = "stage = customer and city = Київ";
  CHECK(run_export(s, o) == "id,name\r\n");
  o.format = Format::json;
  CHECK(run_export(s, o) == "[]\n");
  o.format = Format::jsonl;
  CHECK(run_export(s, o) == "");
  o.format = Format::yaml;
  CHECK(run_export(s, o) == "");
}

TEST_CASE("ops: every record type exports, empty, with its header") {
  crm_test::PinnedWorkspace f;
  Session s(f.dir.path());
  for (const auto* type : crm::model::all_types()) {
    const std::string plural(type->plural);
    CAPTURE(plural);
    Export o;
    o.type = plural;
    std::ostringstream out;
    CHECK(export_to(s, o, out) == 0);
    std::string header = joined(crm::ops::default_export_columns(*type));
    header.append("\r\n");
    CHECK(out.str() == header);
  }
}

TEST_CASE("ops: export refuses a bad type, bad --fields and a bad filter before writing anything") {
  Fixture f;
  Session s(f.dir.path());
  const auto target = f.dir / "out.csv";
  const auto names_before = crm_test::dir_names(f.dir.path());
  auto o = options(Format::csv);
  o.output = target.string();

  auto bad_type = o;
  bad_type.type = "cats";
  CHECK(error_from([&] { run_export(s, bad_type); }).kind() == ErrorKind::usage);

  auto typo = o;
  typo.fields = "id,nmae";
  auto e = error_from([&] { run_export(s, typo); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "unknown field 'nmae'");

  auto empty = o;
  empty.fields = " , ";
  e = error_from([&] { run_export(s, empty); });
  CHECK(e.kind() == ErrorKind::usage);
  CHECK(std::string(e.what()) == "no field names in --fields ' , '");

  auto filter = o;
  filter.where = "stage = ";
  e = error_from([&] { run_export(s, filter); });
  CHECK(e.kind() == ErrorKind::invalid_data);
  CHECK(std::string(e.what()).starts_with("bad filter at column "));

  CHECK(crm_test::dir_names(f.dir.path()) == names_before); // no file, no temp file
  CHECK_FALSE(stdfs::exists(target));
}

TEST_CASE("ops: export -o writes the file and prints nothing on the stream") {
  Fixture f;
  Session s(f.dir.path());
  const auto target = f.dir / "out.jsonl";
  write_text(target, "old\n");
  auto o = options(Format::jsonl, "id");
  o.output = target.string();
  std::ostringstream out;
  CHECK(export_to(s, o, out) == 2);
  CHECK(out.str().empty());
  CHECK(read_text(target) == "{\"id\":\"ana-popescu-k7q2\"}\n{\"id\":\"олена-коваленко-p5r6\"}\n");
  o.output = "-";
  CHECK(run_export(s, o) == "{\"id\":\"ana-popescu-k7q2\"}\n{\"id\":\"олена-коваленко-p5r6\"}\n");
}
