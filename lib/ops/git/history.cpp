#include "ops/git/history.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "ops/git/git.hpp"
#include "ops/records/records.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"

namespace crm::ops {
namespace {

using Json = nlohmann::ordered_json;

// One commit that touched the file.
struct LogEntry {
  std::string commit, short_commit, date, author;
  std::vector<std::string> parents;
  std::string path;     // the file in this commit (from the top of the work tree)
  std::string old_path; // the file in its parents (another name after a rename)
  bool deleted = false;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

std::vector<LogEntry> read_log(const GitRepo& repo, const std::string& path) {
  // Not --follow: it leaves merge commits out, and a record's file keeps its name
  // (an id never changes). git's history simplification keeps the merges that
  // made the file anew, each with the parents that led to it.
  const std::string text =
      repo.out({"log", "--format=%x1e%H%x1f%h%x1f%aI%x1f%an%x1f%P", "--name-status", "--", path});
  std::vector<LogEntry> log;
  std::string current = repo.prefix() + path;
  for (const auto& chunk : split(text, '\x1e')) {
    if (chunk.empty()) continue;
    const auto lines = split(chunk, '\n');
    const auto head = split(lines.front(), '\x1f');
    if (head.size() < 5) continue;
    LogEntry e{head[0], head[1], head[2], head[3], {}, current, current, false};
    for (const auto& p : split(head[4], ' '))
      if (!p.empty()) e.parents.push_back(p);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const auto f = split(lines[i], '\t');
      if (f.size() < 2 || f[0].empty()) continue;
      e.path = f.back();
      e.old_path = f[0][0] == 'R' || f[0][0] == 'C' ? f[1] : f.back();
      e.deleted = f[0][0] == 'D';
      break;
    }
    current = e.old_path;
    log.push_back(std::move(e));
  }
  return log;
}

// The files at "COMMIT:PATH" (nullopt: not there), through one `git cat-file --batch`.
std::map<std::string, std::optional<std::string>> read_blobs(const GitRepo& repo,
                                                             const std::vector<std::string>& names) {
  std::map<std::string, std::optional<std::string>> blobs;
  if (names.empty()) return blobs;
  std::string input;
  for (const auto& n : names) input += n + "\n";
  const auto r = repo.run({"cat-file", "--batch"}, input);
  if (r.status != 0) throw Error(ErrorKind::io, "git cat-file failed", git_message(r));
  std::size_t at = 0;
  for (const auto& n : names) {
    const auto nl = r.out.find('\n', at);
    if (nl == std::string::npos) break;
    const std::string header = r.out.substr(at, nl - at);
    at = nl + 1;
    const auto parts = split(header, ' ');
    if (parts.size() == 3 && parts[1] == "blob") {
      const auto size = std::stoull(parts[2]);
      blobs[n] = r.out.substr(at, size);
      at += size + 1;
    } else {
      blobs[n] = std::nullopt;
      if (parts.size() == 3) at += std::stoull(parts[2]) + 1; // a tree or another object
    }
  }
  return blobs;
}

struct Version {
  Json record = Json::object();
  std::string unreadable; // why the file did not parse
};

Version read_version(const model::RecordType& type, const std::optional<std::string>& text, const std::string& path) {
  Version v;
  if (!text) return v;
  try {
    v.record = store::parse_record(type, *text, path).record;
  } catch (const store::RecordFileError& e) {
    v.unreadable = e.detail();
  }
  return v;
}

std::optional<Json> value_at(const Json& record, const std::string& key, const std::string& sub) {
  const auto it = record.find(key);
  if (it == record.end() || it->is_null()) return std::nullopt;
  if (sub.empty()) return *it;
  if (!it->is_object()) return std::nullopt;
  const auto s = it->find(sub);
  if (s == it->end() || s->is_null()) return std::nullopt;
  return *s;
}

struct FieldChange {
  std::string field;
  std::optional<Json> old_value, new_value;
};

// The fields that differ, in file order; a map (social, custom) key by key.
std::vector<FieldChange> diff(const model::RecordType& type, const Json& before, const Json& after, bool first,
                         const std::vector<const Json*>& other_parents) {
  std::vector<std::string> keys;
  for (const auto& f : type.fields) keys.emplace_back(f.key);
  for (const auto* side : {&after, &before})
    for (const auto& [k, v] : side->items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::vector<FieldChange> changes;
  auto add = [&](const std::string& key, const std::string& sub) {
    auto o = value_at(before, key, sub), n = value_at(after, key, sub);
    if (o == n) return;
    // A merge: what one of its parents had already is that parent's change.
    for (const auto* p : other_parents)
      if (value_at(*p, key, sub) == n) return;
    changes.push_back({sub.empty() ? key : key + "." + sub, std::move(o), std::move(n)});
  };
  for (const auto& key : keys) {
    if (key == "updated" && !first) continue;
    const auto* field = type.field(key);
    const auto o = value_at(before, key, ""), n = value_at(after, key, "");
    if (field && field->kind == model::FieldKind::map && (!o || o->is_object()) && (!n || n->is_object())) {
      std::vector<std::string> subs;
      for (const auto* side : {&n, &o})
        if (*side)
          for (const auto& [k, v] : (*side)->items())
            if (std::find(subs.begin(), subs.end(), k) == subs.end()) subs.push_back(k);
      for (const auto& sub : subs) add(key, sub);
    } else {
      add(key, "");
    }
  }
  return changes;
}

// The record a REF names and its file: a contact or a company as other
// commands find them, else a record of another type by its id (or an id
// prefix); else a record removed since, by its id, when git knows its file.
struct Found {
  const model::RecordType* type = nullptr;
  std::string relpath;
};

Found find_any(Session& session, const GitRepo& repo, const std::string& ref) {
  std::vector<const model::RecordType*> types{&model::contact_type(), &model::company_type()};
  for (const auto* t : model::all_types())
    if (t != types[0] && t != types[1]) types.push_back(t);
  for (const auto* t : types)
    if (!session.index().resolve(*t, ref).empty()) {
      const std::string id = model::id_of(find_record(session, *t, ref));
      return {t, session.index().path_of(*t, id).value_or(session.workspace().record_relpath(*t, id).string())};
    }
  if (model::is_valid_id(ref))
    for (const auto* t : types) {
      const std::string relpath = session.workspace().record_relpath(*t, ref).string();
      if (!repo.out({"log", "-1", "--format=%h", "--", relpath}).empty()) return {t, relpath};
    }
  throw Error(ErrorKind::not_found, fmt::format("no record matches '{}'", ref),
              {"a REF is an id, an id prefix, or a contact's or company's email, phone or name"});
}

} // namespace

format::Rows record_history(Session& session, const std::string& ref) {
  const auto repo = GitRepo::open(session.workspace().root());
  const auto found = find_any(session, repo, ref);
  const model::RecordType* type = found.type;
  const std::string& relpath = found.relpath;
  const auto log = read_log(repo, relpath);
  std::vector<std::string> names;
  for (const auto& e : log) {
    if (!e.deleted) names.push_back(e.commit + ":" + e.path);
    for (const auto& p : e.parents) names.push_back(p + ":" + e.old_path);
  }
  const auto blobs = read_blobs(repo, names);
  auto version = [&](const std::string& commit, const std::string& path) {
    const auto it = blobs.find(commit + ":" + path);
    return read_version(*type, it == blobs.end() ? std::nullopt : it->second, path);
  };
  format::Rows rows;
  rows.columns = {"commit", "date", "author", "field", "old", "new"};
  rows.id_columns = {"commit"};
  auto cell = [](const std::optional<Json>& v) { return v ? *v : Json(nullptr); };
  for (const auto& e : log) {
    const Version after = e.deleted ? Version{} : version(e.commit, e.path);
    std::vector<Version> parents;
    for (const auto& p : e.parents) parents.push_back(version(p, e.old_path));
    const Version before = parents.empty() ? Version{} : parents.front();
    std::vector<const Json*> others;
    for (std::size_t i = 1; i < parents.size(); ++i) others.push_back(&parents[i].record);
    std::vector<FieldChange> changes;
    if (!after.unreadable.empty()) changes.push_back({"(file)", std::nullopt, Json("unreadable: " + after.unreadable)});
    else changes = diff(*type, before.record, after.record, before.record.empty(), others);
    for (const auto& c : changes)
      rows.rows.push_back(Json{{"commit", e.short_commit},
                               {"date", e.date},
                               {"author", e.author},
                               {"field", c.field},
                               {"old", cell(c.old_value)},
                               {"new", cell(c.new_value)}});
  }
  return rows;
}

} // namespace crm::ops
