#include "format/vcard.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "format/vcard_impl.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::vcard {
using namespace vcard_impl;

namespace vcard_impl {

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

} // namespace vcard_impl

namespace {

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

bool is_encoding_word(std::string_view w) {
  return iequals(w, "QUOTED-PRINTABLE") || iequals(w, "BASE64") || iequals(w, "8BIT") || iequals(w, "7BIT") ||
         iequals(w, "B");
}

} // namespace

namespace vcard_impl {

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

} // namespace vcard_impl

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
