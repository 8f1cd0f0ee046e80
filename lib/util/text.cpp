#include "util/text.hpp"

#include "util/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include <utf8proc.h>

namespace crm::text {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes the code point starting at p (n >= 1 bytes available). Returns its length
// in bytes, or 0 when the bytes there are not a well-formed UTF-8 sequence: stray
// continuation byte, overlong form, surrogate, above U+10FFFF, or cut short.
std::size_t decode(const unsigned char* p, std::size_t n, char32_t& cp) {
  const unsigned b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 < 0xC2) return 0; // continuation byte, or C0/C1 (always overlong)
  if (b0 < 0xE0) {
    if (n < 2 || !is_cont(p[1])) return 0;
    cp = (char32_t(b0 & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b0 < 0xF0) {
    if (n < 3) return 0;
    // E0 needs A0.. to not be overlong; ED stops at 9F to exclude surrogates.
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi || !is_cont(p[2])) return 0;
    cp = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (b0 < 0xF5) {
    if (n < 4) return 0;
    // F0 needs 90.. to not be overlong; F4 stops at 8F to stay <= U+10FFFF.
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi || !is_cont(p[2]) || !is_cont(p[3])) return 0;
    cp = (char32_t(b0 & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
         (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  }
  return 0; // F5..FF never start a sequence
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Offset of the first invalid sequence (or npos); `ascii` tells whether every byte
// was below 0x80, which lets callers skip utf8proc entirely.
std::size_t scan(std::string_view s, bool& ascii) {
  const unsigned char* p = bytes(s);
  const std::size_t n = s.size();
  std::size_t i = 0;
  ascii = true;
  while (i < n) {
    // Most input is ASCII: test eight bytes at a time.
    if (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    ascii = false;
    char32_t cp;
    const std::size_t len = decode(p + i, n - i, cp);
    if (len == 0) return i;
    i += len;
  }
  return npos;
}

// Validates `s` for the functions documented to throw; returns whether it is ASCII.
bool require_utf8(std::string_view s) {
  bool ascii = true;
  const std::size_t bad = scan(s, ascii);
  if (bad != npos)
    throw Error(ErrorKind::invalid_data, "invalid UTF-8 at byte " + std::to_string(bad));
  return ascii;
}

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// utf8proc_map on already validated input.
std::string map(std::string_view s, int options) {
  if (s.empty()) return {};
  utf8proc_uint8_t* raw = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &raw,
                   static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> out(raw);
  if (n == UTF8PROC_ERROR_NOMEM) throw std::bad_alloc();
  if (n == UTF8PROC_ERROR_OVERFLOW) throw Error(ErrorKind::invalid_data, "text too long");
  // Other errors cannot happen for validated input; report them as bad data.
  if (n < 0) throw Error(ErrorKind::invalid_data, "invalid UTF-8");
  return std::string(reinterpret_cast<const char*>(out.get()), static_cast<std::size_t>(n));
}

bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool is_unicode_space(char32_t cp) {
  const utf8proc_category_t cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}

bool is_letter_or_digit(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return true;
  default:
    return false;
  }
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Collapses whitespace runs to one ' ' and trims, in place (the output never
// grows, so writing behind the read position is safe). `s` must be valid UTF-8.
void collapse_spaces(std::string& s) {
  const unsigned char* p = bytes(s);
  const std::size_t n = s.size();
  std::size_t r = 0;
  std::size_t w = 0;
  bool pending = false;
  while (r < n) {
    std::size_t len = 1;
    bool space;
    if (p[r] < 0x80) {
      space = is_ascii_space(p[r]);
    } else {
      char32_t cp = 0;
      len = decode(p + r, n - r, cp);
      if (len == 0) len = 1; // not expected after validation; keep the byte
      space = is_unicode_space(cp);
    }
    if (space) {
      pending = w > 0;
    } else {
      if (pending) {
        s[w++] = ' ';
        pending = false;
      }
      // memmove semantics: w <= r always, and equal ranges are fine.
      if (w != r) std::memmove(s.data() + w, s.data() + r, len);
      w += len;
    }
    r += len;
  }
  s.resize(w);
}

// Width of one code point in terminal columns, never negative.
std::size_t cp_width(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  const int w = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
  return w > 0 ? static_cast<std::size_t>(w) : 0;
}

constexpr char32_t kZwj = 0x200D;
constexpr char32_t kEmojiPresentation = 0xFE0F; // VARIATION SELECTOR-16

utf8proc_boundclass_t boundclass(char32_t cp) {
  return static_cast<utf8proc_boundclass_t>(utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->boundclass);
}

// Emoji and other pictographs (a ZWJ after one joins an emoji sequence; after a
// letter of an Indic script it only chooses a glyph form).
bool is_pictographic(char32_t cp) {
  switch (boundclass(cp)) {
  case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
  case UTF8PROC_BOUNDCLASS_E_ZWG:
  case UTF8PROC_BOUNDCLASS_E_BASE:
  case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
  case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
    return true;
  default:
    return false;
  }
}

// Length and width of the grapheme cluster at p, as a terminal draws it: the
// width of its base character, with marks, vowel signs and joiners inside it
// adding nothing; 2 for an emoji sequence (VS16, ZWJ, a flag's two regional
// indicators). An invalid byte is a cluster of its own that a terminal shows as
// a replacement character (width 1); controls take no column.
std::size_t next_cluster(const unsigned char* p, std::size_t n, std::size_t& width) {
  char32_t base = 0;
  std::size_t len = 0;
  if (p[0] < 0x80) {
    base = p[0];
    len = 1;
  } else {
    len = decode(p, n, base);
    if (len == 0) {
      width = 1;
      return 1;
    }
  }
  width = cp_width(base);
  // An ASCII letter followed by ASCII is the common case: no lookup needed.
  if (len == n || (p[0] < 0x80 && p[len] < 0x80)) return len;
  utf8proc_int32_t state = 0;
  char32_t prev = base;
  std::size_t regional = boundclass(base) == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR ? 1 : 0;
  bool emoji_sequence = false;
  while (len < n) {
    char32_t cp = p[len];
    std::size_t cp_len = 1;
    if (cp >= 0x80) {
      cp_len = decode(p + len, n - len, cp);
      if (cp_len == 0) break; // an invalid byte starts its own cluster
    }
    if (utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev), static_cast<utf8proc_int32_t>(cp),
                                         &state))
      break;
    if (cp == kEmojiPresentation || (cp == kZwj && is_pictographic(base))) emoji_sequence = true;
    if (boundclass(cp) == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR) ++regional;
    prev = cp;
    len += cp_len;
  }
  if (width > 0 && (emoji_sequence || regional >= 2)) width = 2;
  return len;
}

// Code points whose accents an id drops, as ids always did for Latin names
// ("Siân" -> sian); in other scripts a mark is part of the letter and stays.
bool is_latin(char32_t cp) {
  return cp < 0x80 || (cp >= 0xC0 && cp <= 0x24F) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
         (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xAB30 && cp <= 0xAB6F);
}

// Arabic harakat and Quranic annotation marks: optional vowel signs a writer may
// leave out, not part of a letter (a hamza is: أ is one code point in NFC).
bool is_arabic_vowel_mark(char32_t cp) {
  return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED);
}

bool is_mark(char32_t cp) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

void append_utf8(std::string& out, char32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Letters of Arabic-script languages that are one letter written in two
// traditions (Persian and Urdu keyboards type ی and ک, Arabic ones ي and ك), or
// a form that a writer uses for it: each is compared as the Arabic letter.
char32_t arabic_variant(char32_t cp) {
  switch (cp) {
  case 0x06CC: // FARSI YEH
  case 0x0649: // ALEF MAKSURA
    return 0x064A; // YEH
  case 0x06A9: // KEHEH (Persian kaf)
  case 0x06AA: // SWASH KAF
    return 0x0643; // KAF
  case 0x06C1: // HEH GOAL
  case 0x06BE: // HEH DOACHASHMEE
  case 0x06D5: // AE (Kurdish heh; HEH WITH YEH ABOVE without its mark)
  case 0x0629: // TEH MARBUTA
    return 0x0647; // HEH
  default:
    return cp;
  }
}

constexpr char32_t kTatweel = 0x0640; // a stretch of the line, not a letter

// Replaces Arabic letter variants by one form and drops tatweel, in place when
// nothing changes (most text has no Arabic at all).
void fold_arabic_variants(std::string& s) {
  const unsigned char* p = bytes(s);
  const std::size_t n = s.size();
  // Every letter concerned is encoded with lead byte D8, D9 or DA/DB.
  bool any = false;
  for (std::size_t i = 0; i < n && !any; ++i) any = p[i] >= 0xD8 && p[i] <= 0xDB;
  if (!any) return;
  std::string out;
  out.reserve(n);
  std::size_t i = 0;
  while (i < n) {
    char32_t cp = p[i];
    std::size_t len = 1;
    if (cp >= 0x80) {
      len = decode(p + i, n - i, cp);
      if (len == 0) { // not expected after validation; keep the byte
        out += s[i++];
        continue;
      }
    }
    if (cp != kTatweel) {
      const char32_t folded = arabic_variant(cp);
      if (folded == cp) out.append(s, i, len);
      else append_utf8(out, folded);
    }
    i += len;
  }
  s = std::move(out);
}

} // namespace

bool is_valid_utf8(std::string_view s) { return invalid_utf8_offset(s) == npos; }

std::size_t invalid_utf8_offset(std::string_view s) {
  bool ascii = true;
  return scan(s, ascii);
}

std::string nfc(std::string_view s) {
  if (require_utf8(s)) return std::string(s); // ASCII is already NFC
  return map(s, UTF8PROC_COMPOSE);
}

std::string casefold(std::string_view s) {
  if (require_utf8(s)) return ascii_lower(s); // full folding of ASCII is A-Z only
  return map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

std::string match_key(std::string_view s) {
  std::string out;
  if (require_utf8(s)) {
    out.assign(s);
    for (char& c : out) c = lower(c);
  } else {
    // STRIPMARK drops Mn/Mc/Me after canonical decomposition, which COMPOSE implies.
    out = map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    fold_arabic_variants(out);
  }
  collapse_spaces(out);
  return out;
}

std::string search_fold(std::string_view s) {
  std::string folded = match_key(s);
  static constexpr std::string_view article = "\xD8\xA7\xD9\x84"; // ا ل
  std::string extra;
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const auto word = std::string_view(folded).substr(start, end - start);
    // At least two letters (4 bytes) left after the article.
    if (word.size() >= article.size() + 4 && word.starts_with(article))
      extra += " " + std::string(word.substr(article.size()));
    start = end + 1;
  }
  return folded + extra;
}

std::string slugify(std::string_view s, std::size_t max_chars, std::string_view fallback) {
  const bool ascii = require_utf8(s);
  // Marks stay (a Cyrillic ї, a Devanagari vowel sign) except on Latin letters,
  // which lose their accents as ids always did; so compose and fold case only.
  const std::string key = ascii ? ascii_lower(s) : map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  const unsigned char* p = bytes(key);
  const std::size_t n = key.size();
  std::string out;
  out.reserve(n);
  std::size_t chars = 0;
  bool pending_dash = false;
  bool after_kept = false;  // the last code point seen was kept (a mark may follow it)
  bool latin_base = false;  // ... and it was a Latin letter (its marks go)
  auto keep = [&](char32_t cp) {
    // A dash is only written before a kept character, so the slug can neither
    // start nor end with one, even when the cut falls right after a separator.
    const std::size_t need = pending_dash ? 2 : 1;
    if (chars + need > max_chars) return false;
    if (pending_dash) {
      out.push_back('-');
      pending_dash = false;
    }
    append_utf8(out, cp);
    chars += need;
    return true;
  };
  std::size_t i = 0;
  while (i < n) {
    char32_t cp = p[i];
    std::size_t len = 1;
    if (cp >= 0x80) {
      len = decode(p + i, n - i, cp);
      if (len == 0) { // not expected: utf8proc output is valid UTF-8
        len = 1;
        cp = 0xFFFD;
      }
    }
    i += len;
    if (is_mark(cp)) {
      if (after_kept && !latin_base && !is_arabic_vowel_mark(cp) && !keep(cp)) break;
      continue;
    }
    if (cp >= 0x80 && is_latin(cp)) {
      // "â" -> "a": the letter's decomposition without its marks.
      utf8proc_int32_t parts[8];
      int last_boundclass = 0;
      const auto count = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), parts, 8,
                                                 static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK),
                                                 &last_boundclass);
      if (count == 1) cp = static_cast<char32_t>(parts[0]);
    }
    const bool letter = cp < 0x80 ? ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) : is_letter_or_digit(cp);
    if (!letter) {
      pending_dash = !out.empty();
      after_kept = false;
      continue;
    }
    if (!keep(cp)) break;
    after_kept = true;
    latin_base = is_latin(cp);
  }
  if (out.empty()) return std::string(fallback);
  return out;
}

std::size_t display_width(std::string_view s) {
  const unsigned char* p = bytes(s);
  const std::size_t n = s.size();
  std::size_t total = 0;
  std::size_t i = 0;
  while (i < n) {
    std::size_t w = 0;
    i += next_cluster(p + i, n - i, w);
    total += w;
  }
  return total;
}

std::string truncate_to_width(std::string_view s, std::size_t width) {
  if (width == 0) return {};
  if (display_width(s) <= width) return std::string(s);
  const std::size_t budget = width - 1; // one column is left for the ellipsis
  const unsigned char* p = bytes(s);
  const std::size_t n = s.size();
  std::size_t used = 0;
  std::size_t i = 0;
  // Whole grapheme clusters: a vowel sign or a mark stays with its base letter,
  // an emoji sequence is never cut in two.
  while (i < n) {
    std::size_t w = 0;
    const std::size_t len = next_cluster(p + i, n - i, w);
    if (used + w > budget) break;
    used += w;
    i += len;
  }
  std::string out(s.substr(0, i));
  out += "\xE2\x80\xA6"; // U+2026 HORIZONTAL ELLIPSIS
  return out;
}

std::string pad_right(std::string_view s, std::size_t width) {
  const std::size_t w = display_width(s);
  std::string out(s);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_ascii_space(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && is_ascii_space(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < s.size()) {
    const auto nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

} // namespace crm::text
