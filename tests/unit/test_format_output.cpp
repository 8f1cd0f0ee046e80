#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "format/output.hpp"
#include "util/error.hpp"

using crm::format::csv_quote;
using crm::format::cell_text;
using crm::format::Format;
using crm::format::OutputOptions;
using crm::format::Record;

namespace {

std::string render(const std::vector<Record>& records, const std::vector<std::string>& columns,
                   OutputOptions opts) {
  std::ostringstream out;
  crm::format::write_records(out, records, columns, opts);
  return out.str();
}

std::string render_one(const Record& record, Format format) {
  OutputOptions opts;
  opts.format = format;
  std::ostringstream out;
  crm::format::write_record(out, record, opts);
  return out.str();
}

OutputOptions with(Format f) {
  OutputOptions o;
  o.format = f;
  return o;
}

Record rec(std::string_view json) { return Record::parse(json); }

} // namespace

// The suite name lets `-ts='*format*'` select these tests.
TEST_SUITE_BEGIN("format");

// ------------------------------------------------------------------ names

TEST_CASE("format: parse_format and format_name round-trip all seven names") {
  const std::vector<std::pair<std::string, Format>> all = {
      {"table", Format::table}, {"json", Format::json}, {"jsonl", Format::jsonl},
      {"csv", Format::csv},     {"tsv", Format::tsv},   {"yaml", Format::yaml},
      {"ids", Format::ids}};
  for (const auto& [name, f] : all) {
    const std::string& case_name = name;
    CAPTURE(case_name);
    CHECK(crm::format::parse_format(name) == f);
    CHECK(crm::format::format_name(f) == name);
  }
}

TEST_CASE("format: unknown format name is a usage error listing the valid ones") {
  try {
    crm::format::parse_format("xml");
    FAIL("expected crm::Error");
  } catch (const crm::Error& e) {
    CHECK(e.kind() == crm::ErrorKind::usage);
    CHECK(std::string(e.what()) == "unknown format 'xml'");
    REQUIRE(e.hints().size() == 1);
    CHECK(e.hints()[0] == "valid formats: table, json, jsonl, csv, tsv, yaml, ids");
  }
  // Names are exact: no case folding, no prefixes.
  CHECK_THROWS_AS(crm::format::parse_format("JSON"), crm::Error);
  CHECK_THROWS_AS(crm::format::parse_format("js"), crm::Error);
  CHECK_THROWS_AS(crm::format::parse_format(""), crm::Error);
}

// ------------------------------------------------------------------ cell_text

TEST_CASE("format: cell_text renders scalars as written") {
  CHECK(cell_text(nlohmann::ordered_json("Ana Popescu")) == "Ana Popescu");
  CHECK(cell_text(nlohmann::ordered_json(42)) == "42");
  CHECK(cell_text(nlohmann::ordered_json(-7)) == "-7");
  CHECK(cell_text(nlohmann::ordered_json(49.9)) == "49.9");
  CHECK(cell_text(nlohmann::ordered_json(true)) == "true");
  CHECK(cell_text(nlohmann::ordered_json(false)) == "false");
  CHECK(cell_text(nlohmann::ordered_json(nullptr)) == "");
  CHECK(cell_text(nlohmann::ordered_json("")) == "");
}

TEST_CASE("format: cell_text joins arrays and objects with the list separator") {
  const auto tags = rec(R"(["vip", "cluj", 3, true])");
  CHECK(cell_text(tags) == "vip, cluj, 3, true");
  CHECK(cell_text(tags, "; ") == "vip; cluj; 3; true");

  // Objects inside arrays show their first string value (the address, not the label).
  const auto emails = rec(R"([{"address": "a@b.ro", "label": "work"},
                              {"label": "home", "primary": true}])");
  CHECK(cell_text(emails) == "a@b.ro, home");
  const auto phones = rec(R"([{"primary": true, "number": "+40722123456"}])");
  CHECK(cell_text(phones) == "+40722123456");

  // Empty pieces are dropped instead of leaving ", , ".
  CHECK(cell_text(rec(R"(["a", null, "", {"n": 1}, "b"])")) == "a, b");
  CHECK(cell_text(rec("[]")) == "");

  CHECK(cell_text(rec(R"({"city": "Cluj", "zip": 400001, "ok": null})")) ==
        "city=Cluj, zip=400001, ok=");
  CHECK(cell_text(rec(R"({"city": "Cluj", "zip": "400001"})"), "; ") == "city=Cluj; zip=400001");
}

// ------------------------------------------------------------------ table

TEST_CASE("format: table pads every column but the last, two spaces apart") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "name": "Ana", "email": "ana@x.ro"})"),
      rec(R"({"id": "c2", "name": "Bogdan Popescu", "email": ""})"),
  };
  // The second row's empty last cell must not leave the padding behind.
  CHECK(render(rs, {"name", "email"}, with(Format::table)) ==
        "name            email\n"
        "Ana             ana@x.ro\n"
        "Bogdan Popescu\n");
}

TEST_CASE("format: table aligns Arabic and CJK by display width") {
  const std::vector<Record> rs = {
      rec(R"({"name": "محمد", "city": "Cairo"})"),
      rec(R"({"name": "王小明", "city": "北京"})"),
      rec(R"({"name": "Zoe\u0308", "city": "Zürich"})"), // decomposed ë: width 3
      rec(R"({"name": "Олена", "city": "Київ"})"),
  };
  // Name column width is 6 (王小明 = three double-width characters).
  CHECK(render(rs, {"name", "city"}, with(Format::table)) ==
        "name    city\n"
        "محمد    Cairo\n"
        "王小明  北京\n"
        "Zoe\xCC\x88     Zürich\n"
        "Олена   Київ\n");
}

TEST_CASE("format: table renders non-string cells through cell_text") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Ana", "age": 41, "vip": true, "tags": ["a", "b"], "x": null})"),
  };
  CHECK(render(rs, {"name", "age", "vip", "tags", "x", "missing"}, with(Format::table)) ==
        "name  age  vip   tags  x  missing\n"
        "Ana   41   true  a, b\n");
}

TEST_CASE("format: table header is bold and underlined only with color") {
  const std::vector<Record> rs = {rec(R"({"name": "Ana", "city": "Cluj"})")};
  auto opts = with(Format::table);
  opts.color = true;
  CHECK(render(rs, {"name", "city"}, opts) ==
        "\x1b[1;4mname  city\x1b[0m\n"
        "Ana   Cluj\n");
  opts.color = false;
  const auto plain = render(rs, {"name", "city"}, opts);
  CHECK(plain == "name  city\nAna   Cluj\n");
  CHECK(plain.find('\x1b') == std::string::npos);
}

TEST_CASE("format: table without header and with no records") {
  const std::vector<Record> rs = {rec(R"({"name": "Ana", "city": "Cluj"})"),
                                  rec(R"({"name": "Ioana", "city": "Iași"})")};
  auto opts = with(Format::table);
  opts.header = false;
  // Widths come from the cells only when the header is not shown.
  CHECK(render(rs, {"name", "city"}, opts) == "Ana    Cluj\nIoana  Iași\n");
  opts.header = true;
  opts.color = true;
  CHECK(render({}, {"name", "city"}, opts) == "");
}

TEST_CASE("format: table shrinks the widest column to the terminal width with an ellipsis") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Ana", "note": "Call after the conference in Cluj next week"})"),
  };
  auto opts = with(Format::table);
  opts.width = 30;
  // 4 + 2 + 24 = 30 columns: the note keeps 23 characters plus "…".
  CHECK(render(rs, {"name", "note"}, opts) ==
        "name  note\n"
        "Ana   Call after the conferen…\n");
  opts.width = 0;
  CHECK(render(rs, {"name", "note"}, opts) ==
        "name  note\n"
        "Ana   Call after the conference in Cluj next week\n");
  opts.width = 80;
  CHECK(render(rs, {"name", "note"}, opts) ==
        "name  note\n"
        "Ana   Call after the conference in Cluj next week\n");
}

TEST_CASE("format: table shrinks equally wide columns evenly") {
  const std::vector<Record> rs = {
      rec(R"({"a": "abcdefghijklmnopqrst", "b": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})"),
  };
  auto opts = with(Format::table);
  opts.width = 40;
  // b goes 26 -> 20 first, then both lose one column: 19 + 2 + 19 = 40.
  CHECK(render(rs, {"a", "b"}, opts) ==
        "a" + std::string(20, ' ') + "b\n" +
            "abcdefghijklmnopqr…  ABCDEFGHIJKLMNOPQR…\n");
}

TEST_CASE("format: table never shrinks a column below 8 or its header") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Ana", "description": "a rather long description", "note": "another long note here"})"),
  };
  auto opts = with(Format::table);
  opts.width = 10; // impossible: every column stops at its floor
  // name (3 < 8) untouched, description stops at its header width 11, note at 8.
  CHECK(render(rs, {"name", "description", "note"}, opts) ==
        "name  description  note\n"
        "Ana   a rather l…  another…\n");
}

TEST_CASE("format: table truncates double-width text without splitting a character") {
  const std::vector<Record> rs = {rec(R"({"addr": "北京市朝阳区建国路", "id": "c1"})")};
  auto opts = with(Format::table);
  opts.width = 12;
  // addr shrinks 18 -> 8; "北京市…" is 7 wide, so it is padded by one space.
  CHECK(render(rs, {"addr", "id"}, opts) ==
        "addr      id\n"
        "北京市…   c1\n");
}

TEST_CASE("format: table cells cannot break lines or inject terminal escapes") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Ana\nMaria", "note": "x\u001b[31mred\tend\u009b"})"),
  };
  CHECK(render(rs, {"name", "note"}, with(Format::table)) ==
        "name       note\n"
        "Ana Maria  x\xEF\xBF\xBD[31mred end\xEF\xBF\xBD\n");
}

// ------------------------------------------------------------------ tsv

TEST_CASE("format: tsv separates cells with tabs and flattens tabs and line breaks") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Ana\tMaria", "note": "line1\nline2\r\nend", "path": "C:\\dir\\x"})"),
      rec(R"({"name": "Олена", "emails": [{"address": "o@x.ua"}, {"address": "o@y.ua"}]})"),
  };
  CHECK(render(rs, {"name", "note", "path", "emails"}, with(Format::tsv)) ==
        "name\tnote\tpath\temails\n"
        "Ana Maria\tline1 line2  end\tC:\\dir\\x\t\n"
        "Олена\t\t\to@x.ua, o@y.ua\n");
  auto opts = with(Format::tsv);
  opts.header = false;
  CHECK(render({rs[1]}, {"name"}, opts) == "Олена\n");
  // With no records the header still tells a script what the columns are.
  CHECK(render({}, {"name", "city"}, with(Format::tsv)) == "name\tcity\n");
}

// ------------------------------------------------------------------ csv

TEST_CASE("format: csv follows RFC 4180 quoting with CRLF line ends") {
  const std::vector<Record> rs = {
      rec(R"({"name": "Popescu, Ana", "note": "She said \"hi\"", "phone": "+40722123456",
              "tags": ["vip", "cluj"], "city": " Cluj "})"),
      rec(R"({"name": "Ioana", "note": "line1\nline2", "phone": "", "tags": [], "city": "Iași"})"),
  };
  CHECK(render(rs, {"name", "note", "phone", "tags", "city"}, with(Format::csv)) ==
        "name,note,phone,tags,city\r\n"
        "\"Popescu, Ana\",\"She said \"\"hi\"\"\",+40722123456,vip; cluj,\" Cluj \"\r\n"
        "Ioana,\"line1\nline2\",,,Iași\r\n");
  auto opts = with(Format::csv);
  opts.header = false;
  CHECK(render({rs[1]}, {"name", "city"}, opts) == "Ioana,Iași\r\n");
  CHECK(render({}, {"name", "city"}, with(Format::csv)) == "name,city\r\n");
}

TEST_CASE("format: csv_quote quotes only when needed") {
  CHECK(csv_quote("plain", true) == "plain");
  CHECK(csv_quote("", true) == "");
  CHECK(csv_quote("Ștefan Ionescu", true) == "Ștefan Ionescu");
  CHECK(csv_quote("a,b", false) == "\"a,b\"");
  CHECK(csv_quote("say \"x\"", false) == "\"say \"\"x\"\"\"");
  CHECK(csv_quote("a\rb", false) == "\"a\rb\"");
  CHECK(csv_quote("a\nb", false) == "\"a\nb\"");
  CHECK(csv_quote(" lead", false) == "\" lead\"");
  CHECK(csv_quote("trail ", false) == "\"trail \"");
  CHECK(csv_quote("in side", false) == "in side");
}

TEST_CASE("format: csv formula guard prefixes dangerous cells with an apostrophe") {
  CHECK(csv_quote("=SUM(A1:A3)", true) == "'=SUM(A1:A3)");
  CHECK(csv_quote("@cmd", true) == "'@cmd");
  CHECK(csv_quote("+cmd|' /C calc'!A0", true) == "'+cmd|' /C calc'!A0");
  CHECK(csv_quote("-2+3", true) == "'-2+3");
  CHECK(csv_quote("-", true) == "'-");
  CHECK(csv_quote("- item", true) == "'- item");
  CHECK(csv_quote("\tx", true) == "'\tx");
  // The guard comes first, then the usual quoting applies to the result.
  CHECK(csv_quote("=1,2", true) == "\"'=1,2\"");
  CHECK(csv_quote("\r=1", true) == "\"'\r=1\"");
  // Without the guard the text is kept as it is.
  CHECK(csv_quote("=SUM(A1:A3)", false) == "=SUM(A1:A3)");
  CHECK(csv_quote("@cmd", false) == "@cmd");
}

TEST_CASE("format: csv formula guard leaves signed numbers and phone numbers alone") {
  CHECK(csv_quote("-12.50", true) == "-12.50");
  CHECK(csv_quote("+40722123456", true) == "+40722123456");
  CHECK(csv_quote("+40 (722) 123-456", true) == "+40 (722) 123-456");
  CHECK(csv_quote("+1 555.010.9999", true) == "+1 555.010.9999");
  // Persian, Arabic-Indic and full-width digits are digits too.
  CHECK(csv_quote("+۹۸۹۱۲۳۴۵۶۷۸۹", true) == "+۹۸۹۱۲۳۴۵۶۷۸۹");
  CHECK(csv_quote("+٩١ ٩٨٧٦٥ ٤٣٢١٠", true) == "+٩١ ٩٨٧٦٥ ٤٣٢١٠");
  CHECK(csv_quote("-１２", true) == "-１２");
  CHECK(csv_quote("+۹۸۹ cmd", true) == "'+۹۸۹ cmd");
  // Digits with letters are no longer "only a number".
  CHECK(csv_quote("+40722123456 ext", true) == "'+40722123456 ext");

  const std::vector<Record> rs = {
      rec(R"j({"name": "=HYPERLINK(\"http://x\")", "phone": "+40722123456", "amount": "-12.50"})j"),
  };
  CHECK(render(rs, {"name", "phone", "amount"}, with(Format::csv)) ==
        "name,phone,amount\r\n"
        "\"'=HYPERLINK(\"\"http://x\"\")\",+40722123456,-12.50\r\n");
}

// ------------------------------------------------------------------ json / jsonl

TEST_CASE("format: json prints whole records as a pretty array with UTF-8 kept") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "name": "Олена", "emails": [{"address": "o@x.ua", "label": "work"}],
              "score": 49.9, "vip": true, "note": null})"),
  };
  // Only "name" is a column, yet every key is written.
  CHECK(render(rs, {"name"}, with(Format::json)) ==
        "[\n"
        "  {\n"
        "    \"id\": \"c1\",\n"
        "    \"name\": \"Олена\",\n"
        "    \"emails\": [\n"
        "      {\n"
        "        \"address\": \"o@x.ua\",\n"
        "        \"label\": \"work\"\n"
        "      }\n"
        "    ],\n"
        "    \"score\": 49.9,\n"
        "    \"vip\": true,\n"
        "    \"note\": null\n"
        "  }\n"
        "]\n");
  CHECK(render({}, {"name"}, with(Format::json)) == "[]\n");
}

TEST_CASE("format: json refuses invalid UTF-8 instead of replacing it") {
  Record r;
  r["name"] = std::string("bad \xC3(");
  CHECK_THROWS_AS(render({r}, {"name"}, with(Format::json)), nlohmann::json::type_error);
  CHECK_THROWS_AS(render({r}, {"name"}, with(Format::jsonl)), nlohmann::json::type_error);
}

TEST_CASE("format: jsonl prints one compact object per line") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "name": "王小明", "tags": ["a"]})"),
      rec(R"({"id": "c2", "name": "محمد", "n": 2})"),
  };
  CHECK(render(rs, {"id"}, with(Format::jsonl)) ==
        "{\"id\":\"c1\",\"name\":\"王小明\",\"tags\":[\"a\"]}\n"
        "{\"id\":\"c2\",\"name\":\"محمد\",\"n\":2}\n");
  CHECK(render({}, {"id"}, with(Format::jsonl)) == "");
}

// ------------------------------------------------------------------ yaml

TEST_CASE("format: yaml quotes strings that would read back as another type") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "name": "Олена Шевченко", "phone": "+40722123456", "zip": "0722",
              "price": "49.90", "ok": "yes", "t": "true", "off": "Off", "n": "null",
              "tilde": "~", "empty": "", "day": "2024-01-15", "count": 3, "amount": -1.5,
              "vip": false, "nothing": null, "city": "Cluj-Napoca"})"),
  };
  CHECK(render(rs, {"id"}, with(Format::yaml)) ==
        "- id: c1\n"
        "  name: Олена Шевченко\n"
        "  phone: \"+40722123456\"\n"
        "  zip: \"0722\"\n"
        "  price: \"49.90\"\n"
        "  ok: \"yes\"\n"
        "  t: \"true\"\n"
        "  \"off\": \"Off\"\n"
        "  \"n\": \"null\"\n" // keys too: "n" is a YAML 1.1 boolean
        "  tilde: \"~\"\n"
        "  empty: \"\"\n"
        "  day: \"2024-01-15\"\n"
        "  count: 3\n"
        "  amount: -1.5\n"
        "  vip: false\n"
        "  nothing: ~\n"
        "  city: Cluj-Napoca\n");
}

TEST_CASE("format: yaml writes nested data as block collections and notes as literals") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "tags": ["vip", "cluj"],
              "emails": [{"address": "a@b.ro", "label": "work"}],
              "note": "line one\nline two\n", "none": [], "meta": {}})"),
      rec(R"({"id": "c2", "note": "first\nsecond"})"),
  };
  CHECK(render(rs, {"id"}, with(Format::yaml)) ==
        "- id: c1\n"
        "  tags:\n"
        "    - vip\n"
        "    - cluj\n"
        "  emails:\n"
        "    - address: a@b.ro\n"
        "      label: work\n"
        "  note: |\n"
        "    line one\n"
        "    line two\n"
        "  none: []\n"
        "  meta: {}\n"
        "- id: c2\n"
        // Without a final newline a "|" block would read back with one: quoted.
        "  note: \"first\\nsecond\"\n");
  CHECK(render({}, {"id"}, with(Format::yaml)) == "[]\n");
}

TEST_CASE("format: yaml output reads back to the same values") {
  const auto r = rec(R"({"id": "c1", "name": "王小明", "zip": "0722", "ok": "no",
                         "note": "a: b\nc # d\n", "indented": "  x\ny",
                         "tags": ["- x", "#y"]})");
  const auto text = render_one(r, Format::yaml);
  const YAML::Node n = YAML::Load(text);
  CHECK(n["name"].as<std::string>() == "王小明");
  CHECK(n["zip"].Tag() == "!"); // quoted, so a resolver keeps it a string
  CHECK(n["zip"].as<std::string>() == "0722");
  CHECK(n["ok"].Tag() == "!");
  CHECK(n["note"].as<std::string>() == "a: b\nc # d\n");
  // An indented first line cannot be a plain literal block; it is quoted instead.
  CHECK(n["indented"].as<std::string>() == "  x\ny");
  CHECK(n["tags"][0].as<std::string>() == "- x");
  CHECK(n["tags"][1].as<std::string>() == "#y");
}

// ------------------------------------------------------------------ ids

TEST_CASE("format: ids prints one id per line, a null id prints nothing") {
  const std::vector<Record> rs = {
      rec(R"({"id": "c1", "name": "Ana"})"),
      rec(R"({"id": null})"),
      rec(R"({"id": "c3"})"),
  };
  CHECK(render(rs, {"name"}, with(Format::ids)) == "c1\nc3\n");
  CHECK(render({}, {"name"}, with(Format::ids)) == "");
}

TEST_CASE("format: ids refuses rows without the id key, as printing nothing would look like no rows") {
  const std::vector<Record> rs = {rec(R"({"id": "c1"})"), rec(R"({"name": "no id"})")};
  std::ostringstream out;
  try {
    crm::format::write_records(out, rs, {"name"}, with(Format::ids));
    FAIL("no error");
  } catch (const crm::Error& e) {
    CHECK(e.kind() == crm::ErrorKind::usage);
    CHECK(std::string(e.what()) == "these rows have no ids to print");
  }
}

TEST_CASE("format: ids prints the key id_field names") {
  auto o = with(Format::ids);
  o.id_field = "batch";
  CHECK(render({rec(R"({"batch": "b1", "at": "x"})"), rec(R"({"batch": "b2"})")}, {"at"}, o) == "b1\nb2\n");
}

// ------------------------------------------------------------------ write_record

TEST_CASE("format: write_record prints one object, mapping or row") {
  const auto r = rec(R"({"id": "c1", "name": "Ana", "tags": ["a", "b"]})");
  CHECK(render_one(r, Format::json) ==
        "{\n  \"id\": \"c1\",\n  \"name\": \"Ana\",\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ]\n}\n");
  CHECK(render_one(r, Format::jsonl) == "{\"id\":\"c1\",\"name\":\"Ana\",\"tags\":[\"a\",\"b\"]}\n");
  CHECK(render_one(r, Format::yaml) == "id: c1\nname: Ana\ntags:\n  - a\n  - b\n");
  CHECK(render_one(r, Format::ids) == "c1\n");
  // Without a column list the record's own keys are the columns.
  CHECK(render_one(r, Format::table) == "id  name  tags\nc1  Ana   a, b\n");
  CHECK(render_one(r, Format::tsv) == "id\tname\ttags\nc1\tAna\ta, b\n");
  CHECK(render_one(r, Format::csv) == "id,name,tags\r\nc1,Ana,a; b\r\n");
  CHECK_THROWS_AS(render_one(rec(R"({"name": "Ana"})"), Format::ids), crm::Error);
}

TEST_SUITE_END();
