// KEY=VALUE changes to a record (Assignment, RecordChanges): each field kind's
// values read and checked, list entries added and taken away, references resolved.
#include "ops/records/records.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/record_type.hpp"
#include "ops/records/records_impl.hpp"
#include "util/contact_point.hpp"
#include "util/country.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
using namespace records_impl;

namespace {

// Singular spellings accepted on the command line for list fields.
std::string canonical_key(std::string_view key) {
  static const std::pair<std::string_view, std::string_view> aliases[] = {
      {"email", "emails"}, {"phone", "phones"},       {"tag", "tags"},
      {"group", "groups"}, {"interest", "interests"}, {"note", "notes"}};
  for (auto [alias, key_name] : aliases)
    if (key == alias) return std::string(key_name);
  return std::string(key);
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

} // namespace

namespace records_impl {

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

void Applier::apply(Record& rec, const Assignment& a) { apply(rec, a.key, a.op, {a.value}); }

// Changes after one another that add to (or take from) one list go in one call:
// the list's keys are worked out once, not once per value (a card with 16 000
// EMAIL lines was quadratic).
void Applier::apply_all(Record& rec, const std::vector<Assignment>& changes) {
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

// Several `values` only for '+' and '-' on one key.
void Applier::apply(Record& rec, const std::string& given_key, char op, const std::vector<std::string>& values) {
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

std::vector<std::string> Applier::hints_for(const std::string& key) const {
  auto near = model::nearest_keys(type_, key);
  if (near.empty()) return {fmt::format("run 'crm {} add -h' to see the fields", type_.name)};
  return {fmt::format("did you mean '{}'?", near.front())};
}

void Applier::apply_map(Record& rec, const Field& f, const std::string& sub, char op, const std::string& value) {
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

Json Applier::make_entry(const Field& f, const std::string& item) {
  if (f.kind == FieldKind::emails) return make_email(item);
  if (f.kind == FieldKind::phones) return make_phone(item, session_.workspace().config().region);
  Json j = Json::array({item});
  if (auto p = model::check_field(f, j)) throw Error(ErrorKind::invalid_data, *p);
  return item;
}

void Applier::apply_list(Record& rec, const Field& f, char op, const std::vector<std::string>& items) {
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
std::string Applier::resolve_ref(const Field& f, const std::string& ref) {
  const RecordType* target = model::find_type(f.ref_type);
  auto candidates = session_.index().resolve(*target, ref);
  if (candidates.size() == 1) return candidates.front().id;
  if (candidates.size() > 1) throw ambiguous_error(*target, ref, candidates);
  if (target != &model::company_type()) return model::id_of(find_record(session_, *target, ref));
  pending_.push_back({std::string(f.key), ref});
  return ref;
}

void Applier::create_pending(Record& rec) {
  for (const auto& [key, name] : pending_) {
    if (!rec.contains(key) || rec[key] != name) continue; // changed again later
    rec[key] = add_record(session_, *model::find_type(type_.field(key)->ref_type), name, {});
  }
  pending_.clear();
}

} // namespace records_impl

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

} // namespace crm::ops
