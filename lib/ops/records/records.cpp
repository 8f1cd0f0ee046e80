#include "ops/records/records.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/amounts.hpp"
#include "ops/records/records_impl.hpp"
#include "ops/records/stage.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/money.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
using namespace records_impl;

namespace records_impl {

// "'REF' matches N contacts" with the candidates as hint lines (git's style).
Error ambiguous_error(const RecordType& t, const std::string& ref, const std::vector<index::Candidate>& c) {
  std::vector<std::string> hints = {"the candidates are:"};
  for (const auto& x : c) hints.push_back(fmt::format("  {}  {}", x.id, x.name));
  return Error(ErrorKind::ambiguous, fmt::format("'{}' matches {} {}", ref, c.size(), t.plural), hints);
}

namespace {

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

} // namespace

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

void write_record(Session& session, const RecordType& type, const Record& unordered, WriteLog* log) {
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

} // namespace records_impl

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
  std::string id, relpath;
  bool conflicted = false;
  try {
    id = model::id_of(find_record(session, type, ref));
    relpath = relpath_of(session, type, id);
  } catch (const Error& e) {
    // A file a merge left conflicts in is not in the index (it does not parse):
    // `edit ID` opens it all the same, for a person to resolve them.
    if (e.kind() != ErrorKind::not_found || !model::is_valid_id(ref)) throw;
    const auto conflicted_file = [&]() -> std::optional<std::string> {
      try {
        const auto rel = session.workspace().record_relpath(type, ref).string();
        const auto abs = session.workspace().absolute(rel);
        std::error_code ec;
        if (std::filesystem::is_regular_file(abs, ec) && !store::conflict_marks(store::read_yaml_text(abs)).empty())
          return rel;
      } catch (const Error&) { // an id no file can have: not found, as said
      }
      return std::nullopt;
    }();
    if (!conflicted_file) throw;
    relpath = *conflicted_file;
    id = ref;
    conflicted = true;
  }
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
        if (!conflicted) after_write(session, type, store::parse_record(type, original, relpath).record, rec);
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
