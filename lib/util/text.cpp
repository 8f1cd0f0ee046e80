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

// Length and width of the unit at p: one code point, or one invalid byte that a
// terminal shows as a replacement character (width 1).
std::size_t next_unit(const unsigned char* p, std::size_t n, std::size_t& width) {
  if (p[0] < 0x80) {
    width = (p[0] >= 0x20 && p[0] != 0x7F) ? 1 : 0;
    return 1;
  }
  char32_t cp = 0;
  const std::size_t len = decode(p, n, cp);
  if (len == 0) {
    width = 1;
    return 1;
  }
  width = cp_width(cp);
  return len;
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
  const std::string key = match_key(s);
  const unsigned char* p = bytes(key);
  const std::size_t n = key.size();
  std::string out;
  out.reserve(n);
  std::size_t chars = 0;
  bool pending_dash = false;
  std::size_t i = 0;
  while (i < n) {
    char32_t cp = p[i];
    std::size_t len = 1;
    if (cp >= 0x80) {
      len = decode(p + i, n - i, cp);
      if (len == 0) { // not expected: match_key output is valid UTF-8
        len = 1;
        cp = 0xFFFD;
      }
    }
    const bool keep = cp < 0x80 ? ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
                                : is_letter_or_digit(cp);
    if (!keep) {
      pending_dash = !out.empty();
    } else {
      // A dash is only written before a kept character, so the slug can neither
      // start nor end with one, even when the cut falls right after a separator.
      const std::size_t need = pending_dash ? 2 : 1;
      if (chars + need > max_chars) break;
      if (pending_dash) {
        out.push_back('-');
        pending_dash = false;
      }
      out.append(key, i, len);
      chars += need;
    }
    i += len;
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
    i += next_unit(p + i, n - i, w);
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
  // Zero-width code points (combining marks) never overflow, so they stay with the
  // base character before them; the cut happens at the first one that does not fit.
  while (i < n) {
    std::size_t w = 0;
    const std::size_t len = next_unit(p + i, n - i, w);
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

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

} // namespace crm::text
