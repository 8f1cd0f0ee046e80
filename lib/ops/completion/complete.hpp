#pragma once
// `crm __complete WORDS...`: the candidates for the last word of a command
// line, from the command tree (subcommands, options, fixed choices) and from the
// workspace (record ids and names, tags, stages, import batches). Live values
// come from the index as it is, never refreshed: completion must answer within
// 50 ms on any workspace (docs/completion.md).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "ops/completion/words.hpp"

namespace crm::ops::completion {

struct Candidate {
  std::string value;
  std::string description; // one line; empty when none
};

// What the shell should do when the binary has no list to give.
enum class Fallback { none, files, dirs };

struct Completions {
  std::vector<Candidate> candidates;
  Fallback fallback = Fallback::none;
};

struct CompleteOptions {
  std::filesystem::path cwd;  // where -C DIR and the workspace are found from
  std::size_t limit = 200;    // live values (records, tags) at most
};

// Never throws for a missing, broken or locked workspace or index: those give
// no live values, the rest still completes.
Completions complete(const CommandSpec& root, const std::vector<std::string>& words, const CompleteOptions& options);

} // namespace crm::ops::completion
