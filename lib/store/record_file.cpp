#include "store/record_file.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/error.hpp"
#include "util/text.hpp"
#include "util/yaml_emit.hpp"

namespace crm::store {
namespace {

using model::Field;
using model::FieldKind;
using Json = nlohmann::ordered_json;

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

RecordFileError file_error(std::string_view path, int line, std::string_view what) {
  return RecordFileError(std::string(path), line, std::string(what));
}

// Any YAML node as JSON; scalars stay strings (YAML gives no types we could trust).
Json to_json(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Scalar: return node.Scalar();
  case YAML::NodeType::Sequence: {
    Json arr = Json::array();
    for (const auto& item : node) arr.push_back(to_json(item));
    return arr;
  }
  case YAML::NodeType::Map: {
    Json obj = Json::object();
    for (const auto& kv : node) obj[kv.first.Scalar()] = to_json(kv.second);
    return obj;
  }
  default: return nullptr;
  }
}

// A list field may be written as a sequence or, by hand, as one scalar.
Json list_of_strings(const YAML::Node& node) {
  Json arr = Json::array();
  if (node.IsScalar()) {
    arr.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) arr.push_back(item.IsScalar() ? Json(item.Scalar()) : to_json(item));
  } else {
    return to_json(node);
  }
  return arr;
}

// emails/phones: items are {main: ..., label: ...} maps, or a bare scalar by hand.
Json list_of_points(const YAML::Node& node, const char* main_key) {
  Json arr = Json::array();
  auto add = [&](const YAML::Node& item) {
    if (item.IsScalar()) arr.push_back(Json{{main_key, item.Scalar()}});
    else arr.push_back(to_json(item));
  };
  if (node.IsSequence()) for (const auto& item : node) add(item);
  else add(node);
  return arr;
}

Json field_value(const Field& f, const YAML::Node& node) {
  switch (f.kind) {
  case FieldKind::list: return list_of_strings(node);
  case FieldKind::emails: return list_of_points(node, "address");
  case FieldKind::phones: return list_of_points(node, "number");
  case FieldKind::integer: {
    // A whole number is the one scalar read as a number; anything else stays text
    // for check_field to name.
    if (!node.IsScalar()) return to_json(node);
    const std::string& s = node.Scalar();
    std::size_t i = s.size() > 1 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i == s.size() || s.size() > 18) return s;
    for (std::size_t k = i; k < s.size(); ++k)
      if (s[k] < '0' || s[k] > '9') return s;
    return std::stoll(s);
  }
  default: return to_json(node);
  }
}

bool is_empty_value(const Json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

} // namespace

RecordFileError::RecordFileError(std::string path, int line, std::string detail)
    : Error(ErrorKind::invalid_data,
            line > 0 ? fmt::format("{}:{}: {}", path, line, detail) : fmt::format("{}: {}", path, detail)),
      path_(std::move(path)), line_(line), detail_(std::move(detail)) {}

ParsedRecord parse_record(const model::RecordType& type, std::string_view yaml_text,
                          std::string_view path) {
  if (!text::is_valid_utf8(yaml_text)) {
    const auto off = text::invalid_utf8_offset(yaml_text);
    const int line = 1 + static_cast<int>(std::count(yaml_text.begin(), yaml_text.begin() + off, '\n'));
    throw file_error(path, line, "invalid UTF-8");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw file_error(path, e.mark.line + 1, e.msg);
  }
  if (!root.IsMap())
    throw file_error(path, root.IsDefined() && !root.IsNull() ? line_of(root) : 0,
                     fmt::format("expected a {} record (a mapping of keys to values)", type.name));

  ParsedRecord parsed;
  auto& rec = parsed.record;
  rec = Json::object();
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) throw file_error(path, line_of(kv.first), "keys must be plain text");
    const std::string& key = kv.first.Scalar();
    if (rec.contains(key)) throw file_error(path, line_of(kv.first), fmt::format("duplicate key '{}'", key));
    parsed.lines[key] = line_of(kv.first);
    if (kv.second.IsNull()) continue; // "key:" with nothing after it = not set
    const Field* f = type.field(key);
    rec[key] = f ? field_value(*f, kv.second) : to_json(kv.second);
    if (f) {
      if (auto p = model::check_field(*f, rec[key])) {
        if (f->kind == FieldKind::id) throw file_error(path, line_of(kv.second), *p);
        parsed.problems.push_back({line_of(kv.second), key, *p});
      }
    }
  }
  // yaml-cpp reads an unclosed quote up to the end of the file, folding the keys
  // after it into one value. Every "key:" line at the left margin must be a key.
  std::size_t line_start = 0;
  for (int line = 1; line_start < yaml_text.size(); ++line) {
    const auto end = yaml_text.find('\n', line_start);
    const auto l = yaml_text.substr(line_start, end == std::string_view::npos ? std::string_view::npos : end - line_start);
    line_start = end == std::string_view::npos ? yaml_text.size() : end + 1;
    const auto colon = l.find(':');
    if (l.empty() || colon == std::string_view::npos || colon == 0) continue;
    const auto key = l.substr(0, colon);
    // Keys in any script, with inner spaces; not comments, list items or quotes.
    const bool plain_key = key.front() != ' ' && key.front() != '#' && key.front() != '-' && key.back() != ' ' &&
                           std::all_of(key.begin(), key.end(), [](char c) {
                             const auto u = static_cast<unsigned char>(c);
                             return std::isalnum(u) || u >= 0x80 || c == '_' || c == '-' || c == '.' || c == ' ';
                           });
    if (plain_key && (colon + 1 == l.size() || l[colon + 1] == ' ' || l[colon + 1] == '\r') &&
        !parsed.lines.contains(std::string(key)))
      throw file_error(path, line, fmt::format("'{}' is inside an unclosed quote or block above", key));
  }
  if (!rec.contains("id")) throw file_error(path, 0, "missing 'id'");
  for (const auto& f : type.fields)
    if (f.required && !rec.contains(std::string(f.key)) && f.kind != FieldKind::id)
      parsed.problems.push_back({0, std::string(f.key), fmt::format("missing '{}'", f.key)});
  if (parsed.problems.empty() && type.check) {
    std::vector<model::Problem> problems;
    type.check(rec, problems);
    for (auto& p : problems) {
      auto line = parsed.lines.find(p.key);
      parsed.problems.push_back({line != parsed.lines.end() ? line->second : 0, p.key, p.message});
    }
  }
  return parsed;
}

namespace {

// The entries a record file holds, in field order, then the others as they come.
template <typename F> void for_each_written(const model::RecordType& type, const model::Record& record, F&& fn) {
  for (const auto& f : type.fields) {
    auto it = record.find(std::string(f.key));
    if (it == record.end() || is_empty_value(*it)) continue;
    fn(std::string(f.key), *it);
  }
  for (const auto& [k, v] : record.items()) {
    if (type.field(k) || v.is_null()) continue;
    fn(text::nfc(k), v);
  }
}

} // namespace

std::string render_record(const model::RecordType& type, const model::Record& record) {
  // The plain writer first; yaml-cpp for records with text it alone escapes right.
  std::string text;
  bool plain = true;
  for_each_written(type, record, [&](const std::string& key, const Json& value) {
    if (!plain) return;
    if (!text.empty()) text += '\n';
    plain = yaml::append_key(text, key, 0) && yaml::append_value(text, value, 0);
  });
  if (plain && !text.empty()) {
    text += '\n';
    return text;
  }
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  for_each_written(type, record, [&](const std::string& key, const Json& value) {
    out << YAML::Key << key << YAML::Value;
    yaml::emit(out, value);
  });
  out << YAML::EndMap;
  text = out.c_str();
  text += '\n';
  return text;
}

} // namespace crm::store
