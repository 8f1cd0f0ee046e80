#include "index/file_state.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::index {
namespace {

constexpr std::int64_t racy_window_ns = 2'000'000'000;

Stamp stamp_of(const struct stat& st) {
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<std::int64_t>(st.st_ino)};
}

void put_i64(std::string& out, std::int64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

std::int64_t get_i64(std::string_view& in) {
  if (in.size() < sizeof(std::int64_t)) throw Error(ErrorKind::io, "damaged index: short directory entry");
  std::int64_t v;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return v;
}

bool is_record_file(std::string_view name) { return name.size() > 5 && name.ends_with(".yaml"); }

class Scanner {
public:
  Scanner(const std::map<std::string, DirState>& known, VerifyMode mode, std::int64_t now,
          const std::string& root)
      : known_(known), mode_(mode), now_(now), root_(root) {}

  void walk(int parent_fd, const std::string& name, const std::string& rel) {
    visited_.push_back(rel);
    // O_NOFOLLOW: a record folder that is a symbolic link is not read (it could
    // lead out of the workspace); subfolders are links-free already, as readdir's
    // DT_DIR and lstat do not follow links. `crm doctor` names the links.
    const int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      // A missing record folder simply holds no records, and a link (ELOOP) or a
      // file in its place is not read; any other failure is an I/O error, never
      // "no records" (which would drop them all from the index).
      if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) return;
      throw Error(ErrorKind::io, fmt::format("cannot open '{}': {}", rel, std::strerror(errno)));
    }
    const auto it = known_.find(rel);
    const DirState* before = it == known_.end() ? nullptr : &it->second;

    if (mode_ == VerifyMode::dirs && before && before->mtime_ns != 0) {
      struct stat st;
      if (::fstat(fd, &st) == 0 && stamp_of(st).mtime_ns == before->mtime_ns) {
        // Unchanged directory: trust its entries, visit the subdirectories we know.
        result.scanned += before->size();
        const std::string prefix = rel + "/";
        for (auto sub = known_.upper_bound(prefix); sub != known_.end() && sub->first.starts_with(prefix); ++sub)
          if (sub->first.find('/', prefix.size()) == std::string::npos)
            walk(fd, sub->first.substr(prefix.size()), sub->first);
        ::close(fd);
        return;
      }
    }
    list_directory(fd, rel, before);
  }

  ScanResult result;
  std::vector<std::string> visited_;

private:
  struct Listed {
    std::size_t name_at = 0, name_len = 0; // in the names arena
    unsigned char type = DT_UNKNOWN;
    bool ok = false, is_dir = false, is_file = false;
    Stamp stamp;
  };

  // lstat of every listed entry, on two threads for a large directory: the
  // kernel's path lookups dominate a freshness check, as in git's preload-index.
  // A file gone since readdir is skipped; any other failure is an error (errno),
  // not a file that is gone.
  static void stat_all(int fd, const std::string& names, std::vector<Listed>& listed) {
    std::atomic<int> failure{0};
    auto work = [&](std::size_t from, std::size_t to) {
      std::string name;
      for (std::size_t i = from; i < to; ++i) {
        auto& l = listed[i];
        name.assign(names, l.name_at, l.name_len);
        struct stat st;
        if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno != ENOENT) failure = errno;
          continue;
        }
        l.ok = true;
        l.is_dir = S_ISDIR(st.st_mode);
        l.is_file = S_ISREG(st.st_mode);
        l.stamp = stamp_of(st);
      }
    };
    const std::size_t n = listed.size();
    if (n < 2048 || std::thread::hardware_concurrency() < 2) {
      work(0, n);
    } else {
      std::thread helper(work, n / 2, n);
      work(0, n / 2);
      helper.join();
    }
    if (failure) throw Error(ErrorKind::io, fmt::format("cannot read a record folder: {}", std::strerror(failure)));
  }

  void list_directory(int fd, const std::string& rel, const DirState* before) {
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      const int err = errno;
      ::close(fd);
      throw Error(ErrorKind::io, fmt::format("cannot read '{}': {}", rel, std::strerror(err)));
    }
    struct DirCloser {
      DIR* d;
      ~DirCloser() { ::closedir(d); }
    } closer{dir};
    struct stat dst;
    std::int64_t dir_mtime = 0;
    if (::fstat(fd, &dst) == 0) {
      const auto m = stamp_of(dst).mtime_ns;
      // A directory changed within the racy window may change again unseen.
      dir_mtime = now_ - m < racy_window_ns ? 0 : m;
    }
    std::string names; // one arena: no allocation per file on the common path
    std::vector<Listed> listed;
    std::vector<std::string> subdirs;
    for (;;) {
      errno = 0;
      const dirent* e = ::readdir(dir);
      if (!e) {
        if (errno != 0) throw Error(ErrorKind::io, fmt::format("cannot read '{}': {}", rel, std::strerror(errno)));
        break;
      }
      const char* n = e->d_name;
      if (n[0] == '.') {
        if (std::string_view(n).starts_with(fs::temp_prefix)) result.temps.push_back(rel + "/" + n);
        continue;
      }
      if (e->d_type == DT_DIR) {
        subdirs.emplace_back(n);
        continue;
      }
      if (!is_record_file(n) && e->d_type != DT_UNKNOWN) continue;
      const std::size_t len = std::strlen(n);
      Listed l;
      l.name_at = names.size();
      l.name_len = len;
      l.type = e->d_type;
      listed.push_back(l);
      names.append(n, len);
    }
    stat_all(fd, names, listed);

    static const DirState empty_state;
    const DirState& old = before ? *before : empty_state;
    std::vector<std::vector<bool>> matched(bucket_count);
    for (std::size_t b = 0; b < bucket_count; ++b) matched[b].assign(old.buckets[b].size(), false);
    std::vector<std::size_t> cursor(bucket_count, 0);
    // Built only when a file is not where the last listing had it.
    std::unordered_map<std::string_view, std::size_t> by_name;
    bool by_name_built = false;
    // Only "dirs" mode trusts directory mtimes; in "stat" mode a moved mtime with
    // the same files is no change (a stale stored mtime only costs dirs mode one
    // re-listing), so a command after crm's own write finds nothing to store.
    bool dirty = !before || (mode_ == VerifyMode::dirs && before->mtime_ns != dir_mtime);
    enum class State : unsigned char { skip, same, changed, added, settled };
    std::vector<State> states(listed.size(), State::skip);
    std::vector<const FileEntry*> previous(listed.size(), nullptr);

    for (std::size_t i = 0; i < listed.size(); ++i) {
      const auto& l = listed[i];
      const std::string_view name(names.data() + l.name_at, l.name_len);
      if (!l.ok) continue;
      if (l.is_dir) {
        subdirs.emplace_back(name);
        continue;
      }
      if (!l.is_file || !is_record_file(name)) continue;
      ++result.scanned;
      const std::size_t b = bucket_of(name);
      const auto& old_bucket = old.buckets[b];
      // Same order as last time: the entry at the bucket's cursor is this file.
      std::size_t at = old_bucket.size();
      if (cursor[b] < old_bucket.size() && old_bucket[cursor[b]].name == name) {
        at = cursor[b]++;
      } else {
        if (!by_name_built) {
          for (const auto& bucket : old.buckets)
            for (std::size_t k = 0; k < bucket.size(); ++k) by_name.emplace(bucket[k].name, k);
          by_name_built = true;
        }
        if (auto f = by_name.find(name); f != by_name.end()) at = f->second;
        dirty = true; // the order moved: store the new one
      }
      if (at == old_bucket.size()) {
        states[i] = State::added;
        dirty = true;
        continue;
      }
      matched[b][at] = true;
      const FileEntry& prev = old_bucket[at];
      previous[i] = &prev;
      states[i] = State::same;
      if (!(prev.stamp == l.stamp)) {
        states[i] = State::changed;
        dirty = true;
      } else if (prev.racy) {
        std::string content;
        try {
          content = fs::read_file(root_ + "/" + rel + "/" + std::string(name));
        } catch (const Error&) {
          states[i] = State::skip;
          continue;
        }
        if (content_hash(content) != prev.hash) {
          states[i] = State::changed;
          dirty = true;
        } else if (!is_racy(l.stamp, now_)) {
          states[i] = State::settled;
          dirty = true;
        }
      }
    }
    for (std::size_t b = 0; b < bucket_count; ++b)
      for (std::size_t k = 0; k < old.buckets[b].size(); ++k)
        if (!matched[b][k]) {
          result.removed.push_back(rel + "/" + old.buckets[b][k].name);
          dirty = true;
        }
    if (dirty) {
      DirState now_state;
      now_state.mtime_ns = dir_mtime;
      for (std::size_t i = 0; i < listed.size(); ++i) {
        if (states[i] == State::skip) continue;
        const auto& l = listed[i];
        FileEntry entry{names.substr(l.name_at, l.name_len), l.stamp, 0, false, false};
        if (const FileEntry* prev = previous[i]) {
          entry.hash = prev->hash;
          entry.racy = states[i] == State::settled ? false : prev->racy;
          entry.broken = prev->broken;
        }
        const std::size_t b = bucket_of(entry.name);
        auto& bucket = now_state.buckets[b];
        if (states[i] == State::added || states[i] == State::changed)
          result.pending.push_back({rel + "/" + entry.name, rel, b, bucket.size(), states[i] == State::added});
        bucket.push_back(std::move(entry));
      }
      result.dirty.emplace(rel, std::move(now_state));
    }
    const int dfd = ::dirfd(dir);
    for (const auto& sub : subdirs) walk(dfd, sub, rel + "/" + sub);
  }

  const std::map<std::string, DirState>& known_;
  VerifyMode mode_;
  std::int64_t now_;
  std::string root_;
};

} // namespace

std::size_t bucket_of(std::string_view name) {
  return static_cast<std::size_t>(static_cast<std::uint64_t>(content_hash(name)) % bucket_count);
}

std::size_t DirState::size() const {
  std::size_t n = 0;
  for (const auto& b : buckets) n += b.size();
  return n;
}

std::string encode_entries(const std::vector<FileEntry>& files) {
  std::string out;
  out.reserve(files.size() * 64);
  for (const auto& f : files) {
    const auto len = static_cast<std::uint16_t>(f.name.size());
    out.append(reinterpret_cast<const char*>(&len), sizeof len);
    out += f.name;
    put_i64(out, f.stamp.size);
    put_i64(out, f.stamp.mtime_ns);
    put_i64(out, f.stamp.ctime_ns);
    put_i64(out, f.stamp.inode);
    put_i64(out, f.hash);
    out += static_cast<char>((f.racy ? 1 : 0) | (f.broken ? 2 : 0));
  }
  return out;
}

std::vector<FileEntry> decode_entries(std::string_view in) {
  std::vector<FileEntry> files;
  while (!in.empty()) {
    std::uint16_t len;
    if (in.size() < sizeof len) throw Error(ErrorKind::io, "damaged index: short directory entry");
    std::memcpy(&len, in.data(), sizeof len);
    in.remove_prefix(sizeof len);
    if (in.size() < len) throw Error(ErrorKind::io, "damaged index: short directory entry");
    FileEntry f;
    f.name.assign(in.data(), len);
    in.remove_prefix(len);
    f.stamp.size = get_i64(in);
    f.stamp.mtime_ns = get_i64(in);
    f.stamp.ctime_ns = get_i64(in);
    f.stamp.inode = get_i64(in);
    f.hash = get_i64(in);
    if (in.empty()) throw Error(ErrorKind::io, "damaged index: short directory entry");
    f.racy = in[0] & 1;
    f.broken = in[0] & 2;
    in.remove_prefix(1);
    files.push_back(std::move(f));
  }
  return files;
}

ScanResult scan(int root_fd, const std::vector<std::string>& top_dirs,
                const std::map<std::string, DirState>& known, VerifyMode mode, std::int64_t now_ns,
                const std::string& root_path) {
  Scanner scanner(known, mode, now_ns, root_path);
  for (const auto& d : top_dirs) scanner.walk(root_fd, d, d);
  std::sort(scanner.visited_.begin(), scanner.visited_.end());
  for (const auto& [dir, state] : known)
    if (!std::binary_search(scanner.visited_.begin(), scanner.visited_.end(), dir)) {
      scanner.result.gone_dirs.push_back(dir);
      for (const auto& bucket : state.buckets)
        for (const auto& f : bucket) scanner.result.removed.push_back(dir + "/" + f.name);
    }
  return std::move(scanner.result);
}

std::int64_t content_hash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::int64_t>(h);
}

bool is_racy(const Stamp& s, std::int64_t now_ns) {
  return now_ns - std::max(s.mtime_ns, s.ctime_ns) < racy_window_ns;
}

} // namespace crm::index
