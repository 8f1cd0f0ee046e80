#pragma once
// File-system primitives. AtomicFile is the only way crm writes a file: the new
// content goes to a temp file in the same directory, is fsynced, renamed over the
// target and the directory is fsynced, so a crash leaves the old or the new file,
// never a torn one. Temp files a killed writer left (".crm-tmp-*") are removed by
// the next command when no writer holds the lock (ops::Session). A rewrite keeps
// the file's mode.

#include <filesystem>
#include <string>
#include <string_view>

namespace crm::fs {

namespace stdfs = std::filesystem;

// Prefix of AtomicFile's temp files; the index walk skips names starting with '.'.
inline constexpr std::string_view temp_prefix = ".crm-tmp-";

// How a write reaches the disk. `now`: fsync the file and its directory before
// returning (every single-record command). `deferred`: rename without fsync; the
// caller writes many files and then calls sync_file_system once (bulk import).
// Either way a killed process leaves the old file or the new one, never a torn one.
enum class Durability { now, deferred };

class AtomicFile {
public:
  explicit AtomicFile(stdfs::path target, Durability durability = Durability::now);
  ~AtomicFile(); // removes the temp file when commit() was not reached
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);
  // fsync, rename over the target, fsync the directory. Throws Error(io).
  void commit();

  const stdfs::path& target() const { return target_; }

private:
  stdfs::path target_;
  stdfs::path temp_;
  int fd_ = -1;
  Durability durability_;
};

// False when CRM_TEST_FSYNC=0: writes are still atomic (temp + rename) but nothing
// waits for the disk. For test suites only, like git's GIT_TEST_FSYNC: thousands of
// small workspaces spend most of their wall time in fsync otherwise.
bool fsync_enabled();

// Writes `data` to `path` atomically (creating parent directories).
void write_file_atomic(const stdfs::path& path, std::string_view data,
                       Durability durability = Durability::now);

// fsync of a directory (its entries: a file created, renamed or removed in it).
void sync_directory(const stdfs::path& dir);

// Flushes every deferred write of the file system holding `path` (syncfs).
void sync_file_system(const stdfs::path& path);

// Reads a whole file, or its first `at_most` bytes (a file that must stay small
// is read no further than its limit). Throws Error(not_found) when missing,
// Error(io) otherwise.
std::string read_file(const stdfs::path& path, std::size_t at_most = std::string::npos);

// Removes a file; ok when it is already gone. Fsyncs the directory.
void remove_file(const stdfs::path& path);

// An exclusive flock on a lock file, held for the object's lifetime. Waits up to
// `timeout_ms`, then throws Error(conflict) naming the lock file.
class FileLock {
public:
  FileLock(const stdfs::path& lock_path, int timeout_ms);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int fd_ = -1;
};

// This process's command line, words joined by spaces, the program by its name
// alone ("crm log call ana -m hi"), cut at `max` bytes: for messages that name a
// process (who holds the lock, which command a journal is from).
std::string own_command_line(std::size_t max = 200);

// True when the descriptor is a terminal.
bool is_terminal(int fd);

} // namespace crm::fs
