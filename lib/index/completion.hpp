#pragma once
// What shell completion reads from the index: record ids and names, and tags,
// by prefix. The index is read as it is: never refreshed (no stat walk), never
// written, never created. A stale index is good enough for completion, and a
// missing or unreadable one gives no values (docs/completion.md).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"

namespace crm::index {

// One record found by a prefix: its id and its title (name, title or summary).
struct NamedId {
  std::string id;
  std::string name;
};

class CompletionReader {
public:
  // Opens `index_path` read-only; nullptr when there is no index there, or one
  // this crm cannot read (another schema version, a damaged file). Never throws.
  static std::unique_ptr<CompletionReader> open(const std::filesystem::path& index_path);
  ~CompletionReader();
  CompletionReader(const CompletionReader&) = delete;
  CompletionReader& operator=(const CompletionReader&) = delete;

  // Records of `type` whose id starts with `prefix`, by id, at most `limit`.
  std::vector<NamedId> ids_with_prefix(const model::RecordType& type, std::string_view prefix,
                                       std::size_t limit) const;
  // Records of `type` whose title starts with `prefix`, compared as names are
  // (text::match_key: case, accents and marks folded), in name order, at most `limit`.
  std::vector<NamedId> names_with_prefix(const model::RecordType& type, std::string_view prefix,
                                         std::size_t limit) const;
  // The distinct tags (case folded, as the index keeps them) of records of
  // `type` starting with `prefix` (folded too), sorted, at most `limit`.
  std::vector<std::string> tags_with_prefix(const model::RecordType& type, std::string_view prefix,
                                            std::size_t limit) const;

  // Never throw: a query that fails (a locked or damaged index) gives nothing.
  struct Impl;

private:
  // Only open() makes a reader (the key lets it use make_unique).
  struct Key {
    explicit Key() = default;
  };

public:
  CompletionReader(Key, std::unique_ptr<Impl> impl);

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace crm::index
