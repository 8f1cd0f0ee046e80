#pragma once
// `crm doctor [--fix]`: what is wrong in the workspace, and what a killed
// command left, put right.

#include <string>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

struct Finding {
  std::string where;   // "contacts/x.yaml:3" or "contacts/x.yaml"
  std::string message; // lowercase, no final period
};

// Reads every record file itself (not through the index) and lists what is wrong:
// unreadable YAML, a merge's conflicts (each field), missing required fields,
// bad values, ids that do not match their file name or repeat, references to
// records that do not exist, temp files a killed writer left, the journal of a
// command killed half way, links.
std::vector<Finding> doctor(Session& session);

// What a killed command can leave, put right: its journal's files taken back, its
// temp files removed (as the next writing command would). Returns what was done,
// one line each.
std::vector<std::string> repair(Session& session);

// The files the findings are in (their `where` without a line), each once, in order.
std::vector<std::string> files_of(const std::vector<Finding>& findings);

} // namespace crm::ops
