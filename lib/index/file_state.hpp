#pragma once
// What the index knows about the record files, kept per directory in a fixed
// number of buckets (by a hash of the file name), each one blob of (name, size,
// mtime, ctime, inode, hash, flags) entries in the order readdir returned them.
// An unchanged directory lists its files in the same order again, so checking
// freshness costs one lstat and one comparison per file: no per-file row to load,
// no hash map to build (DESIGN section 7: within 1.2x of a bare stat walk). One
// changed file rewrites one bucket, not the whole directory.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crm::index {

struct Stamp {
  std::int64_t size = 0, mtime_ns = 0, ctime_ns = 0, inode = 0;
  bool operator==(const Stamp&) const = default;
};

struct FileEntry {
  std::string name; // file name within its directory
  Stamp stamp;
  std::int64_t hash = 0; // content hash, compared while the file is racy
  bool racy = false;     // changed within the racy window of being indexed
  bool broken = false;   // could not be indexed (the message is kept elsewhere)
};

inline constexpr std::size_t bucket_count = 64;

// The bucket a file name belongs to.
std::size_t bucket_of(std::string_view name);

struct DirState {
  std::int64_t mtime_ns = 0; // 0 = unknown: always list the directory again
  std::vector<std::vector<FileEntry>> buckets = std::vector<std::vector<FileEntry>>(bucket_count);
  std::size_t size() const;
};

std::string encode_entries(const std::vector<FileEntry>& files);
// Throws Error(io) on a damaged blob (the caller rebuilds the index).
std::vector<FileEntry> decode_entries(std::string_view blob);

// A file to (re)index: `dir`, `bucket` and `entry` point into ScanResult::dirty.
struct Pending {
  std::string path; // relative to the workspace root
  std::string dir;
  std::size_t bucket = 0, entry = 0;
  bool added = false;
};

struct ScanResult {
  std::vector<Pending> pending;                 // new or changed files
  std::vector<std::string> removed;             // files that are gone
  std::map<std::string, DirState> dirty;        // directories whose state must be stored
  std::vector<std::string> gone_dirs;           // directories that are gone
  std::vector<std::string> temps;               // AtomicFile leftovers seen
  std::size_t scanned = 0;
};

enum class VerifyMode { stat, dirs };

// Walks `top_dirs` (relative to the root, recursively) and compares what it finds
// with `known`. A racy entry whose stat data match is read and hashed; `now_ns`
// decides which entries stop being racy.
ScanResult scan(int root_fd, const std::vector<std::string>& top_dirs,
                const std::map<std::string, DirState>& known, VerifyMode mode, std::int64_t now_ns,
                const std::string& root_path);

// FNV-1a of a file's content.
std::int64_t content_hash(std::string_view s);

// Could the file still change without its mtime moving? (younger than 2 s)
bool is_racy(const Stamp& s, std::int64_t now_ns);

} // namespace crm::index
