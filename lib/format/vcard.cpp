#include "format/vcard.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <string>
#include <istream>
#include <optional>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::vcard {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

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

// Where the value starts: the first ':' outside double quotes.
std::size_t value_colon(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    else if (line[i] == ':' && !quoted) return i;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    else if (s[i] == sep && !quoted) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

bool is_encoding_word(std::string_view w) {
  return iequals(w, "QUOTED-PRINTABLE") || iequals(w, "BASE64") || iequals(w, "8BIT") || iequals(w, "7BIT") ||
         iequals(w, "B");
}

Param parse_param(std::string_view text) {
  Param p;
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    p.name = is_encoding_word(text) ? "ENCODING" : "TYPE";
    p.values.push_back(std::string(text));
    return p;
  }
  p.name = upper(text::trim(text.substr(0, eq)));
  for (auto v : split_unquoted(text.substr(eq + 1), ',')) p.values.push_back(unquote(v));
  return p;
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

// --- helpers -----------------------------------------------------------------

std::vector<std::string> param_values(const Property& property, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& p : property.params)
    if (p.name == name) out.insert(out.end(), p.values.begin(), p.values.end());
  return out;
}

bool has_type(const Property& property, std::string_view type) {
  for (const auto& v : param_values(property, "TYPE"))
    if (iequals(text::trim(v), type)) return true;
  return false;
}

std::vector<std::string> split_components(std::string_view value, char sep) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      parts.back() += value[i];
      parts.back() += value[++i];
    } else if (value[i] == sep) {
      parts.emplace_back();
    } else {
      parts.back() += value[i];
    }
  }
  return parts;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[i + 1];
    if (c == 'n' || c == 'N') out += '\n';
    else if (c == '\\' || c == ',' || c == ';' || c == ':' || c == '"') out += c;
    else {
      out += '\\';
      out += c;
    }
    ++i;
  }
  return out;
}

std::string unescape_v21(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == ';' || text[i + 1] == ',' || text[i + 1] == '\\')) {
      out += text[++i];
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string unescape(std::string_view text, std::string_view version) {
  return version == "2.1" ? unescape_v21(text) : unescape(text);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == ',' || c == ';') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string decode_base64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62; // '-' and '_': the URL-safe alphabet
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  unsigned bits = 0;
  int nbits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int v = value(c);
    if (v < 0 || padding) throw Error(ErrorKind::invalid_data, "bad base64 data");
    bits = (bits << 6) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out += static_cast<char>((bits >> nbits) & 0xFF);
    }
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0u);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += two ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Property parse_line(std::string_view line) {
  Property p;
  p.raw = std::string(line);
  const auto colon = value_colon(line);
  const std::string_view head = line.substr(0, colon == std::string_view::npos ? line.size() : colon);
  const auto segments = split_unquoted(head, ';');
  const std::string trimmed = text::trim(segments.front()); // name views into it
  std::string_view name = trimmed;
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos) {
    p.group = std::string(name.substr(0, dot));
    name = name.substr(dot + 1);
  }
  p.name = upper(name);
  for (std::size_t i = 1; i < segments.size(); ++i)
    if (!segments[i].empty()) p.params.push_back(parse_param(segments[i]));
  if (colon != std::string_view::npos) p.value = std::string(line.substr(colon + 1));
  return p;
}

std::string modern_line(const Property& property, std::string_view version) {
  const auto encodings = param_values(property, "ENCODING");
  const std::string encoding = encodings.empty() ? "" : upper(text::trim(encodings.front()));
  if (version != "2.1" && encoding != "QUOTED-PRINTABLE") return property.raw;
  const bool binary = encoding == "B" || encoding == "BASE64";
  Property out;
  out.group = property.group;
  out.name = property.name;
  Param types{"TYPE", {}};
  bool uri = property.name == "URL";
  for (const auto& param : property.params) {
    if (param.name == "CHARSET") continue;
    if (param.name == "ENCODING") continue; // written again below for base64 only
    if (param.name == "TYPE") {
      types.values.insert(types.values.end(), param.values.begin(), param.values.end());
      continue;
    }
    if (param.name == "VALUE")
      for (const auto& v : param.values) uri = uri || iequals(v, "URL") || iequals(v, "URI");
    out.params.push_back(param);
  }
  if (!types.values.empty()) out.params.insert(out.params.begin(), std::move(types));
  if (binary) {
    out.params.push_back({"ENCODING", {"b"}});
    for (char c : property.value)
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out.value += c;
    return property_line(out);
  }
  if (uri) {
    out.value = unescape(property.value, version);
    return property_line(out);
  }
  const auto components = split_components(property.value, ';');
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (i) out.value += ';';
    out.value += escape(unescape(components[i], version));
  }
  return property_line(out);
}

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

// --- writing -----------------------------------------------------------------

namespace {

std::string param_value_text(std::string_view v) {
  if (v.find_first_of(",;:\n") == std::string_view::npos) return std::string(v);
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '\n') quoted += "\\n";
    else if (c != '\r' && c != '"') quoted += c;
  }
  return quoted + '"';
}

} // namespace

std::string property_line(const Property& p) {
  if (!p.raw.empty()) return p.raw;
  std::string line;
  if (!p.group.empty()) line += p.group + '.';
  line += p.name;
  for (const auto& param : p.params) {
    line += ';';
    line += param.name;
    line += '=';
    for (std::size_t i = 0; i < param.values.size(); ++i) {
      if (i) line += ',';
      line += param_value_text(param.values[i]);
    }
  }
  line += ':';
  line += p.value;
  return line;
}

namespace {

// Folds at 75 octets: never inside a UTF-8 sequence, and never right after a '='
// (a reader would take it for a quoted-printable soft break).
void append_folded(std::string& out, std::string_view line) {
  std::size_t limit = 75;
  bool first = true;
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    std::size_t safe = cut;
    while (safe > 1 && line[safe - 1] == '=') --safe;
    if (safe > 1) cut = safe;
    if (!first) out += ' ';
    out.append(line.substr(0, cut));
    out += "\r\n";
    line.remove_prefix(cut);
    first = false;
    limit = 74;
  }
  if (!first) out += ' ';
  out.append(line);
  out += "\r\n";
}

bool is_structure_line(std::string_view name) {
  return name == "BEGIN" || name == "END" || name == "VERSION";
}

std::string raw_name(std::string_view raw) {
  auto end = raw.find_first_of(";:");
  std::string_view name = raw.substr(0, end == std::string_view::npos ? raw.size() : end);
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  return upper(text::trim(name));
}

} // namespace

std::string write_card(const Card& card, const WriteOptions& options) {
  if (options.version != "3.0" && options.version != "4.0")
    throw Error(ErrorKind::usage, fmt::format("unsupported vCard version '{}' (expected 3.0 or 4.0)", options.version));
  std::string out = "BEGIN:VCARD\r\n";
  out += "VERSION:" + options.version + "\r\n";
  for (const auto& p : card.properties) {
    if (is_structure_line(p.raw.empty() ? p.name : raw_name(p.raw))) continue;
    append_folded(out, property_line(p));
  }
  out += "END:VCARD\r\n";
  return out;
}

} // namespace crm::vcard
