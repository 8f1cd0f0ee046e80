#pragma once
// `crm sync`: share the workspace through its git remote (docs/git.md). Fetch,
// merge the upstream branch (crm merging record files field by field), refresh
// the index, push. A conflict stops the merge half way, for a person to finish
// with --continue (or take back with --abort).

#include <cstddef>
#include <string>
#include <vector>

#include "ops/records/session.hpp"
#include "ops/records/write_description.hpp"

namespace crm::ops {

enum class SyncMode { sync, continue_merge, abort_merge };

// What a merge left for a person: one field of one record, or a whole file.
struct SyncConflict {
  std::string path;   // relative to the workspace: contacts/ana-popescu-k7q2.yaml
  int line = 0;       // its "<<<<<<<" line; 0 when the file holds no markers
  std::string field;  // "city", "custom.size"; empty when no field is known
  std::string detail; // for a file without markers: "deleted here, changed in 'origin/main'"
};

struct SyncResult {
  std::string upstream;      // "origin/main"
  std::size_t pulled = 0;    // commits merged in from the upstream
  std::size_t pushed = 0;    // commits the push sent
  bool aborted = false;      // --abort took the merge back
  bool line_merges = false;  // .gitattributes does not name crm's merge driver
  // Not empty: the merge stopped on these; it waits for --continue or --abort.
  std::vector<SyncConflict> conflicts;
  // What the post-sync hook printed, or a warning that it failed or may not run.
  std::vector<Notice> notices;
};

SyncResult sync(Session& session, SyncMode mode);

// "merge conflict in contacts/x.yaml field 'city'"
std::string conflict_line(const SyncConflict& conflict);
// What to do next about the conflicts, for hint lines.
std::vector<std::string> conflict_hints(const std::vector<SyncConflict>& conflicts);

} // namespace crm::ops
