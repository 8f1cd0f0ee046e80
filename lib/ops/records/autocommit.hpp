#pragma once
// git.autocommit: a writing command that ended well commits exactly the files it
// wrote (created, changed or removed), whatever else lies changed or staged in
// the work tree, as one commit:
//
//   contact add: Ana Popescu
//
//   Crm-Command: contact add
//
// The trailer marks crm's commits (crm undo looks for it). The commit is made
// from an index of its own (HEAD plus these files), so nothing the person staged
// goes in; git's own index then takes the files as committed. Nothing here
// throws: a workspace outside git, git missing, or a failing commit (no
// user.name) leaves the files written and says why.

#include <string>
#include <string_view>
#include <vector>

#include "ops/records/write_description.hpp"
#include "store/workspace.hpp"

namespace crm::ops {

// "SUBJECT\n\nCrm-Command: COMMAND\n"
std::string commit_message(std::string_view subject, std::string_view command);

// Commits `paths` (relative to the workspace root). Returns the warnings (none
// when it committed, or when the files were as committed already).
std::vector<Notice> git_autocommit(const store::Workspace& workspace, std::string_view subject,
                                   std::string_view command, const std::vector<std::string>& paths);

} // namespace crm::ops
