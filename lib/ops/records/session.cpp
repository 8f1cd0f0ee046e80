#include "ops/records/session.hpp"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "ops/records/change_journal.hpp"
#include "index/filter_sql.hpp"
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
    commit();
  } catch (...) { // the journal stays; the next writing command takes its files back
  }
}

void Session::note_write(const std::string& relpath) {
  if (changes_) changes_->note(relpath);
}

void Session::wrote() {
  if (changes_) changes_->wrote();
}

std::filesystem::path Session::change_journal_path() const {
  return changes_ ? changes_->path() : std::filesystem::path();
}

void Session::commit() {
  if (changes_) changes_->commit();
}

std::vector<std::string> Session::revert_changes() {
  if (!changes_ || changes_->empty()) return {};
  std::vector<std::string> problems;
  try {
    problems = changes_->revert();
  } catch (const std::exception& e) { // the journal stays: the next writing command takes it back
    problems.push_back(e.what());
  }
  try {
    index_->refresh();
  } catch (...) { // the next command refreshes anyway
  }
  return problems;
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
