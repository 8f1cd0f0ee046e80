#pragma once
// `crm undo`: take back the last commit crm made (docs/git.md). A commit crm
// made says so in a trailer line of its message, "Crm-Command: <command>". One
// that was not pushed yet is dropped (`git reset --keep`, which keeps every
// uncommitted change); a pushed one, only with --force, is reverted by a new
// commit, since the others may have it already.

#include <string>

#include "ops/records/session.hpp"

namespace crm::ops {

struct CommitUndone {
  std::string subject;    // the first line of the undone commit's message
  std::string commit;     // its short id
  std::string revert;     // the short id of the commit that reverted it; empty when it was dropped
};

// The trailer a commit crm made carries: "Crm-Command: contact add".
inline constexpr std::string_view crm_trailer = "Crm-Command:";

// Does a commit message carry crm's trailer?
bool is_crm_commit_message(std::string_view message);

// Takes back HEAD. Refuses (Error(conflict), hint --force) when HEAD was not made
// by crm or was pushed already (is on a remote-tracking branch), unless `force`.
CommitUndone undo(Session& session, bool force);

} // namespace crm::ops
