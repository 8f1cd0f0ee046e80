#include "ops/contacts/merge.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "index/index.hpp"
#include "index/merge_queries.hpp"
#include "ops/records/records.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::FieldKind;
using model::Record;
using Json = nlohmann::ordered_json;

bool is_list(const model::Field& f) {
  return f.kind == FieldKind::list || f.kind == FieldKind::emails || f.kind == FieldKind::phones;
}

// The key a list entry is compared by: the email key, the E.164 number (worked out
// in `region` for a number typed into a file without it; its digits when it does
// not parse), or the case-folded word.
std::string entry_key(const model::Field& f, const Json& entry, const std::string& region) {
  if (f.kind == FieldKind::emails) return contact_point::email_key(entry.is_object() ? entry.value("address", "") : "");
  if (f.kind == FieldKind::phones) {
    if (!entry.is_object()) return {};
    if (auto it = entry.find("e164"); it != entry.end() && it->is_string()) return it->get<std::string>();
    const std::string number = entry.value("number", "");
    if (auto e164 = contact_point::to_e164(number, region)) return *e164;
    std::string digits;
    for (char c : number)
      if (c >= '0' && c <= '9') digits += c;
    return digits;
  }
  return entry.is_string() ? text::casefold(entry.get<std::string>()) : entry.dump();
}

bool takes(const MergeOptions& o, const std::string& key) {
  if (o.prefer == Prefer::other) return true;
  const std::string outer = key.substr(0, key.find('.'));
  return std::find(o.take.begin(), o.take.end(), key) != o.take.end() ||
         std::find(o.take.begin(), o.take.end(), outer) != o.take.end();
}

// Fields that are joined, kept or maintained, never taken from one side.
bool never_taken(std::string_view key) {
  return key == "id" || key == "created" || key == "updated" || key == "merged_ids" || key == "notes";
}

// A --take FIELD that names nothing either contact could give is a usage error,
// checked before anything is read for writing.
void check_take(const MergeOptions& o, const Record& keep, const Record& other) {
  const auto& type = model::contact_type();
  for (const auto& key : o.take) {
    const std::string outer = key.substr(0, key.find('.'));
    const bool has_sub = outer.size() < key.size();
    const auto* f = type.field(outer);
    if (!f) {
      if (keep.contains(key) || other.contains(key)) continue; // a key added by hand
      std::vector<std::string> hints;
      if (auto typo = model::likely_typo(type, outer)) hints.push_back(fmt::format("did you mean '{}'?", *typo));
      throw Error(ErrorKind::usage, fmt::format("unknown field '{}' for --take", key), hints);
    }
    if (has_sub && f->kind != FieldKind::map)
      throw Error(ErrorKind::usage, fmt::format("'{}' has no sub-fields", outer));
    if (is_list(*f) || f->key == "notes")
      throw Error(ErrorKind::usage, fmt::format("'{}' cannot be taken: both contacts' {} are kept", f->key, f->key));
    if (never_taken(f->key)) throw Error(ErrorKind::usage, fmt::format("'{}' cannot be taken", f->key));
  }
}

class Merger {
public:
  Merger(const MergeOptions& o, MergeReport& r, std::string region) : opts_(o), report_(r), region_(std::move(region)) {}

  Record merge(const Record& keep, const Record& other, const std::string& now) {
    const auto& type = model::contact_type();
    Record out = keep;
    // Declared fields in file order, then keys added by hand: the report lists
    // them as a card would.
    std::vector<std::string> keys;
    for (const auto& f : type.fields) keys.emplace_back(f.key);
    for (const auto* rec : {&keep, &other})
      for (const auto& [k, v] : rec->items())
        if (!type.field(k) && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    // Lists are reported in field order whichever file lists them first.
    for (const auto& f : type.fields)
      if (is_list(f) && f.key != "merged_ids") report_.added.emplace_back(std::string(f.key), 0);
    for (const auto& key : keys) {
      const auto* f = type.field(key);
      const bool in_keep = keep.contains(key), in_other = other.contains(key);
      if (key == "id" || key == "merged_ids" || key == "updated" || (!in_keep && !in_other)) continue;
      if (key == "created") {
        out[key] = earlier(keep.value(key, Json()), other.value(key, Json()));
      } else if (!in_other) {
        continue;
      } else if (f && is_list(*f)) {
        merge_list(*f, out, other[key]);
      } else if (key == "notes") {
        out[key] = join_notes(keep.value(key, std::string()), other[key].get<std::string>());
      } else if (f && f->kind == FieldKind::map && other[key].is_object() && (!in_keep || keep[key].is_object())) {
        if (!in_keep) out[key] = Json::object();
        for (const auto& [sub, value] : other[key].items()) settle(out[key], key + "." + sub, sub, value);
      } else {
        settle(out, key, key, other[key]);
      }
    }
    // OTHER's id, and the ids merged into it, now name KEEP.
    Json ids = keep.contains("merged_ids") && keep["merged_ids"].is_array() ? keep["merged_ids"] : Json::array();
    auto add_id = [&](const Json& id) {
      if (id.is_string() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    add_id(other["id"]);
    if (other.contains("merged_ids") && other["merged_ids"].is_array())
      for (const auto& id : other["merged_ids"]) add_id(id);
    out["merged_ids"] = ids;
    out["updated"] = now;
    std::erase_if(report_.added, [](const auto& a) { return a.second == 0; });
    return model::in_field_order(type, out);
  }

private:
  static Json earlier(const Json& a, const Json& b) {
    if (!a.is_string()) return b;
    if (!b.is_string()) return a;
    const auto ta = time::parse_timestamp(a.get<std::string>()), tb = time::parse_timestamp(b.get<std::string>());
    return ta && tb && tb->unix_seconds < ta->unix_seconds ? b : a;
  }

  void merge_list(const model::Field& f, Record& out, const Json& from) {
    const std::string key(f.key);
    Json list = out.contains(key) && out[key].is_array() ? out[key] : Json::array();
    std::unordered_set<std::string> seen;
    for (const auto& e : list) seen.insert(entry_key(f, e, region_));
    std::size_t added = 0;
    for (const auto& e : from.is_array() ? from : Json::array({from}))
      if (seen.insert(entry_key(f, e, region_)).second) {
        list.push_back(e);
        ++added;
      }
    if (!list.empty()) out[key] = list;
    for (auto& a : report_.added)
      if (a.first == key) a.second += added;
  }

  // OTHER's notes under KEEP's, once: a merge run again after a crash does not
  // append them twice.
  static std::string join_notes(const std::string& keep, const std::string& other) {
    const std::string k = multiline_text(keep), o = multiline_text(other);
    std::string o_body = o;
    while (!o_body.empty() && o_body.back() == '\n') o_body.pop_back();
    if (o.empty() || k == o || k.ends_with("\n\n" + o_body + "\n")) return keep;
    if (k.empty()) return other;
    std::string k_body = k; // a multi-line text ends with a newline already
    while (!k_body.empty() && k_body.back() == '\n') k_body.pop_back();
    return multiline_text(k_body + "\n\n" + o);
  }

  // One value OTHER has: taken when `into` lacks it, else a conflict.
  void settle(Json& into, const std::string& field, const std::string& key, const Json& value) {
    if (!into.contains(key) || into[key].is_null() || (into[key].is_string() && into[key].get<std::string>().empty())) {
      into[key] = value;
      report_.filled.push_back(field);
      return;
    }
    if (into[key] == value) return;
    FieldConflict c{field, into[key], value, takes(opts_, field)};
    if (c.other_wins) into[key] = value;
    report_.conflicts.push_back(std::move(c));
  }

  const MergeOptions& opts_;
  MergeReport& report_;
  std::string region_; // the workspace's phone region
};

struct Resolved {
  std::string id;
  bool by_merged_id = false;
};

Resolved resolve_contact(Session& session, const std::string& ref) {
  const auto candidates = session.index().resolve(model::contact_type(), ref);
  if (candidates.size() == 1 && !text::trim(ref).empty())
    return {candidates.front().id, candidates.front().matched_by == "merged"};
  return {model::id_of(find_contact(session, ref)), false}; // throws the not-found or ambiguity error
}

std::string plural_word(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

} // namespace

MergeReport merge_contacts(Session& session, const std::string& keep_ref, const std::string& other_ref,
                           const MergeOptions& options) {
  const auto& type = model::contact_type();
  if (!options.dry_run) session.lock_for_writing();
  const auto keep_at = resolve_contact(session, keep_ref);
  const auto other_at = resolve_contact(session, other_ref);
  MergeReport report;
  report.dry_run = options.dry_run;
  report.keep = keep_at.id;
  report.other = other_at.id;
  if (keep_at.id == other_at.id) {
    // A pair from `dupes` whose OTHER went into KEEP earlier in the same loop.
    if (keep_at.by_merged_id || other_at.by_merged_id) {
      report.already_merged = true;
      report.other = keep_at.by_merged_id ? keep_ref : other_ref;
      report.contact = session.index().get(type, keep_at.id).value_or(Record::object());
      report.keep_name = report.other_name = report.contact.value("name", "");
      return report;
    }
    throw Error(ErrorKind::usage, fmt::format("cannot merge contact '{}' into itself", keep_at.id),
                {"give two different contacts: crm contact merge KEEP OTHER"});
  }
  const Record keep = load_record(session, type, keep_at.id);
  const Record other = load_record(session, type, other_at.id);
  check_take(options, keep, other);
  report.keep_name = keep.value("name", "");
  report.other_name = other.value("name", "");
  const std::string now = time::format_timestamp(time::now());
  Merger merger(options, report, session.workspace().config().region);
  report.contact = merger.merge(keep, other, now);
  validate_record(type, report.contact);

  // Everything that points to OTHER, read and changed in memory first.
  struct Change {
    const model::RecordType* type;
    Record record;
  };
  std::vector<Change> changes;
  for (const auto* t : model::all_types()) {
    std::map<std::string, Record> records; // by id: one rewrite per record
    for (const auto& f : t->fields)
      if (f.kind == FieldKind::ref && f.ref_type == type.name)
        for (const auto& id : session.index().ids_where(*t, f.key, other_at.id)) {
          auto [it, fresh] = records.try_emplace(id);
          if (fresh) it->second = load_record(session, *t, id);
          it->second[std::string(f.key)] = keep_at.id;
        }
    // A campaign's audience is a list of contact ids.
    if (t == &model::campaign_type()) {
      for (const auto& id : index::campaigns_with_member(session.index(), other_at.id)) {
        auto [it, fresh] = records.try_emplace(id);
        if (fresh) it->second = load_record(session, *t, id);
        Json audience = Json::array();
        for (const auto& member : it->second["audience"]) {
          const Json now_member = member == other_at.id ? Json(keep_at.id) : member;
          if (std::find(audience.begin(), audience.end(), now_member) == audience.end()) audience.push_back(now_member);
        }
        it->second["audience"] = audience;
      }
    }
    if (records.empty()) continue;
    report.repointed.emplace_back(std::string(t->plural), records.size());
    for (auto& [id, rec] : records) {
      rec["updated"] = now;
      validate_record(*t, rec);
      changes.push_back({t, std::move(rec)});
    }
  }
  if (options.dry_run) return report;

  // KEEP first (holding OTHER's id), then the records pointing to it, then
  // OTHER's file: a merge cut short leaves no record pointing nowhere, and
  // running it again finishes it.
  save_record(session, type, report.contact);
  for (const auto& c : changes) save_record(session, *c.type, c.record);
  const auto relpath = session.index().path_of(type, other_at.id).value_or(
      session.workspace().record_relpath(type, other_at.id).string());
  const auto abs = session.workspace().writable(relpath);
  session.note_write(relpath);
  fs::remove_file(abs);
  session.wrote();
  session.index().drop(relpath);
  return report;
}

format::Summary merge_summary(const MergeReport& r) {
  Json j = {{"keep", r.keep}, {"keep_name", r.keep_name}, {"other", r.other}, {"other_name", r.other_name},
            {"dry_run", r.dry_run}};
  if (r.already_merged) j["already_merged"] = true;
  Json added = Json::object();
  for (const auto& [field, n] : r.added) added[field] = n;
  j["added"] = added;
  j["filled"] = r.filled;
  Json conflicts = Json::array();
  for (const auto& c : r.conflicts)
    conflicts.push_back({{"field", c.field}, {"keep", c.keep_value}, {"other", c.other_value},
                         {"wins", c.other_wins ? "other" : "keep"}});
  j["conflicts"] = conflicts;
  Json repointed = Json::object();
  for (const auto& [plural, n] : r.repointed) repointed[plural] = n;
  j["repointed"] = repointed;
  j["contact"] = r.contact;
  format::Summary s;
  s.object = std::move(j);
  const auto add = [&](std::string text, format::Rows table = {}) {
    s.lines.push_back({std::move(text), std::move(table)});
  };
  if (r.already_merged) {
    add(fmt::format("'{}' is already merged into '{}' ({}): nothing to do", r.other, r.keep, r.keep_name));
    return s;
  }
  add(fmt::format("{} '{}' ({}) into '{}' ({})", r.dry_run ? "would merge" : "merged", r.other,
                  r.other_name, r.keep, r.keep_name));
  std::string line;
  for (const auto& [field, n] : r.added) {
    const std::string singular = field.substr(0, field.size() - 1);
    line += (line.empty() ? "" : ", ") + plural_word(n, singular, field);
  }
  add("added: " + (line.empty() ? "none" : line));
  line.clear();
  for (const auto& f : r.filled) line += (line.empty() ? "" : ", ") + f;
  add("filled: " + (line.empty() ? "none" : line));
  if (r.conflicts.empty()) {
    add("conflicts: none");
  } else {
    format::Rows table;
    table.columns = {"field", "keep", "other", "wins"};
    for (const auto& c : r.conflicts)
      table.rows.push_back({{"field", c.field},
                            {"keep", format::one_line_cell(c.keep_value)},
                            {"other", format::one_line_cell(c.other_value)},
                            {"wins", c.other_wins ? "other" : "keep"}});
    add("conflicts:", std::move(table));
  }
  line.clear();
  for (const auto& [plural, n] : r.repointed) {
    const auto* t = model::find_type(plural);
    line += (line.empty() ? "" : ", ") + plural_word(n, t ? t->name : plural, plural);
  }
  add("re-pointed: " + (line.empty() ? "none" : line));
  if (r.dry_run) add("dry run: nothing was written");
  return s;
}

} // namespace crm::ops
