// format/vcard: reading vCards as real programs write them (folding, quoted-printable,
// charsets, UTF-16, odd line ends, broken lines) and writing 3.0/4.0.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "format/vcard.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

using crm::vcard::Card;
using crm::vcard::Property;
using crm::vcard::Reader;

namespace {

std::vector<Card> read_all(const std::string& bytes) {
  std::istringstream in(bytes);
  Reader reader(in, "t.vcf");
  std::vector<Card> cards;
  Card card;
  while (reader.next(card)) cards.push_back(card);
  return cards;
}

const Property& prop(const Card& card, const std::string& name, std::size_t nth = 0) {
  for (const auto& p : card.properties)
    if (p.name == name && nth-- == 0) return p;
  FAIL("no property " << name);
  static Property none;
  return none;
}

std::string params_text(const Property& p) {
  std::string out;
  for (const auto& param : p.params) {
    out += out.empty() ? "" : " ";
    out += param.name + "=";
    for (std::size_t i = 0; i < param.values.size(); ++i) out += (i ? "," : "") + param.values[i];
  }
  return out;
}

std::filesystem::path real_fixtures() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures" / "real";
}

} // namespace

TEST_SUITE_BEGIN("vcard");

TEST_CASE("vcard: folded lines, groups, parameters and line numbers") {
  std::string text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\n  Popescu\r\nNOTE:a\r\n\tb\r\n";
  text += "item1.EMAIL;type=INTERNET;type=pref:ana@example.ro\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n";
  text += "TEL;TYPE=home,voice:1\r\nTEL;WORK;VOICE:2\r\nX-A;X-UUID=\"a:b;c\":v\r\nEND:VCARD\r\n";
  const auto cards = read_all(text);
  REQUIRE(cards.size() == 1);
  const Card& c = cards[0];
  CHECK(c.version == "3.0");
  CHECK(c.line == 1);
  REQUIRE(c.properties.size() == 7);
  CHECK(prop(c, "FN").value == "Ana Popescu");
  CHECK(prop(c, "FN").line == 3);
  CHECK(prop(c, "NOTE").value == "ab");
  CHECK(prop(c, "NOTE").line == 5);
  CHECK(prop(c, "EMAIL").group == "item1");
  CHECK(params_text(prop(c, "EMAIL")) == "TYPE=INTERNET TYPE=pref");
  CHECK(prop(c, "X-ABLABEL").group == "item1");
  CHECK(params_text(prop(c, "TEL", 0)) == "TYPE=home,voice");
  CHECK(params_text(prop(c, "TEL", 1)) == "TYPE=WORK TYPE=VOICE");
  CHECK(params_text(prop(c, "X-A")) == "X-UUID=a:b;c");
  CHECK(prop(c, "X-A").value == "v");
  CHECK(prop(c, "X-A").raw == "X-A;X-UUID=\"a:b;c\":v");
  CHECK(crm::vcard::has_type(prop(c, "EMAIL"), "PREF"));
  CHECK_FALSE(crm::vcard::has_type(prop(c, "EMAIL"), "home"));
}

TEST_CASE("vcard: quoted-printable soft breaks, with a blank continuation line") {
  std::string text = "BEGIN:VCARD\r\nVERSION:2.1\r\n";
  text += "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\r\n line two=\r\n\r\nN;CHARSET=UTF-8;QUOTED-PRINTABLE:=C8=98tef=\r\nan;Ion\r\n";
  text += "END:VCARD\r\n";
  const auto cards = read_all(text);
  REQUIRE(cards.size() == 1);
  CHECK(prop(cards[0], "NOTE").value == "line one\r\n line two");
  CHECK(prop(cards[0], "NOTE").raw == "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A line two");
  CHECK(prop(cards[0], "N").value == "Ștefan;Ion");
  CHECK(params_text(prop(cards[0], "N")) == "CHARSET=UTF-8 ENCODING=QUOTED-PRINTABLE");
}

TEST_CASE("vcard: CR CR LF, lone CR and LF line ends, lower-case names, no VERSION, blank lines inside") {
  const auto cards = read_all("begin:vcard\r\r\nfn:A\r\rn:B;C\n\nemail;internet:a@b.c\rend:vcard\r\r\n");
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].version == "");
  REQUIRE(cards[0].properties.size() == 3);
  CHECK(prop(cards[0], "FN").value == "A");
  CHECK(prop(cards[0], "N").value == "B;C");
  CHECK(prop(cards[0], "EMAIL").raw == "email;internet:a@b.c");
  CHECK(params_text(prop(cards[0], "EMAIL")) == "TYPE=internet");
}

TEST_CASE("vcard: a line without ':' is a bare property, or the next line of the previous value") {
  const auto cards = read_all("BEGIN:VCARD\nVERSION:3.0\nFN\nN:X;Y\nLABEL:Klippe 58\n21255 Bad Vilbel\nEND:VCARD\n");
  REQUIRE(cards.size() == 1);
  const Card& c = cards[0];
  REQUIRE(c.properties.size() == 3);
  CHECK(prop(c, "FN").value == "");
  CHECK(prop(c, "LABEL").value == "Klippe 58\\n21255 Bad Vilbel");
  CHECK(prop(c, "LABEL").raw == "LABEL:Klippe 58\\n21255 Bad Vilbel");
  CHECK(c.warnings == std::vector<std::string>{"line 6: line without ':' read as part of 'LABEL' on line 5"});
}

TEST_CASE("vcard: charsets: declared, guessed, Shift_JIS, and bad UTF-8") {
  std::string text = "BEGIN:VCARD\r\nVERSION:2.1\r\n";
  text += "N;CHARSET=windows-1252:Do\xEB;John\r\n";
  text += "FN:Ren\xE9\r\n";                                         // no CHARSET, not UTF-8
  text += "NOTE:Z\xC3\xBCrich\r\n";                                  // no CHARSET, UTF-8
  text += "SOUND;X-IRMC-N;CHARSET=SHIFT_JIS:\xB1\xDD\xC4\xDE\r\n";    // half-width katakana
  text += "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:A=C3=91=80\r\n"; // a stray continuation byte
  text += "N;ENCODING=QUOTED-PRINTABLE:Iksi=F1ski\r\n";
  text += "END:VCARD\r\n";
  const auto cards = read_all(text);
  REQUIRE(cards.size() == 1);
  const Card& c = cards[0];
  CHECK(prop(c, "N").value == "Doë;John");
  CHECK(prop(c, "FN").value == "René");
  CHECK(prop(c, "FN").raw == "FN:René");
  CHECK(prop(c, "NOTE").value == "Zürich");
  CHECK(prop(c, "SOUND").value == "ｱﾝﾄﾞ");
  CHECK(prop(c, "SOUND").raw == "SOUND;X-IRMC-N:ｱﾝﾄﾞ"); // converted, so without its CHARSET
  CHECK(prop(c, "ORG").value == "AÑ\xEF\xBF\xBD");
  CHECK(prop(c, "N", 1).value == "Iksiñski");
  CHECK(c.warnings == std::vector<std::string>{
                          "line 4: 'FN' is not UTF-8 and names no charset: read as windows-1252",
                          "line 7: 'ORG' is not valid UTF-8: bad bytes replaced",
                          "line 8: 'N' is not UTF-8 and names no charset: read as windows-1252"});
}

TEST_CASE("vcard: UTF-16 files, with a BOM (LE) or without one (BE)") {
  const std::string utf8 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ǽgean\r\nEND:VCARD\r\n";
  std::string le = "\xFF\xFE", be;
  for (char32_t ch : std::u32string(U"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u01FCgean\r\nEND:VCARD\r\n")) {
    le += static_cast<char>(ch & 0xFF);
    le += static_cast<char>(ch >> 8);
    be += static_cast<char>(ch >> 8);
    be += static_cast<char>(ch & 0xFF);
  }
  for (const auto& bytes : {le, be}) {
    const auto cards = read_all(bytes);
    REQUIRE(cards.size() == 1);
    CHECK(prop(cards[0], "FN").value == "Ǽgean");
    CHECK(prop(cards[0], "FN").line == 3);
  }
  CHECK(read_all("\xEF\xBB\xBF" + utf8).size() == 1);
  CHECK(read_all("").empty());
  CHECK(read_all("\r\n\r\n").empty());
}

TEST_CASE("vcard: a line over 16 MiB is an error, and the reader stops there (endless input ends)") {
  std::istringstream in("BEGIN:VCARD\nFN:A\nNOTE:" + std::string(16 * 1024 * 1024 + 1, 'x') +
                        "\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n");
  Reader reader(in, "big.vcf");
  Card card;
  const auto e = crm_test::error_from([&] { reader.next(card); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "big.vcf:3: a line longer than 16 MiB");
  CHECK_FALSE(reader.next(card));
  // Folded lines count unfolded.
  std::string folded = "BEGIN:VCARD\nFN:A\nNOTE:x";
  for (int i = 0; i < 17; ++i) folded += "\n " + std::string(1024 * 1024, 'y');
  std::istringstream in2(folded + "\nEND:VCARD\n");
  Reader reader2(in2, "folded.vcf");
  CHECK(std::string(crm_test::error_from([&] { reader2.next(card); }).what()) == "folded.vcf:3: a line longer than 16 MiB");
  std::ifstream zero("/dev/zero", std::ios::binary);
  Reader endless(zero, "/dev/zero");
  CHECK(crm_test::error_from([&] { endless.next(card); }).kind() == crm::ErrorKind::invalid_data);
  CHECK_FALSE(endless.next(card));
}

TEST_CASE("vcard: a card with 50 000 EMAIL lines is read whole") {
  std::string text = "BEGIN:VCARD\nVERSION:3.0\nFN:Many\n";
  for (int i = 0; i < 50000; ++i) text += "EMAIL:a" + std::to_string(i) + "@example.org\n";
  const auto cards = read_all(text + "END:VCARD\n");
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].properties.size() == 50001); // FN and the emails
}

TEST_CASE("vcard: a card without END:VCARD is an error, and the reader goes on with the next one") {
  std::istringstream in("junk\nmore junk\nBEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\nBEGIN:VCARD\nFN:C\n");
  Reader reader(in, "x.vcf");
  Card card;
  auto e1 = crm_test::error_from([&] { reader.next(card); });
  CHECK(e1.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e1.what()) == "x.vcf:1: expected BEGIN:VCARD, found 'junk'");
  auto e2 = crm_test::error_from([&] { reader.next(card); });
  CHECK(std::string(e2.what()) == "x.vcf:3: card has no END:VCARD (a new BEGIN:VCARD on line 5)");
  REQUIRE(reader.next(card));
  CHECK(card.line == 5);
  CHECK(prop(card, "FN").value == "B");
  auto e3 = crm_test::error_from([&] { reader.next(card); });
  CHECK(std::string(e3.what()) == "x.vcf:8: card has no END:VCARD");
  CHECK_FALSE(reader.next(card));
}

TEST_CASE("vcard: split_components, unescape, escape") {
  using crm::vcard::split_components;
  CHECK(split_components("Doe;John;Richter\\, James;Mr.;", ';') ==
        std::vector<std::string>{"Doe", "John", "Richter\\, James", "Mr.", ""});
  CHECK(split_components("ORGANI\\,SATION;UN\\;IT", ';') == std::vector<std::string>{"ORGANI\\,SATION", "UN\\;IT"});
  CHECK(split_components("a,b\\,c", ',') == std::vector<std::string>{"a", "b\\,c"});
  CHECK(crm::vcard::unescape("a\\nb\\Nc\\,d\\;e\\\\f http\\://x \\\"q\\\" C:\\temp") ==
        "a\nb\nc,d;e\\f http://x \"q\" C:\\temp");
  CHECK(crm::vcard::unescape_v21("a\\;b\\nc\\\\") == "a;b\\nc\\");
  CHECK(crm::vcard::unescape("a\\nb", "2.1") == "a\\nb");
  CHECK(crm::vcard::unescape("a\\nb", "4.0") == "a\nb");
  CHECK(crm::vcard::escape("a;b,c\\d\r\ne") == "a\\;b\\,c\\\\d\\ne");
}

TEST_CASE("vcard: decode_base64 skips whitespace and refuses other characters") {
  CHECK(crm::vcard::decode_base64("TGFy\r\n  cw==") == "Lars");
  CHECK(crm::vcard::decode_base64("TGFycw") == "Lars");
  auto e = crm_test::error_from([] { crm::vcard::decode_base64("TG*y"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "bad base64 data");
}

TEST_CASE("vcard: write_card folds at 75 octets, never inside UTF-8 nor after '='") {
  Card card;
  Property fn;
  fn.name = "FN";
  fn.value = "Ana";
  card.properties.push_back(fn);
  Property note;
  note.name = "NOTE";
  note.params = {{"TYPE", {"a", "b;c"}}};
  note.value = std::string(70, 'x') + "ăăă";
  card.properties.push_back(note);
  Property qp;
  qp.raw = "X-QP;ENCODING=QUOTED-PRINTABLE:" + std::string(43, 'y') + "=C3=91";
  card.properties.push_back(qp);
  Property version;
  version.raw = "VERSION:2.1";
  card.properties.push_back(version);
  std::string expected = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\n";
  expected += "NOTE;TYPE=a,\"b;c\":" + std::string(57, 'x') + "\r\n " + std::string(13, 'x') + "ăăă\r\n";
  expected += "X-QP;ENCODING=QUOTED-PRINTABLE:" + std::string(43, 'y') + "\r\n =C3=91\r\n";
  expected += "END:VCARD\r\n";
  CHECK(crm::vcard::write_card(card, {}) == expected);
  // The same text reads back.
  const auto back = read_all(expected);
  REQUIRE(back.size() == 1);
  CHECK(prop(back[0], "NOTE").value == note.value);
  CHECK(prop(back[0], "X-QP").raw == qp.raw);
  CHECK(prop(back[0], "X-QP").value == std::string(43, 'y') + "Ñ");

  Card wide;
  Property p;
  p.name = "NOTE";
  p.value = std::string(69, 'z') + "é" + std::string(80, 'z');
  wide.properties.push_back(p);
  const std::string out = crm::vcard::write_card(wide, {"3.0"});
  // 5 + 69 bytes, then "é" would straddle the 75th octet: it starts the next line.
  std::string folded = "NOTE:" + std::string(69, 'z');
  folded.append("\r\n é").append(72, 'z').append("\r\n ").append(8, 'z').append("\r\n");
  CHECK(out.find(folded) != std::string::npos);
  CHECK(out.rfind("BEGIN:VCARD\r\nVERSION:3.0\r\n", 0) == 0);
  auto e = crm_test::error_from([&] { crm::vcard::write_card(wide, {"2.1"}); });
  CHECK(e.kind() == crm::ErrorKind::usage);
  CHECK(std::string(e.what()) == "unsupported vCard version '2.1' (expected 3.0 or 4.0)");
}

TEST_CASE("vcard: every real-world fixture reads without an error") {
  const std::vector<std::pair<std::string, std::size_t>> files = {
      {"aosp-v21_japanese_1.vcf", 1},
      {"aosp-v21_multiple_entry.vcf", 3},
      {"aosp-v21_winmo_65.vcf", 1},
      {"ezvcard-John_Doe_ANDROID.vcf", 6},
      {"ezvcard-John_Doe_BLACK_BERRY.vcf", 1},
      {"ezvcard-John_Doe_EVOLUTION.vcf", 1},
      {"ezvcard-John_Doe_GMAIL.vcf", 1},
      {"ezvcard-John_Doe_MS_OUTLOOK.vcf", 1},
      {"ezvcard-fullcontact.vcf", 1},
      {"ezvcard-gmail-list.vcf", 3},
      {"ezvcard-gmail-single2.vcf", 1},
      {"ezvcard-outlook-2007.vcf", 1},
      {"ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1},
      {"kcontacts-vcard3.vcf", 1},
      {"kcontacts-vcard4.vcf", 1},
      {"kcontacts-vcardwithitemasapplesupport.vcf", 1},
      {"roundcube-apple.vcf", 1},
      {"roundcube-csv2vcard-expected-gmail.vcf", 1},
      {"roundcube-csv2vcard-expected-tb_plain.vcf", 1},
      {"roundcube-johndoe.vcf", 1},
      {"roundcube-thebat.vcf", 1},
      {"roundcube-utf-16_sample.vcf", 1},
      {"thunderbird-dos_vcard_addressbook.vcf", 1},
      {"tine20-HerrFalkMuenchen.vcf", 1},
      {"tine20-ios_5_addressbook.vcf", 1},
      {"tine20-mac_os_x_addressbook.vcf", 1},
      {"tine20-rcube_contacts-3.vcf", 2},
  };
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(real_fixtures()))
    if (entry.path().extension() == ".vcf") ++seen;
  CHECK(seen == files.size());
  for (const auto& [name, count] : files) {
    const std::string& case_name = name;
    CAPTURE(case_name);
    std::ifstream in(real_fixtures() / name, std::ios::binary);
    REQUIRE(in.good());
    Reader reader(in, name);
    Card card;
    std::size_t n = 0;
    while (reader.next(card)) {
      ++n;
      for (const auto& p : card.properties) CHECK(crm::text::is_valid_utf8(p.raw));
    }
    CHECK(n == count);
  }
}

TEST_CASE("vcard: base64 written with padding and read back") {
  using crm::vcard::decode_base64;
  using crm::vcard::encode_base64;
  CHECK(encode_base64("") == "");
  CHECK(encode_base64("f") == "Zg==");
  CHECK(encode_base64("fo") == "Zm8=");
  CHECK(encode_base64("foo") == "Zm9v");
  CHECK(encode_base64("foob") == "Zm9vYg==");
  const std::string bytes("\xFF\xD8\xFF\x00\x10\x80", 6);
  CHECK(decode_base64(encode_base64(bytes)) == bytes);
}

TEST_CASE("vcard: a kept line parsed again: group, parameters, value, and the line itself") {
  const auto p = crm::vcard::parse_line("item3.URL;type=WORK;X-A=\"a:b\":https://ex.com/a:b");
  CHECK(p.group == "item3");
  CHECK(p.name == "URL");
  CHECK(params_text(p) == "TYPE=WORK X-A=a:b");
  CHECK(p.value == "https://ex.com/a:b");
  CHECK(crm::vcard::property_line(p) == "item3.URL;type=WORK;X-A=\"a:b\":https://ex.com/a:b");
  Property changed = p;
  changed.raw.clear();
  CHECK(crm::vcard::property_line(changed) == "item3.URL;TYPE=WORK;X-A=\"a:b\":https://ex.com/a:b");
  changed.params = {{"LABEL", {"1 Main St\nSpringfield"}}};
  CHECK(crm::vcard::property_line(changed) == "item3.URL;LABEL=\"1 Main St\\nSpringfield\":https://ex.com/a:b");
}

TEST_CASE("vcard: a 2.1 property in 3.0 syntax: TYPE=, no quoted-printable nor CHARSET, 3.0 escapes, base64 on one line") {
  const auto cards = read_all(
      "BEGIN:VCARD\r\nVERSION:2.1\r\n"
      "TEL;WORK;VOICE:+1 555 0100\r\n"
      "LABEL;WORK;PREF;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:222 Broadway=0D=0A=\r\nNew York, NY=C3=A9\r\n"
      "X-NOTE:a, b\\; c\r\n"
      "LOGO;ENCODING=BASE64;TYPE=GIF:\r\n    R0lGODlhAQAB\r\n    AAAAACw=\r\n\r\n"
      "URL:http://ex.com/a,b\r\n"
      "END:VCARD\r\n");
  REQUIRE(cards.size() == 1);
  const auto& c = cards[0];
  using crm::vcard::modern_line;
  CHECK(modern_line(prop(c, "TEL"), "2.1") == "TEL;TYPE=WORK,VOICE:+1 555 0100");
  CHECK(modern_line(prop(c, "LABEL"), "2.1") == "LABEL;TYPE=WORK,PREF:222 Broadway\\nNew York\\, NYé");
  CHECK(modern_line(prop(c, "X-NOTE"), "2.1") == "X-NOTE:a\\, b\\; c");
  CHECK(modern_line(prop(c, "LOGO"), "2.1") == "LOGO;TYPE=GIF;ENCODING=b:R0lGODlhAQABAAAAACw=");
  CHECK(modern_line(prop(c, "URL"), "2.1") == "URL:http://ex.com/a,b");
  // A 3.0 line is kept as it was written.
  const auto three = read_all("BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;type=WORK:1\r\nEND:VCARD\r\n");
  CHECK(modern_line(prop(three[0], "TEL"), "3.0") == "TEL;type=WORK:1");
}

TEST_SUITE_END();
