#pragma once
// Hooks: executables in .crm/hooks/ that crm runs around a write (docs/hooks.md).
//   pre-write    after a command wrote its files, before they are kept: a non-zero
//                exit takes every file back (the command fails, exit 4)
//   post-write   after the write was kept (and committed, with git.autocommit)
//   post-import  after an import, with its batch and counts
//   post-sync    after `crm sync`
// Each gets a JSON description of the change on stdin. Hooks run only in a
// trusted workspace (ops/records/trust.hpp); the Session decides, run_hook runs.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ops/records/write_description.hpp"
#include "store/workspace.hpp"

namespace crm::ops {

inline constexpr std::string_view pre_write_hook = "pre-write";
inline constexpr std::string_view post_write_hook = "post-write";
inline constexpr std::string_view post_import_hook = "post-import";
inline constexpr std::string_view post_sync_hook = "post-sync";

// .crm/hooks/NAME when it is an executable file; nullopt is "no hook" (missing,
// a folder, or not executable).
std::optional<std::filesystem::path> hook_file(const store::Workspace& workspace, std::string_view name);

struct HookResult {
  bool ran = false;   // false: there is no such hook
  int status = 0;     // its exit status; 128+N when killed by signal N
  std::string output; // what it printed, stdout and stderr together
};

// Runs hook `name` with `payload` on its stdin (written whole, then closed; a
// hook that reads none of it is fine), in the workspace root, with CRM_WORKSPACE
// (the root) and CRM_HOOK (the name) in its environment. A hook that cannot be
// started counts as one that failed (status 126, the reason as its output). No
// trust check here: the caller's.
HookResult run_hook(const store::Workspace& workspace, std::string_view name, const std::string& payload);

// A hook's JSON payload: {"hook", "workspace", "command", "summary", then the
// `extra` fields, then "changes": [{"action", "type", "id", "path", "record"}]}.
// A created or updated record's "record" is read from its file when the change
// does not hold it yet; a deleted one, or a file under files/, has none.
std::string hook_payload(std::string_view hook, const store::Workspace& workspace, std::string_view command,
                         std::string_view summary, const std::vector<Change>& changes,
                         const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());

// The warning said once by a command whose workspace holds a hook for what it did
// but is not trusted.
Notice untrusted_hooks_notice();

// A hook run after the fact (post-sync): run when the workspace is trusted; returns
// what to tell the person: what it printed, a warning when it failed, or the
// untrusted warning when it exists but may not run. `payload` is made only when
// the hook runs.
std::vector<Notice> run_after_hook(const store::Workspace& workspace, std::string_view name,
                                   const std::function<std::string()>& payload);

} // namespace crm::ops
