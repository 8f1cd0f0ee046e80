#pragma once
// A writing command is all or nothing, whatever the number of files it writes
// (`log --follow-up`: an activity and a follow-up; `contact add --company NEW
// --stage lead`: a company, a contact and a stage activity; a merge: many). Before
// a record file is written or removed, the change journal notes what the file
// held (.crm/changes/<token>.jsonl, one JSON line each, on disk before the file
// changes). A command that ends well drops its journal; one that fails takes its
// files back at once; one that is killed leaves the journal, and the next writing
// command (or `crm doctor --fix`) takes those files back before it writes.
//
// Only the writer-lock holder writes a journal, and it drops it before the lock
// goes: a journal the next lock holder finds is a dead command's.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "store/workspace.hpp"

namespace crm::ops {

class ChangeJournal {
public:
  // Nothing is written before the first note().
  ChangeJournal(const store::Workspace& workspace, std::string command);
  ~ChangeJournal(); // closes the journal file; never drops or reverts by itself
  ChangeJournal(const ChangeJournal&) = delete;
  ChangeJournal& operator=(const ChangeJournal&) = delete;

  // Before `relpath` (relative to the root) is written or removed: notes what it
  // holds now (or that it does not exist), durably. A path noted once in this
  // command is not noted again (taking back restores the first state).
  void note(const std::string& relpath);
  // After a noted write: for crash tests, CRM_TEST_CRASH_AFTER_WRITES=N kills the
  // process (SIGKILL) once N files were written, as a kill -9 at that moment would.
  void wrote();

  // The command ended well: the journal goes.
  void commit();
  // The command failed: every noted file gets back what it held, newest first.
  // Returns what could not be put back (empty when all was).
  std::vector<std::string> revert();

  bool empty() const { return noted_.empty(); }
  // The journal file, once note() made one; empty before.
  const std::filesystem::path& path() const { return path_; }

private:
  const store::Workspace& workspace_;
  std::string command_;
  std::filesystem::path path_;
  int fd_ = -1;
  std::set<std::string> noted_;
  std::size_t writes_ = 0;
};

// A journal a killed command left (for doctor); `own` (this process's open
// journal, if any) is not one.
struct InterruptedChange {
  std::string journal; // relative to the root: .crm/changes/<token>.jsonl
  std::string command; // "crm log call"
  std::size_t files = 0;
};
std::vector<InterruptedChange> interrupted_changes(const store::Workspace& workspace,
                                                   const std::filesystem::path& own = {});

// Takes back every interrupted change (the caller holds the writer lock) and
// returns one message for each: "an interrupted 'crm log call' was taken back (2
// files)". A journal line naming a path outside the workspace is skipped, said.
std::vector<std::string> recover_interrupted_changes(const store::Workspace& workspace);

} // namespace crm::ops
