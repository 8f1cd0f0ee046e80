#include "util/yaml_emit.hpp"

#include <algorithm>
#include <string_view>

#include "util/text.hpp"

namespace crm::yaml {
namespace {

using Json = nlohmann::ordered_json;


bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Would a YAML 1.1 or 1.2 reader take this plain scalar for a number (including
// octal "0722", hex, ".inf", sexagesimal "1:30" and dates like "2024-01-15")?
bool looks_numeric(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return false;
  if (iequals(s, ".inf") || iequals(s, ".nan")) return true;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
    return std::all_of(s.begin() + 2, s.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
             c == '_';
    });
  }
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      digit = true;
    else if (std::string_view("._:eE+-").find(c) == std::string_view::npos)
      return false;
  }
  return digit;
}

// Strings a YAML reader would resolve to null, a boolean or a number; yaml-cpp
// only quotes some of them by itself (it leaves "yes", "true" and "0722" plain).
bool yaml_needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  // "=" and "<<" are YAML 1.1's value and merge-key types.
  for (std::string_view word :
       {"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "=", "<<"})
    if (iequals(s, word)) return true;
  return looks_numeric(s);
}

// A literal block reads back exactly only if yaml-cpp can write it without an
// indentation indicator (first line not indented) and nothing needs escaping.
// Clip chomping ("|") means a value without a final newline reads back with one.
bool yaml_literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return false;
  // Trailing blank lines would be dropped by clip chomping.
  if (s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F)
      return false;
  }
  return true;
}

// Characters yaml-cpp would leave raw in a plain scalar where a reader sees a line
// break or drops them: a control character (a tab only at either end).
bool has_raw_control(std::string_view s) {
  if (!s.empty() && (s.front() == '\t' || s.back() == '\t')) return true;
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

void emit_string(YAML::Emitter& e, const std::string& raw) {
  const std::string s = text::nfc(raw);
  if (yaml_needs_quotes(s) || (s.find('\n') == std::string::npos && has_raw_control(s))) {
    e << YAML::DoubleQuoted << s;
  } else if (yaml_literal_ok(s) && s.back() == '\n') {
    // Clip chomping restores the one final newline, so it is not written twice.
    e << YAML::Literal << s.substr(0, s.size() - 1);
  } else if (s.find('\n') != std::string::npos) {
    // yaml-cpp cannot write "|-": quoting keeps text without a final newline exact.
    e << YAML::DoubleQuoted << s;
  } else {
    e << s;
  }
}

// Would yaml-cpp write `s` as a plain scalar in block context (its
// IsValidPlainScalar)? Errs on the side of "no": a "no" only costs the fast path.
bool plain_ok(std::string_view s) {
  if (s.empty() || s.size() > 1024) return false; // longer ones change yaml-cpp's key format
  if (s == "~" || s == "null" || s == "Null" || s == "NULL") return false;
  const auto blank_or_break = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  if (std::string_view(" \t\r\n,[]{}#&*!|>'\"%@`").find(s[0]) != std::string_view::npos) return false;
  if ((s[0] == '-' || s[0] == '?' || s[0] == ':') && (s.size() == 1 || blank_or_break(s[1]))) return false;
  if (s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && (next(1) == 0 || next(1) == ' ')) return false;
    if (c == ' ' && next(1) == '#') return false;
    if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) return false;              // C1 controls, NEL
    if (c == 0xEF && next(1) == 0xBB && next(2) == 0xBF) return false;              // byte order mark
    if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) return false; // LS, PS
  }
  return true;
}

// Can `s` be double-quoted with no escapes at all?
bool quoted_ok(std::string_view s) {
  return s.size() <= 1024 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

bool append_scalar(std::string& out, std::string_view s, bool quoted) {
  if (quoted ? !quoted_ok(s) : !plain_ok(s)) return false;
  if (quoted) out += '"';
  out += s;
  if (quoted) out += '"';
  return true;
}

// A key inside a nested map, quoted as emit() quotes it.
bool append_nested_key(std::string& out, const std::string& key) {
  return append_scalar(out, text::nfc(key), yaml_needs_quotes(key));
}

// `after_dash`: the value is a sequence item, so a map's first entry shares the
// dash's line.
bool append_node(std::string& out, const Json& v, int col, bool after_dash) {
  switch (v.type()) {
  case Json::value_t::object: {
    if (v.empty()) {
      out += " {}";
      return true;
    }
    bool first = true;
    for (const auto& [key, val] : v.items()) {
      if (first && after_dash) {
        out += ' ';
      } else {
        out += '\n';
        out.append(static_cast<std::size_t>(col + 2), ' ');
      }
      first = false;
      if (!append_nested_key(out, key)) return false;
      out += ':';
      if (!append_node(out, val, col + 2, false)) return false;
    }
    return true;
  }
  case Json::value_t::array:
    if (v.empty()) {
      out += " []";
      return true;
    }
    for (const auto& item : v) {
      out += '\n';
      out.append(static_cast<std::size_t>(col + 2), ' ');
      out += '-';
      if (!append_node(out, item, col + 2, true)) return false;
    }
    return true;
  case Json::value_t::string: {
    const std::string s = text::nfc(v.get_ref<const std::string&>());
    out += ' ';
    // Text with a newline is a literal block or escaped: yaml-cpp's part.
    return s.find('\n') == std::string::npos && append_scalar(out, s, yaml_needs_quotes(s));
  }
  case Json::value_t::null:
    out += " ~";
    return true;
  case Json::value_t::boolean:
    out += v.get<bool>() ? " true" : " false";
    return true;
  default:
    out += ' ';
    return append_scalar(out, v.dump(), false);
  }
}

} // namespace

void emit(YAML::Emitter& e, const Json& v) {
  switch (v.type()) {
  case Json::value_t::object:
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    e << YAML::BeginMap;
    for (const auto& [key, val] : v.items()) {
      e << YAML::Key;
      if (yaml_needs_quotes(key))
        e << YAML::DoubleQuoted;
      e << text::nfc(key) << YAML::Value;
      emit(e, val);
    }
    e << YAML::EndMap;
    return;
  case Json::value_t::array:
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    e << YAML::BeginSeq;
    for (const auto& item : v) emit(e, item);
    e << YAML::EndSeq;
    return;
  case Json::value_t::string:
    emit_string(e, v.get_ref<const std::string&>());
    return;
  case Json::value_t::null:
    e << YAML::Null;
    return;
  case Json::value_t::boolean:
    e << (v.get<bool>() ? "true" : "false");
    return;
  default: // numbers, written as JSON writes them
    e << v.dump();
    return;
  }
}


bool append_key(std::string& out, std::string_view key, int col) {
  out.append(static_cast<std::size_t>(col), ' ');
  if (!append_scalar(out, key, false)) return false;
  out += ':';
  return true;
}

bool append_value(std::string& out, const Json& value, int col) { return append_node(out, value, col, false); }

} // namespace crm::yaml
