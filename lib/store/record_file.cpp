#include "store/record_file.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "util/error.hpp"
#include "util/fs.hpp"
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
// `depth` is the node's own (the record's top-level values are at 1).
// Text as crm writes it: in NFC (render_record), so that what it writes reads
// back the same. Text that is not UTF-8 (from a "\xFF" escape) stays as it is:
// crm refuses to write it back.
std::string as_text(const std::string& scalar) {
  return text::is_valid_utf8(scalar) ? text::nfc(scalar) : scalar;
}

Json to_json(const YAML::Node& node, int depth = 1) {
  if (depth > max_record_depth)
    throw RecordFileError("", line_of(node), fmt::format("nested deeper than {} levels", max_record_depth));
  switch (node.Type()) {
  case YAML::NodeType::Scalar: return as_text(node.Scalar());
  case YAML::NodeType::Sequence: {
    Json arr = Json::array();
    for (const auto& item : node) arr.push_back(to_json(item, depth + 1));
    return arr;
  }
  case YAML::NodeType::Map: {
    Json obj = Json::object();
    for (const auto& kv : node) {
      const std::string key = as_text(kv.first.Scalar());
      if (obj.contains(key)) throw RecordFileError("", line_of(kv.first), fmt::format("duplicate key '{}'", key));
      obj[key] = to_json(kv.second, depth + 1);
    }
    return obj;
  }
  default: return nullptr;
  }
}

// Walks a text's YAML events and refuses anchors, aliases and tags, before the
// text is loaded: yaml-cpp shares an aliased node, but turning it into JSON copies
// it each time, and nine levels of ten aliases are a billion values.
class StructureCheck : public YAML::EventHandler {
public:
  explicit StructureCheck(std::string_view kind) : kind_(kind) {}
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { node(mark, "", anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse(mark, "a YAML alias (*)"); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string&) override {
    node(mark, tag, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    node(mark, tag, anchor);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    node(mark, tag, anchor);
  }
  void OnMapEnd() override {}

private:
  void refuse(const YAML::Mark& mark, std::string_view what) const {
    throw RecordFileError("", mark.line + 1, fmt::format("{}: crm writes none, and reads none in {}", what, kind_));
  }
  void node(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) const {
    if (anchor != YAML::NullAnchor) refuse(mark, "a YAML anchor (&)");
    // "?" and "!" are what yaml-cpp gives untagged plain and quoted scalars.
    if (!tag.empty() && tag != "?" && tag != "!") refuse(mark, fmt::format("a YAML tag ({})", tag));
  }
  std::string_view kind_;
};

} // namespace

void check_yaml_text(std::string_view text, std::string_view path, std::string_view kind) {
  if (text.size() > max_record_bytes)
    throw file_error(path, 0, fmt::format("larger than {} KiB, the most {} may hold", max_record_bytes / 1024, kind));
  std::size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > max_record_line_bytes)
      throw file_error(path, line,
                       fmt::format("a line longer than {} KiB, the most {}'s line may hold",
                                   max_record_line_bytes / 1024, kind));
    // yaml-cpp reads a NUL byte as other bytes (0xA0), making text that is not
    // UTF-8; crm writes none (it escapes one as "\0").
    if (text.substr(start, end - start).find('\0') != std::string_view::npos)
      throw file_error(path, line, "a NUL byte");
    start = end + 1;
  }
  // Most files have none of the characters an anchor, alias or tag needs: those
  // are parsed once.
  if (text.find_first_of("&*!") == std::string_view::npos) return;
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  StructureCheck check(kind);
  try {
    parser.HandleNextDocument(check);
  } catch (const RecordFileError& e) {
    throw file_error(path, e.line(), e.detail());
  } catch (const YAML::Exception& e) {
    throw file_error(path, e.mark.line + 1, e.msg);
  }
}

std::string read_yaml_text(const std::filesystem::path& path) { return fs::read_file(path, max_record_bytes + 1); }

namespace {

// A list field may be written as a sequence or, by hand, as one scalar.
Json list_of_strings(const YAML::Node& node) {
  Json arr = Json::array();
  if (node.IsScalar()) {
    arr.push_back(as_text(node.Scalar()));
  } else if (node.IsSequence()) {
    for (const auto& item : node) arr.push_back(to_json(item));
  } else {
    return to_json(node);
  }
  return arr;
}

// emails/phones: items are {main: ..., label: ...} maps, or a bare scalar by hand.
Json list_of_points(const YAML::Node& node, const char* main_key) {
  Json arr = Json::array();
  auto add = [&](const YAML::Node& item) {
    if (item.IsScalar()) arr.push_back(Json{{main_key, as_text(item.Scalar())}});
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

namespace {

bool is_marker(std::string_view line, char c) {
  if (line.size() < 7 || line.find_first_not_of(c) < 7) return false;
  return line.size() == 7 || line[7] == ' ' || line[7] == '\r';
}

// The key a line of a block mapping starts with ("city" of "city: Cluj", or of
// "  city: Cluj"); empty for a list item, a comment or a line without a key.
std::string key_of_line(std::string_view line) {
  const auto start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) return {};
  line.remove_prefix(start);
  if (line.starts_with('-') || line.starts_with('#')) return {};
  if (line.starts_with('"') || line.starts_with('\'')) {
    const char q = line.front();
    const auto end = line.find(q, 1);
    if (end == std::string_view::npos || end + 1 >= line.size() || line[end + 1] != ':') return {};
    return std::string(line.substr(1, end - 1));
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\r') return {};
  return std::string(line.substr(0, colon));
}

} // namespace

std::vector<ConflictMark> conflict_marks(std::string_view text) {
  std::vector<ConflictMark> marks;
  if (!text.starts_with("<<<<<<<") && text.find("\n<<<<<<<") == std::string_view::npos) return marks;
  std::string top_key; // the last key at the left margin before the marker
  ConflictMark* open = nullptr;
  bool named = false;
  std::size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto l = text.substr(start, end - start);
    start = end + 1;
    if (is_marker(l, '<')) {
      marks.push_back({line, {}});
      open = &marks.back();
      named = false;
      continue;
    }
    if (is_marker(l, '>')) {
      open = nullptr;
      continue;
    }
    if (is_marker(l, '=') || is_marker(l, '|')) continue;
    const bool indented = l.starts_with(' ') || l.starts_with('-');
    if (open && !named) {
      if (const auto key = key_of_line(l); !key.empty()) {
        open->field = indented ? (top_key.empty() ? key : top_key + "." + key) : key;
        named = true;
      } else if (indented && !top_key.empty() && l.find_first_not_of(' ') != std::string_view::npos) {
        open->field = top_key; // an item of a list
        named = true;
      }
    }
    if (!indented && !open)
      if (auto key = key_of_line(l); !key.empty()) top_key = std::move(key);
  }
  return marks;
}

std::string conflict_message(const ConflictMark& mark) {
  return mark.field.empty() ? "merge conflict" : fmt::format("merge conflict in field '{}'", mark.field);
}

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
  // A merge left this file for a person to finish: name the first field, so
  // that the index's warning and doctor say what to fix.
  if (const auto marks = conflict_marks(yaml_text); !marks.empty())
    throw file_error(path, marks.front().line,
                     marks.size() == 1 ? conflict_message(marks.front())
                                       : fmt::format("{} (and {} more)", conflict_message(marks.front()),
                                                     marks.size() - 1));
  check_yaml_text(yaml_text, path, "a record file");
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
  std::set<std::string> keys_as_written;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) throw file_error(path, line_of(kv.first), "keys must be plain text");
    keys_as_written.insert(kv.first.Scalar());
    const Field* f = type.field(kv.first.Scalar());
    // A key crm has no field for is written back in NFC: read it so.
    const std::string& as_written = kv.first.Scalar();
    const std::string key = f ? as_written : as_text(as_written);
    if (rec.contains(key) || parsed.lines.contains(key))
      throw file_error(path, line_of(kv.first), fmt::format("duplicate key '{}'", key));
    parsed.lines[key] = line_of(kv.first);
    if (kv.second.IsNull()) continue; // "key:" with nothing after it = not set
    try {
      rec[key] = f ? field_value(*f, kv.second) : to_json(kv.second);
    } catch (const RecordFileError& e) { // from to_json, which knows the line but not the file
      throw file_error(path, e.line(), e.detail());
    }
    // A field that is empty ("", [], {}) is not set either: crm writes none.
    if (f && is_empty_value(rec[key])) {
      rec.erase(key);
      continue;
    }
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
        !keys_as_written.contains(std::string(key)))
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

std::string render_unchecked(const model::RecordType& type, const model::Record& record) {
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

} // namespace

std::string render_record(const model::RecordType& type, const model::Record& record) {
  std::string text = render_unchecked(type, record);
  // What crm writes it must read back: the size limits hold for its own files too.
  try {
    check_yaml_text(text, "", "a record file");
  } catch (const RecordFileError& e) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("{} '{}' would be {}", type.name, record.value("id", ""), e.detail()),
                {"a record file holds names, notes and links: put large content in a file of its own"});
  }
  return text;
}

} // namespace crm::store
