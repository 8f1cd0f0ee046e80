#include "ops/records/records.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include <fmt/format.h>

#include "index/computed.hpp"
#include "model/amounts.hpp"
#include "ops/records/stage.hpp"
#include "store/record_file.hpp"
#include "util/contact_point.hpp"
#include "util/country.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_cells.hpp"
#include "util/money.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Field;
using model::FieldKind;
using model::Record;
using model::RecordType;
using Json = nlohmann::ordered_json;

// Singular spellings accepted on the command line for list fields.
std::string canonical_key(std::string_view key) {
  static const std::pair<std::string_view, std::string_view> aliases[] = {
      {"email", "emails"}, {"phone", "phones"},       {"tag", "tags"},
      {"group", "groups"}, {"interest", "interests"}, {"note", "notes"}};
  for (auto [alias, key_name] : aliases)
    if (key == alias) return std::string(key_name);
  return std::string(key);
}

bool is_custom_key(std::string_view key) {
  if (key.empty() || key.front() == '-' || !text::is_valid_utf8(key)) return false;
  return std::none_of(key.begin(), key.end(), [](unsigned char c) {
    return c <= ' ' || c == '.' || c == '=' || c == ':' || c == ',' || c == '"' || c == 0x7f;
  });
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto comma = value.find(',', start);
    const auto part = text::trim(value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!part.empty()) out.push_back(text::nfc(part));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// "work:ana@example.ro" -> {label work, ana@example.ro}; the label is one word of
// letters before a ':' (an email's local part or a phone never holds one there).
std::pair<std::string, std::string> split_label(std::string_view value, std::string_view stop) {
  const auto colon = value.find(':');
  if (colon != std::string_view::npos && colon > 0 && value.find_first_of(stop) > colon) {
    const auto label = value.substr(0, colon);
    const bool word = std::all_of(label.begin(), label.end(), [](unsigned char c) {
      return std::isalpha(c) || c == '-' || c == '_' || c >= 0x80;
    });
    if (word) return {text::nfc(text::trim(label)), text::trim(value.substr(colon + 1))};
  }
  return {"", text::trim(value)};
}

Json make_email(std::string_view value) {
  auto [label, address] = split_label(value, "@");
  if (!contact_point::is_valid_email(address))
    throw Error(ErrorKind::invalid_data, fmt::format("bad email '{}'", std::string(value)));
  Json e = {{"address", text::nfc(address)}};
  if (!label.empty()) e["label"] = label;
  return e;
}

Json make_phone(std::string_view value, const std::string& region) {
  auto [label, number] = split_label(value, "0123456789+(");
  if (!contact_point::looks_like_phone(number))
    throw Error(ErrorKind::invalid_data, fmt::format("bad phone '{}'", std::string(value)),
                {"a phone has at least 5 digits and only + - . ( ) / and spaces besides"});
  Json p = {{"number", number}};
  if (auto e164 = contact_point::to_e164(number, region)) p["e164"] = *e164;
  if (!label.empty()) p["label"] = label;
  return p;
}

// The key an entry of a list field is compared by when adding or removing.
std::string entry_key(const Field& f, const Json& entry) {
  if (f.kind == FieldKind::emails) return contact_point::email_key(entry.value("address", ""));
  if (f.kind == FieldKind::phones) {
    if (entry.contains("e164")) return entry["e164"].get<std::string>();
    std::string digits;
    for (char c : contact_point::ascii_phone(entry.value("number", ""))) if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    return digits;
  }
  return text::casefold(entry.get<std::string>());
}

// "'REF' matches N contacts" with the candidates as hint lines (git's style).
Error ambiguous_error(const RecordType& t, const std::string& ref, const std::vector<index::Candidate>& c) {
  std::vector<std::string> hints = {"the candidates are:"};
  for (const auto& x : c) hints.push_back(fmt::format("  {}  {}", x.id, x.name));
  return Error(ErrorKind::ambiguous, fmt::format("'{}' matches {} {}", ref, c.size(), t.plural), hints);
}

class Applier {
public:
  Applier(Session& s, const RecordType& t) : session_(s), type_(t) {}

  void apply(Record& rec, const Assignment& a) { apply(rec, a.key, a.op, {a.value}); }

  // Changes after one another that add to (or take from) one list go in one call:
  // the list's keys are worked out once, not once per value (a card with 16 000
  // EMAIL lines was quadratic).
  void apply_all(Record& rec, const std::vector<Assignment>& changes) {
    for (std::size_t i = 0; i < changes.size();) {
      std::size_t j = i + 1;
      std::vector<std::string> values = {changes[i].value};
      if (changes[i].op != '=')
        for (; j < changes.size() && changes[j].key == changes[i].key && changes[j].op == changes[i].op; ++j)
          values.push_back(changes[j].value);
      apply(rec, changes[i].key, changes[i].op, values);
      i = j;
    }
  }

private:
  // Several `values` only for '+' and '-' on one key.
  void apply(Record& rec, const std::string& given_key, char op, const std::vector<std::string>& values) {
    const Assignment a{given_key, op, values.front()};
    std::string key = canonical_key(a.key), sub;
    if (const auto dot = key.find('.'); dot != std::string::npos) {
      sub = key.substr(dot + 1);
      key.resize(dot);
    }
    const Field* f = type_.field(key);
    if (!f) {
      if (!sub.empty() || !is_custom_key(key))
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", a.key), hints_for(a.key));
      // One typo away from a real field (or its singular) is a typo, not a new
      // custom field.
      if (auto typo = model::likely_typo(type_, key))
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", a.key),
                    {fmt::format("did you mean '{}'?", *typo),
                     fmt::format("to keep it as a custom field, write custom.{}=...", a.key)});
      sub = key;
      f = type_.field("custom");
    }
    if (!f->settable)
      throw Error(ErrorKind::usage, fmt::format("'{}' cannot be changed", f->key),
                  {"crm maintains it; edit the file by hand if you really must"});
    const std::string value = text::nfc(a.value);
    const std::string k(f->key);
    if (f->kind == FieldKind::map) {
      for (const auto& v : values) apply_map(rec, *f, sub, a.op, text::nfc(v));
      return;
    }
    if (!sub.empty()) throw Error(ErrorKind::usage, fmt::format("'{}' has no sub-fields", f->key));
    switch (f->kind) {
    case FieldKind::list:
    case FieldKind::emails:
    case FieldKind::phones: {
      std::vector<std::string> items;
      for (const auto& v : values) {
        const std::string one = text::nfc(v);
        // Emails and phones are one per value (a phone may hold commas in no format
        // we know of, but a list of tags is naturally "a,b,c").
        if (f->kind == FieldKind::list) for (auto& item : split_list(one)) items.push_back(std::move(item));
        else if (!text::trim(one).empty()) items.push_back(text::trim(one));
      }
      return apply_list(rec, *f, a.op, items);
    }
    default: break;
    }
    if (a.op != '=')
      throw Error(ErrorKind::usage, fmt::format("'{}' is not a list: use {}=VALUE", f->key, f->key));
    std::string v = f->kind == FieldKind::multiline ? multiline_text(value) : text::trim(value);
    if (v.empty()) {
      if (f->required) throw Error(ErrorKind::invalid_data, fmt::format("'{}' cannot be empty", f->key));
      rec.erase(k);
      return;
    }
    if (f->kind == FieldKind::ref) {
      rec[k] = resolve_ref(*f, v);
      return;
    }
    if (f->kind == FieldKind::integer) {
      // A whole number is stored as a number, like the files hold it.
      const bool digits = v.size() <= 18 && v.find_first_not_of("0123456789", v[0] == '-' ? 1 : 0) == std::string::npos &&
                          v != "-";
      const Json number = digits ? Json(std::stoll(v)) : Json(v);
      if (auto p = model::check_field(*f, number)) throw Error(ErrorKind::invalid_data, *p);
      rec[k] = number;
      return;
    }
    std::string stored = v;
    if (f->kind == FieldKind::country) {
      // "Deutschland", "ro", "GBR": the field holds the code, however it is written.
      if (auto code = country::code_of(v)) stored = *code;
      else
        throw Error(ErrorKind::invalid_data, fmt::format("unknown country '{}'", v),
                    {"give an ISO 3166 code such as RO or GB, or the country's name"});
    }
    if (f->kind == FieldKind::choice) stored = text::ascii_lower(v);
    // Check what will be stored, but quote what the user wrote in the message.
    if (model::check_field(*f, Json(stored)))
      if (auto p = model::check_field(*f, Json(v))) throw Error(ErrorKind::invalid_data, *p);
    if (auto p = model::check_field(*f, Json(stored))) throw Error(ErrorKind::invalid_data, *p);
    rec[k] = stored;
  }

  std::vector<std::string> hints_for(const std::string& key) const {
    auto near = model::nearest_keys(type_, key);
    if (near.empty()) return {fmt::format("run 'crm {} add -h' to see the fields", type_.name)};
    return {fmt::format("did you mean '{}'?", near.front())};
  }

  void apply_map(Record& rec, const Field& f, const std::string& sub, char op, const std::string& value) {
    const std::string k(f.key);
    if (op != '=') throw Error(ErrorKind::usage, fmt::format("use {}.KEY=VALUE to set one entry", f.key));
    if (sub.empty()) {
      if (!value.empty())
        throw Error(ErrorKind::usage, fmt::format("use {}.KEY=VALUE to set one entry", f.key));
      rec.erase(k);
      return;
    }
    if (!is_custom_key(sub)) throw Error(ErrorKind::usage, fmt::format("bad key '{}'", sub));
    const std::string v = text::trim(value);
    if (v.empty()) {
      if (rec.contains(k)) {
        rec[k].erase(sub);
        if (rec[k].empty()) rec.erase(k);
      }
      return;
    }
    if (!rec.contains(k) || !rec[k].is_object()) rec[k] = Json::object();
    rec[k][sub] = v;
  }

  Json make_entry(const Field& f, const std::string& item) {
    if (f.kind == FieldKind::emails) return make_email(item);
    if (f.kind == FieldKind::phones) return make_phone(item, session_.workspace().config().region);
    Json j = Json::array({item});
    if (auto p = model::check_field(f, j)) throw Error(ErrorKind::invalid_data, *p);
    return item;
  }

  void apply_list(Record& rec, const Field& f, char op, const std::vector<std::string>& items) {
    const std::string k(f.key);
    Json current = op != '=' && rec.contains(k) && rec[k].is_array() ? std::move(rec[k]) : Json::array();
    std::unordered_set<std::string> keys;
    for (const auto& e : current) keys.insert(entry_key(f, e));
    for (const auto& item : items) {
      const Json entry = make_entry(f, item);
      const std::string ek = entry_key(f, entry);
      if (op == '-') {
        if (!keys.erase(ek)) {
          rec[k] = std::move(current);
          throw Error(ErrorKind::not_found, fmt::format("'{}' is not in {}", item, f.key));
        }
        current.erase(std::remove_if(current.begin(), current.end(), [&](const Json& e) { return entry_key(f, e) == ek; }),
                      current.end());
      } else if (keys.insert(ek).second) {
        current.push_back(entry);
      }
    }
    if (current.empty()) rec.erase(k);
    else rec[k] = std::move(current);
  }

  // The id a reference names. A company named for the first time is to be
  // created, as a user adding a contact "at Acme" expects; that happens in
  // create_pending() once the whole record has passed its checks, so a rejected
  // record leaves no company behind. Any other record (a deal's product, a
  // sale's contact) must exist: a typo must not make a new one.
  std::string resolve_ref(const Field& f, const std::string& ref) {
    const RecordType* target = model::find_type(f.ref_type);
    auto candidates = session_.index().resolve(*target, ref);
    if (candidates.size() == 1) return candidates.front().id;
    if (candidates.size() > 1) throw ambiguous_error(*target, ref, candidates);
    if (target != &model::company_type()) return model::id_of(find_record(session_, *target, ref));
    pending_.push_back({std::string(f.key), ref});
    return ref;
  }

public:
  void create_pending(Record& rec) {
    for (const auto& [key, name] : pending_) {
      if (!rec.contains(key) || rec[key] != name) continue; // changed again later
      rec[key] = add_record(session_, *model::find_type(type_.field(key)->ref_type), name, {});
    }
    pending_.clear();
  }

private:
  std::vector<std::pair<std::string, std::string>> pending_;

  Session& session_;
  const RecordType& type_;
};

// The keys of a record's emails or phones (entry_key), to tell what a change added.
std::vector<std::string> point_keys(const Field& f, const Record& rec) {
  std::vector<std::string> keys;
  if (auto it = rec.find(std::string(f.key)); it != rec.end() && it->is_array())
    for (const auto& entry : *it)
      if (entry.is_object()) keys.push_back(entry_key(f, entry));
  return keys;
}

// An email or phone a change gave a contact that another contact already has is
// a warning naming that one, so a duplicate is caught where it starts (the
// change itself stands: two people may share an office phone).
void warn_shared_points(Session& session, const Record& before, const Record& after) {
  const auto& type = model::contact_type();
  const std::string self = after.value("id", "");
  for (const char* key : {"emails", "phones"}) {
    const Field& f = *type.field(key);
    const auto old_keys = point_keys(f, before);
    for (const auto& entry : after.value(key, Json::array())) {
      if (!entry.is_object()) continue;
      const std::string point = entry_key(f, entry);
      if (point.empty() || std::find(old_keys.begin(), old_keys.end(), point) != old_keys.end()) continue;
      auto ids = f.kind == FieldKind::emails ? session.index().ids_with_email(type, point)
                                             : session.index().ids_with_phone(type, point);
      std::sort(ids.begin(), ids.end());
      for (const auto& id : ids) {
        if (id == self) continue;
        const auto other = session.index().get(type, id);
        session.warn(fmt::format("{} '{}' is also {}'s ({})", f.kind == FieldKind::emails ? "email" : "phone",
                                 entry.value(f.kind == FieldKind::emails ? "address" : "number", ""),
                                 other ? other->value("name", id) : id, id));
      }
    }
  }
}

// What a change to a record sets off: a contact's stage change is an activity,
// so the history of the relationship is complete; a contact's new email or
// phone that another contact has is a warning.
void after_write(Session& session, const RecordType& type, const Record& before, const Record& after) {
  if (&type != &model::contact_type()) return;
  record_stage_change(session, before, after);
  warn_shared_points(session, before, after);
}

// Where record `id` lives: the file the index knows (a person may have filed it
// elsewhere), else where a new one goes.
std::string relpath_of(Session& session, const RecordType& type, const std::string& id) {
  if (auto known = session.index().path_of(type, id)) return *known;
  return session.workspace().record_relpath(type, id).string();
}

void write_record(Session& session, const RecordType& type, const Record& unordered, WriteLog* log = nullptr) {
  const Record rec = model::in_field_order(type, unordered);
  const std::string relpath = relpath_of(session, type, model::id_of(rec));
  const std::string content = store::render_record(type, rec);
  if (log) log->before_write(type, model::id_of(rec), relpath, content);
  const auto abs = session.workspace().writable(relpath);
  session.note_write(relpath);
  fs::write_file_atomic(abs, content);
  session.wrote();
  session.index().put(type, rec, relpath, &content);
}

void validate(const RecordType& type, const Record& rec) {
  const auto problems = model::check_record(type, rec);
  if (problems.empty()) return;
  std::vector<std::string> more;
  for (std::size_t i = 1; i < problems.size(); ++i) more.push_back(problems[i].message);
  throw Error(ErrorKind::invalid_data, problems.front().message, more);
}

std::string new_id(Session& session, const RecordType& type, const std::string& prefix, const std::string& name) {
  const std::string slug = prefix + text::slugify(name, 32, type.name);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string id = slug + "-" + random_token(4);
    std::error_code ec;
    if (!session.index().exists(type, id) &&
        !std::filesystem::exists(session.workspace().absolute(session.workspace().record_relpath(type, id)), ec))
      return id;
  }
  throw Error(ErrorKind::io, "cannot find a free id");
}

Record read_record_file(Session& session, const RecordType& type, const std::string& id) {
  const auto relpath = relpath_of(session, type, id);
  return store::parse_record(type, store::read_yaml_text(session.workspace().absolute(relpath)), relpath).record;
}

} // namespace

Assignment parse_assignment(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw Error(ErrorKind::usage, fmt::format("expected KEY=VALUE, got '{}'", std::string(text)),
                {"KEY+=VALUE adds to a list, KEY-=VALUE removes, KEY= unsets"});
  Assignment a;
  std::size_t key_end = eq;
  if (text[eq - 1] == '+' || text[eq - 1] == '-') {
    a.op = text[eq - 1];
    --key_end;
  }
  a.key = text::trim(text.substr(0, key_end));
  a.value = std::string(text.substr(eq + 1));
  if (a.key.empty()) throw Error(ErrorKind::usage, fmt::format("expected KEY=VALUE, got '{}'", std::string(text)));
  return a;
}

std::string add_record(Session& session, const RecordType& type, const std::string& name,
                       const std::vector<Assignment>& changes) {
  session.lock_for_writing();
  const std::string clean = text::nfc(text::trim(name));
  if (clean.empty()) throw Error(ErrorKind::invalid_data, fmt::format("a {} needs a name", type.name));
  Record rec = Json::object();
  rec["id"] = "";
  rec["name"] = clean;
  Applier applier(session, type);
  applier.apply_all(rec, changes);
  // Amounts are in the base currency unless told otherwise.
  if (const auto* f = type.field("currency"); f && !rec.contains("currency")) {
    bool has_amount = f->required;
    for (const auto& field : type.fields)
      if (field.kind == FieldKind::money && rec.contains(std::string(field.key))) has_amount = true;
    if (has_amount) rec["currency"] = session.workspace().config().currency;
  }
  model::normalize_amounts(type, rec);
  rec["id"] = new_id(session, type, "", clean);
  const std::string stamp = time::format_timestamp(time::now());
  rec["created"] = stamp;
  rec["updated"] = stamp;
  validate(type, rec);
  applier.create_pending(rec);
  write_record(session, type, rec);
  after_write(session, type, Record::object(), rec);
  return model::id_of(rec);
}

Record find_record(Session& session, const RecordType& type, const std::string& ref) {
  if (text::trim(ref).empty())
    throw Error(ErrorKind::usage, fmt::format("empty {} reference", type.name),
                {"a REF is an id, an id prefix, an email, a phone or an exact name"});
  const auto candidates = session.index().resolve(type, ref);
  if (candidates.empty())
    throw Error(ErrorKind::not_found, fmt::format("no {} matches '{}'", type.name, ref),
                {type.field("emails") ? fmt::format("a REF is an id, an id prefix, an email, a phone or an exact name; "
                                                    "'crm {} list' shows them all", type.name)
                                      : fmt::format("give its id or an id prefix; 'crm {} list' shows them all", type.name)});
  if (candidates.size() > 1) throw ambiguous_error(type, ref, candidates);
  auto rec = session.index().get(type, candidates.front().id);
  if (!rec) throw Error(ErrorKind::not_found, fmt::format("no {} matches '{}'", type.name, ref));
  return *rec;
}

ShownRecord show_record(Session& session, const RecordType& type, const std::string& ref) {
  ShownRecord shown{find_record(session, type, ref), {}, {}, {}};
  const std::string id = model::id_of(shown.record);
  shown.computed = session.index().computed_values(type, id, session.lead_score());
  if (&type == &model::company_type()) {
    index::ListQuery q;
    q.conditions.push_back({"company", "=", id});
    q.sort = "name";
    for (const auto& c : session.index().list(model::contact_type(), q))
      shown.contacts.push_back({c.value("id", ""), c.value("name", ""), "company"});
  }
  for (const auto& f : type.fields) {
    if (f.ref_type.empty() || !shown.record.contains(std::string(f.key))) continue;
    // A reference, or a list of them (a campaign's audience).
    std::vector<std::string> ids;
    const auto& value = shown.record[std::string(f.key)];
    if (value.is_string()) ids.push_back(value.get<std::string>());
    else if (value.is_array())
      for (const auto& v : value)
        if (v.is_string()) ids.push_back(v.get<std::string>());
    const auto* target_type = model::find_type(f.ref_type);
    for (const auto& ref_id : ids)
      if (auto target = session.index().get(*target_type, ref_id)) {
        const std::string title = target->value(std::string(target_type->title_key), "");
        shown.ref_names[ref_id] = title.substr(0, title.find('\n'));
      }
  }
  return shown;
}

namespace {

// "did you mean 'x'?" for the nearest of `names`, or nothing.
std::vector<std::string> did_you_mean(std::string_view key, const std::vector<std::string>& names,
                                      std::string_view prefix = "") {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& n : names) {
    const auto d = model::edit_distance(key, n);
    if (d <= std::max<std::size_t>(2, key.size() / 3)) scored.emplace_back(d, n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> hints;
  for (std::size_t k = 0; k < scored.size() && k < 3; ++k)
    hints.push_back(fmt::format("did you mean '{}{}'?", prefix, scored[k].second));
  return hints;
}

// The names a column of `type` can have: its fields and computed fields.
std::vector<std::string> column_names(const RecordType& type) {
  std::vector<std::string> names;
  for (const auto& f : type.fields) names.emplace_back(f.key);
  for (const auto& c : index::computed_fields(type)) names.push_back(c.key);
  return names;
}

// A column showing a value of the record a reference field points to: the
// reference itself (its record's name, where a person reads) or "company.city".
struct LinkedColumn {
  std::size_t column = 0;
  const RecordType* target = nullptr;
  std::string key; // of the linked record; empty: the reference, shown by name
};

const Field* ref_field(const RecordType& type, std::string_view key) {
  const Field* f = type.field(key);
  return f && f->kind == FieldKind::ref ? f : nullptr;
}

// What the index is asked for (a linked column reads its reference) and which
// columns are linked. `names`: show references by their record's name.
std::vector<LinkedColumn> plan_columns(const RecordType& type, const std::vector<std::string>& columns, bool names,
                                       std::vector<std::string>& projection) {
  std::vector<LinkedColumn> linked;
  projection = columns;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const auto dot = columns[k].find('.');
    const Field* f = ref_field(type, columns[k].substr(0, dot));
    if (!f) continue;
    if (dot == std::string::npos && !names) continue;
    linked.push_back({k, model::find_type(f->ref_type), dot == std::string::npos ? "" : columns[k].substr(dot + 1)});
    projection[k] = std::string(f->key);
  }
  return linked;
}

// The values of linked records, each record read once.
class LinkedValues {
public:
  explicit LinkedValues(Session& session) : session_(session) {}

  // The value `column` shows for the reference `id`; null when there is none,
  // the id itself when its record is gone (a dangling reference stays visible).
  Json value(const LinkedColumn& column, const std::string& id) {
    const auto& rec = record(*column.target, id);
    if (rec.is_null()) return column.key.empty() ? Json(id) : Json();
    if (column.key.empty()) {
      std::string title = rec.value(std::string(column.target->title_key), "");
      title = title.substr(0, title.find('\n'));
      return title.empty() ? Json(id) : Json(title);
    }
    if (index::find_computed(*column.target, column.key)) {
      auto& computed = computed_[std::string(column.target->name) + '\x1f' + id];
      if (computed.is_null()) computed = session_.index().computed_values(*column.target, id, session_.lead_score());
      return computed.value(column.key, Json());
    }
    const auto dot = column.key.find('.');
    auto it = rec.find(column.key.substr(0, dot));
    if (it == rec.end()) return Json();
    if (dot == std::string::npos) return *it;
    return it->is_object() ? it->value(column.key.substr(dot + 1), Json()) : Json();
  }

private:
  const Json& record(const RecordType& type, const std::string& id) {
    const std::string key = std::string(type.name) + '\x1f' + id;
    auto it = records_.find(key);
    if (it == records_.end()) {
      auto rec = session_.index().get(type, id);
      it = records_.emplace(key, rec ? std::move(*rec) : Json()).first;
    }
    return it->second;
  }

  Session& session_;
  std::map<std::string, Json> records_;
  std::map<std::string, Json> computed_;
};

// A column no field declares is one a person added by hand to some record (or a
// map's key: custom.vat_id); a name no record holds is a mistake, not an empty
// column.
void check_columns_exist(Session& session, const RecordType& type, const std::vector<std::string>& columns) {
  for (const auto& column : columns) {
    const auto dot = column.find('.');
    const std::string outer = column.substr(0, dot);
    const Field* f = type.field(outer);
    if (index::find_computed(type, column) || (f && f->kind != FieldKind::map) || ref_field(type, outer)) continue;
    if (f && dot == std::string::npos) continue; // the whole map
    if (session.index().has_key(type, column)) continue;
    std::vector<std::string> hints;
    if (f) {
      hints = did_you_mean(column.substr(dot + 1), session.index().keys_in_use(type, outer), outer + ".");
      if (hints.empty()) hints.push_back(fmt::format("no {} has a key '{}' in {}", type.name, column.substr(dot + 1), outer));
    } else {
      auto names = column_names(type);
      for (auto& k : session.index().keys_in_use(type, "")) names.push_back(std::move(k));
      hints = did_you_mean(column, names);
      if (hints.empty()) hints.push_back(fmt::format("run 'crm {} show REF' to see the fields a {} has", type.name, type.name));
    }
    throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", column), hints);
  }
}

} // namespace

std::vector<std::string> list_columns(const RecordType& type, std::string_view fields) {
  std::vector<std::string> columns;
  if (text::trim(fields).empty()) {
    for (auto c : type.list_columns) columns.emplace_back(c);
    return columns;
  }
  for (const auto& name : split_list(fields)) {
    const auto dot = name.find('.');
    const std::string outer = name.substr(0, dot);
    // A linked record's field: company.name, contact.city.
    if (const Field* ref = ref_field(type, outer); ref && dot != std::string::npos) {
      const RecordType& target = *model::find_type(ref->ref_type);
      const std::string key = name.substr(dot + 1);
      const std::string key_outer = key.substr(0, key.find('.'));
      const Field* f = target.field(key_outer);
      const bool known = index::find_computed(target, key) ||
                         (f && (key.find('.') == std::string::npos || f->kind == FieldKind::map));
      if (!known) {
        auto hints = did_you_mean(key, column_names(target), outer + ".");
        if (hints.empty()) hints.push_back(fmt::format("run 'crm {} show REF' to see the fields a {} has", target.name, target.name));
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", name), hints);
      }
      columns.push_back(name);
      continue;
    }
    // Keys added by hand are listable too (list checks that some record has them).
    if (!type.field(outer) && !index::find_computed(type, name)) {
      if (auto typo = model::likely_typo(type, outer))
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", name), {fmt::format("did you mean '{}'?", *typo)});
      if (!is_custom_key(outer)) throw Error(ErrorKind::usage, fmt::format("bad field name '{}'", name));
    }
    columns.push_back(name);
  }
  return columns;
}

void check_query(const RecordType& type, const index::ListQuery& query) {
  if (query.stage) {
    const Field* stage = type.field("stage");
    if (!stage) throw Error(ErrorKind::usage, fmt::format("{} have no stage", type.plural));
    if (auto p = model::check_field(*stage, Json(*query.stage))) throw Error(ErrorKind::usage, *p);
  }
  std::string sort_key = query.sort;
  if (!sort_key.empty() && sort_key[0] == '-') sort_key.erase(0, 1);
  if (!type.field(sort_key)) {
    if (auto typo = model::likely_typo(type, sort_key))
      throw Error(ErrorKind::usage, fmt::format("cannot sort by unknown field '{}'", sort_key),
                  {fmt::format("did you mean '{}'?", *typo)});
    if (!is_custom_key(sort_key)) throw Error(ErrorKind::usage, fmt::format("bad field name '{}'", sort_key));
  }
}

namespace {

// The query with what a sort or a column on score needs.
index::ListQuery with_lead_score(Session& session, const index::ListQuery& query) {
  index::ListQuery q = query;
  if (!q.lead_score) q.lead_score = session.lead_score();
  return q;
}

} // namespace

std::vector<Record> list_records(Session& session, const RecordType& type, const index::ListQuery& query) {
  check_query(type, query);
  return session.index().list(type, with_lead_score(session, query));
}

void list_records_json(Session& session, const RecordType& type, const index::ListQuery& query,
                       const std::function<void(std::string_view)>& on_json) {
  check_query(type, query);
  session.index().each(type, with_lead_score(session, query), nullptr, on_json);
}

void list_records_cells(Session& session, const RecordType& type, const index::ListQuery& query,
                        const std::vector<std::string>& columns, std::string_view separator, RefCells refs,
                        const std::function<void(const std::vector<std::string_view>&)>& on_row) {
  check_query(type, query);
  check_columns_exist(session, type, columns);
  std::vector<std::string> projection;
  const auto linked = plan_columns(type, columns, refs == RefCells::names, projection);
  LinkedValues values(session);
  std::vector<std::string> cells, linked_cells;
  std::vector<std::string_view> views(columns.size());
  session.index().each(type, with_lead_score(session, query), &projection, [&](std::string_view json) {
    json_cells::split_row(json, separator, cells);
    cells.resize(columns.size());
    for (const auto& l : linked) {
      if (cells[l.column].empty()) continue; // no reference
      // One value as a one-cell row: the cell text rules of every other cell.
      const Json v = values.value(l, cells[l.column]);
      json_cells::split_row("[" + v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "]", separator,
                            linked_cells);
      cells[l.column] = linked_cells.empty() ? std::string() : std::move(linked_cells.front());
    }
    for (std::size_t k = 0; k < views.size(); ++k) views[k] = cells[k];
    on_row(views);
  });
}

void list_records_projected(Session& session, const RecordType& type, const index::ListQuery& query,
                            const std::vector<std::string>& columns,
                            const std::function<void(Record&&)>& on_record) {
  check_query(type, query);
  check_columns_exist(session, type, columns);
  // Scripts read ids: a reference stays its id here; only company.name and the
  // like are looked up.
  std::vector<std::string> projection;
  const auto linked = plan_columns(type, columns, false, projection);
  LinkedValues values(session);
  session.index().each_projected(type, with_lead_score(session, query), projection, [&](Record&& rec) {
    if (linked.empty()) return on_record(std::move(rec));
    Record out = Record::object();
    for (std::size_t k = 0; k < columns.size(); ++k) {
      auto it = rec.find(projection[k]);
      if (it == rec.end()) continue;
      const auto l = std::find_if(linked.begin(), linked.end(), [&](const LinkedColumn& c) { return c.column == k; });
      if (l == linked.end()) {
        out[columns[k]] = *it;
      } else if (it->is_string()) {
        if (Json v = values.value(*l, it->get<std::string>()); !v.is_null()) out[columns[k]] = std::move(v);
      }
    }
    on_record(std::move(out));
  });
}

Record set_record(Session& session, const RecordType& type, const std::string& ref,
                  const std::vector<Assignment>& changes) {
  session.lock_for_writing();
  const std::string id = model::id_of(find_record(session, type, ref));
  const Record before = read_record_file(session, type, id);
  Record rec = before;
  Applier applier(session, type);
  applier.apply_all(rec, changes);
  model::normalize_amounts(type, rec);
  if (rec == before) return rec;
  rec["updated"] = time::format_timestamp(time::now());
  validate(type, rec);
  applier.create_pending(rec);
  write_record(session, type, rec);
  after_write(session, type, before, rec);
  return rec;
}

bool remove_record(Session& session, const RecordType& type, const std::string& ref,
                   const std::function<bool(const Record&)>& confirm) {
  session.lock_for_writing();
  const Record rec = find_record(session, type, ref);
  const std::string id = model::id_of(rec);
  // Records that point here would be left dangling, except a contact's stage
  // changes: crm's own bookkeeping about that contact, removed along with it.
  std::vector<std::string> stage_changes;
  if (&type == &model::contact_type())
    for (const auto& a : session.index().ids_where(model::activity_type(), "contact", id))
      if (auto act = session.index().get(model::activity_type(), a); act && act->value("kind", "") == "stage")
        stage_changes.push_back(a);
  for (const auto* other : model::all_types())
    for (const auto& f : other->fields)
      if (f.kind == FieldKind::ref && f.ref_type == type.name) {
        auto users = session.index().ids_where(*other, f.key, id);
        if (other == &model::activity_type() && f.key == "contact")
          std::erase_if(users, [&](const std::string& u) {
            return std::find(stage_changes.begin(), stage_changes.end(), u) != stage_changes.end();
          });
        if (users.empty()) continue;
        // A required link cannot be unset: the other record has to go first.
        const std::string step = f.required ? fmt::format("first: crm {} rm {}", other->name, users.front())
                                            : fmt::format("first: crm {} set {} {}=", other->name, users.front(), f.key);
        throw Error(ErrorKind::conflict,
                    fmt::format("{} '{}' is still referenced by {} {}", type.name, id, users.size(),
                                users.size() == 1 ? other->name : other->plural),
                    {step});
      }
  if (!confirm(rec)) return false;
  for (const auto& a : stage_changes) {
    const auto path = relpath_of(session, model::activity_type(), a);
    const auto abs = session.workspace().writable(path);
    session.note_write(path);
    fs::remove_file(abs);
    session.wrote();
    session.index().drop(path);
  }
  const auto relpath = relpath_of(session, type, id);
  const auto abs = session.workspace().writable(relpath);
  session.note_write(relpath);
  fs::remove_file(abs);
  session.wrote();
  session.index().drop(relpath);
  return true;
}

EditResult edit_record(Session& session, const RecordType& type, const std::string& ref,
                       const EditorHooks& hooks) {
  session.lock_for_writing();
  const std::string id = model::id_of(find_record(session, type, ref));
  const auto relpath = relpath_of(session, type, id);
  const std::string original = store::read_yaml_text(session.workspace().absolute(relpath));
  // The draft lives in .crm/, outside the record folders, so no refresh sees it.
  const auto draft = session.workspace().crm_dir() / fmt::format("edit-{}.yaml", id);
  fs::write_file_atomic(draft, original);
  struct DraftGuard {
    std::filesystem::path p;
    ~DraftGuard() { std::error_code ec; std::filesystem::remove(p, ec); }
  } guard{draft};
  for (;;) {
    const int rc = hooks.run_editor(draft.string());
    if (rc != 0)
      throw Error(ErrorKind::io, fmt::format("the editor exited with status {}; nothing was changed", rc));
    const std::string edited = fs::read_file(draft);
    if (edited == original) return EditResult::unchanged;
    std::string problem;
    try {
      auto parsed = store::parse_record(type, edited, relpath);
      if (parsed.record["id"] != id) problem = fmt::format("{}: the id cannot change (it was '{}')", relpath, id);
      else if (!parsed.problems.empty()) {
        const auto& p = parsed.problems.front();
        problem = p.line > 0 ? fmt::format("{}:{}: {}", relpath, p.line, p.message) : fmt::format("{}: {}", relpath, p.message);
      } else {
        Record rec = parsed.record;
        rec["updated"] = time::format_timestamp(time::now());
        write_record(session, type, rec);
        after_write(session, type, store::parse_record(type, original, relpath).record, rec);
        return EditResult::saved;
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::invalid_data) throw;
      problem = e.what();
    }
    if (!hooks.ask_reopen(problem))
      throw Error(ErrorKind::invalid_data, problem, {"nothing was changed"});
  }
}

} // namespace crm::ops

namespace crm::ops {

std::string multiline_text(std::string_view text) {
  std::string s = text::nfc(text);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  const auto first = s.find_first_not_of(" \t\r\n");
  s.erase(0, first == std::string::npos ? s.size() : first);
  if (s.find('\n') != std::string::npos) s += '\n';
  return s;
}

time::When parse_when_arg(std::string_view text, std::string_view option) {
  if (auto when = time::parse_when(text, time::now())) return *when;
  throw Error(ErrorKind::invalid_data, fmt::format("bad {} '{}'", option, std::string(text)),
              {"use a date (2026-11-22), a date and time (2026-11-22T15:30), today, tomorrow,",
               "+3d, -2w, +1m, +4h, monday or next monday"});
}

std::string new_record_id(Session& session, const RecordType& type, const std::string& prefix,
                          const std::string& name) {
  return new_id(session, type, prefix, name);
}

void validate_record(const RecordType& type, const Record& record) { validate(type, record); }

int currency_arg(const std::string& currency) {
  const auto exp = money::exponent(currency);
  if (!exp)
    throw Error(ErrorKind::invalid_data, fmt::format("unknown currency '{}'", currency),
                {"use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD"});
  return *exp;
}

std::int64_t amount_arg(const std::string& text, const std::string& currency, const std::string& what, bool positive,
                        const std::string& where) {
  const int exp = currency_arg(currency);
  const auto v = money::parse_amount(text, exp);
  if (v && (positive ? *v > 0 : *v >= 0)) return *v;
  const std::string more = positive ? " more than 0" : "";
  // The decimal comma is said in the message itself: an import's reject keeps only that.
  const auto comma = money::decimal_comma_hint(text);
  throw Error(ErrorKind::invalid_data, fmt::format("bad {} '{}'{}{}", what, text, where, comma ? " (" + *comma + ")" : ""),
              {exp == 0 ? fmt::format("expected a whole number of {}{}", currency, more)
                        : fmt::format("expected an amount of {}{} with at most {} decimals", currency, more, exp)});
}

struct RecordChanges::Impl {
  Applier applier;
};

RecordChanges::RecordChanges(Session& session, const RecordType& type)
    : impl_(std::make_unique<Impl>(Impl{Applier(session, type)})) {}
RecordChanges::~RecordChanges() = default;

void RecordChanges::apply(Record& record, const Assignment& change) { impl_->applier.apply(record, change); }

void RecordChanges::apply_all(Record& record, const std::vector<Assignment>& changes) {
  impl_->applier.apply_all(record, changes);
}

void save_record(Session& session, const RecordType& type, const Record& record, WriteLog* log) {
  validate(type, record);
  write_record(session, type, record, log);
}

Record load_record(Session& session, const RecordType& type, const std::string& id) {
  // Commands that act on a record's values need them well-formed: a value edited
  // by hand into the wrong shape is named with its file and line.
  const auto relpath = relpath_of(session, type, id);
  auto parsed = store::parse_record(type, store::read_yaml_text(session.workspace().absolute(relpath)), relpath);
  if (!parsed.problems.empty()) {
    const auto& p = parsed.problems.front();
    throw store::RecordFileError(relpath, p.line, p.message);
  }
  return std::move(parsed.record);
}

std::string campaign_value(Session& session, const std::string& text) {
  const std::string clean = text::nfc(text::trim(text));
  if (clean.empty()) return clean;
  const auto candidates = session.index().resolve(model::campaign_type(), clean);
  if (candidates.size() > 1) // one of them: which is not for crm to guess
    find_record(session, model::campaign_type(), clean); // throws the ambiguity with the candidates
  return candidates.size() == 1 ? candidates.front().id : clean;
}

} // namespace crm::ops
