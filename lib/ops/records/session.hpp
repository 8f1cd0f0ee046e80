#pragma once
// What every command starts from: the workspace, found from the current
// directory, and its index, brought up to date with the files.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/index.hpp"
#include "ops/records/write_description.hpp"
#include "store/workspace.hpp"
#include "util/fs.hpp"

namespace crm::index { struct FilterContext; }

namespace crm::ops {

class ChangeJournal;

class Session {
public:
  // Finds the workspace from `start` (given by -C when `explicit_start`), opens
  // the index and refreshes it unless told not to (index rebuild reads it all).
  explicit Session(const std::filesystem::path& start, bool explicit_start = false, bool refresh = true);
  // Keeps what the command wrote (the change journal goes), as a command that
  // ended well does; runs no hook and no git.
  ~Session();

  store::Workspace& workspace() { return workspace_; }
  index::Index& index() { return *index_; }

  // Takes the writer lock (waiting up to the timeout), removes temp files a killed
  // writer left, and refreshes the index again so that it matches the files seen
  // under the lock. Readers never take it.
  void lock_for_writing(bool refresh = true);

  // The change journal (ops/change_journal.hpp): once the lock is taken, every
  // record file written or removed is noted first (note_write before, wrote
  // after), so that the command is all or nothing. commit() when it ended well;
  // revert_changes() when it failed, which returns what could not be put back.
  // An import keeps its own journal and turns this one off before it locks.
  // Noted files are also what the command is described by (write_description.hpp),
  // journal or not.
  void note_write(const std::string& relpath);
  void wrote();
  std::vector<std::string> revert_changes(); // never throws

  // The command ended well. Its changes are described ("contact add: Ana
  // Popescu"; `command` is "contact add"), the pre-write hook runs (a refusal
  // throws Error(conflict): revert_changes() then takes every file back), the
  // files are kept (the journal goes), committed with git.autocommit, the lock is
  // released, and post-write (and post-import) run. Returns what to tell the
  // person: warnings and what hooks printed. A command that wrote nothing
  // describes nothing, runs no hook and no git.
  std::vector<Notice> commit(std::string_view command);
  // What commit() will say this command changed (files read again, nothing run).
  WriteDescription describe(std::string_view command);

  // What a command that writes outside the change journal (an import) says it
  // wrote. The subject's words after "COMMAND: ", in place of the records' names:
  void describe_as(std::string detail) { detail_ = std::move(detail); }
  // Its changes, listed only when git or a hook needs them (a batch of 100 000).
  void add_changes(std::function<std::vector<Change>()> list) { listed_.push_back(std::move(list)); }
  // A file git should commit that is not a record (an import's journal).
  void add_written_path(std::string relpath) { written_paths_.push_back(std::move(relpath)); }
  // How to take it back when the command fails after all (a pre-write hook
  // refused it); returns what could not be. Run by revert_changes(), newest first.
  void on_take_back(std::function<std::vector<std::string>()> take_back) {
    take_backs_.push_back(std::move(take_back));
  }
  // A hook to run once the write is kept, after post-write (post-import), with
  // these fields in its payload besides the description's.
  void run_after(std::string hook, nlohmann::ordered_json fields) {
    after_hooks_.emplace_back(std::move(hook), std::move(fields));
  }
  // Will hook `name` run: the workspace is trusted and holds it (an import undo
  // journals its files for a pre-write hook only then).
  bool runs_hook(std::string_view name);
  void journal_changes(bool on) { journal_changes_ = on; }
  // This command's own change journal file (empty when it wrote nothing yet).
  std::filesystem::path change_journal_path() const;

  // Removes the temp files a killed writer left (seen by the last refresh) when
  // no writer holds the lock, so that they go with the next command of any kind,
  // not only the next write; with a writer running, nothing.
  void remove_stale_temps();
  // The temp files of interrupted writes, relative to the workspace: in the record
  // folders (as the index's scan found them) and in .crm/ and its journal folders.
  std::vector<std::string> temp_files() const;

  // Warnings a command's work gave (a new email another contact has), for the
  // command to print once it is done; taking them empties the list.
  void warn(std::string message) { warnings_.push_back(std::move(message)); }
  std::vector<std::string> take_warnings() { return std::exchange(warnings_, {}); }

  // What filters compile against: this index, the config, the clock, the lead
  // scoring rules.
  index::FilterContext filter_context() const;
  // The lead_scoring rules compiled (index::lead_score_sql), for the computed
  // field score: what filters, lists and `show` hand the index.
  index::LeadScore lead_score() const;
  // A --where filter compiled for `type` (index/filter_sql.hpp).
  index::SqlExpr where(const model::RecordType& type, const std::string& filter) const;

private:
  store::Workspace workspace_;
  std::unique_ptr<index::Index> index_;
  std::optional<fs::FileLock> lock_;
  std::unique_ptr<ChangeJournal> changes_; // declared after lock_: dropped before the lock goes
  bool journal_changes_ = true;
  std::vector<std::string> warnings_;
  mutable std::optional<index::SqlExpr> lead_score_;

  // What the command wrote, for its description.
  struct Touched {
    std::string path;
    std::optional<std::string> before; // nullopt: there was no file
  };
  std::vector<Touched> touched_;
  std::set<std::string> touched_paths_;
  std::string detail_;
  std::vector<std::function<std::vector<Change>()>> listed_;
  std::vector<std::string> written_paths_;
  std::vector<std::function<std::vector<std::string>()>> take_backs_;
  std::vector<std::pair<std::string, nlohmann::ordered_json>> after_hooks_;
  std::optional<bool> trusted_;
  bool warned_untrusted_ = false;

  std::vector<Change> changes_made();
  std::optional<Change> change_of(const Touched& t);
  std::string label_of(const model::RecordType& type, const model::Record& record);
  bool trusted();
  void forget_changes();
};

// Reads the settings of the workspace found from `start` that shape the command
// line itself (a contact's stages, which its help texts list), before the
// commands are registered. Quiet: a missing or broken workspace is the
// command's to report. Returns the workspace when there is one.
std::optional<store::Workspace> read_workspace_settings(const std::filesystem::path& start, bool explicit_start);

// How long a writer waits for another one (ms); CRM_LOCK_TIMEOUT_MS overrides.
int lock_timeout_ms();

} // namespace crm::ops
