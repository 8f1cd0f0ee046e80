#pragma once
// `crm init`: a new workspace.

#include <filesystem>

#include "store/workspace.hpp"

namespace crm::ops {

// Creates the workspace; with options.git also runs `git init`, makes crm the
// merge driver of its record files (ops/git git_setup) and commits it.
store::Workspace init_workspace(const std::filesystem::path& dir, const store::InitOptions& options);

} // namespace crm::ops
