#pragma once
// Workspace-level commands: init, index status/rebuild, doctor.

#include <filesystem>
#include <string>
#include <vector>

#include "index/index.hpp"
#include "ops/session.hpp"
#include "store/workspace.hpp"

namespace crm::ops {

// Creates the workspace; with options.git also runs `git init` and commits it.
store::Workspace init_workspace(const std::filesystem::path& dir, const store::InitOptions& options);

index::Status index_status(Session& session);
index::RefreshStats rebuild_index(Session& session);

struct Finding {
  std::string where;   // "contacts/x.yaml:3" or "contacts/x.yaml"
  std::string message; // lowercase, no final period
};

// Reads every record file itself (not through the index) and lists what is wrong:
// unreadable YAML, missing required fields, bad values, ids that do not match
// their file name or repeat, references to records that do not exist, temp
// files a killed writer left, the journal of a command killed half way, links.
std::vector<Finding> doctor(Session& session);

// What a killed command can leave, put right: its journal's files taken back, its
// temp files removed (as the next writing command would). Returns what was done,
// one line each.
std::vector<std::string> repair(Session& session);

// The files the findings are in (their `where` without a line), each once, in order.
std::vector<std::string> files_of(const std::vector<Finding>& findings);

} // namespace crm::ops
