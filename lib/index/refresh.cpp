// Bringing the index up to date with the files (refresh, rebuild), and the
// writes crm makes itself (put, drop, bulk writes), so that a refresh does not
// read those files again.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <thread>

#include <sqlite3.h>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::index {

using model::Record;
using model::RecordType;

std::map<std::string, DirState> Index::Impl::load_dirs() {
  std::map<std::string, DirState> dirs;
  SQLite::Statement st(db, "SELECT path, mtime_ns FROM dirs");
  while (st.executeStep()) dirs[st.getColumn(0).getString()].mtime_ns = st.getColumn(1).getInt64();
  SQLite::Statement en(db, "SELECT dir, bucket, entries FROM dir_entries");
  while (en.executeStep()) {
    auto it = dirs.find(en.getColumn(0).getString());
    const auto bucket = static_cast<std::size_t>(en.getColumn(1).getInt64());
    if (it == dirs.end() || bucket >= bucket_count) continue;
    const auto blob = en.getColumn(2);
    it->second.buckets[bucket] =
        decode_entries(std::string_view(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())));
  }
  return dirs;
}

void Index::Impl::store_dir(const std::string& dir, const DirState& state, const DirState* before) {
  auto& d = statement("INSERT OR REPLACE INTO dirs(path, mtime_ns) VALUES(?, ?)");
  d.bind(1, dir);
  d.bind(2, state.mtime_ns);
  d.exec();
  for (std::size_t b = 0; b < bucket_count; ++b) {
    const std::string blob = encode_entries(state.buckets[b]);
    if (before && encode_entries(before->buckets[b]) == blob) continue;
    auto& st = statement("INSERT OR REPLACE INTO dir_entries(dir, bucket, entries) VALUES(?, ?, ?)");
    st.bind(1, dir);
    st.bind(2, static_cast<std::int64_t>(b));
    st.bind(3, blob.data(), static_cast<int>(blob.size()));
    st.exec();
  }
}

void Index::Impl::forget_dir(const std::string& dir) {
  auto& d = statement("DELETE FROM dirs WHERE path = ?");
  d.bind(1, dir);
  d.exec();
  auto& e = statement("DELETE FROM dir_entries WHERE dir = ?");
  e.bind(1, dir);
  e.exec();
}

std::vector<std::string> Index::Impl::top_dirs() const {
  std::vector<std::string> dirs;
  for (const auto* t : model::all_types()) dirs.emplace_back(t->plural);
  return dirs;
}

// Parses the files on every core in chunks (yaml-cpp is the slow part), then
// stores each chunk from this thread (SQLite writes are serial anyway).
void Index::Impl::index_files(std::vector<Pending>& todo, std::map<std::string, DirState>& dirty, std::int64_t now,
                 bool replace) {
  const std::size_t threads =
      todo.size() < 64 ? 1 : std::max<std::size_t>(1, std::min<std::size_t>(8, std::thread::hardware_concurrency()));
  constexpr std::size_t chunk = 4096;
  std::vector<Row> rows;
  for (std::size_t begin = 0; begin < todo.size(); begin += chunk) {
    const std::size_t end = std::min(todo.size(), begin + chunk);
    rows.assign(end - begin, Row{});
    // An I/O error in any thread is this refresh's error, raised once all are done.
    std::vector<std::exception_ptr> failures(threads);
    auto work = [&](std::size_t t) {
      try {
        for (std::size_t i = begin + t; i < end; i += threads) {
          const auto& p = todo[i];
          rows[i - begin] = read_row(p.path, dirty.at(p.dir).buckets[p.bucket][p.entry].stamp, now);
        }
      } catch (...) {
        failures[t] = std::current_exception();
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    for (const auto& f : failures)
      if (f) std::rethrow_exception(f);
    for (std::size_t i = begin; i < end; ++i) {
      Row& row = rows[i - begin];
      store_row(row, replace);
      auto& entry = dirty.at(todo[i].dir).buckets[todo[i].bucket][todo[i].entry];
      entry.hash = row.hash;
      entry.racy = row.racy;
      entry.broken = row.error.has_value();
    }
  }
}

ScanResult Index::Impl::scan_files(const std::map<std::string, DirState>& known) {
  const int root_fd = ::open(ws.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) throw Error(ErrorKind::io, fmt::format("cannot open workspace '{}'", ws.root().string()));
  auto result = scan(root_fd, top_dirs(), known,
                     ws.config().index_verify == "dirs" ? VerifyMode::dirs : VerifyMode::stat, now_ns(),
                     ws.root().string());
  ::close(root_fd);
  return result;
}

bool Index::Impl::only_bookkeeping(const ScanResult& r) {
  return r.pending.empty() && r.removed.empty() && r.gone_dirs.empty();
}

// Is the saved state of `dir` still `seen` (no other process stored it since)?
bool Index::Impl::same_saved_state(const std::string& dir, const DirState& seen) {
  auto& d = statement("SELECT mtime_ns FROM dirs WHERE path = ?");
  d.bind(1, dir);
  if (!d.executeStep() || d.getColumn(0).getInt64() != seen.mtime_ns) return false;
  d.reset();
  std::size_t buckets = 0;
  auto& en = statement("SELECT bucket, entries FROM dir_entries WHERE dir = ?");
  en.bind(1, dir);
  while (en.executeStep()) {
    const auto b = static_cast<std::size_t>(en.getColumn(0).getInt64());
    const auto blob = en.getColumn(1);
    if (b >= bucket_count) return false;
    const std::string_view saved(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    if (saved != encode_entries(seen.buckets[b])) return false;
    if (!saved.empty()) ++buckets;
  }
  std::size_t nonempty = 0;
  for (const auto& b : seen.buckets) nonempty += b.empty() ? 0 : 1;
  return buckets == nonempty;
}

bool Index::Impl::nothing_to_do(const ScanResult& r) {
  return r.pending.empty() && r.removed.empty() && r.dirty.empty() && r.gone_dirs.empty();
}

RefreshStats Index::Impl::refresh(bool full) {
  auto known = full ? std::map<std::string, DirState>{} : load_dirs();
  auto result = scan_files(known);
  if (!full && nothing_to_do(result)) {
    temps = std::move(result.temps);
    return {result.scanned, 0, 0, 0};
  }
  if (!full && only_bookkeeping(result)) {
    // No file to read: only stat data to remember (a racy file settled, a
    // directory mtime). No second walk: store each directory whose saved
    // state is still the one this scan started from; another process that
    // changed it in between wins, and the next refresh looks again.
    temps = std::move(result.temps);
    begin_write();
    try {
      for (const auto& [dir, state] : result.dirty) {
        auto it = known.find(dir);
        if (it == known.end() || !same_saved_state(dir, it->second)) continue;
        store_dir(dir, state, &it->second);
      }
      db.exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
    return {result.scanned, 0, 0, 0};
  }
  // Something changed: take SQLite's write lock, then look again, since another
  // crm process may have indexed the same change while we were scanning.
  begin_write();
  if (!full) {
    try {
      known = load_dirs();
      result = scan_files(known);
    } catch (...) {
      rollback();
      throw;
    }
  }
  const std::int64_t now = now_ns();
  temps = std::move(result.temps);
  RefreshStats stats;
  stats.scanned = result.scanned;
  for (const auto& p : result.pending) ++(p.added ? stats.added : stats.changed);
  stats.removed = result.removed.size();
  try {
    if (full) {
      db.exec("DELETE FROM dirs; DELETE FROM dir_entries; DELETE FROM broken;"
              "DELETE FROM emails; DELETE FROM phones; DELETE FROM tags;"
              "DELETE FROM search; DELETE FROM search_rows");
      for (const auto* t : model::all_types()) db.exec(fmt::format("DELETE FROM {}", t->plural));
    }
    for (const auto& path : result.removed) {
      delete_rows(path);
      auto& st = statement("DELETE FROM broken WHERE path = ?");
      st.bind(1, path);
      st.exec();
    }
    index_files(result.pending, result.dirty, now, !full);
    for (const auto& dir : result.gone_dirs) forget_dir(dir);
    for (const auto& [dir, state] : result.dirty) {
      auto it = known.find(dir);
      store_dir(dir, state, it == known.end() ? nullptr : &it->second);
    }
    db.exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
  return stats;
}

void Index::Impl::require_written() const {
  if (!unwritten.empty())
    throw Error(ErrorKind::io, fmt::format("'{}' was indexed but not reported written", unwritten.begin()->first));
}

void Index::Impl::record_write(const std::string& relpath, const std::optional<FileEntry>& entry) {
  const std::string dir = parent_of(relpath), name = name_of(relpath);
  const std::size_t b = bucket_of(name);
  if (bulk) {
    pending_entries[{dir, b}].emplace_back(name, entry);
    ++pending_count;
    return;
  }
  write_entries(dir, b, {{name, entry}});
}

void Index::Impl::flush_entries() {
  for (const auto& [key, changes] : pending_entries) write_entries(key.first, key.second, changes);
  pending_entries.clear();
  pending_count = 0;
}

void Index::Impl::write_entries(const std::string& dir, std::size_t b,
                   const std::vector<std::pair<std::string, std::optional<FileEntry>>>& changes) {
  std::vector<FileEntry> files;
  {
    auto& st = statement("SELECT entries FROM dir_entries WHERE dir = ? AND bucket = ?");
    st.bind(1, dir);
    st.bind(2, static_cast<std::int64_t>(b));
    if (st.executeStep()) {
      const auto blob = st.getColumn(0);
      files = decode_entries(std::string_view(static_cast<const char*>(blob.getBlob()),
                                              static_cast<std::size_t>(blob.getBytes())));
    }
    st.reset();
  }
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < files.size(); ++i) at.emplace(files[i].name, i);
  std::vector<bool> removed(files.size(), false);
  for (const auto& [name, entry] : changes) {
    const auto it = at.find(name);
    if (entry) {
      if (it != at.end()) {
        files[it->second] = *entry;
        removed[it->second] = false;
      } else {
        at.emplace(name, files.size());
        files.push_back(*entry);
        removed.push_back(false);
      }
    } else if (it != at.end()) {
      removed[it->second] = true;
    }
  }
  std::vector<FileEntry> kept;
  kept.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!removed[i]) kept.push_back(std::move(files[i]));
  const std::string blob = encode_entries(kept);
  auto& st = statement("INSERT OR REPLACE INTO dir_entries(dir, bucket, entries) VALUES(?, ?, ?)");
  st.bind(1, dir);
  st.bind(2, static_cast<std::int64_t>(b));
  st.bind(3, blob.data(), static_cast<int>(blob.size()));
  st.exec();
  // The directory's own mtime moved with the write; a known-but-stale mtime would
  // only cost one re-listing, but "dirs" mode must not skip this directory.
  auto& d = statement("INSERT OR IGNORE INTO dirs(path, mtime_ns) VALUES(?, 0)");
  d.bind(1, dir);
  d.exec();
  auto& z = statement("UPDATE dirs SET mtime_ns = 0 WHERE path = ?");
  z.bind(1, dir);
  z.exec();
}

RefreshStats Index::refresh() {
  try {
    impl_->last = impl_->refresh(false);
    impl_->stale = false;
  } catch (const SQLite::Exception& e) {
    // A full disk: what the index knows is used as it is (crm itself could write
    // nothing since); the caller says so. Any other failure is an error.
    // (Not for an index made in this process: empty, it knows nothing to use.)
    if ((e.getErrorCode() & 0xff) != SQLITE_FULL || impl_->created_now) throw;
    impl_->rollback();
    impl_->stale = true;
  }
  return impl_->last;
}

bool Index::stale() const { return impl_->stale; }

RefreshStats Index::rebuild() {
  impl_->last = impl_->refresh(true);
  return impl_->last;
}

void Index::put(const RecordType& type, const Record& record, const std::string& relpath,
                const std::string* content) {
  struct stat st;
  if (::stat(impl_->ws.absolute(relpath).c_str(), &st) != 0)
    throw Error(ErrorKind::io, fmt::format("cannot stat '{}'", relpath));
  auto row = impl_->prepare(type, record, relpath);
  row.stamp = stamp_of(st);
  row.hash = content_hash(content ? *content : fs::read_file(impl_->ws.absolute(relpath)));
  row.racy = is_racy(row.stamp, now_ns());
  std::optional<Impl::WriteTx> tx;
  if (!impl_->bulk) tx.emplace(*impl_);
  impl_->store_row(row, true);
  impl_->record_write(relpath, FileEntry{name_of(relpath), row.stamp, row.hash, row.racy, false});
  if (tx) tx->commit();
}

void Index::put_unwritten(const RecordType& type, const Record& record, const std::string& relpath,
                          const std::string& content, bool is_new) {
  if (!impl_->bulk) throw Error(ErrorKind::io, "put_unwritten outside a bulk write");
  auto row = impl_->prepare(type, record, relpath);
  row.hash = content_hash(content);
  impl_->store_row(row, true, is_new);
  impl_->unwritten[relpath] = row.hash;
}

void Index::written(const std::string& relpath, const struct ::stat& st) {
  const auto it = impl_->unwritten.find(relpath);
  if (it == impl_->unwritten.end()) throw Error(ErrorKind::io, fmt::format("'{}' was not put as unwritten", relpath));
  const Stamp stamp = stamp_of(st);
  impl_->record_write(relpath, FileEntry{name_of(relpath), stamp, it->second, is_racy(stamp, now_ns()), false});
  impl_->unwritten.erase(it);
}

void Index::drop(const std::string& relpath) {
  std::optional<Impl::WriteTx> tx;
  if (!impl_->bulk) tx.emplace(*impl_);
  impl_->delete_rows(relpath);
  impl_->record_write(relpath, std::nullopt);
  if (tx) tx->commit();
}

Index::Bulk::Bulk(Index& index) : index_(index) {
  if (index_.impl_->bulk) throw Error(ErrorKind::io, "nested bulk index writes");
  // Thousands of rows go into every index and the search table: a page cache of
  // 32 MB (not SQLite's 2 MB) keeps their pages in memory between commits.
  index_.impl_->db.exec("PRAGMA cache_size = -32768");
  index_.impl_->begin_write();
  index_.impl_->bulk = open_ = true;
}

Index::Bulk::~Bulk() {
  if (!open_) return;
  index_.impl_->bulk = false;
  index_.impl_->pending_entries.clear();
  index_.impl_->pending_count = 0;
  index_.impl_->unwritten.clear();
  try {
    index_.impl_->db.exec("ROLLBACK");
  } catch (...) { // nothing left to undo: the files are the truth
  }
}

void Index::Bulk::checkpoint() {
  index_.impl_->require_written();
  // The file states wait longer than the records: each flush rewrites whole buckets.
  if (index_.impl_->pending_count >= 20000) index_.impl_->flush_entries();
  index_.impl_->db.exec("COMMIT");
  index_.impl_->begin_write();
}

void Index::Bulk::finish() {
  if (!open_) return;
  index_.impl_->require_written();
  index_.impl_->flush_entries();
  index_.impl_->db.exec("COMMIT");
  index_.impl_->bulk = open_ = false;
}

} // namespace crm::index
