#include "util/fs.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"

namespace crm::fs {

bool fsync_enabled() {
  // Read once: a test suite sets it for every process it starts.
  static const bool enabled = [] {
    const char* v = std::getenv("CRM_TEST_FSYNC");
    return !(v && std::string_view(v) == "0");
  }();
  return enabled;
}

namespace {

Error io_error(std::string_view what, const stdfs::path& path, int err) {
  return Error(ErrorKind::io, fmt::format("cannot {} '{}': {}", what, path.string(),
                                          std::strerror(err)));
}

void fsync_dir(const stdfs::path& dir) {
  if (!fsync_enabled()) return;
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw io_error("open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw io_error("sync directory", dir, err);
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

} // namespace

AtomicFile::AtomicFile(stdfs::path target, Durability durability)
    : target_(std::move(target)), durability_(durability) {
  temp_ = target_.parent_path() /
          fmt::format("{}{}-{}", temp_prefix, target_.filename().string(), random_suffix());
  // 0666 less the umask, as for any new file (git does the same); a rewrite keeps
  // the mode the file had (commit).
  const auto create = [&] { return ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); };
  fd_ = create();
  if (fd_ < 0 && errno == ENOENT) {
    // The directory is made on the first write into it (not checked before each one).
    std::error_code ec;
    stdfs::create_directories(target_.parent_path(), ec);
    fd_ = create();
  }
  if (fd_ < 0) throw io_error("create", temp_, errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error("write", temp_, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::commit() {
  const bool sync = durability_ == Durability::now && fsync_enabled();
  // A file someone made private (0600) stays private when crm rewrites it.
  struct stat old;
  if (::lstat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode) && ::fchmod(fd_, old.st_mode & 07777) != 0)
    throw io_error("set the mode of", temp_, errno);
  if (sync && ::fsync(fd_) != 0) throw io_error("sync", temp_, errno);
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw io_error("close", temp_, errno);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw io_error("rename", target_, errno);
  temp_.clear();
  if (sync) fsync_dir(target_.parent_path());
}

void write_file_atomic(const stdfs::path& path, std::string_view data, Durability durability) {
  AtomicFile file(path, durability);
  file.write(data);
  file.commit();
}

void sync_directory(const stdfs::path& dir) { fsync_dir(dir); }

void sync_file_system(const stdfs::path& path) {
  if (!fsync_enabled()) return;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw io_error("open", path, errno);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw io_error("sync", path, err);
}

std::string read_file(const stdfs::path& path, std::size_t at_most) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      throw Error(ErrorKind::not_found, fmt::format("no such file '{}'", path.string()));
    throw io_error("open", path, errno);
  }
  std::string out;
  char buf[16384];
  while (out.size() < at_most) {
    const ssize_t n = ::read(fd, buf, std::min(sizeof buf, at_most - out.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw io_error("read", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

void remove_file(const stdfs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw io_error("remove", path, errno);
  fsync_dir(path.parent_path());
}

namespace {

// "pid 123: crm import csv big.csv": who holds the lock, for the message of the
// one who waits.
std::string holder_text() {
  const std::string cmdline = own_command_line();
  return fmt::format("pid {}{}{}", ::getpid(), cmdline.empty() ? "" : ": ", cmdline);
}

} // namespace

FileLock::FileLock(const stdfs::path& lock_path, int timeout_ms) {
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw io_error("open lock file", lock_path, errno);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(fd_);
      throw io_error("lock", lock_path, err);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      char held_by[256];
      const ssize_t n = ::pread(fd_, held_by, sizeof held_by, 0);
      ::close(fd_);
      std::vector<std::string> hints;
      if (n > 0) hints.push_back(fmt::format("it is held by {}", std::string_view(held_by, static_cast<std::size_t>(n))));
      hints.push_back("wait for the other command to finish; the lock is released when it exits");
      throw Error(ErrorKind::conflict,
                  fmt::format("workspace is locked by another crm process: '{}'", lock_path.string()), hints);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Who holds it, for a writer that waits too long (cleared on release; a killed
  // holder's text stays, but then nobody waits for that lock).
  const std::string holder = holder_text();
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, holder.data(), holder.size(), 0);
}

FileLock::~FileLock() {
  if (fd_ < 0) return;
  (void)!::ftruncate(fd_, 0);
  ::close(fd_); // closing releases the flock
}

std::string own_command_line(std::size_t max) {
  std::string cmdline;
  try {
    cmdline = read_file("/proc/self/cmdline", max);
  } catch (const Error&) {
  }
  for (char& c : cmdline)
    if (c == '\0' || c == '\n') c = ' ';
  while (!cmdline.empty() && cmdline.back() == ' ') cmdline.pop_back();
  const auto space = cmdline.find(' ');
  if (const auto slash = cmdline.rfind('/', space); slash != std::string::npos)
    cmdline.erase(0, slash + 1); // the program's name, not its path
  return cmdline;
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

} // namespace crm::fs
