#include "ops/git/merge.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "store/record_file.hpp"
#include "util/contact_point.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using Json = nlohmann::ordered_json;
using Value = std::optional<Json>; // nullopt: the field is not there
using model::FieldKind;

// A field's merged value, or a conflict.
struct Outcome {
  Value value;
  bool conflict = false;
};

Value get(const Json& object, const std::string& key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return *it;
}

// The plain three-way rule: what one side changed wins; both the same way is fine.
Outcome merge3(const Value& base, const Value& ours, const Value& theirs) {
  if (ours == theirs) return {ours};
  if (ours == base) return {theirs};
  if (theirs == base) return {ours};
  return {std::nullopt, true};
}

bool is_empty(const Json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

Value non_empty(Json v) {
  if (is_empty(v)) return std::nullopt;
  return v;
}

// What makes two list items the same item: an email's address (as import
// matches it), a phone's number, else the whole item.
std::string identity(FieldKind kind, const Json& item) {
  if (kind == FieldKind::emails && item.is_object() && item.contains("address") && item["address"].is_string())
    return "email:" + contact_point::email_key(item["address"].get<std::string>());
  if (kind == FieldKind::phones && item.is_object()) {
    for (const char* key : {"e164", "number"})
      if (item.contains(key) && item[key].is_string()) return std::string("phone:") + item[key].get<std::string>();
  }
  return item.dump();
}

// Lists as sets: ours' items in ours' order, less those theirs removed, then
// theirs' additions. An item (an email with its label) changed on one side and
// removed or changed otherwise on the other is a conflict of the whole list.
Outcome merge_list(FieldKind kind, const Value& base, const Value& ours, const Value& theirs) {
  const Json empty = Json::array();
  const Json& b = base ? *base : empty;
  const Json& o = ours ? *ours : empty;
  const Json& t = theirs ? *theirs : empty;
  if (!b.is_array() || !o.is_array() || !t.is_array()) return {std::nullopt, true};
  auto by_identity = [kind](const Json& list) {
    std::map<std::string, Value> items;
    for (const auto& item : list) items.emplace(identity(kind, item), item);
    return items;
  };
  const auto in_base = by_identity(b), in_ours = by_identity(o), in_theirs = by_identity(t);
  auto at = [](const std::map<std::string, Value>& items, const std::string& id) -> Value {
    const auto it = items.find(id);
    return it == items.end() ? std::nullopt : it->second;
  };
  Json merged = Json::array();
  std::set<std::string> kept;
  for (const auto& item : o) {
    const std::string id = identity(kind, item);
    Value value = item;
    if (in_theirs.contains(id) || in_base.contains(id)) {
      // Both have it (one may have changed it), or theirs removed it.
      const auto r = merge3(at(in_base, id), value, at(in_theirs, id));
      if (r.conflict) return r;
      value = r.value;
    }
    if (!value) continue;
    merged.push_back(*value);
    kept.insert(id);
  }
  for (const auto& item : t) {
    const std::string id = identity(kind, item);
    if (in_ours.contains(id) || kept.contains(id)) continue;
    if (in_base.contains(id)) {
      // Ours removed it: gone, unless theirs changed it meanwhile.
      if (at(in_base, id) != Value(item)) return {std::nullopt, true};
      continue;
    }
    merged.push_back(item);
    kept.insert(id);
  }
  return {non_empty(std::move(merged))};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Free text both sides changed: ours, then the lines theirs added (those
// neither in the base nor in ours), written as crm writes multi-line text (a
// final newline when it spans lines).
Outcome append_text(const Value& base, const Value& ours, const Value& theirs) {
  for (const auto* v : {&base, &ours, &theirs})
    if (*v && !(*v)->is_string()) return {std::nullopt, true};
  auto text = [](const Value& v) { return v ? v->get<std::string>() : std::string(); };
  const auto base_lines = lines_of(text(base)), our_lines = lines_of(text(ours));
  std::set<std::string> known(base_lines.begin(), base_lines.end());
  known.insert(our_lines.begin(), our_lines.end());
  std::vector<std::string> lines = our_lines;
  for (const auto& line : lines_of(text(theirs)))
    if (known.insert(line).second) lines.push_back(line);
  if (lines.size() == our_lines.size()) return {ours};
  std::string merged;
  for (const auto& line : lines) merged += line + "\n";
  if (lines.size() == 1) merged.pop_back();
  return {non_empty(merged)};
}

// `updated`: the later time; `created`: the earlier.
Outcome pick_time(const Value& ours, const Value& theirs, bool later) {
  if (!ours || !theirs || !ours->is_string() || !theirs->is_string()) return {std::nullopt, true};
  const auto o = time::parse_timestamp(ours->get<std::string>());
  const auto t = time::parse_timestamp(theirs->get<std::string>());
  if (!o || !t) return {std::nullopt, true};
  const bool ours_later = o->unix_seconds > t->unix_seconds ||
                          (o->unix_seconds == t->unix_seconds && *ours >= *theirs);
  return {ours_later == later ? ours : theirs};
}

struct Conflict {
  std::string key;
  std::string sub; // a map's key (custom.size); empty: the whole field
  Value ours, theirs;
};

struct Merged {
  Json record = Json::object();
  std::vector<Conflict> conflicts;
  // A map field with conflicting keys: its keys in order, merged or not.
  std::map<std::string, std::vector<std::string>> map_keys;
};

// A map field (social, custom) merged key by key; each key's conflict is its own.
void merge_map(Merged& m, const std::string& key, const Value& base, const Value& ours, const Value& theirs) {
  const Json empty = Json::object();
  const Json& b = base ? *base : empty;
  const Json& o = ours ? *ours : empty;
  const Json& t = theirs ? *theirs : empty;
  std::vector<std::string> keys;
  for (const auto* side : {&o, &t, &b})
    for (const auto& [k, v] : side->items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  Json merged = Json::object();
  std::vector<std::string> order;
  bool conflicted = false;
  for (const auto& k : keys) {
    const auto ov = get(o, k), tv = get(t, k);
    const auto r = merge3(get(b, k), ov, tv);
    if (r.conflict) {
      m.conflicts.push_back({key, k, ov, tv});
      order.push_back(k);
      conflicted = true;
    } else if (r.value) {
      merged[k] = *r.value;
      order.push_back(k);
    }
  }
  if (conflicted) m.map_keys[key] = std::move(order);
  if (!merged.empty()) m.record[key] = std::move(merged);
}

Merged merge_records(const model::RecordType& type, const Json& base, const Json& ours, const Json& theirs) {
  Merged m;
  std::vector<std::string> keys;
  for (const auto* side : {&ours, &theirs, &base})
    for (const auto& [k, v] : side->items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  for (const auto& key : keys) {
    const auto b = get(base, key), o = get(ours, key), t = get(theirs, key);
    const model::Field* field = type.field(key);
    auto r = merge3(b, o, t);
    if (r.conflict && field) {
      switch (field->kind) {
      case FieldKind::list:
      case FieldKind::emails:
      case FieldKind::phones:
      case FieldKind::entries: r = merge_list(field->kind, b, o, t); break;
      case FieldKind::map:
        if ((!b || b->is_object()) && (!o || o->is_object()) && (!t || t->is_object())) {
          merge_map(m, key, b, o, t);
          continue;
        }
        break;
      case FieldKind::multiline:
        if (key != "address") r = append_text(b, o, t);
        break;
      case FieldKind::timestamp:
        if (key == "updated" || key == "created") r = pick_time(o, t, key == "updated");
        break;
      default: break;
      }
    }
    if (r.conflict) m.conflicts.push_back({key, "", o, t});
    else if (r.value) m.record[key] = *r.value;
  }
  return m;
}

Json read_side(const model::RecordType& type, std::string_view text, std::string_view path) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  return store::parse_record(type, text, path).record;
}

// The lines crm writes for one field ("city: Cluj\n"); empty when it has no value.
std::string field_text(const model::RecordType& type, const std::string& key, const Value& value) {
  if (!value || is_empty(*value)) return {};
  Json one = Json::object();
  one[key] = *value;
  return store::render_record(type, one);
}

std::string without_first_line(const std::string& text) {
  const auto nl = text.find('\n');
  return nl == std::string::npos ? std::string() : text.substr(nl + 1);
}

void add_conflict(std::string& out, const std::string& ours, const std::string& theirs) {
  out += conflict_start;
  out += ours;
  out += conflict_middle;
  out += theirs;
  out += conflict_end;
}

// The file with each conflict between markers: a field's lines, or for a map
// field that both sides still have, the conflicting keys' lines inside it.
std::string render_with_conflicts(const model::RecordType& type, const Merged& m, const Json& ours,
                                  const Json& theirs) {
  std::vector<std::string> keys;
  // A key the file holds: merged, or in conflict.
  auto add_key = [&](const std::string& k) {
    const bool held = m.record.contains(k) || std::any_of(m.conflicts.begin(), m.conflicts.end(),
                                                           [&](const Conflict& c) { return c.key == k; });
    if (held && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  for (const auto& f : type.fields) add_key(std::string(f.key));
  for (const auto* side : {&ours, &theirs})
    for (const auto& [k, v] : side->items())
      if (!type.field(k)) add_key(k);
  std::string out;
  for (const auto& key : keys) {
    const auto whole = std::find_if(m.conflicts.begin(), m.conflicts.end(),
                                    [&](const Conflict& c) { return c.key == key && c.sub.empty(); });
    if (whole != m.conflicts.end()) {
      add_conflict(out, field_text(type, key, whole->ours), field_text(type, key, whole->theirs));
      continue;
    }
    const auto keys_of_map = m.map_keys.find(key);
    if (keys_of_map == m.map_keys.end()) {
      out += field_text(type, key, get(m.record, key));
      continue;
    }
    // A map with conflicting keys: each side's whole map first.
    const Json merged = m.record.contains(key) ? m.record[key] : Json::object();
    auto conflict_of = [&](const std::string& sub) {
      return std::find_if(m.conflicts.begin(), m.conflicts.end(),
                          [&](const Conflict& c) { return c.key == key && c.sub == sub; });
    };
    Json our_map = Json::object(), their_map = Json::object();
    for (const auto& sub : keys_of_map->second) {
      if (const auto c = conflict_of(sub); c != m.conflicts.end()) {
        if (c->ours) our_map[sub] = *c->ours;
        if (c->theirs) their_map[sub] = *c->theirs;
      } else {
        our_map[sub] = merged[sub];
        their_map[sub] = merged[sub];
      }
    }
    if (our_map.empty() || their_map.empty()) {
      add_conflict(out, field_text(type, key, non_empty(our_map)), field_text(type, key, non_empty(their_map)));
      continue;
    }
    const std::string head = field_text(type, key, our_map);
    out += head.substr(0, head.find('\n') + 1);
    auto entry = [&](const std::string& sub, const Value& v) {
      if (!v) return std::string();
      Json one = Json::object();
      one[sub] = *v;
      return without_first_line(field_text(type, key, one));
    };
    for (const auto& sub : keys_of_map->second) {
      if (const auto c = conflict_of(sub); c != m.conflicts.end())
        add_conflict(out, entry(sub, c->ours), entry(sub, c->theirs));
      else
        out += entry(sub, merged[sub]);
    }
  }
  return out;
}

} // namespace

RecordMerge merge_record_files(const model::RecordType& type, std::string_view base, std::string_view ours,
                               std::string_view theirs, std::string_view path) {
  const Json b = read_side(type, base, path);
  const Json o = read_side(type, ours, path);
  const Json t = read_side(type, theirs, path);
  const Merged m = merge_records(type, b, o, t);
  RecordMerge result;
  if (m.conflicts.empty()) {
    result.text = store::render_record(type, model::in_field_order(type, m.record));
    return result;
  }
  result.text = render_with_conflicts(type, m, o, t);
  // Named in file order, as the markers are.
  for (const auto& mark : store::conflict_marks(result.text)) result.conflicts.push_back(mark.field);
  return result;
}

} // namespace crm::ops
