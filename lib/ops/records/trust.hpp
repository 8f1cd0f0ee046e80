#pragma once
// Trusted workspaces: the ones whose hooks (.crm/hooks/) crm runs. A workspace is
// a directory anyone can hand over (a clone, an archive), and a hook is a
// program: it runs only where the user said so with `crm trust`, never because a
// repository contains one. The list lives outside every workspace, in
// $XDG_CONFIG_HOME/crm/trusted (~/.config/crm/trusted without it): one canonical
// absolute path a line.

#include <filesystem>
#include <string>
#include <vector>

namespace crm::ops {

// The trust file's path. Throws Error(usage) when neither XDG_CONFIG_HOME nor
// HOME is set.
std::filesystem::path trust_file();

// The trusted workspaces, as listed (blank lines and '#' comments left out).
std::vector<std::string> trusted_workspaces();

// Is `root` (a workspace root) trusted: its canonical path is on the list. A
// missing or unreadable list trusts nothing.
bool is_trusted(const std::filesystem::path& root);

// Adds `root`'s canonical path to the list (written atomically); false when it
// was there already.
bool trust_workspace(const std::filesystem::path& root);

// Takes `dir` off the list: its canonical path, or, for a folder that is gone,
// its absolute path as given. False when it was not on the list.
bool untrust_workspace(const std::filesystem::path& dir);

// `crm trust [DIR]` and `crm trust --remove [DIR]`: the workspace found from
// `start` (DIR, or the current directory and CRM_WORKSPACE when not
// `explicit_start`) put on the list or taken off. --remove also takes a DIR that
// is no workspace any more (deleted since). Returns the path as listed and
// whether the list changed.
struct TrustChange {
  std::string path;
  bool changed = false;
};
TrustChange trust(const std::filesystem::path& start, bool explicit_start);
TrustChange untrust(const std::filesystem::path& start, bool explicit_start);

} // namespace crm::ops
