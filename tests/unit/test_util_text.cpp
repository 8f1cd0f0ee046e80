#include "util/text.hpp"

#include "util/error.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace std::string_literals;
using crm::text::display_width;
using crm::text::invalid_utf8_offset;
using crm::text::is_valid_utf8;

namespace {

constexpr auto npos = std::string_view::npos;

// Runs `f` and returns the crm::Error it throws; fails the test when it does not.
template <typename F> crm::Error error_from(F&& f) {
  try {
    f();
  } catch (const crm::Error& e) {
    return e;
  }
  FAIL("expected crm::Error");
  return crm::Error(crm::ErrorKind::io, "unreachable");
}

} // namespace

// A suite as well as the "text:" prefix, so both -ts='*text*' and -tc='text:*' select these.
TEST_SUITE_BEGIN("text");

// ---------------------------------------------------------------------------
// UTF-8 validation

TEST_CASE("text: is_valid_utf8 accepts well-formed text") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("Siân Олена 中文 😀"));
  // Embedded NUL is a valid code point, not a terminator.
  CHECK(is_valid_utf8("a\0b"s));
  // Boundaries of each sequence length and around the surrogate block.
  CHECK(is_valid_utf8("\x7F"));
  CHECK(is_valid_utf8("\xC2\x80"));         // U+0080
  CHECK(is_valid_utf8("\xDF\xBF"));         // U+07FF
  CHECK(is_valid_utf8("\xE0\xA0\x80"));     // U+0800
  CHECK(is_valid_utf8("\xED\x9F\xBF"));     // U+D7FF, last before surrogates
  CHECK(is_valid_utf8("\xEE\x80\x80"));     // U+E000, first after surrogates
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));     // U+FFFF
  CHECK(is_valid_utf8("\xF0\x90\x80\x80")); // U+10000
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF")); // U+10FFFF
  CHECK(invalid_utf8_offset("Siân Олена 中文 😀") == npos);
}

TEST_CASE("text: invalid_utf8_offset rejects overlong forms") {
  CHECK(invalid_utf8_offset("ab\xC0\x80") == 2);         // NUL as 2 bytes
  CHECK(invalid_utf8_offset("ab\xC1\xBF") == 2);         // U+007F as 2 bytes
  CHECK(invalid_utf8_offset("ab\xE0\x80\x80") == 2);     // NUL as 3 bytes
  CHECK(invalid_utf8_offset("ab\xE0\x9F\xBF") == 2);     // U+07FF as 3 bytes
  CHECK(invalid_utf8_offset("ab\xF0\x80\x80\x80") == 2); // NUL as 4 bytes
  CHECK(invalid_utf8_offset("ab\xF0\x8F\xBF\xBF") == 2); // U+FFFF as 4 bytes
  CHECK_FALSE(is_valid_utf8("\xC0\xAF")); // the classic overlong '/'
}

TEST_CASE("text: invalid_utf8_offset rejects surrogates") {
  CHECK(invalid_utf8_offset("x\xED\xA0\x80") == 1); // U+D800
  CHECK(invalid_utf8_offset("x\xED\xBF\xBF") == 1); // U+DFFF
  // A CESU-8 style surrogate pair is still two invalid sequences.
  CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));
}

TEST_CASE("text: invalid_utf8_offset rejects code points above U+10FFFF") {
  CHECK(invalid_utf8_offset("\xF4\x90\x80\x80") == 0); // U+110000
  CHECK(invalid_utf8_offset("\xF5\x80\x80\x80") == 0);
  CHECK(invalid_utf8_offset("ok\xF8\x88\x80\x80\x80") == 2); // old 5-byte form
  CHECK(invalid_utf8_offset("ok\xFE") == 2);
  CHECK(invalid_utf8_offset("ok\xFF") == 2);
}

TEST_CASE("text: invalid_utf8_offset rejects truncated sequences") {
  CHECK(invalid_utf8_offset("ab\xC3") == 2);
  CHECK(invalid_utf8_offset("ab\xE2\x82") == 2);
  CHECK(invalid_utf8_offset("ab\xF0\x9F\x98") == 2);
  // Cut short by another character rather than by the end of the string.
  CHECK(invalid_utf8_offset("\xE2\x82x") == 0);
  CHECK(invalid_utf8_offset("\xC3 ") == 0);
  CHECK(invalid_utf8_offset("\xF0\x9F\x98\xC3\xA2") == 0);
  // Exactly sized heap buffers with no terminator after them, so a decoder that
  // looks past the end is caught by AddressSanitizer.
  const std::vector<char> two = {'\xE2', '\x82'};
  CHECK(invalid_utf8_offset(std::string_view(two.data(), two.size())) == 0);
  const std::vector<char> three = {'\xF0', '\x9F', '\x98'};
  CHECK(invalid_utf8_offset(std::string_view(three.data(), three.size())) == 0);
  const std::vector<char> one = {'\xC3'};
  CHECK(invalid_utf8_offset(std::string_view(one.data(), one.size())) == 0);
}

TEST_CASE("text: invalid_utf8_offset rejects stray continuation bytes") {
  CHECK(invalid_utf8_offset("\x80") == 0);
  CHECK(invalid_utf8_offset("a\xBF" "b") == 1);
  // One continuation byte too many after a complete sequence.
  CHECK(invalid_utf8_offset("\xC3\xA2\xA2") == 2);
}

TEST_CASE("text: invalid_utf8_offset reports the first bad byte past long ASCII runs") {
  // The ASCII fast path skips 8 bytes at a time; the offset must still be exact.
  const std::string prefix(21, 'a');
  CHECK(invalid_utf8_offset(prefix + "\xFF" + prefix) == 21);
  CHECK(invalid_utf8_offset(prefix + "\xC3\xA2" + prefix + "\x80") == 44);
  CHECK(invalid_utf8_offset("\xC3\xA2" "abcdefgh\xE2\x82") == 10);
  CHECK(invalid_utf8_offset(prefix + "\xC3\xA2" + prefix) == npos);
}

// ---------------------------------------------------------------------------
// nfc / casefold

TEST_CASE("text: nfc composes decomposed input") {
  // "Sia\u0302n" is a + COMBINING CIRCUMFLEX; NFC makes it U+00E2.
  CHECK(crm::text::nfc("Sia\u0302n") == "Si\xC3\xA2n");
  CHECK(crm::text::nfc("Si\xC3\xA2n") == "Si\xC3\xA2n");
  // Canonical ordering: both mark orders give U+1EAD.
  CHECK(crm::text::nfc("a\u0323\u0302") == "\u1EAD");
  CHECK(crm::text::nfc("a\u0302\u0323") == "\u1EAD");
  // Case and accents are kept.
  CHECK(crm::text::nfc("ȘTEFAN") == "ȘTEFAN");
  CHECK(crm::text::nfc("") == "");
  CHECK(crm::text::nfc("Plain ASCII") == "Plain ASCII");
}

TEST_CASE("text: nfc keeps embedded NUL bytes") {
  CHECK(crm::text::nfc("a\0b"s) == "a\0b"s);
  CHECK(crm::text::nfc("\xC3\xA2\0e\u0301"s) == "\xC3\xA2\0\xC3\xA9"s);
}

TEST_CASE("text: nfc throws invalid_data on invalid UTF-8") {
  const auto e = error_from([] { crm::text::nfc("ab\xFF"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "invalid UTF-8 at byte 2");
}

TEST_CASE("text: casefold folds case and keeps accents") {
  CHECK(crm::text::casefold("IOANA") == "ioana");
  CHECK(crm::text::casefold("SIÂN") == "siân");
  CHECK(crm::text::casefold("ОЛЕНА") == "олена");
  // Full folding, not just lowercasing.
  CHECK(crm::text::casefold("Straße") == "strasse");
  CHECK(crm::text::casefold("ΟΔΥΣΣΕΥΣ") == crm::text::casefold("οδυσσευς"));
  CHECK(crm::text::casefold("İ") == "i\u0307");
  // Decomposed input comes out composed.
  CHECK(crm::text::casefold("SIA\u0302N") == "si\xC3\xA2n");
}

TEST_CASE("text: casefold throws invalid_data on invalid UTF-8") {
  const auto e = error_from([] { crm::text::casefold("Si\xC3"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "invalid UTF-8 at byte 2");
}

// ---------------------------------------------------------------------------
// match_key

TEST_CASE("text: match_key folds case and accents") {
  CHECK(crm::text::match_key("  Siân  ") == "sian");
  CHECK(crm::text::match_key("IOANA") == "ioana");
  CHECK(crm::text::match_key("Gwenllïan") == "gwenllian");
  CHECK(crm::text::match_key("Ștefan Țurcanu") == "stefan turcanu");
  // Comma-below and cedilla spellings of Romanian letters meet.
  CHECK(crm::text::match_key("Şerban") == crm::text::match_key("Șerban"));
  CHECK(crm::text::match_key("Straße") == "strasse");
  CHECK(crm::text::match_key("İstanbul") == "istanbul");
}

TEST_CASE("text: match_key gives decomposed and precomposed input the same key") {
  CHECK(crm::text::match_key("Sia\u0302n") == crm::text::match_key("Si\xC3\xA2n"));
  CHECK(crm::text::match_key("Sia\u0302n") == "sian");
}

TEST_CASE("text: match_key keeps non-Latin scripts") {
  CHECK(crm::text::match_key("Олена  Шевченко") == "олена шевченко");
  CHECK(crm::text::match_key("محمد") == "محمد");
  // Harakat (fatha U+064E, damma U+064F, shadda U+0651) are combining marks.
  CHECK(crm::text::match_key("مُحَمَّد") == "محمد");
  CHECK(crm::text::match_key("م\u064E") == "م");
  CHECK(crm::text::match_key("김민준") == "김민준");
  CHECK(crm::text::match_key("中文") == "中文");
}

TEST_CASE("text: match_key only strips marks, it does not transliterate") {
  // Letters without a canonical decomposition stay as they are.
  CHECK(crm::text::match_key("Łukasz") == "łukasz");
  CHECK(crm::text::match_key("Søren") == "søren");
  // Cyrillic short i is i + breve under NFD, so the breve goes.
  CHECK(crm::text::match_key("Йосип") == "иосип");
}

TEST_CASE("text: match_key gives Persian and Arabic letter variants one key") {
  using crm::text::match_key;
  CHECK(match_key("علی") == match_key("علي"));        // Farsi yeh, Arabic yeh
  CHECK(match_key("مصطفى") == match_key("مصطفي"));    // alef maksura
  CHECK(match_key("کریم") == match_key("كريم"));      // keheh, kaf
  CHECK(match_key("فاطمة") == match_key("فاطمه"));    // teh marbuta, heh
  CHECK(match_key("زہرہ") == match_key("زهره"));      // heh goal
  CHECK(match_key("محـــمد") == match_key("محمد"));   // tatweel
  CHECK(match_key("علی") == "علي");
  // Other scripts are untouched.
  CHECK(match_key("Олена") == "олена");
}

TEST_CASE("text: match_key collapses whitespace runs") {
  CHECK(crm::text::match_key("a \t\n\r b") == "a b");
  CHECK(crm::text::match_key("\t Ana\r\nPopescu \n") == "ana popescu");
  // Non-ASCII spaces: NO-BREAK SPACE, IDEOGRAPHIC SPACE, EM SPACE.
  CHECK(crm::text::match_key("Siân\u00A0Jones") == "sian jones");
  CHECK(crm::text::match_key("\u3000中\u3000\u3000文\u3000") == "中 文");
  CHECK(crm::text::match_key("Ana\u2003 Maria") == "ana maria");
  CHECK(crm::text::match_key("") == "");
  CHECK(crm::text::match_key(" \t\u00A0 ") == "");
}

TEST_CASE("text: match_key throws invalid_data with the byte offset") {
  const auto e = error_from([] { crm::text::match_key("Sian \xED\xA0\x80"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "invalid UTF-8 at byte 5");
  CHECK_THROWS_AS(crm::text::match_key("\xC0\x80"), crm::Error);
}

// ---------------------------------------------------------------------------
// slugify

TEST_CASE("text: slugify builds file-name-safe slugs") {
  CHECK(crm::text::slugify("Ana Popescu") == "ana-popescu");
  CHECK(crm::text::slugify("Siân O'Brien") == "sian-o-brien");
  CHECK(crm::text::slugify("Олена Шевченко") == "олена-шевченко");
  CHECK(crm::text::slugify("محمد علي") == "محمد-علي");
  CHECK(crm::text::slugify("Room 101") == "room-101");
  CHECK(crm::text::slugify("a.b...c") == "a-b-c");
  CHECK(crm::text::slugify("--Ana--") == "ana");
}

TEST_CASE("text: slugify keeps the marks that are part of a letter outside Latin") {
  CHECK(crm::text::slugify("Київ") == "київ");
  CHECK(crm::text::slugify("Андрій Йосипенко") == "андрій-йосипенко");
  CHECK(crm::text::slugify("अनीता शर्मा") == "अनीता-शर्मा");
  CHECK(crm::text::slugify("সুমিত্রা") == "সুমিত্রা");
  // Decomposed input gives the same slug as composed input.
  CHECK(crm::text::slugify("Київ") == "київ");
  // Latin letters still lose their accents, composed or not.
  CHECK(crm::text::slugify("Siân Gwenllïan") == "sian-gwenllian");
  CHECK(crm::text::slugify("Siân") == "sian");
  CHECK(crm::text::slugify("Ștefan Țurcanu") == "stefan-turcanu");
  CHECK(crm::text::slugify("İstanbul") == "istanbul");
  // Arabic: a hamza on its seat is a letter (أ), harakat are optional and go.
  CHECK(crm::text::slugify("محمد الأحمد") == "محمد-الأحمد");
  CHECK(crm::text::slugify("مُحَمَّد") == "محمد");
  // A mark with nothing before it is not a letter.
  CHECK(crm::text::slugify("́ana") == "ana");
  // The cut counts code points: a vowel sign is one.
  CHECK(crm::text::slugify("अनीता", 3) == "अनी");
}

TEST_CASE("text: slugify falls back when nothing is left") {
  CHECK(crm::text::slugify("  --!!  ") == "record");
  CHECK(crm::text::slugify("") == "record");
  CHECK(crm::text::slugify("...", 32, "contact") == "contact");
  CHECK(crm::text::slugify("Ana", 0) == "record");
}

TEST_CASE("text: slugify cuts at code points and re-trims dashes") {
  CHECK(crm::text::slugify("Олена Шевченко", 3) == "оле");
  // The cut lands right after the separator, which must not be left dangling.
  CHECK(crm::text::slugify("Ana Popescu", 4) == "ana");
  CHECK(crm::text::slugify("Ana Popescu", 5) == "ana-p");
  const std::string long_name(100, 'x');
  CHECK(crm::text::slugify(long_name).size() == 32);
  // 40 two-byte letters: the default limit counts code points, not bytes.
  std::string cyr;
  for (int i = 0; i < 40; ++i) cyr += "ж";
  const std::string slug = crm::text::slugify(cyr);
  CHECK(slug.size() == 64);
  CHECK(is_valid_utf8(slug));
}

TEST_CASE("text: slugify never produces path separators, dots or controls") {
  const std::vector<std::string> inputs = {
      "../etc/passwd", ".hidden",      "a\\b/c",       "tab\there",    "ctl\x01x\x7Fy",
      "-lead",         "trail.",       "x\u200By",     " \u00A0Ana ", "a/../../b",
      "\u2026\u2026",  "O\u2019Brien", "100% (sure)!", "..",          "name\0nul"s};
  for (const auto& in : inputs) {
    CAPTURE(in);
    const std::string slug = crm::text::slugify(in);
    CHECK_FALSE(slug.empty());
    CHECK(slug.find_first_of("/\\. \t\n\r") == std::string::npos);
    bool control = false;
    for (unsigned char c : slug) control = control || c < 0x20 || c == 0x7F;
    CHECK_FALSE(control);
    CHECK(slug.front() != '-');
    CHECK(slug.back() != '-');
    CHECK(slug.front() != '.');
    CHECK(is_valid_utf8(slug));
  }
  CHECK(crm::text::slugify("../etc/passwd") == "etc-passwd");
  CHECK(crm::text::slugify("x\u200By") == "x-y");
}

TEST_CASE("text: slugify throws invalid_data on invalid UTF-8") {
  const auto e = error_from([] { crm::text::slugify("ok\x80"); });
  CHECK(e.kind() == crm::ErrorKind::invalid_data);
  CHECK(std::string(e.what()) == "invalid UTF-8 at byte 2");
}

// ---------------------------------------------------------------------------
// display width, truncation, padding

TEST_CASE("text: display_width counts terminal columns") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("中文") == 4);
  CHECK(display_width("Si\xC3\xA2n") == 4);
  CHECK(display_width("Sia\u0302n") == 4); // the combining mark takes no column
  CHECK(display_width("سلام") == 4);
  CHECK(display_width("Олена") == 5);
  CHECK(display_width("😀") == 2);
  // Controls and zero-width characters take no column.
  CHECK(display_width("a\tb\n") == 2);
  CHECK(display_width("a\u200Bb") == 2);
  CHECK(display_width("\x1B") == 0);
}

TEST_CASE("text: display_width measures grapheme clusters as a terminal draws them") {
  // Devanagari: spacing vowel signs and the virama belong to their consonant.
  CHECK(display_width("अनीता शर्मा") == 7);
  CHECK(display_width("कि") == 1);
  // Bengali and Thai vowel signs likewise.
  CHECK(display_width("কি") == 1);
  CHECK(display_width("กำ") == 1);
  CHECK(display_width("สมชาย") == 5);
  // Emoji: presentation selector, ZWJ sequences, skin tones and flags are two columns.
  CHECK(display_width("❤️") == 2);
  CHECK(display_width("👩‍💻") == 2);
  CHECK(display_width("👨‍👩‍👧") == 2);
  CHECK(display_width("👍🏽") == 2);
  CHECK(display_width("🇷🇴") == 2);
  CHECK(display_width("a🇷🇴b") == 4);
  // CJK and Hangul stay two columns a character.
  CHECK(display_width("김민준") == 6);
  CHECK(display_width("中文 ok") == 7);
  // A ZWJ inside an Indic word only picks a glyph form.
  CHECK(display_width("क्‍ष") == 2);
}

TEST_CASE("text: display_width counts each invalid byte as one column") {
  // A terminal shows a replacement character per bad byte; never throws.
  CHECK(display_width("a\xFF" "b") == 3);
  CHECK(display_width("\xE2\x82") == 2);
}

TEST_CASE("text: truncate_to_width keeps text that fits") {
  CHECK(crm::text::truncate_to_width("abc", 3) == "abc");
  CHECK(crm::text::truncate_to_width("abc", 10) == "abc");
  CHECK(crm::text::truncate_to_width("中文", 4) == "中文");
  CHECK(crm::text::truncate_to_width("", 0) == "");
}

TEST_CASE("text: truncate_to_width cuts and appends an ellipsis") {
  CHECK(crm::text::truncate_to_width("abcdef", 4) == "abc\u2026");
  CHECK(crm::text::truncate_to_width("abcdef", 1) == "\u2026");
  CHECK(crm::text::truncate_to_width("abcdef", 0) == "");
  // A wide character that would overflow is dropped whole.
  CHECK(crm::text::truncate_to_width("中文字", 4) == "中\u2026");
  CHECK(crm::text::truncate_to_width("中文字", 5) == "中文\u2026");
  CHECK(crm::text::truncate_to_width("😀😀", 2) == "\u2026");
  CHECK(crm::text::truncate_to_width("Олена Шевченко", 4) == "Оле\u2026");
}

TEST_CASE("text: truncate_to_width keeps combining marks with their base") {
  CHECK(crm::text::truncate_to_width("Sia\u0302n Jones", 4) == "Sia\u0302\u2026");
  CHECK(crm::text::truncate_to_width("مُحَمَّد علي", 3) == "مُحَ\u2026");
}

TEST_CASE("text: truncate_to_width never splits a grapheme cluster") {
  CHECK(crm::text::truncate_to_width("अनीता शर्मा", 4) == "अनीता…");
  CHECK(crm::text::truncate_to_width("👩‍💻👩‍💻", 3) == "👩‍💻…");
  CHECK(crm::text::truncate_to_width("🇷🇴🇺🇦x", 4) == "🇷🇴…");
}

TEST_CASE("text: truncate_to_width output fits and stays valid UTF-8") {
  const std::vector<std::string> inputs = {"Siân O'Brien", "Sia\u0302n O'Brien",
                                           "Олена Шевченко", "中文名字很长", "😀a😀b😀",
                                           "مُحَمَّد علي", "अनीता शर्मा", "👩‍💻🇷🇴x"};
  for (const auto& in : inputs) {
    for (std::size_t w = 0; w <= 16; ++w) {
      CAPTURE(in);
      CAPTURE(w);
      const std::string out = crm::text::truncate_to_width(in, w);
      CHECK(display_width(out) <= w);
      CHECK(is_valid_utf8(out));
    }
  }
}

TEST_CASE("text: pad_right pads to display columns") {
  CHECK(crm::text::pad_right("ab", 5) == "ab   ");
  CHECK(crm::text::pad_right("中", 4) == "中  ");
  CHECK(crm::text::pad_right("Sia\u0302n", 6) == "Sia\u0302n  ");
  CHECK(display_width(crm::text::pad_right("Олена", 8)) == 8);
  // Wider text is left alone, not cut.
  CHECK(crm::text::pad_right("abcdef", 3) == "abcdef");
  CHECK(crm::text::pad_right("", 2) == "  ");
}

// ---------------------------------------------------------------------------
// ASCII helpers

TEST_CASE("text: trim strips ASCII whitespace at both ends") {
  CHECK(crm::text::trim("  a b \t\n") == "a b");
  CHECK(crm::text::trim("\r\n\v\f") == "");
  CHECK(crm::text::trim("") == "");
  CHECK(crm::text::trim("x") == "x");
  // Only ASCII whitespace: NO-BREAK SPACE stays.
  CHECK(crm::text::trim("\u00A0a ") == "\u00A0a");
}

TEST_CASE("text: split_lines keeps empty lines but starts none after a final newline") {
  using V = std::vector<std::string_view>;
  CHECK(crm::text::split_lines("") == V{});
  CHECK(crm::text::split_lines("a") == V{"a"});
  CHECK(crm::text::split_lines("a\n") == V{"a"});
  CHECK(crm::text::split_lines("a\n\nb") == V{"a", "", "b"});
  CHECK(crm::text::split_lines("\n") == V{""});
}

TEST_CASE("text: ascii_lower lowercases A-Z only") {
  CHECK(crm::text::ascii_lower("Hello WORLD 42") == "hello world 42");
  CHECK(crm::text::ascii_lower("ÀÉ ȘA") == "ÀÉ Șa");
  CHECK(crm::text::ascii_lower("[@Z`]") == "[@z`]");
}

TEST_CASE("text: search_fold folds like match_key and adds Arabic words without the article") {
  using crm::text::search_fold;
  CHECK(search_fold("Gwenllïan JONES") == "gwenllian jones");
  // "العرض" (the offer) also gives "عرض"; harakat go as in match_key.
  CHECK(search_fold("أرسلنا العَرْض") == crm::text::match_key("أرسلنا العرض") + " " + crm::text::match_key("عرض"));
  // Too short to be article + word: "ال" alone, "الم" (one letter after it).
  CHECK(search_fold("ال") == crm::text::match_key("ال"));
  CHECK(search_fold("الم") == crm::text::match_key("الم"));
  CHECK(search_fold("") == "");
}

TEST_SUITE_END();
