#include "ops/records/session.hpp"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include <sys/stat.h>

#include "ops/records/autocommit.hpp"
#include "ops/records/change_journal.hpp"
#include "ops/records/hooks.hpp"
#include "ops/records/trust.hpp"
#include "index/filter_sql.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {

int lock_timeout_ms() {
  const char* v = std::getenv("CRM_LOCK_TIMEOUT_MS");
  if (!v || !*v) return 10000;
  const std::string_view text(v);
  int ms = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc{} || end != text.data() + text.size() || ms < 0)
    throw Error(ErrorKind::usage, fmt::format("bad CRM_LOCK_TIMEOUT_MS '{}'", text),
                {"a whole number of milliseconds, e.g. CRM_LOCK_TIMEOUT_MS=30000"});
  return ms;
}

Session::Session(const std::filesystem::path& start, bool explicit_start, bool refresh)
    : workspace_(store::Workspace::discover(start, explicit_start)),
      index_(std::make_unique<index::Index>(workspace_)) {
  if (!refresh) return;
  index_->refresh();
  if (index_->stale())
    warn("the disk is full: the index could not take in changes made by hand since the last command");
}

std::vector<std::string> Session::temp_files() const {
  std::vector<std::string> out = index_->temp_files();
  // The index scans record folders only; import journals and change journals are
  // written atomically too.
  for (const char* dir : {".crm", ".crm/imports", ".crm/changes"}) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(workspace_.root() / dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      if (it->path().filename().string().starts_with(fs::temp_prefix))
        out.push_back(std::string(dir) + "/" + it->path().filename().string());
  }
  return out;
}

void Session::remove_stale_temps() {
  if (lock_) return;
  const auto temps = temp_files();
  if (temps.empty()) return;
  try {
    fs::FileLock lock(workspace_.lock_path(), 0);
    for (const auto& temp : temps) fs::remove_file(workspace_.writable(temp));
  } catch (const Error&) {
    // A writer is running (or a temp cannot go): the next command tries again.
  }
}

std::optional<store::Workspace> read_workspace_settings(const std::filesystem::path& start, bool explicit_start) {
  try {
    return store::Workspace::discover(start, explicit_start);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

index::FilterContext Session::filter_context() const {
  return {*index_, workspace_.config(), time::now(), true, lead_score()};
}

index::LeadScore Session::lead_score() const {
  // Compiled the first time score is used, once per command: a broken rule is an
  // error only for what uses score.
  return [this] {
    if (!lead_score_) lead_score_ = index::lead_score_sql(filter_context());
    return *lead_score_;
  };
}

index::SqlExpr Session::where(const model::RecordType& type, const std::string& filter) const {
  return index::where_sql(type, filter, filter_context());
}

Session::~Session() {
  try {
    if (changes_) changes_->commit();
  } catch (...) { // the journal stays; the next writing command takes its files back
  }
}

namespace {

std::optional<std::string> file_text(const std::filesystem::path& abs) {
  struct stat st;
  if (::lstat(abs.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return fs::read_file(abs);
}

} // namespace

void Session::note_write(const std::string& relpath) {
  if (touched_paths_.insert(relpath).second) {
    try {
      touched_.push_back({relpath, file_text(workspace_.absolute(relpath))});
    } catch (const Error&) { // unreadable: the journal below says so
      touched_.push_back({relpath, std::nullopt});
    }
  }
  if (changes_) changes_->note(relpath);
}

void Session::wrote() {
  if (changes_) changes_->wrote();
}

std::filesystem::path Session::change_journal_path() const {
  return changes_ ? changes_->path() : std::filesystem::path();
}

std::vector<std::string> Session::revert_changes() {
  std::vector<std::string> problems;
  bool reverted = false;
  if (changes_ && !changes_->empty()) {
    reverted = true;
    try {
      problems = changes_->revert();
    } catch (const std::exception& e) { // the journal stays: the next writing command takes it back
      problems.push_back(e.what());
    }
  }
  for (auto it = take_backs_.rbegin(); it != take_backs_.rend(); ++it) {
    reverted = true;
    try {
      for (auto& p : (*it)()) problems.push_back(std::move(p));
    } catch (const std::exception& e) {
      problems.push_back(e.what());
    }
  }
  forget_changes();
  if (reverted) {
    try {
      index_->refresh();
    } catch (...) { // the next command refreshes anyway
    }
  }
  return problems;
}

void Session::forget_changes() {
  touched_.clear();
  touched_paths_.clear();
  detail_.clear();
  listed_.clear();
  written_paths_.clear();
  take_backs_.clear();
  after_hooks_.clear();
}

bool Session::trusted() {
  if (!trusted_) trusted_ = is_trusted(workspace_.root());
  return *trusted_;
}

bool Session::runs_hook(std::string_view name) { return hook_file(workspace_, name) && trusted(); }

// What people call a record: its name or title; an event (activity, sale,
// follow-up, payment...) by its contact's name.
std::string Session::label_of(const model::RecordType& type, const model::Record& record) {
  auto text = [](const model::Record& r, std::string_view key) {
    const auto it = r.find(std::string(key));
    return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (type.title_key == "name" || type.title_key == "title") return text(record, type.title_key);
  auto contact_name = [&](const std::string& id) {
    if (auto c = index_->get(model::contact_type(), id)) return text(*c, "name");
    return id;
  };
  if (type.field("contact"))
    if (const auto id = text(record, "contact"); !id.empty()) return contact_name(id);
  if (type.field("sale"))
    if (const auto sale = index_->get(model::sale_type(), text(record, "sale")))
      if (const auto id = text(*sale, "contact"); !id.empty()) return contact_name(id);
  return text(record, type.title_key);
}

std::optional<Change> Session::change_of(const Touched& t) {
  std::optional<std::string> now;
  try {
    now = file_text(workspace_.absolute(t.path));
  } catch (const Error&) {
  }
  if (!t.before && !now) return std::nullopt; // made and removed again
  if (t.before && now && *t.before == *now) return std::nullopt;
  Change c;
  c.action = !t.before ? ChangeAction::create : !now ? ChangeAction::remove : ChangeAction::update;
  c.path = t.path;
  const auto name = std::filesystem::path(t.path).filename().string();
  if (const auto* type = type_of_path(t.path); type && name.ends_with(".yaml")) {
    c.type = type->name;
    c.id = name.substr(0, name.size() - 5);
    try {
      auto record = store::parse_record(*type, now ? *now : *t.before, t.path).record;
      c.id = model::id_of(record);
      c.label = label_of(*type, record);
      if (now) c.record = std::move(record);
    } catch (const std::exception&) { // a broken file is still a change
    }
  } else if (t.path.starts_with("files/")) {
    c.type = "file";
    const auto rest = t.path.substr(6);
    c.id = rest.substr(0, rest.find('/'));
  }
  return c;
}

std::vector<Change> Session::changes_made() {
  std::vector<Change> out;
  std::set<std::string> seen;
  for (const auto& t : touched_)
    if (auto c = change_of(t)) {
      seen.insert(c->path);
      out.push_back(std::move(*c));
    }
  for (const auto& list : listed_)
    for (auto& c : list())
      if (seen.insert(c.path).second) out.push_back(std::move(c));
  return out;
}

namespace {

Error refusal(const HookResult& r) {
  std::vector<std::string> hints;
  std::size_t start = 0;
  while (start < r.output.size()) {
    auto end = r.output.find('\n', start);
    if (end == std::string::npos) end = r.output.size();
    std::string line = r.output.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) hints.push_back(fmt::format("{}: {}", pre_write_hook, line));
  }
  if (r.status != 1) hints.push_back(fmt::format("it exited with status {}", r.status));
  hints.push_back("nothing was written");
  return Error(ErrorKind::conflict, "pre-write hook refused the change", hints);
}

} // namespace

WriteDescription Session::describe(std::string_view command) {
  WriteDescription d;
  d.command = command;
  if (touched_.empty() && listed_.empty() && written_paths_.empty()) return d; // a reader, or nothing changed
  d.changes = changes_made();
  std::set<std::string> seen;
  for (const auto& c : d.changes)
    if (seen.insert(c.path).second) d.paths.push_back(c.path);
  for (const auto& p : written_paths_)
    if (seen.insert(p).second) d.paths.push_back(p);
  if (!d.paths.empty()) d.subject = write_subject(command, detail_, d.changes);
  return d;
}

std::vector<Notice> Session::commit(std::string_view command) {
  std::vector<Notice> notices;
  // Described only for git or a hook: without either, a write costs what it did.
  bool wanted = workspace_.config().git_autocommit || hook_file(workspace_, pre_write_hook) ||
                hook_file(workspace_, post_write_hook);
  for (const auto& a : after_hooks_) wanted = wanted || hook_file(workspace_, a.first);
  WriteDescription d;
  try {
    if (wanted) d = describe(command);
  } catch (const Error& e) { // the files are written well: they stay, and it is said
    notices.push_back({Notice::Kind::warning,
                       fmt::format("what '{}' changed could not be read back: {}", command, e.what()),
                       {"the files are written; no hook ran and nothing was committed to git"}});
    d = WriteDescription{};
  }
  if (d.empty()) {
    if (changes_) changes_->commit();
    forget_changes();
    return notices;
  }
  const auto& changes = d.changes;
  const std::string& subject = d.subject;
  auto untrusted = [&] {
    if (!warned_untrusted_) notices.push_back(untrusted_hooks_notice());
    warned_untrusted_ = true;
  };
  // A hook for each event, in order; pre-write may still say no.
  std::vector<std::pair<std::string, nlohmann::ordered_json>> after = {{std::string(post_write_hook), {}}};
  for (auto& a : after_hooks_) after.push_back(std::move(a));
  if (hook_file(workspace_, pre_write_hook)) {
    if (trusted()) {
      const auto r = run_hook(workspace_, pre_write_hook,
                              hook_payload(pre_write_hook, workspace_, command, subject, changes));
      if (r.status != 0) throw refusal(r);
      if (!r.output.empty()) notices.push_back({Notice::Kind::output, r.output, {}});
    } else {
      untrusted();
    }
  }
  // Kept: the journal goes (then nothing takes the files back).
  if (changes_) changes_->commit();
  forget_changes();
  if (workspace_.config().git_autocommit)
    for (auto& n : git_autocommit(workspace_, subject, command, d.paths)) notices.push_back(std::move(n));
  // Done writing: a hook may run crm, writing commands included.
  changes_.reset();
  lock_.reset();
  for (const auto& [hook, fields] : after) {
    if (!hook_file(workspace_, hook)) continue;
    if (!trusted()) {
      untrusted();
      continue;
    }
    const auto r = run_hook(workspace_, hook,
                            hook_payload(hook, workspace_, command, subject, changes,
                                         fields.is_object() ? fields : nlohmann::ordered_json::object()));
    if (!r.output.empty()) notices.push_back({Notice::Kind::output, r.output, {}});
    if (r.status != 0)
      notices.push_back({Notice::Kind::warning, fmt::format("the {} hook failed (exit status {})", hook, r.status),
                         {"what was written stays"}});
  }
  return notices;
}

void Session::lock_for_writing(bool refresh) {
  if (lock_) return;
  lock_.emplace(workspace_.lock_path(), lock_timeout_ms());
  // A command killed half way left its journal: its files are taken back first.
  for (auto& message : recover_interrupted_changes(workspace_)) warn(std::move(message));
  if (journal_changes_) changes_ = std::make_unique<ChangeJournal>(workspace_, fs::own_command_line());
  if (!refresh) return;
  index_->refresh();
  // Under the lock no other writer is running: any temp file is a killed one's.
  for (const auto& temp : temp_files()) fs::remove_file(workspace_.writable(temp));
}

} // namespace crm::ops
