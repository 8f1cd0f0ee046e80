#include "store/config_file.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include <fmt/format.h>

#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::store {

namespace {

constexpr ConfigKey known_keys[] = {
    {"currency", "the base currency, an ISO 4217 code (EUR, GBP, RON)"},
    {"region", "the default phone region, an ISO 3166 code (RO, GB, UA)"},
    {"index", "index.verify: stat (check every record file) or dirs (directory times only)"},
    {"stages", "a contact's lifecycle stages, in order"},
    {"cadence", "how often to get in touch by default: cadence.stage.NAME, cadence.tag.NAME (30d, 2w)"},
    {"feedback", "feedback.check_after: a follow-up this long after a complaint is resolved (7d, off)"},
    {"deals", "deals.stages: the open pipeline stages, each with its chance to win (percent)"},
    {"sales", "sales.first_sale_stage: the stage a contact's first sale moves it to (off: none)"},
    {"loyalty", "loyalty.points_per_unit: loyalty points per unit of the base currency spent"},
    {"rfm", "rfm.a, rfm.b: the lowest RFM scores of priority classes A and B"},
    {"churn", "churn.factor: how many usual intervals without a purchase make a customer slipping"},
    {"lead_scoring", "points for each filter a lead matches: [{where: FILTER, points: N}, ...]"},
    {"alias", "alias.NAME: a command of your own, the words it stands for"},
    {"git", "git.autocommit: true makes every writing command a git commit"},
};

// ---- lines ------------------------------------------------------------------

struct Lines {
  std::string bom;
  std::vector<std::string> text; // each line without its line end
  std::vector<std::string> eol;  // "\n", "\r\n", or "" for a last line without one
  std::string newline = "\n";    // what new lines end with: the file's own
};

Lines split(std::string_view s) {
  Lines l;
  if (s.starts_with("\xEF\xBB\xBF")) {
    l.bom = s.substr(0, 3);
    s.remove_prefix(3);
  }
  std::size_t i = 0;
  while (i < s.size()) {
    const auto nl = s.find('\n', i);
    if (nl == std::string_view::npos) {
      l.text.emplace_back(s.substr(i));
      l.eol.emplace_back();
      break;
    }
    std::size_t end = nl;
    std::string e = "\n";
    if (end > i && s[end - 1] == '\r') {
      --end;
      e = "\r\n";
    }
    l.text.emplace_back(s.substr(i, end - i));
    l.eol.push_back(std::move(e));
    i = nl + 1;
  }
  if (!l.eol.empty() && l.eol.front() == "\r\n") l.newline = "\r\n";
  return l;
}

std::string join(const Lines& l) {
  std::string out = l.bom;
  for (std::size_t i = 0; i < l.text.size(); ++i) out += l.text[i] + l.eol[i];
  return out;
}

void erase(Lines& l, std::size_t begin, std::size_t end) {
  if (end <= begin) return;
  l.text.erase(l.text.begin() + static_cast<std::ptrdiff_t>(begin), l.text.begin() + static_cast<std::ptrdiff_t>(end));
  l.eol.erase(l.eol.begin() + static_cast<std::ptrdiff_t>(begin), l.eol.begin() + static_cast<std::ptrdiff_t>(end));
}

void insert(Lines& l, std::size_t at, const std::vector<std::string>& lines) {
  if (at > 0 && l.eol[at - 1].empty()) l.eol[at - 1] = l.newline;
  l.text.insert(l.text.begin() + static_cast<std::ptrdiff_t>(at), lines.begin(), lines.end());
  l.eol.insert(l.eol.begin() + static_cast<std::ptrdiff_t>(at), lines.size(), l.newline);
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_space);
}

// Leading spaces (YAML indents with spaces only).
int indent_of(std::string_view s) {
  int n = 0;
  while (static_cast<std::size_t>(n) < s.size() && s[static_cast<std::size_t>(n)] == ' ') ++n;
  return n;
}

bool is_comment(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  return first != std::string_view::npos && s[first] == '#';
}

// Directives and document markers: neither keys nor values.
bool is_marker(std::string_view s) {
  if (s.starts_with("%")) return true;
  for (std::string_view m : {"---", "..."})
    if (s.starts_with(m) && (s.size() == 3 || is_space(s[3]))) return true;
  return false;
}

bool is_content(std::string_view s) { return !is_blank(s) && !is_comment(s) && !is_marker(s); }

// The end of a quoted scalar starting at `i` (one past its closing quote), or
// npos when it does not close on the line.
std::size_t quoted_end(std::string_view s, std::size_t i) {
  const char q = s[i];
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (q == '"' && s[j] == '\\') {
      ++j;
    } else if (s[j] == q) {
      if (q == '\'' && j + 1 < s.size() && s[j + 1] == '\'') {
        ++j;
        continue;
      }
      return j + 1;
    }
  }
  return std::string_view::npos;
}

// Where the value starting at `from` ends: before a comment (" #") outside
// quotes, trailing blanks left out.
std::size_t value_end(std::string_view s, std::size_t from) {
  std::size_t i = from;
  // A quote opens a quoted scalar only where a scalar starts: at the value's
  // start, or inside a flow list or map after [ { , or :.
  const bool flow = from < s.size() && (s[from] == '[' || s[from] == '{');
  bool token_start = true;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '#' && (i == 0 || is_space(s[i - 1]))) break;
    if ((c == '"' || c == '\'') && token_start) {
      const auto j = quoted_end(s, i);
      if (j == std::string_view::npos) {
        i = s.size();
        break;
      }
      i = j;
      token_start = false;
      continue;
    }
    if (flow && (c == '[' || c == '{' || c == ',' || c == ':')) token_start = true;
    else if (!is_space(c)) token_start = false;
    ++i;
  }
  while (i > from && is_space(s[i - 1])) --i;
  return i;
}

struct KeyLine {
  std::string key;
  std::size_t value_begin = 0, value_end = 0; // the value on the key's line
};

// "key: value  # note" at column `at`.
std::optional<KeyLine> parse_key_line(std::string_view s, std::size_t at) {
  if (at >= s.size()) return std::nullopt;
  KeyLine kl;
  std::size_t i = at;
  const char c = s[i];
  if (c == '"' || c == '\'') {
    const auto j = quoted_end(s, i);
    if (j == std::string_view::npos || j >= s.size() || s[j] != ':') return std::nullopt;
    try {
      const YAML::Node k = YAML::Load(std::string(s.substr(i, j - i)));
      if (!k.IsScalar()) return std::nullopt;
      kl.key = k.Scalar();
    } catch (const YAML::Exception&) {
      return std::nullopt;
    }
    i = j;
  } else {
    if (std::strchr("[]{},#&*!|>%@`", c)) return std::nullopt;
    if ((c == '-' || c == '?') && (i + 1 == s.size() || is_space(s[i + 1]))) return std::nullopt;
    std::size_t j = i;
    for (;; ++j) {
      if (j >= s.size()) return std::nullopt;
      if (s[j] == ':' && (j + 1 == s.size() || is_space(s[j + 1]))) break;
      if (s[j] == '#' && is_space(s[j - 1])) return std::nullopt;
    }
    std::size_t e = j;
    while (e > i && is_space(s[e - 1])) --e;
    kl.key = std::string(s.substr(i, e - i));
    i = j;
  }
  std::size_t v = i + 1;
  while (v < s.size() && is_space(s[v])) ++v;
  kl.value_begin = v;
  kl.value_end = value_end(s, v);
  return kl;
}

// A run of lines: a block mapping's entries (and what belongs to them), below a
// key indented `parent` columns (-1: the document).
struct Block {
  std::size_t begin = 0, end = 0;
  int parent = -1;
};

// The first content line's indentation, or -1 when the block has none.
int child_indent(const Lines& l, const Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i)
    if (is_content(l.text[i])) return indent_of(l.text[i]);
  return -1;
}

bool is_sequence_entry(std::string_view s, std::size_t at) {
  return at < s.size() && s[at] == '-' && (at + 1 == s.size() || is_space(s[at + 1]));
}

// The lines below the key on line `k` that belong to its value: deeper
// indented ones (and "- " entries at the key's own column when the key's line
// holds no value). Blank lines and comments no deeper than the key at its end
// belong to what follows.
Block value_block(const Lines& l, std::size_t k, bool value_on_line) {
  const int ki = indent_of(l.text[k]);
  std::size_t j = k + 1;
  for (; j < l.text.size(); ++j) {
    const auto& s = l.text[j];
    if (!is_content(s)) continue;
    const int ind = indent_of(s);
    if (ind > ki) continue;
    if (!value_on_line && ind == ki && is_sequence_entry(s, static_cast<std::size_t>(ind))) continue;
    break;
  }
  std::size_t end = j;
  while (end > k + 1) {
    const auto& s = l.text[end - 1];
    if (is_blank(s) || (!is_content(s) && indent_of(s) <= ki)) --end;
    else break;
  }
  return {k + 1, end, ki};
}

std::string dotted(const std::vector<std::string>& path, std::size_t upto) {
  std::string out;
  for (std::size_t i = 0; i < upto && i < path.size(); ++i) out += (i ? "." : "") + path[i];
  return out;
}

Error layout_error(const std::vector<std::string>& path) {
  return Error(ErrorKind::invalid_data,
               fmt::format("cannot change '{}' in place: config.yaml is laid out there in a way crm does not edit",
                           dotted(path, path.size())),
               {"edit .crm/config.yaml by hand"});
}

Error not_a_map(const std::vector<std::string>& path, std::size_t i) {
  return Error(ErrorKind::usage,
               fmt::format("cannot set '{}': '{}' holds a value, not keys", dotted(path, path.size()), dotted(path, i + 1)),
               {fmt::format("'crm config get {}' shows it", dotted(path, i + 1))});
}

Error not_set(const std::vector<std::string>& path) {
  return Error(ErrorKind::not_found, fmt::format("'{}' is not set", dotted(path, path.size())));
}

// The line of key `name` among the block's entries, if it is there. Throws when
// the block is not a block mapping crm can read line by line.
std::optional<std::size_t> find_key(const Lines& l, const Block& b, const std::string& name,
                                    const std::vector<std::string>& path, std::size_t i) {
  const int ci = child_indent(l, b);
  if (ci < 0) return std::nullopt;
  bool keys = false;
  for (std::size_t j = b.begin; j < b.end; ++j) {
    const auto& s = l.text[j];
    if (!is_content(s)) continue;
    const int ind = indent_of(s);
    if (ind > ci) continue;
    if (ind < ci || s[static_cast<std::size_t>(ind)] == '\t') throw layout_error(path);
    // "- " entries at a key's own column are that key's list ("key:\n- a\n- b").
    if (keys && is_sequence_entry(s, static_cast<std::size_t>(ind))) continue;
    const auto kl = parse_key_line(s, static_cast<std::size_t>(ind));
    keys = true;
    if (!kl) {
      if (i == 0) throw layout_error(path);
      throw not_a_map(path, i - 1);
    }
    if (kl->key == name) return j;
  }
  return std::nullopt;
}

// ---- writing values ------------------------------------------------------------

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    default:
      if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
      else out += ch;
    }
  }
  return out + "\"";
}

// Can `s` be written without quotes and read back as the same text, in a block
// (`key: s`) or inside a flow map or list (`{key: s}`)?
bool plain_ok(std::string_view s, bool flow) {
  if (s.empty() || is_space(s.front()) || is_space(s.back())) return false;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return false;
  }
  if (std::strchr("[]{},#&*!|>'\"%@`", s.front())) return false;
  if (std::strchr("-?:", s.front()) && (s.size() == 1 || is_space(s[1]))) return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos ||
      s.find("\t#") != std::string_view::npos || s.back() == ':')
    return false;
  if (flow && s.find_first_of(",[]{}:#") != std::string_view::npos) return false;
  try {
    const YAML::Node back = YAML::Load(std::string(s));
    return back.IsScalar() && back.Scalar() == s;
  } catch (const YAML::Exception&) {
    return false;
  }
}

std::string key_text(const std::string& name) {
  return plain_ok(name, false) && name.find_first_of(":#") == std::string::npos ? name : double_quoted(name);
}

std::string scalar_text(const YAML::Node& n, bool flow) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "!" && plain_ok(s, flow)) return s;
  return double_quoted(s);
}

std::string flow_text(const YAML::Node& n) {
  switch (n.Type()) {
  case YAML::NodeType::Map: {
    std::string out = "{";
    bool first = true;
    for (const auto& kv : n) {
      out += (first ? "" : ", ") + key_text(kv.first.Scalar()) + ":";
      const std::string v = flow_text(kv.second);
      if (!v.empty()) out += " " + v;
      first = false;
    }
    return out + "}";
  }
  case YAML::NodeType::Sequence: {
    std::string out = "[";
    bool first = true;
    for (const auto& item : n) {
      out += (first ? "" : ", ") + flow_text(item);
      first = false;
    }
    return out + "]";
  }
  case YAML::NodeType::Scalar:
    return scalar_text(n, true);
  default:
    return n.IsDefined() && !n.Scalar().empty() ? n.Scalar() : "null";
  }
}

// What follows "key: " on a line for `value`.
std::string line_value_text(const YAML::Node& value) {
  return value.IsScalar() ? scalar_text(value, false) : flow_text(value);
}

// "key: value  # note" with its value replaced by `text` (empty: none).
void replace_value(std::string& line, const KeyLine& kl, const std::string& text) {
  std::string prefix = line.substr(0, kl.value_begin);
  std::string suffix = line.substr(kl.value_end);
  if (text.empty()) {
    if (suffix.empty())
      while (!prefix.empty() && is_space(prefix.back())) prefix.pop_back();
  } else {
    if (!is_space(prefix.back())) prefix += ' ';
    if (!suffix.empty() && !is_space(suffix.front())) suffix.insert(0, " ");
  }
  line = prefix + text + suffix;
}

// ---- changes inside a flow map (yaml-cpp nodes) --------------------------------
// (A key a const map lacks is an "invalid" node: anything but IsDefined() on it throws.)

YAML::Node load_flow(std::string_view text, const std::vector<std::string>& path) {
  try {
    YAML::Node n = YAML::Load(std::string(text));
    if (n.IsMap()) return n;
  } catch (const YAML::Exception&) {
  }
  throw layout_error(path); // a flow map over several lines, or worse
}

bool is_unset(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

void set_node(YAML::Node node, const std::vector<std::string>& path, std::size_t i, const YAML::Node& value) {
  const std::string& name = path[i];
  if (i + 1 == path.size()) {
    node[name] = value;
    return;
  }
  const YAML::Node& view = node;
  const YAML::Node child = view[name];
  if (!is_unset(child) && !child.IsMap()) throw not_a_map(path, i);
  if (is_unset(child)) node[name] = YAML::Node(YAML::NodeType::Map);
  set_node(node[name], path, i + 1, value);
}

void remove_node(YAML::Node node, const std::vector<std::string>& path, std::size_t i) {
  const std::string& name = path[i];
  const YAML::Node& view = node;
  if (!node.IsDefined() || !node.IsMap() || is_unset(view[name])) throw not_set(path);
  if (i + 1 == path.size()) {
    node.remove(name);
    return;
  }
  remove_node(node[name], path, i + 1);
}

// ---- changes on the lines ------------------------------------------------------

int indent_step(const Lines& l) {
  for (const auto& s : l.text)
    if (is_content(s) && indent_of(s) > 0) return indent_of(s);
  return 2;
}

// Where a new key `name` goes in the block: below a commented-out example of it
// ("# cadence:" and the deeper comment lines after it), else after the block's
// last line.
std::size_t insertion_point(const Lines& l, const Block& b, int indent, const std::string& name) {
  for (std::size_t j = b.begin; j < b.end; ++j) {
    const std::string_view s = l.text[j];
    if (!is_comment(s) || indent_of(s) != indent) continue;
    std::string_view rest = s.substr(static_cast<std::size_t>(indent) + 1);
    const std::size_t depth = rest.find_first_not_of(' ');
    if (depth == std::string_view::npos) continue;
    rest.remove_prefix(depth);
    if (!rest.starts_with(name + ":") || (rest.size() > name.size() + 1 && !is_space(rest[name.size() + 1])))
      continue;
    std::size_t end = j + 1;
    while (end < b.end) {
      const std::string_view c = l.text[end];
      if (!is_comment(c) || indent_of(c) != indent) break;
      const auto d = c.substr(static_cast<std::size_t>(indent) + 1).find_first_not_of(' ');
      if (d == std::string_view::npos || d <= depth) break;
      ++end;
    }
    return end;
  }
  std::size_t at = b.end;
  while (at > b.begin && is_blank(l.text[at - 1])) --at;
  return at;
}

void insert_new(Lines& l, const Block& b, const std::vector<std::string>& path, std::size_t i,
                const YAML::Node& value) {
  const int step = indent_step(l);
  int indent = child_indent(l, b);
  if (indent < 0) indent = b.parent < 0 ? 0 : b.parent + step;
  const std::size_t at = insertion_point(l, b, indent, path[i]);
  std::vector<std::string> lines;
  for (std::size_t j = i; j < path.size(); ++j) {
    std::string line(static_cast<std::size_t>(indent + static_cast<int>(j - i) * step), ' ');
    line += key_text(path[j]) + ":";
    if (j + 1 == path.size()) line += " " + line_value_text(value);
    lines.push_back(std::move(line));
  }
  insert(l, at, lines);
}

bool null_text(std::string_view v) { return v == "~" || v == "null" || v == "Null" || v == "NULL"; }

void set_in(Lines& l, const Block& b, const std::vector<std::string>& path, std::size_t i, const YAML::Node& value) {
  const auto k = find_key(l, b, path[i], path, i);
  if (!k) {
    insert_new(l, b, path, i, value);
    return;
  }
  std::string& line = l.text[*k];
  const auto kl = *parse_key_line(line, static_cast<std::size_t>(indent_of(line)));
  const std::string v = line.substr(kl.value_begin, kl.value_end - kl.value_begin);
  const Block below = value_block(l, *k, !v.empty());
  if (i + 1 == path.size()) {
    replace_value(line, kl, line_value_text(value));
    erase(l, below.begin, below.end);
    return;
  }
  if (v.empty()) {
    if (child_indent(l, below) >= 0) set_in(l, below, path, i + 1, value);
    else insert_new(l, below, path, i + 1, value);
    return;
  }
  if (null_text(v)) {
    replace_value(line, kl, "");
    erase(l, below.begin, below.end);
    insert_new(l, Block{*k + 1, *k + 1, below.parent}, path, i + 1, value);
    return;
  }
  if (v.front() == '{') {
    YAML::Node flow = load_flow(v, path);
    set_node(flow, path, i + 1, value);
    replace_value(line, kl, flow_text(flow));
    return;
  }
  throw not_a_map(path, i);
}

void unset_in(Lines& l, const Block& b, const std::vector<std::string>& path, std::size_t i) {
  const auto k = find_key(l, b, path[i], path, i);
  if (!k) throw not_set(path);
  std::string& line = l.text[*k];
  const auto kl = *parse_key_line(line, static_cast<std::size_t>(indent_of(line)));
  const std::string v = line.substr(kl.value_begin, kl.value_end - kl.value_begin);
  const Block below = value_block(l, *k, !v.empty());
  if (i + 1 == path.size()) {
    erase(l, *k, below.end);
    return;
  }
  if (v.empty()) {
    unset_in(l, below, path, i + 1);
    // A parent left with nothing at all under it goes too.
    const Block left = value_block(l, *k, false);
    bool empty = true;
    for (std::size_t j = left.begin; j < left.end; ++j) empty = empty && is_blank(l.text[j]);
    if (empty) erase(l, *k, left.end);
    return;
  }
  if (v.front() == '{') {
    YAML::Node flow = load_flow(v, path);
    remove_node(flow, path, i + 1);
    replace_value(line, kl, flow_text(flow));
    return;
  }
  throw not_set(path);
}

// ---- checking a change ---------------------------------------------------------

// Nothing, null, or a map of nothing: what a reader of settings cannot tell apart.
bool is_empty(const YAML::Node& n) {
  if (is_unset(n)) return true;
  if (!n.IsMap()) return false;
  for (const auto& kv : n)
    if (!is_empty(kv.second)) return false;
  return true;
}

bool same(const YAML::Node& a, const YAML::Node& b) {
  if (is_empty(a) || is_empty(b)) return is_empty(a) && is_empty(b);
  if (a.Type() != b.Type()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar();
  if (a.IsSequence()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  // A new key may go elsewhere than yaml-cpp would put it: maps compare by key.
  // (No container of Nodes here: assigning a Node changes the node it refers to.)
  const auto count = [](const YAML::Node& m) {
    std::size_t n = 0;
    for (const auto& kv : m) n += is_empty(kv.second) ? 0 : 1;
    return n;
  };
  if (count(a) != count(b)) return false;
  for (const auto& kv : a) {
    if (is_empty(kv.second)) continue;
    const YAML::Node other = b[kv.first.Scalar()];
    if (!same(kv.second, other)) return false;
  }
  return true;
}

YAML::Node load(std::string_view text) {
  YAML::Node n = YAML::Load(std::string(text));
  return n;
}

// Reads both texts back: the new one must be the old one with exactly the
// change made, else the layout fooled the line edit and nothing is written.
void check_change(std::string_view before, std::string_view after, const std::vector<std::string>& path,
                  const std::function<void(YAML::Node)>& change) {
  try {
    const YAML::Node old_doc = load(before);
    YAML::Node expected = old_doc.IsMap() ? old_doc : YAML::Node(YAML::NodeType::Map);
    change(expected);
    if (same(expected, load(after))) return;
  } catch (const YAML::Exception&) {
  }
  throw layout_error(path);
}

} // namespace

std::span<const ConfigKey> config_keys() { return known_keys; }

std::vector<std::string> config_key_path(std::string_view key) {
  std::vector<std::string> path;
  std::size_t start = 0;
  for (;;) {
    const auto dot = key.find('.', start);
    path.emplace_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (path.back().empty())
      throw Error(ErrorKind::usage, fmt::format("bad key '{}'", key),
                  {"a key is names joined by dots: currency, index.verify, alias.overdue"});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (std::none_of(std::begin(known_keys), std::end(known_keys), [&](const ConfigKey& k) { return k.name == path[0]; })) {
    std::string names;
    for (const auto& k : known_keys) names += (names.empty() ? "" : ", ") + std::string(k.name);
    throw Error(ErrorKind::usage, fmt::format("unknown key '{}'", key), {"config.yaml knows: " + names});
  }
  return path;
}

YAML::Node config_value(std::string_view given) {
  if (!text::is_valid_utf8(given)) throw Error(ErrorKind::usage, "the value is not valid UTF-8");
  const std::string s = text::nfc(given);
  if (!s.empty() && (s.front() == '[' || s.front() == '{')) {
    const auto bad = [&](const std::string& why) {
      return Error(ErrorKind::invalid_data, fmt::format("bad value '{}': {}", s, why),
                   {"a list is [a, b], a map {key: value}; quote a text that starts with [ or {"});
    };
    try {
      check_yaml_text(s, "", "a config value");
    } catch (const RecordFileError& e) {
      throw bad(e.detail());
    }
    YAML::Node n;
    try {
      n = YAML::Load(s);
    } catch (const YAML::Exception& e) {
      throw bad(e.msg);
    }
    if (!n.IsMap() && !n.IsSequence()) throw bad("not a list or a map");
    return n;
  }
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'')) {
    try {
      YAML::Node n = YAML::Load(s);
      if (n.IsScalar() && n.Tag() == "!") return n;
    } catch (const YAML::Exception&) {
    }
  }
  return YAML::Node(s);
}

std::string config_text_set(std::string_view text, const std::vector<std::string>& path, const YAML::Node& value) {
  Lines l = split(text);
  set_in(l, Block{0, l.text.size(), -1}, path, 0, value);
  std::string out = join(l);
  check_change(text, out, path, [&](YAML::Node doc) { set_node(doc, path, 0, value); });
  return out;
}

std::string config_text_unset(std::string_view text, const std::vector<std::string>& path) {
  Lines l = split(text);
  unset_in(l, Block{0, l.text.size(), -1}, path, 0);
  std::string out = join(l);
  check_change(text, out, path, [&](YAML::Node doc) { remove_node(doc, path, 0); });
  return out;
}

YAML::Node config_document(std::string_view text, std::string_view file_for_messages) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", file_for_messages, e.mark.line + 1, e.msg));
  }
}

std::optional<YAML::Node> config_lookup(const YAML::Node& document, const std::vector<std::string>& path) {
  std::function<std::optional<YAML::Node>(const YAML::Node&, std::size_t)> at = [&](const YAML::Node& n,
                                                                                       std::size_t i) {
    if (i == path.size()) return is_unset(n) ? std::nullopt : std::optional<YAML::Node>(n);
    if (!n.IsDefined() || !n.IsMap()) return std::optional<YAML::Node>();
    const YAML::Node child = n[path[i]];
    return at(child, i + 1);
  };
  return at(document, 0);
}

std::vector<std::pair<std::string, YAML::Node>> config_leaves(const YAML::Node& document) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& n, const std::string& prefix) {
    for (const auto& kv : n) {
      const std::string key = prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar();
      if (is_unset(kv.second)) continue;
      if (kv.second.IsMap() && kv.second.size() > 0) walk(kv.second, key);
      else out.emplace_back(key, kv.second);
    }
  };
  if (document.IsMap()) walk(document, "");
  return out;
}

std::string config_flow_text(const YAML::Node& value) {
  return value.IsScalar() ? value.Scalar() : flow_text(value);
}

std::string config_block_text(const YAML::Node& value) {
  std::string out;
  std::function<void(const YAML::Node&, int)> block = [&](const YAML::Node& n, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (n.IsMap()) {
      for (const auto& kv : n) {
        out += pad + key_text(kv.first.Scalar()) + ":";
        if ((kv.second.IsMap() || kv.second.IsSequence()) && kv.second.size() > 0) {
          out += "\n";
          block(kv.second, indent + 2);
        } else if (!is_unset(kv.second)) {
          out += " " + line_value_text(kv.second) + "\n";
        } else {
          out += "\n";
        }
      }
    } else if (n.IsSequence()) {
      for (const auto& item : n) out += pad + "- " + line_value_text(item) + "\n";
    } else {
      out += pad + line_value_text(n) + "\n";
    }
  };
  if ((value.IsMap() || value.IsSequence()) && value.size() == 0) return flow_text(value) + "\n";
  block(value, 0);
  return out;
}

nlohmann::ordered_json config_json(const YAML::Node& value) {
  using Json = nlohmann::ordered_json;
  if (is_unset(value)) return nullptr;
  if (value.IsMap()) {
    Json obj = Json::object();
    for (const auto& kv : value) obj[kv.first.Scalar()] = config_json(kv.second);
    return obj;
  }
  if (value.IsSequence()) {
    Json arr = Json::array();
    for (const auto& item : value) arr.push_back(config_json(item));
    return arr;
  }
  const std::string& s = value.Scalar();
  if (value.Tag() == "!") return s;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  // Numbers as YAML 1.2 reads them, when JSON writes them back the same.
  const bool negative = s.starts_with("-");
  const std::string_view digits = std::string_view(s).substr(negative ? 1 : 0);
  const auto dot = digits.find('.');
  const std::string_view whole = digits.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : digits.substr(dot + 1);
  const auto all_digits = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (all_digits(whole) && whole.size() <= 15 && (whole == "0" || whole[0] != '0')) {
    if (dot == std::string_view::npos) return std::stoll(s);
    if (all_digits(frac) && frac.back() != '0' && whole.size() + frac.size() <= 15) return std::stod(s);
  }
  return s;
}

} // namespace crm::store
