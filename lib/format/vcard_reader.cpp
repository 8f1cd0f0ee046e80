// Reading vCard files a card at a time (vcard::Reader): line ends, folding,
// quoted-printable, UTF-16 files and CHARSET conversion (vcard.hpp lists what is
// accepted beyond the specs).
#include "format/vcard.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstddef>
#include <iterator>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "format/vcard_impl.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::vcard {
using namespace vcard_impl;

namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// `bytes` in `charset` as UTF-8; nullopt when iconv does not know the charset or
// the bytes are not valid in it.
std::optional<std::string> iconv_to_utf8(std::string_view bytes, const std::string& charset) {
  iconv_t cd = ::iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  std::string in(bytes);
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  char buf[4096];
  bool ok = true;
  while (in_left > 0) {
    char* out_ptr = buf;
    std::size_t out_left = sizeof buf;
    const std::size_t r = ::iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    out.append(buf, sizeof buf - out_left);
    if (r == static_cast<std::size_t>(-1) && errno != E2BIG) {
      ok = false;
      break;
    }
  }
  if (ok) { // flush any shift state
    char* out_ptr = buf;
    std::size_t out_left = sizeof buf;
    ::iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
    out.append(buf, sizeof buf - out_left);
  }
  ::iconv_close(cd);
  if (!ok) return std::nullopt;
  return out;
}

// Windows-1252, with the five bytes it leaves undefined read as Latin-1, so that
// any byte string has a reading.
std::string windows_1252_to_utf8(std::string_view bytes) {
  if (auto s = iconv_to_utf8(bytes, "WINDOWS-1252")) return *s;
  std::string out;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (auto one = iconv_to_utf8(std::string_view(reinterpret_cast<const char*>(&c), 1), "WINDOWS-1252")) {
      out += *one;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// Valid UTF-8 with each invalid sequence replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const auto bad = text::invalid_utf8_offset(s);
    if (bad == std::string_view::npos) {
      out += s;
      break;
    }
    out += s.substr(0, bad);
    out += "\xEF\xBF\xBD";
    s.remove_prefix(bad + 1);
    while (!s.empty() && (static_cast<unsigned char>(s[0]) & 0xC0) == 0x80) s.remove_prefix(1);
  }
  return out;
}

std::string decode_quoted_printable(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i]; // a stray '=' is kept: better than dropping text
    }
  }
  return out;
}

// Property names a bare line (no ':') may be; anything else is taken as text.
bool is_bare_property_name(std::string_view line) {
  static const char* const known[] = {"FN",    "N",     "NICKNAME", "PHOTO", "BDAY",     "ADR",   "LABEL", "TEL",
                                      "EMAIL", "TITLE", "ROLE",     "ORG",   "NOTE",     "URL",   "UID",   "REV",
                                      "CATEGORIES", "KEY", "SOUND", "LOGO", "ANNIVERSARY", "GENDER", "IMPP"};
  if (line.size() > 2 && iequals(line.substr(0, 2), "X-"))
    return std::all_of(line.begin(), line.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
  return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return iequals(line, k); });
}

struct PhysicalLine {
  std::string text;
  std::size_t number = 0;
};

bool is_begin(std::string_view line) { return iequals(text::trim(line), "BEGIN:VCARD"); }
bool is_end(std::string_view line) { return iequals(text::trim(line), "END:VCARD"); }

} // namespace

// --- reading -----------------------------------------------------------------

struct Reader::Impl {
  std::istream* in = nullptr;
  std::string source;
  std::string buffer; // bytes read ahead (the sniffed start) or the whole transcoded file
  std::size_t pos = 0;
  bool transcoded = false; // a UTF-16 file, already UTF-8: CHARSET parameters are moot
  bool started = false;
  std::size_t line_number = 0;
  std::optional<PhysicalLine> lookahead;
  std::optional<PhysicalLine> pushed_back_logical; // a BEGIN:VCARD met inside a card
  bool stopped = false; // past a limit: the rest of the input is not read

  static constexpr int eof = std::char_traits<char>::eof();

  int get() {
    if (pos < buffer.size()) return static_cast<unsigned char>(buffer[pos++]);
    if (!in) return eof;
    return in->rdbuf()->sbumpc();
  }
  int peek() {
    if (pos < buffer.size()) return static_cast<unsigned char>(buffer[pos]);
    if (!in) return eof;
    return in->rdbuf()->sgetc();
  }

  Error error(std::size_t line, const std::string& message) const {
    return Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", source, line, message));
  }

  // Input is untrusted: past a limit reading stops (endless input ends in an
  // error, not in memory running out), and next() says the end.
  Error over_limit(std::size_t line, const std::string& what) {
    stopped = true;
    return Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", source, line, what), {"see README, \"Limits\""});
  }
  void check_line(const PhysicalLine& l) {
    if (l.text.size() > max_line_bytes) throw over_limit(l.number, fmt::format("a line longer than {} MiB", max_line_bytes >> 20));
  }

  // Looks at the first bytes: a UTF-16 file is converted whole, up front.
  void start() {
    started = true;
    if (!in) return;
    char head[4];
    in->read(head, 4);
    buffer.assign(head, static_cast<std::size_t>(in->gcount()));
    in->clear(in->rdstate() & ~std::ios::failbit & ~std::ios::eofbit);
    std::string encoding;
    std::size_t bom = 0;
    const auto b = [&](std::size_t i) { return i < buffer.size() ? static_cast<unsigned char>(buffer[i]) : 0x100u; };
    if (b(0) == 0xFE && b(1) == 0xFF) encoding = "UTF-16BE", bom = 2;
    else if (b(0) == 0xFF && b(1) == 0xFE) encoding = "UTF-16LE", bom = 2;
    else if (b(0) == 0 && b(1) != 0 && b(1) != 0x100) encoding = "UTF-16BE";
    else if (b(0) != 0 && b(0) != 0x100 && b(1) == 0) encoding = "UTF-16LE";
    else if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
      pos = 3;
      return;
    }
    if (encoding.empty()) return;
    std::string all = buffer.substr(bom);
    char chunk[65536];
    while (in->read(chunk, sizeof chunk) || in->gcount() > 0) {
      all.append(chunk, static_cast<std::size_t>(in->gcount()));
      if (all.size() > max_utf16_bytes) {
        in = nullptr;
        throw over_limit(1, fmt::format("a {} file larger than {} MiB", encoding, max_utf16_bytes >> 20));
      }
    }
    auto utf8 = iconv_to_utf8(all, encoding);
    buffer.clear();
    pos = 0;
    in = nullptr;
    if (!utf8) throw error(1, fmt::format("the file looks like {} but is not valid {}", encoding, encoding));
    buffer = std::move(*utf8);
    transcoded = true;
  }

  // One line without its line end: CRLF, LF, CR, or CR CR LF.
  bool read_physical(PhysicalLine& out) {
    if (lookahead) {
      out = std::move(*lookahead);
      lookahead.reset();
      return true;
    }
    int c = get();
    if (c == eof) return false;
    out.text.clear();
    out.number = ++line_number;
    while (c != eof) {
      if (c == '\n') break;
      if (c == '\r') {
        while (peek() == '\r') get();
        if (peek() == '\n') get();
        break;
      }
      out.text += static_cast<char>(c);
      if (out.text.size() > max_line_bytes) check_line(out);
      c = get();
    }
    return true;
  }

  const PhysicalLine* peek_physical() {
    if (!lookahead) {
      PhysicalLine next;
      if (!read_physical(next)) return nullptr;
      lookahead = std::move(next);
    }
    return &*lookahead;
  }

  // One content line: folded lines joined, quoted-printable soft breaks joined.
  bool read_logical(PhysicalLine& out) {
    if (pushed_back_logical) {
      out = std::move(*pushed_back_logical);
      pushed_back_logical.reset();
      return true;
    }
    if (!read_physical(out)) return false;
    const auto colon = value_colon(out.text);
    const bool qp = colon != std::string::npos &&
                    upper(std::string_view(out.text).substr(0, colon)).find("QUOTED-PRINTABLE") != std::string::npos;
    for (;;) {
      const PhysicalLine* next = peek_physical();
      if (!next) break;
      if (qp && !out.text.empty() && out.text.back() == '=' && !is_end(next->text) && !is_begin(next->text)) {
        out.text.pop_back();
        out.text += next->text;
      } else if (!next->text.empty() && (next->text[0] == ' ' || next->text[0] == '\t')) {
        out.text += std::string_view(next->text).substr(1);
      } else {
        break;
      }
      lookahead.reset();
      check_line(out);
    }
    return true;
  }

  // The value as UTF-8, by the property's CHARSET (see vcard.hpp); `converted`
  // says whether it came from a charset other than UTF-8.
  std::string to_utf8(std::string bytes, const Property& p, Card& card, bool& converted) {
    converted = false;
    if (is_ascii(bytes)) return bytes;
    const auto charsets = param_values(p, "CHARSET");
    const std::string charset = charsets.empty() || transcoded ? "" : upper(text::trim(charsets.front()));
    const std::string what = p.name.empty() ? std::string("text") : fmt::format("'{}'", p.name);
    if (!charset.empty() && charset != "UTF-8" && charset != "UTF8" && charset != "US-ASCII") {
      if (auto s = iconv_to_utf8(bytes, charset)) {
        converted = true;
        return *s;
      }
      card.warnings.push_back(
          fmt::format("line {}: {} is not valid {}: read as UTF-8 or windows-1252", p.line, what, charset));
    }
    if (text::is_valid_utf8(bytes)) return bytes;
    if (charset == "UTF-8" || charset == "UTF8") {
      card.warnings.push_back(fmt::format("line {}: {} is not valid UTF-8: bad bytes replaced", p.line, what));
      return replace_invalid_utf8(bytes);
    }
    if (charset.empty())
      card.warnings.push_back(
          fmt::format("line {}: {} is not UTF-8 and names no charset: read as windows-1252", p.line, what));
    converted = true;
    return windows_1252_to_utf8(bytes);
  }

  Property parse_property(const PhysicalLine& logical, Card& card) {
    Property p;
    p.line = logical.number;
    std::string line = logical.text;
    auto colon = value_colon(line);
    // "LABEL,TYPE=HOME:..." (a writer's typo): the ',' read as the ';' it stands for,
    // so that the property and the line kept of it are LABEL;TYPE=HOME.
    if (const auto comma = line.find(','); colon != std::string::npos && comma < colon &&
                                           comma < line.find(';') && line.find('=', comma) < colon) {
      card.warnings.push_back(
          fmt::format("line {}: ',' after '{}' read as ';'", logical.number, line.substr(0, comma)));
      line[comma] = ';';
      colon = value_colon(line);
    }
    const std::string_view head = std::string_view(line).substr(0, colon == std::string::npos ? line.size() : colon);
    auto segments = split_unquoted(head, ';');
    std::string_view name = segments.front();
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos) {
      p.group = std::string(name.substr(0, dot));
      name = name.substr(dot + 1);
    }
    p.name = upper(name);
    std::vector<std::string_view> kept_segments{segments.front()};
    for (std::size_t i = 1; i < segments.size(); ++i) {
      if (segments[i].empty()) continue;
      p.params.push_back(parse_param(segments[i]));
      if (p.params.back().name != "CHARSET") kept_segments.push_back(segments[i]);
    }
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    const auto encodings = param_values(p, "ENCODING");
    const std::string encoding = encodings.empty() ? "" : upper(encodings.front());
    const bool qp = encoding == "QUOTED-PRINTABLE";
    const bool binary = encoding == "B" || encoding == "BASE64";
    if (qp) value = decode_quoted_printable(value);
    bool converted = false;
    if (!binary) value = to_utf8(std::move(value), p, card, converted);
    p.value = std::move(value);
    if (converted && !qp) {
      std::string raw;
      for (std::size_t i = 0; i < kept_segments.size(); ++i) {
        if (i) raw += ';';
        raw += kept_segments[i];
      }
      p.raw = raw + ':' + p.value;
      if (!text::is_valid_utf8(p.raw)) p.raw = windows_1252_to_utf8(p.raw);
    } else {
      p.raw = text::is_valid_utf8(line) ? line : windows_1252_to_utf8(line);
    }
    return p;
  }

  bool next(Card& card) {
    if (stopped) return false;
    if (!started) start();
    card = Card{};
    PhysicalLine line;
    // Find BEGIN:VCARD; anything else but blank lines is reported once, up to the next BEGIN.
    for (;;) {
      if (!read_logical(line)) return false;
      if (text::trim(line.text).empty()) continue;
      if (is_begin(line.text)) break;
      const std::size_t where = line.number;
      const std::string found = line.text.substr(0, 40);
      while (const PhysicalLine* next = peek_physical()) {
        if (is_begin(next->text)) break;
        lookahead.reset();
      }
      throw error(where, fmt::format("expected BEGIN:VCARD, found '{}'", text::is_valid_utf8(found) ? found : "?"));
    }
    card.line = line.number;
    for (;;) {
      if (!read_logical(line)) throw error(card.line, "card has no END:VCARD");
      if (text::trim(line.text).empty()) continue;
      if (is_end(line.text)) break;
      if (is_begin(line.text)) {
        const std::size_t begin_line = line.number;
        pushed_back_logical = std::move(line);
        throw error(card.line, fmt::format("card has no END:VCARD (a new BEGIN:VCARD on line {})", begin_line));
      }
      if (value_colon(line.text) == std::string::npos) {
        const std::string bare(text::trim(line.text));
        if (!is_bare_property_name(bare)) {
          if (card.properties.empty()) {
            card.warnings.push_back(fmt::format("line {}: line without ':' skipped", line.number));
            continue;
          }
          // A writer that did not fold: the text is the next line of the previous value.
          auto& previous = card.properties.back();
          const std::string text = text::is_valid_utf8(line.text) ? line.text : windows_1252_to_utf8(line.text);
          const std::string_view sep = previous.value.empty() ? "" : "\\n";
          previous.value += std::string(sep) + text;
          previous.raw += std::string(sep) + text;
          card.warnings.push_back(fmt::format("line {}: line without ':' read as part of '{}' on line {}", line.number,
                                              previous.name, previous.line));
          continue;
        }
        line.text = bare + ":";
      }
      Property p = parse_property(line, card);
      if (p.name == "VERSION") {
        card.version = text::trim(p.value);
        continue;
      }
      card.properties.push_back(std::move(p));
    }
    return true;
  }
};

Reader::Reader(std::istream& in, std::string source_name) : impl_(std::make_unique<Impl>()) {
  impl_->in = &in;
  impl_->source = std::move(source_name);
}

Reader::~Reader() = default;

bool Reader::next(Card& card) { return impl_->next(card); }

} // namespace crm::vcard
