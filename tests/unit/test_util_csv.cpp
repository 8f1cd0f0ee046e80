#include "util/csv.hpp"

#include "test_support.hpp"
#include "util/error.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace std::string_literals;
using crm::csv::format_row;
using crm::csv::ReadOptions;
using crm::csv::Reader;
using crm::csv::Row;
using crm_test::error_from;
using Cells = std::vector<std::string>;

namespace {

std::vector<Row> read_all(const std::string& text, ReadOptions options = {}) {
  std::istringstream in(text);
  Reader reader(in, std::move(options));
  std::vector<Row> rows;
  Row row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

std::vector<Cells> cells_of(const std::vector<Row>& rows) {
  std::vector<Cells> out;
  for (const auto& row : rows) out.push_back(row.cells);
  return out;
}

std::filesystem::path real_fixture(const std::string& name) {
  if (const char* dir = std::getenv("CRM_TEST_FIXTURES")) return std::filesystem::path(dir) / "real" / name;
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures" / "real" / name;
}

std::vector<Row> read_fixture(const std::string& name, ReadOptions options = {}) {
  std::ifstream in(real_fixture(name), std::ios::binary);
  REQUIRE_MESSAGE(in, "missing fixture " << name);
  Reader reader(in, std::move(options));
  std::vector<Row> rows;
  Row row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

// The rows of a fixture must all read without a problem.
void check_no_problems(const std::vector<Row>& rows) {
  for (const auto& row : rows) {
    INFO("row " << row.number);
    CHECK(row.problem == "");
    CHECK(row.problem_column == 0);
  }
}

// Built field by field: GCC 12 warns on designated initializers that leave a member out.
ReadOptions in_encoding(std::string name, bool pad_short_rows = false) {
  ReadOptions options;
  options.encoding = std::move(name);
  options.pad_short_rows = pad_short_rows;
  return options;
}

ReadOptions with_delimiter(char delimiter) {
  ReadOptions options;
  options.delimiter = delimiter;
  return options;
}

ReadOptions padding_short_rows() {
  ReadOptions options;
  options.pad_short_rows = true;
  return options;
}

} // namespace

TEST_SUITE_BEGIN("csv");

// ---------------------------------------------------------------------------
// RFC 4180 structure

TEST_CASE("csv: plain rows, numbers and lines") {
  const auto rows = read_all("name,email\nAna,ana@example.ro\nIon,ion@example.ro\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == Cells{"name", "email"});
  CHECK(rows[1].cells == Cells{"Ana", "ana@example.ro"});
  CHECK(rows[2].cells == Cells{"Ion", "ion@example.ro"});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].number == i + 1);
    CHECK(rows[i].line == i + 1);
    CHECK(rows[i].problem == "");
  }
  CHECK(rows[1].raw == "Ana,ana@example.ro");
}

TEST_CASE("csv: quoted fields hold the delimiter, doubled quotes and line ends") {
  const std::string text = "a,b,c\n"
                           "\"x, y\",\"say \"\"hi\"\"\",\"\"\n"
                           "\"line1\nline2\",\"cr\rend\",\"crlf\r\nend\"\n"
                           "last,row,here\n";
  const auto rows = read_all(text);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].cells == Cells{"x, y", "say \"hi\"", ""});
  CHECK(rows[2].cells == Cells{"line1\nline2", "cr\rend", "crlf\r\nend"});
  CHECK(rows[2].raw == "\"line1\nline2\",\"cr\rend\",\"crlf\r\nend\"");
  CHECK(rows[3].cells == Cells{"last", "row", "here"});
  // `number` counts rows, `line` is where the row starts: row 3 spans lines 3-6
  // (LF, lone CR and CRLF each end a line, inside quotes too).
  CHECK(rows[2].number == 3);
  CHECK(rows[2].line == 3);
  CHECK(rows[3].number == 4);
  CHECK(rows[3].line == 7);
}

TEST_CASE("csv: CRLF, LF and lone CR line ends, mixed") {
  const auto rows = read_all("h1,h2\r\na,b\nc,d\re,f\r\n");
  CHECK(cells_of(rows) == std::vector<Cells>{{"h1", "h2"}, {"a", "b"}, {"c", "d"}, {"e", "f"}});
  REQUIRE(rows.size() == 4);
  CHECK(rows[3].line == 4);
  CHECK(rows[0].raw == "h1,h2");
  CHECK(rows[2].raw == "c,d");
}

TEST_CASE("csv: a final row without a line end, and a final empty cell") {
  CHECK(cells_of(read_all("h1,h2\na,b")) == std::vector<Cells>{{"h1", "h2"}, {"a", "b"}});
  CHECK(cells_of(read_all("h1,h2\na,")) == std::vector<Cells>{{"h1", "h2"}, {"a", ""}});
  CHECK(cells_of(read_all("h1,h2\na,\"b\"")) == std::vector<Cells>{{"h1", "h2"}, {"a", "b"}});
  CHECK(read_all("").empty());
  CHECK(read_all("\n\r\n\r").empty());
}

TEST_CASE("csv: empty lines between rows are skipped, not rows") {
  const auto rows = read_all("\nh1,h2\n\na,b\r\n\r\n\rc,d\n\n");
  REQUIRE(rows.size() == 3);
  CHECK(cells_of(rows) == std::vector<Cells>{{"h1", "h2"}, {"a", "b"}, {"c", "d"}});
  CHECK(rows[0].line == 2);
  CHECK(rows[1].number == 2);
  CHECK(rows[1].line == 4);
  CHECK(rows[2].number == 3);
  CHECK(rows[2].line == 7);
}

TEST_CASE("csv: a line of spaces or of delimiters is a row") {
  const auto rows = read_all("a,b\n,\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells == Cells{"", ""});
  CHECK(rows[1].problem == "");
}

TEST_CASE("csv: a bare quote in an unquoted field is literal") {
  const auto rows = read_all("a,b\nab\"c,5\" screen\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells == Cells{"ab\"c", "5\" screen"});
}

TEST_CASE("csv: text after a closing quote is appended literally") {
  const auto rows = read_all("a,b\n\"ab\"cd,\"x\" y\"z\"\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells == Cells{"abcd", "x y\"z\""});
}

TEST_CASE("csv: an unterminated quote throws with the row, column and opening line") {
  const std::string text = "a,b,c\n1,2,3\n\n4,\"open\n5,6,7\n";
  std::istringstream in(text);
  Reader reader(in);
  Row row;
  CHECK(reader.next(row));
  CHECK(reader.next(row));
  const auto e = error_from([&] { reader.next(row); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "row 3 column 2: unterminated quoted field");
  CHECK(e.hints() == Cells{"the quote opened on line 4"});
}

TEST_CASE("csv: rows straddling the 64 KiB read buffer") {
  // The tail's quotes, doubled quote and CRLF each land on the buffer edge once.
  const std::string tail = "\"a\"\"b\r\nc\",d\r\ne,f\r\n";
  for (std::size_t shift = 1; shift <= tail.size() + 1; ++shift) {
    CAPTURE(shift);
    std::string text = "h1,h2\r\n";
    // The tail starts `shift` bytes before the end of the first read.
    const std::size_t pad = 64 * 1024 - shift - text.size() - std::string_view(",y\r\n").size();
    text += std::string(pad, 'x');
    text += ",y\r\n";
    text += tail;
    const auto rows = read_all(text);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].cells == Cells{std::string(pad, 'x'), "y"});
    CHECK(rows[2].cells == Cells{"a\"b\r\nc", "d"});
    CHECK(rows[2].raw == "\"a\"\"b\r\nc\",d");
    CHECK(rows[2].line == 3);
    CHECK(rows[3].cells == Cells{"e", "f"});
    CHECK(rows[3].raw == "e,f");
    CHECK(rows[3].line == 5);
  }
}

// ---------------------------------------------------------------------------
// Encodings

TEST_CASE("csv: a UTF-8 BOM is skipped") {
  const auto rows = read_all("\xEF\xBB\xBFname,city\nSiân,Iași\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == Cells{"name", "city"});
  CHECK(rows[0].raw == "name,city");
  CHECK(rows[1].cells == Cells{"Siân", "Iași"});
}

TEST_CASE("csv: UTF-16 with a BOM is decoded, either byte order") {
  const std::u16string text = u"name;city\r\nSiân;Iași\r\n😀;\"a;b\"\r\n";
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (const char16_t unit : text) {
    le += static_cast<char>(unit & 0xFF);
    le += static_cast<char>(unit >> 8);
    be += static_cast<char>(unit >> 8);
    be += static_cast<char>(unit & 0xFF);
  }
  for (const auto& bytes : {le, be}) {
    std::istringstream in(bytes);
    Reader reader(in);
    CHECK(reader.delimiter() == ';');
    Row row;
    std::vector<Cells> got;
    while (reader.next(row)) {
      CHECK(row.problem == "");
      got.push_back(row.cells);
    }
    CHECK(got == std::vector<Cells>{{"name", "city"}, {"Siân", "Iași"}, {"😀", "a;b"}});
    CHECK(reader.bytes_read() == bytes.size());
  }
}

TEST_CASE("csv: an explicit encoding is converted through iconv") {
  // "Weiß,Müller" in Windows-1252.
  const auto rows = read_all("Vorname,Nachname\r\nWei\xDF,M\xFCller\r\n", in_encoding("WINDOWS-1252"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].cells == Cells{"Weiß", "Müller"});
  CHECK(rows[1].raw == "Weiß,Müller");
  CHECK(rows[1].problem == "");
  // "UTF-8" by name reads as the default does.
  CHECK(read_all("a\n\xC3\xA9\n", in_encoding("utf-8"))[1].cells == Cells{"é"});
}

TEST_CASE("csv: an explicit UTF-16LE drops the BOM it decodes") {
  const std::string bytes = "\xFF\xFEh\0\n\0x\0\n\0"s;
  const auto rows = read_all(bytes, in_encoding("UTF-16LE"));
  CHECK(cells_of(rows) == std::vector<Cells>{{"h"}, {"x"}});
}

TEST_CASE("csv: a multibyte character split between two reads is decoded whole") {
  // 名 is 0x96 0xBC in Shift_JIS; put the pair on either side of the 64 KiB edge.
  for (const std::size_t lead_at : {64 * 1024 - 1, 64 * 1024 - 2, 64 * 1024}) {
    CAPTURE(lead_at);
    std::string text = "name\n";
    text += std::string(lead_at - text.size() - 1, 'a');
    text += "\n\x96\xBC\x96\xB3\x82\xB5\n"; // 名無し
    REQUIRE(text.find('\x96') == lead_at);
    const auto rows = read_all(text, in_encoding("SHIFT_JIS"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].cells == Cells{"名無し"});
    CHECK(rows[2].problem == "");
  }
}

TEST_CASE("csv: an unknown encoding is a usage error") {
  std::istringstream in("a,b\n");
  const auto e = error_from([&] { Reader reader(in, in_encoding("KLINGON-8")); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "unknown encoding 'KLINGON-8'");
}

TEST_CASE("csv: invalid UTF-8 is a row problem naming the column, reading goes on") {
  const auto rows = read_all("a,b,c\nok,fine,x\ngood,bad\xC3(,x\nalso\xFF,ok,x\nlast,one,x\n");
  REQUIRE(rows.size() == 5);
  CHECK(rows[1].problem == "");
  CHECK(rows[2].problem == "invalid UTF-8");
  CHECK(rows[2].problem_column == 2);
  CHECK(rows[2].raw == "good,bad\xC3(,x");
  CHECK(rows[3].problem == "invalid UTF-8");
  CHECK(rows[3].problem_column == 1);
  CHECK(rows[4].problem == "");
  CHECK(rows[4].cells == Cells{"last", "one", "x"});
}

TEST_CASE("csv: a NUL byte in a cell is a row problem naming the column, reading goes on") {
  const auto rows = read_all(std::string("name,email\nAna\0Pop,a@x.ro\nBob,b@x.ro\n", 37));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].problem == "a NUL byte in the text");
  CHECK(rows[1].problem_column == 1);
  CHECK(rows[2].problem == "");
  CHECK(rows[2].cells == Cells{"Bob", "b@x.ro"});
}

TEST_CASE("csv: a row of more than 4096 columns is an error at the first one too many, 4096 are read") {
  std::string header = "c0";
  for (int i = 1; i < 4096; ++i) header += ",c" + std::to_string(i);
  CHECK(read_all(header + "\n").front().cells.size() == 4096);
  std::string wide = "c0";
  for (int i = 1; i < 100000; ++i) wide += ",c" + std::to_string(i);
  const auto e = error_from([&] { read_all(wide + "\n"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "row 1 column 4097: more than 4096 columns");
}

TEST_CASE("csv: a cell over 1 MiB, or a row over 16 MiB, is an error, and endless input ends") {
  const std::string mib(1024 * 1024, 'x');
  CHECK(read_all("a,b\n" + mib + ",y\n")[1].cells[0].size() == mib.size());
  CHECK(std::string(error_from([&] { read_all("a,b\nx," + mib + "x\n"); }).what()) ==
        "row 2 column 2: a cell longer than 1 MiB");
  CHECK(std::string(error_from([&] { read_all("a\n\"" + mib + mib + "\"\n"); }).what()) ==
        "row 2 column 1: a cell longer than 1 MiB");
  std::string header = "c0", row;
  for (int i = 1; i < 20; ++i) header += ",c" + std::to_string(i);
  for (int i = 0; i < 20; ++i) row += (i ? "," : "") + mib;
  CHECK(std::string(error_from([&] { read_all(header + "\n" + row + "\n"); }).what()) ==
        "row 2 column 17: a row longer than 16 MiB");
  std::ifstream zero("/dev/zero", std::ios::binary);
  const auto endless = error_from([&] {
    Reader reader(zero);
    Row r;
    while (reader.next(r)) {}
  });
  CHECK(std::string(endless.what()) == "row 1 column 1: a cell longer than 1 MiB");
}

TEST_CASE("csv: bytes the encoding cannot convert are a problem naming the encoding") {
  // 0x81 has no character in Windows-1252.
  const auto rows = read_all("a,b\nx,y\x81z\nWei\xDF,ok\n", in_encoding("WINDOWS-1252"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].problem == "invalid WINDOWS-1252");
  CHECK(rows[1].problem_column == 2);
  CHECK(rows[2].problem == "");
  CHECK(rows[2].cells == Cells{"Weiß", "ok"});
}

TEST_CASE("csv: a lone UTF-16 surrogate is a problem, the units after it stay aligned") {
  // BOM, "a,b\n", then U+DC2C alone (its low byte is ','), "x\n", "c,d\n".
  const std::string bytes = "\xFF\xFE"
                            "a\0,\0b\0\n\0"
                            ",\xDCx\0\n\0"
                            "c\0,\0d\0\n\0"s;
  const auto rows = read_all(bytes);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].problem == "1 column, the header has 2");
  CHECK(rows[1].raw == "\xFFx");
  CHECK(rows[2].cells == Cells{"c", "d"});
  CHECK(rows[2].problem == "");
  const auto padded = read_all(bytes, padding_short_rows());
  CHECK(padded[1].problem == "invalid UTF-16LE");
  CHECK(padded[1].problem_column == 1);
}

// ---------------------------------------------------------------------------
// Delimiters

TEST_CASE("csv: the delimiter is sniffed from the first row") {
  std::istringstream semicolons("Name;\"Firma; GmbH\";E-Mail\nAna;X;a@x.ro\n");
  Reader semi(semicolons);
  CHECK(semi.delimiter() == ';');
  Row row;
  REQUIRE(semi.next(row));
  CHECK(row.cells == Cells{"Name", "Firma; GmbH", "E-Mail"});
  REQUIRE(semi.next(row));
  CHECK(row.cells == Cells{"Ana", "X", "a@x.ro"});

  const auto tabs = read_all("name\temail\tnote\nAna\ta@x.ro\t\"a, b; c\"\n");
  CHECK(cells_of(tabs) == std::vector<Cells>{{"name", "email", "note"}, {"Ana", "a@x.ro", "a, b; c"}});

  // Delimiters inside quotes do not count: 2 ',' outside against 3 ';' inside.
  std::istringstream quoted("a,\"x;y;z;w\",b\n");
  CHECK(Reader(quoted).delimiter() == ',');
  std::istringstream pipes("a|b|c\n");
  CHECK(Reader(pipes).delimiter() == '|');
  // Ties and none: ','.
  std::istringstream tie("a;b\tc\n");
  CHECK(Reader(tie).delimiter() == ',');
  std::istringstream none("name\nAna\n");
  CHECK(Reader(none).delimiter() == ',');
  // Leading empty lines are not the first row.
  std::istringstream late("\n\na;b\n");
  CHECK(Reader(late).delimiter() == ';');
}

TEST_CASE("csv: an explicit delimiter is used as given") {
  const auto rows = read_all("a;b,c\n1;2,3\n", with_delimiter(','));
  CHECK(cells_of(rows) == std::vector<Cells>{{"a;b", "c"}, {"1;2", "3"}});
  std::istringstream in("a\n");
  CHECK(error_from([&] { Reader reader(in, with_delimiter('"')); }).kind() == crm::ErrorKind::usage);
}

// ---------------------------------------------------------------------------
// Column counts

TEST_CASE("csv: trailing empty cells beyond the header are dropped") {
  const auto rows = read_all("a,b,c\n1,2,3,\n4,5,6,,,\"\"\n7,,,\n");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].cells == Cells{"1", "2", "3"});
  CHECK(rows[2].cells == Cells{"4", "5", "6"});
  CHECK(rows[3].cells == Cells{"7", "", ""});
  for (const auto& row : rows) CHECK(row.problem == "");
  CHECK(rows[2].raw == "4,5,6,,,\"\"");
}

TEST_CASE("csv: the header's own trailing empty cells are dropped") {
  const auto rows = read_all("a,b,\n1,2,\n3,4\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == Cells{"a", "b"});
  CHECK(rows[1].cells == Cells{"1", "2"});
  CHECK(rows[2].cells == Cells{"3", "4"});
  CHECK(rows[2].problem == "");
}

TEST_CASE("csv: extra non-empty cells and short rows are problems naming the column") {
  const auto rows = read_all("a,b,c,d,e,f\n1,2,3,4\n1,2,3,4,5,6,,x,\n1\n1,2,3,4,5,6\n");
  REQUIRE(rows.size() == 5);
  CHECK(rows[1].problem == "4 columns, the header has 6");
  CHECK(rows[1].problem_column == 5);
  CHECK(rows[1].cells == Cells{"1", "2", "3", "4"});
  CHECK(rows[2].problem == "8 columns, the header has 6");
  CHECK(rows[2].problem_column == 7);
  CHECK(rows[2].cells == Cells{"1", "2", "3", "4", "5", "6", "", "x"});
  CHECK(rows[3].problem == "1 column, the header has 6");
  CHECK(rows[3].problem_column == 2);
  CHECK(rows[4].problem == "");
}

TEST_CASE("csv: pad_short_rows fills missing cells instead of reporting them") {
  const auto rows = read_all("a,b,c\n1\n1,2,3,4\n", padding_short_rows());
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].cells == Cells{"1", "", ""});
  CHECK(rows[1].problem == "");
  CHECK(rows[2].problem == "4 columns, the header has 3");
}

// ---------------------------------------------------------------------------
// Reuse, progress and volume

TEST_CASE("csv: a reused row keeps no cells of the previous one") {
  std::istringstream in("a,b,c\n1,2,3\nx\n");
  Reader reader(in);
  Row row;
  REQUIRE(reader.next(row));
  REQUIRE(reader.next(row));
  REQUIRE(reader.next(row));
  CHECK(row.cells == Cells{"x"});
  CHECK(row.raw == "x");
  CHECK(row.problem == "1 column, the header has 3");
  CHECK_FALSE(reader.next(row));
  CHECK(reader.bytes_read() == 14);
}

TEST_CASE("csv: 100k generated rows read in order with flat buffers") {
  constexpr std::size_t count = 100000;
  std::string text = "id,name,email,note\r\n";
  for (std::size_t i = 1; i <= count; ++i) {
    text += std::to_string(i);
    text += ",Name ";
    text += std::to_string(i);
    text += ",user";
    text += std::to_string(i);
    text += "@example.com,\"multi\nline, \"\"quoted\"\"\"\r\n";
  }
  std::istringstream in(text);
  Reader reader(in);
  Row row;
  std::size_t rows = 0;
  std::size_t problems = 0;
  Row last;
  while (reader.next(row)) {
    ++rows;
    if (!row.problem.empty()) ++problems;
    if (row.number == count + 1) last = row;
  }
  CHECK(rows == count + 1);
  CHECK(problems == 0);
  CHECK(last.cells == Cells{"100000", "Name 100000", "user100000@example.com", "multi\nline, \"quoted\""});
  CHECK(last.line == 2 * count);
  CHECK(reader.bytes_read() == text.size());
}

// ---------------------------------------------------------------------------
// Writing

TEST_CASE("csv: format_row quotes only what needs it") {
  CHECK(format_row({"a", "b c", ""}) == "a,b c,\n");
  CHECK(format_row({"x,y", "say \"hi\"", "l1\nl2", "cr\r"}) ==
        "\"x,y\",\"say \"\"hi\"\"\",\"l1\nl2\",\"cr\r\"\n");
  CHECK(format_row({"a;b", "c,d"}, ';', true) == "\"a;b\";c,d\r\n");
  CHECK(format_row({""}) == "\"\"\n");
  CHECK(format_row({}) == "\n");
}

TEST_CASE("csv: format_row output reads back to the same cells") {
  const std::vector<Cells> rows = {
      {"h1", "h2", "h3"}, {"x,y", "a \"q\" b", "l1\r\nl2"}, {"", "Siân", "\"start"}, {"end\"", "", ""}};
  std::string text;
  for (const auto& cells : rows) text += format_row(cells, ',', true);
  CHECK(cells_of(read_all(text)) == rows);
}

// ---------------------------------------------------------------------------
// Real exports (tests/fixtures/real, see SOURCES.md there)

TEST_CASE("csv: Google CSV (roundcube-gmail.csv)") {
  const auto rows = read_fixture("roundcube-gmail.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  const auto& h = rows[0].cells;
  REQUIRE(h.size() == 81);
  CHECK(h[0] == "Name");
  CHECK(h[1] == "Given Name");
  CHECK(h[3] == "Family Name");
  CHECK(h[28] == "E-mail 1 - Value");
  CHECK(h[36] == "Phone 1 - Value");
  CHECK(h[80] == "Website 2 - Value");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 81);
  CHECK(c[0] == "Prefix Firstname Middle Lastname Suffix");
  CHECK(c[1] == "Firstname");
  CHECK(c[3] == "Lastname");
  CHECK(c[25] == "note\"note");
  CHECK(c[26] == "* My Contacts ::: Test");
  CHECK(c[27] == "* Home");
  CHECK(c[28] == "home@aaa.pl");
  CHECK(c[34] == "other@email.com");
  CHECK(c[44] == "mobile");
  CHECK(c[50] == "home_street\nhome_pobox\nhome_city, home_state home_zip\nhome_country");
  CHECK(c[68] == "company");
  CHECK(c[80] == "home.page.com");
  CHECK(rows[1].line == 2);
}

TEST_CASE("csv: Google CSV as exported, UTF-16LE with BOM, reads to the same rows") {
  std::ifstream in(real_fixture("roundcube-gmail-utf16le-original.csv"), std::ios::binary);
  Reader reader(in);
  std::vector<Row> rows;
  Row row;
  while (reader.next(row)) rows.push_back(row);
  CHECK(reader.bytes_read() == 3992);
  const auto utf8 = read_fixture("roundcube-gmail.csv");
  REQUIRE(rows.size() == utf8.size());
  check_no_problems(rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].cells == utf8[i].cells);
    CHECK(rows[i].raw == utf8[i].raw);
    CHECK(rows[i].line == utf8[i].line);
  }
}

TEST_CASE("csv: Outlook CSV cut to e-mails (roundcube-outlook.csv)") {
  const auto rows = read_fixture("roundcube-outlook.csv");
  check_no_problems(rows);
  CHECK(cells_of(rows) == std::vector<Cells>{{"E-mail Address", "E-mail 2 Address", "E-mail 3 Address"},
                                             {"test1@domain.tld", "test2@domain.tld", "test3@domain.tld"}});
}

TEST_CASE("csv: Thunderbird CSV with a trailing comma (roundcube-tb_plain.csv)") {
  const auto rows = read_fixture("roundcube-tb_plain.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  const auto& h = rows[0].cells;
  REQUIRE(h.size() == 37); // the empty 38th header cell after the trailing ',' is dropped
  CHECK(h[0] == "First Name");
  CHECK(h[4] == "Primary Email");
  CHECK(h[36] == "Notes");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 37);
  CHECK(c[0] == "Firstname");
  CHECK(c[1] == "Lastname");
  CHECK(c[2] == "Displayname");
  CHECK(c[4] == "test@domain.tld");
  CHECK(c[5] == "next@domain.tld");
  CHECK(c[7] == "phone work");
  CHECK(c[11] == "mobile");
  CHECK(c[26] == "Organization");
  CHECK(c[29] == "1970");
  CHECK(c[30] == "11");
  CHECK(c[31] == "15");
}

TEST_CASE("csv: roundcube-all.csv (UTF-8 BOM)") {
  const auto rows = read_fixture("roundcube-all.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  REQUIRE(rows[0].cells.size() == 61);
  CHECK(rows[0].cells[0] == "Display Name");
  CHECK(rows[0].cells[10] == "Email Home");
  CHECK(rows[0].cells[60] == "Categories");
  CHECK(rows[1].cells[10] == "home@example.com");
  CHECK(rows[1].cells[13] == "100");
  CHECK(rows[1].cells[42] == "20/01/1991");
  CHECK(rows[1].cells[60] == "test");
}

TEST_CASE("csv: Thunderbird CSV with quoted empty cells (thunderbird-quote.csv)") {
  const auto rows = read_fixture("thunderbird-quote.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  REQUIRE(rows[0].cells.size() == 37);
  CHECK(rows[0].cells[2] == "Display Name");
  CHECK(rows[0].cells[36] == "Notes");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 37);
  CHECK(c[0] == "");
  CHECK(c[2] == "Acer America");
  CHECK(c[7] == "(800) 000-0000");
  CHECK(c[26] == "Acer America");
  CHECK(rows[1].raw.starts_with(",,\"Acer America\",,,,,\"(800) 000-0000\""));
  CHECK(rows[1].raw.ends_with(",,,,"));
}

TEST_CASE("csv: Thunderbird CSV in Shift_JIS (thunderbird-shiftjis_addressbook.csv)") {
  const auto rows = read_fixture("thunderbird-shiftjis_addressbook.csv", in_encoding("SHIFT_JIS"));
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  REQUIRE(rows[0].cells.size() == 37);
  CHECK(rows[0].cells[35] == "Notes");
  CHECK(rows[0].cells[36] == "Screen Name");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 37);
  CHECK(c[0] == "権兵衛");
  CHECK(c[1] == "名無し");
  CHECK(c[2] == "名無しの権兵衛");
  CHECK(c[4] == "名無しの権兵衛@host.invalid");
  // Read as UTF-8 it is not text.
  const auto raw = read_fixture("thunderbird-shiftjis_addressbook.csv");
  CHECK(raw[1].problem == "invalid UTF-8");
  CHECK(raw[1].problem_column == 1);
}

TEST_CASE("csv: German Outlook 2013 in Windows-1252 (tine20-importtest_outlook2013.csv)") {
  // Its rows stop 3 cells short of the 92-column header (the last 3 columns are absent).
  const auto strict = read_fixture("tine20-importtest_outlook2013.csv", in_encoding("WINDOWS-1252"));
  REQUIRE(strict.size() == 3);
  CHECK(strict[0].problem == "");
  CHECK(strict[1].problem == "89 columns, the header has 92");
  CHECK(strict[1].problem_column == 90);
  CHECK(strict[2].problem == "89 columns, the header has 92");

  const auto rows =
      read_fixture("tine20-importtest_outlook2013.csv", in_encoding("WINDOWS-1252", true));
  REQUIRE(rows.size() == 3);
  check_no_problems(rows);
  const auto& h = rows[0].cells;
  REQUIRE(h.size() == 92);
  CHECK(h[1] == "Vorname");
  CHECK(h[3] == "Nachname");
  CHECK(h[8] == "Straße geschäftlich");
  CHECK(h[56] == "E-Mail-Adresse");
  CHECK(h[76] == "Notizen");
  CHECK(h[91] == "Weiteres Postfach");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 92);
  CHECK(c[1] == "Christian");
  CHECK(c[3] == "Baumann");
  CHECK(c[8] == "Pickhuben 2");
  CHECK(c[31] == "+49 (0) 40 6432131-550");
  CHECK(c[56] == "c.baumann@unittest.de");
  CHECK(c[66] == "0.0.00");
  CHECK(c[76] == "\r\n");
  CHECK(c[91] == "");
  // The CRLF in the quoted Notes makes the first contact span lines 2-3.
  CHECK(rows[1].line == 2);
  CHECK(rows[2].line == 4);
  CHECK(rows[2].cells[1] == "Cornelius");
  CHECK(rows[2].cells[3] == "Weiß");
  CHECK(rows[2].cells[40] == "0176 164321545");
  CHECK(rows[2].cells[56] == "c.weiss@unittest.de");
}

TEST_CASE("csv: old Gmail CSV (horde-Gmail.csv)") {
  const auto rows = read_fixture("horde-Gmail.csv");
  REQUIRE(rows.size() == 3);
  check_no_problems(rows);
  CHECK(rows[0].cells.size() == 14);
  CHECK(rows[0].cells[10] == "Section 1 - Company");
  CHECK(rows[1].cells == Cells{"John Doe", "john@example.com", "", "", "john.doe@example.com", "", "9999999",
                               "9999999", "9999999", "9999999", "Example, Corp.", "Mr", "", "Foo Street"});
  CHECK(rows[2].cells[0] == "Jeniffer Doe");
  CHECK(rows[2].cells[1] == "jeniffer@example.com");
  CHECK(rows[2].cells[11] == "Mrs");
}

TEST_CASE("csv: KAddressBook CSV (horde-KMail.csv)") {
  const auto rows = read_fixture("horde-KMail.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  REQUIRE(rows[0].cells.size() == 43);
  CHECK(rows[0].cells[0] == "Formatted Name");
  CHECK(rows[0].cells[28] == "Email Address");
  CHECK(rows[0].cells[42] == "Anniversary");
  const auto& c = rows[1].cells;
  CHECK(c[0] == "Firman");
  CHECK(c[2] == "Firman Wandayandi");
  CHECK(c[22] == "999999999");
  CHECK(c[28] == "firman@php.net");
  CHECK(c[33] == "It's a notes.");
}

TEST_CASE("csv: Outlook CSV with a multi-line note (horde-Outlook.csv)") {
  const auto rows = read_fixture("horde-Outlook.csv");
  REQUIRE(rows.size() == 2);
  check_no_problems(rows);
  REQUIRE(rows[0].cells.size() == 92);
  CHECK(rows[0].cells[14] == "Business Country");
  CHECK(rows[0].cells[57] == "E-mail Address");
  const auto& c = rows[1].cells;
  REQUIRE(c.size() == 92);
  CHECK(c[1] == "Firman");
  CHECK(c[3] == "Wandayandi");
  CHECK(c[5] == "Foo");
  CHECK(c[40] == "999999999");
  CHECK(c[57] == "firman@php.net");
  CHECK(c[77] == "It's\nmultiline\nmemo.");
  CHECK(c[91] == "http://php.hm/~firman");
}

TEST_CASE("csv: headerless old Thunderbird CSV (horde-Thunderbird.csv)") {
  const auto rows = read_fixture("horde-Thunderbird.csv");
  REQUIRE(rows.size() == 1); // the only row is taken as the header: the caller decides
  check_no_problems(rows);
  const auto& c = rows[0].cells;
  REQUIRE(c.size() == 36); // its trailing ',' cell is dropped as a header's would be
  CHECK(c[0] == "Firman");
  CHECK(c[1] == "Wandayandi");
  CHECK(c[4] == "firman@php.net");
  CHECK(c[10] == "999999999");
  CHECK(c[35] == "It's a notes.");
}

TEST_CASE("csv: Outlook bug reports with quotes and line ends in streets (horde-bug_6370/6372.csv)") {
  const auto a = read_fixture("horde-bug_6370.csv");
  REQUIRE(a.size() == 2);
  check_no_problems(a);
  REQUIRE(a[0].cells.size() == 92);
  CHECK(a[0].cells[8] == "Business Street");
  REQUIRE(a[1].cells.size() == 92);
  CHECK(a[1].cells[8] == "Big Tower'\", 1\" Floor\n123 Main Street");
  CHECK(a[1].cells[52] == "0/0/00");
  CHECK(a[1].cells[91] == "");

  const auto b = read_fixture("horde-bug_6372.csv");
  REQUIRE(b.size() == 2);
  check_no_problems(b);
  REQUIRE(b[1].cells.size() == 92);
  CHECK(b[1].cells[8] == "123, 12th Floor,\nMain Street");
  CHECK(b[1].cells[77] == "\n");
  CHECK(b[1].cells[81] == "Normal");
  CHECK(b[1].line == 2);
}

TEST_SUITE_END();
