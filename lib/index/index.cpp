#include "index/index.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "store/record_file.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

namespace crm::index {
namespace {

using model::Record;
using model::RecordType;

// Bump when the schema or what is stored changes: the index is then rebuilt.
constexpr int schema_version = 1;

// A file younger than this may still change within the same mtime tick, so its
// content hash is checked on the next refresh too (git's "racy" files).
constexpr std::int64_t racy_window_ns = 2'000'000'000;

struct Stamp {
  std::int64_t size = 0, mtime_ns = 0, ctime_ns = 0, inode = 0;
  bool operator==(const Stamp&) const = default;
};

struct Known {
  Stamp stamp;
  std::int64_t hash = 0;
  bool racy = false;
  bool seen = false;
};

struct Found {
  std::string path;
  Stamp stamp;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Stamp stamp_of(const struct stat& st) {
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<std::int64_t>(st.st_ino)};
}

// FNV-1a: only compares a racy file's content with what was indexed.
std::int64_t content_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::int64_t>(h);
}

bool is_racy(const Stamp& s, std::int64_t now) {
  return now - std::max(s.mtime_ns, s.ctime_ns) < racy_window_ns;
}

// Record files under `dir` (relative path `rel`), recursively; skips dot files.
void walk(int parent_fd, const std::string& name, const std::string& rel, std::vector<Found>& out,
          std::vector<std::string>& temps) {
  const int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return; // a missing record folder simply holds no records
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return;
  }
  while (const dirent* e = ::readdir(dir)) {
    const char* n = e->d_name;
    if (n[0] == '.') {
      if (std::string_view(n).starts_with(fs::temp_prefix)) temps.push_back(rel + "/" + n);
      continue;
    }
    struct stat st;
    if (::fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string child = rel + "/" + n;
    if (S_ISDIR(st.st_mode)) {
      walk(fd, n, child, out, temps);
    } else if (S_ISREG(st.st_mode)) {
      const std::size_t len = std::strlen(n);
      if (len > 5 && std::memcmp(n + len - 5, ".yaml", 5) == 0) out.push_back({std::move(child), stamp_of(st)});
    }
  }
  ::closedir(dir);
}

const RecordType* type_of_path(const std::string& relpath) {
  const auto slash = relpath.find('/');
  return model::find_type(std::string_view(relpath).substr(0, slash));
}

std::string id_of_path(const std::string& relpath) {
  const auto slash = relpath.rfind('/');
  return relpath.substr(slash + 1, relpath.size() - slash - 1 - 5);
}

std::string string_or_empty(const Record& r, std::string_view key) {
  auto it = r.find(std::string(key));
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

struct Index::Impl {
  const store::Workspace& ws;
  SQLite::Database db;
  RefreshStats last;
  std::vector<std::string> temps; // AtomicFile leftovers seen by the last scan

  explicit Impl(const store::Workspace& w)
      : ws(w), db(w.index_path().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}

  void create_schema() {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    SQLite::Transaction tx(db);
    db.exec("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS emails;"
            "DROP TABLE IF EXISTS phones; DROP TABLE IF EXISTS tags;");
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
    db.exec("CREATE TABLE files(path TEXT PRIMARY KEY, size INT, mtime_ns INT, ctime_ns INT,"
            " inode INT, hash INT, racy INT, error TEXT) WITHOUT ROWID");
    db.exec("CREATE TABLE emails(type TEXT, record_id TEXT, address_key TEXT)");
    db.exec("CREATE INDEX emails_key ON emails(address_key)");
    db.exec("CREATE INDEX emails_record ON emails(type, record_id)");
    db.exec("CREATE TABLE phones(type TEXT, record_id TEXT, e164 TEXT)");
    db.exec("CREATE INDEX phones_key ON phones(e164)");
    db.exec("CREATE INDEX phones_record ON phones(type, record_id)");
    db.exec("CREATE TABLE tags(type TEXT, record_id TEXT, tag_key TEXT)");
    db.exec("CREATE INDEX tags_key ON tags(type, tag_key)");
    db.exec("CREATE INDEX tags_record ON tags(type, record_id)");
    for (const auto* t : model::all_types()) {
      // Table and column names come from the fixed field list, never from input.
      std::string cols;
      for (auto k : t->indexed_keys()) cols += fmt::format(", {} TEXT", k);
      db.exec(fmt::format("DROP TABLE IF EXISTS {}", t->plural));
      db.exec(fmt::format("CREATE TABLE {}(id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT,"
                          " sort_key TEXT{}, data TEXT NOT NULL)",
                          t->plural, cols));
      db.exec(fmt::format("CREATE INDEX {0}_sort ON {0}(sort_key, id)", t->plural));
    }
    SQLite::Statement st(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?)");
    st.bind(1, schema_version);
    st.exec();
    tx.commit();
  }

  void open() {
    db.exec("PRAGMA busy_timeout=10000");
    int version = 0;
    if (db.tableExists("meta")) {
      SQLite::Statement st(db, "SELECT value FROM meta WHERE key='schema_version'");
      if (st.executeStep()) version = st.getColumn(0).getInt();
    }
    if (version != schema_version) create_schema();
  }

  std::unordered_map<std::string, Known> load_known() {
    std::unordered_map<std::string, Known> known;
    SQLite::Statement st(db, "SELECT path, size, mtime_ns, ctime_ns, inode, hash, racy FROM files");
    while (st.executeStep()) {
      Known k;
      k.stamp = {st.getColumn(1).getInt64(), st.getColumn(2).getInt64(), st.getColumn(3).getInt64(),
                 st.getColumn(4).getInt64()};
      k.hash = st.getColumn(5).getInt64();
      k.racy = st.getColumn(6).getInt() != 0;
      known.emplace(st.getColumn(0).getString(), k);
    }
    return known;
  }

  std::vector<Found> scan() {
    std::vector<Found> found;
    temps.clear();
    const int root_fd = ::open(ws.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
      throw Error(ErrorKind::io, fmt::format("cannot open workspace '{}'", ws.root().string()));
    for (const auto* t : model::all_types()) walk(root_fd, std::string(t->plural), std::string(t->plural), found, temps);
    ::close(root_fd);
    return found;
  }

  void delete_rows(const std::string& relpath) {
    const RecordType* type = type_of_path(relpath);
    if (!type) return;
    const std::string id = id_of_path(relpath);
    SQLite::Statement del(db, fmt::format("DELETE FROM {} WHERE path = ?", type->plural));
    del.bind(1, relpath);
    del.exec();
    for (const char* table : {"emails", "phones", "tags"}) {
      SQLite::Statement st(db, fmt::format("DELETE FROM {} WHERE type = ? AND record_id = ?", table));
      st.bind(1, std::string(type->name));
      st.bind(2, id);
      st.exec();
    }
  }

  void insert_rows(const RecordType& type, const Record& rec, const std::string& relpath) {
    const std::string id = rec["id"].get<std::string>();
    const std::string name = string_or_empty(rec, "name");
    std::string cols, marks;
    const auto keys = type.indexed_keys();
    for (auto k : keys) {
      cols += fmt::format(", {}", k);
      marks += ", ?";
    }
    SQLite::Statement ins(db, fmt::format("INSERT INTO {}(id, path, name, sort_key{}, data)"
                                          " VALUES(?, ?, ?, ?{}, ?)",
                                          type.plural, cols, marks));
    int i = 1;
    ins.bind(i++, id);
    ins.bind(i++, relpath);
    ins.bind(i++, name);
    ins.bind(i++, text::match_key(name));
    for (auto k : keys) {
      const std::string v = string_or_empty(rec, k);
      if (v.empty()) ins.bind(i++);
      else ins.bind(i++, v);
    }
    ins.bind(i++, rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    ins.exec();

    const std::string tname(type.name);
    if (auto it = rec.find("emails"); it != rec.end() && it->is_array()) {
      SQLite::Statement st(db, "INSERT INTO emails(type, record_id, address_key) VALUES(?, ?, ?)");
      for (const auto& e : *it) {
        if (!e.is_object() || !e.contains("address") || !e["address"].is_string()) continue;
        st.bind(1, tname);
        st.bind(2, id);
        st.bind(3, contact_point::email_key(e["address"].get<std::string>()));
        st.exec();
        st.reset();
      }
    }
    if (auto it = rec.find("phones"); it != rec.end() && it->is_array()) {
      SQLite::Statement st(db, "INSERT INTO phones(type, record_id, e164) VALUES(?, ?, ?)");
      for (const auto& p : *it) {
        if (!p.is_object()) continue;
        std::string e164 = string_or_empty(p, "e164");
        // A number typed into the file by hand has no e164 yet: work it out now.
        if (e164.empty() && p.contains("number") && p["number"].is_string())
          e164 = contact_point::to_e164(p["number"].get<std::string>(), ws.config().region).value_or("");
        if (e164.empty()) continue;
        st.bind(1, tname);
        st.bind(2, id);
        st.bind(3, e164);
        st.exec();
        st.reset();
      }
    }
    if (auto it = rec.find("tags"); it != rec.end() && it->is_array()) {
      SQLite::Statement st(db, "INSERT INTO tags(type, record_id, tag_key) VALUES(?, ?, ?)");
      for (const auto& t : *it) {
        if (!t.is_string()) continue;
        st.bind(1, tname);
        st.bind(2, id);
        st.bind(3, text::casefold(t.get<std::string>()));
        st.exec();
        st.reset();
      }
    }
  }

  void write_file_row(const std::string& relpath, const Stamp& s, std::int64_t hash, bool racy,
                      const std::string* error) {
    SQLite::Statement st(db, "INSERT OR REPLACE INTO files(path, size, mtime_ns, ctime_ns, inode,"
                             " hash, racy, error) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, relpath);
    st.bind(2, s.size);
    st.bind(3, s.mtime_ns);
    st.bind(4, s.ctime_ns);
    st.bind(5, s.inode);
    st.bind(6, hash);
    st.bind(7, racy ? 1 : 0);
    if (error) st.bind(8, *error);
    else st.bind(8);
    st.exec();
  }

  // Reads one file and (re)indexes it; a file that cannot be used is recorded with
  // its error so that every command can report it.
  void index_file(const std::string& relpath, const Stamp& stamp, std::int64_t now) {
    delete_rows(relpath);
    const RecordType* type = type_of_path(relpath);
    std::string content;
    try {
      content = fs::read_file(ws.absolute(relpath));
    } catch (const Error&) {
      return; // vanished between the scan and now: the next refresh drops it
    }
    const std::int64_t hash = content_hash(content);
    try {
      auto parsed = store::parse_record(*type, content, relpath);
      const std::string id = parsed.record["id"].get<std::string>();
      if (id != id_of_path(relpath))
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}: id '{}' does not match the file name", relpath, id));
      insert_rows(*type, parsed.record, relpath);
      write_file_row(relpath, stamp, hash, is_racy(stamp, now), nullptr);
    } catch (const Error& e) {
      const std::string message = e.what();
      write_file_row(relpath, stamp, hash, is_racy(stamp, now), &message);
    }
  }

  RefreshStats refresh(bool full) {
    RefreshStats stats;
    auto known = full ? std::unordered_map<std::string, Known>{} : load_known();
    const auto found = scan();
    const std::int64_t now = now_ns();
    stats.scanned = found.size();
    std::vector<const Found*> todo;
    std::vector<const Found*> settled; // racy files that turned out unchanged and are now old
    for (const auto& f : found) {
      auto it = known.find(f.path);
      if (it == known.end()) {
        ++stats.added;
        todo.push_back(&f);
        continue;
      }
      it->second.seen = true;
      if (!(it->second.stamp == f.stamp)) {
        ++stats.changed;
        todo.push_back(&f);
      } else if (it->second.racy) {
        std::string content;
        try {
          content = fs::read_file(ws.absolute(f.path));
        } catch (const Error&) {
          continue;
        }
        if (content_hash(content) != it->second.hash) {
          ++stats.changed;
          todo.push_back(&f);
        } else if (!is_racy(f.stamp, now)) {
          settled.push_back(&f);
        }
      }
    }
    std::vector<std::string> gone;
    for (const auto& [path, k] : known)
      if (!k.seen) gone.push_back(path);
    stats.removed = gone.size();
    if (todo.empty() && gone.empty() && settled.empty() && !full) return stats;

    db.exec("BEGIN IMMEDIATE");
    try {
      if (full) {
        db.exec("DELETE FROM files; DELETE FROM emails; DELETE FROM phones; DELETE FROM tags");
        for (const auto* t : model::all_types()) db.exec(fmt::format("DELETE FROM {}", t->plural));
      }
      for (const auto& path : gone) {
        delete_rows(path);
        SQLite::Statement st(db, "DELETE FROM files WHERE path = ?");
        st.bind(1, path);
        st.exec();
      }
      for (const auto* f : todo) index_file(f->path, f->stamp, now);
      for (const auto* f : settled) {
        SQLite::Statement st(db, "UPDATE files SET racy = 0 WHERE path = ?");
        st.bind(1, f->path);
        st.exec();
      }
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    return stats;
  }
};

Index::Index(const store::Workspace& workspace) {
  try {
    impl_ = std::make_unique<Impl>(workspace);
    impl_->open();
  } catch (const SQLite::Exception& e) {
    // The index is derived: a damaged one is thrown away and rebuilt.
    impl_.reset();
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(workspace.index_path().string() + suffix, ec);
    impl_ = std::make_unique<Impl>(workspace);
    impl_->open();
  }
}

Index::~Index() = default;

SQLite::Database& Index::db() const { return impl_->db; }

RefreshStats Index::refresh() {
  impl_->last = impl_->refresh(false);
  return impl_->last;
}

RefreshStats Index::rebuild() {
  impl_->last = impl_->refresh(true);
  return impl_->last;
}

const std::vector<std::string>& Index::temp_files() const { return impl_->temps; }

std::vector<BrokenFile> Index::broken_files() const {
  std::vector<BrokenFile> out;
  SQLite::Statement st(impl_->db, "SELECT path, error FROM files WHERE error IS NOT NULL ORDER BY path");
  while (st.executeStep()) out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString()});
  return out;
}

Status Index::status() const {
  Status s;
  s.path = impl_->ws.index_path().string();
  std::error_code ec;
  s.bytes = std::filesystem::file_size(impl_->ws.index_path(), ec);
  for (const auto* t : model::all_types()) {
    SQLite::Statement st(impl_->db, fmt::format("SELECT count(*) FROM {}", t->plural));
    st.executeStep();
    s.counts.push_back({std::string(t->plural), static_cast<std::size_t>(st.getColumn(0).getInt64())});
  }
  SQLite::Statement files(impl_->db, "SELECT count(*) FROM files");
  files.executeStep();
  s.files = static_cast<std::size_t>(files.getColumn(0).getInt64());
  s.broken = broken_files();
  s.last_refresh = impl_->last;
  s.verify = impl_->ws.config().index_verify;
  return s;
}

void Index::put(const RecordType& type, const Record& record, const std::string& relpath) {
  struct stat st;
  if (::stat(impl_->ws.absolute(relpath).c_str(), &st) != 0)
    throw Error(ErrorKind::io, fmt::format("cannot stat '{}'", relpath));
  const std::string content = fs::read_file(impl_->ws.absolute(relpath));
  SQLite::Transaction tx(impl_->db);
  impl_->delete_rows(relpath);
  impl_->insert_rows(type, record, relpath);
  const Stamp s = stamp_of(st);
  impl_->write_file_row(relpath, s, content_hash(content), is_racy(s, now_ns()), nullptr);
  tx.commit();
}

void Index::drop(const std::string& relpath) {
  SQLite::Transaction tx(impl_->db);
  impl_->delete_rows(relpath);
  SQLite::Statement st(impl_->db, "DELETE FROM files WHERE path = ?");
  st.bind(1, relpath);
  st.exec();
  tx.commit();
}

std::optional<Record> Index::get(const RecordType& type, const std::string& id) const {
  SQLite::Statement st(impl_->db, fmt::format("SELECT data FROM {} WHERE id = ?", type.plural));
  st.bind(1, id);
  if (!st.executeStep()) return std::nullopt;
  return Record::parse(st.getColumn(0).getString());
}

bool Index::exists(const RecordType& type, const std::string& id) const {
  SQLite::Statement st(impl_->db, fmt::format("SELECT 1 FROM {} WHERE id = ?", type.plural));
  st.bind(1, id);
  return st.executeStep();
}

std::vector<Record> Index::list(const RecordType& type, const ListQuery& q) const {
  std::string where;
  if (q.stage) where += " AND stage = ?";
  for (std::size_t i = 0; i < q.tags.size(); ++i)
    where += " AND id IN (SELECT record_id FROM tags WHERE type = ? AND tag_key = ?)";
  std::string sort = q.sort;
  bool desc = false;
  if (!sort.empty() && sort[0] == '-') {
    desc = true;
    sort.erase(0, 1);
  }
  std::string order;
  const char* dir = desc ? " DESC" : "";
  if (sort == "name") order = fmt::format("sort_key{0}, id{0}", dir);
  else if (sort == "id") order = fmt::format("id{}", dir);
  else order = fmt::format("json_extract(data, ?) IS NULL, json_extract(data, ?){0}, sort_key, id", dir);
  std::string sql = fmt::format("SELECT data FROM {} WHERE 1{} ORDER BY {}{}", type.plural, where,
                                order, q.limit ? " LIMIT ?" : "");
  SQLite::Statement st(impl_->db, sql);
  int i = 1;
  if (q.stage) st.bind(i++, *q.stage);
  for (const auto& t : q.tags) {
    st.bind(i++, std::string(type.name));
    st.bind(i++, text::casefold(t));
  }
  if (sort != "name" && sort != "id") {
    const std::string path = fmt::format("$.\"{}\"", sort);
    st.bind(i++, path);
    st.bind(i++, path);
  }
  if (q.limit) st.bind(i++, static_cast<std::int64_t>(*q.limit));
  std::vector<Record> out;
  while (st.executeStep()) out.push_back(Record::parse(st.getColumn(0).getString()));
  return out;
}

std::vector<std::string> Index::ids_where(const RecordType& type, std::string_view key,
                                          const std::string& value) const {
  const auto keys = type.indexed_keys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end() && key != "sort_key")
    throw Error(ErrorKind::io, fmt::format("'{}' is not an indexed field of {}", key, type.plural));
  SQLite::Statement st(impl_->db, fmt::format("SELECT id FROM {} WHERE {} = ? ORDER BY id", type.plural, key));
  st.bind(1, value);
  std::vector<std::string> out;
  while (st.executeStep()) out.push_back(st.getColumn(0).getString());
  return out;
}

std::vector<Candidate> Index::resolve(const RecordType& type, const std::string& ref) const {
  auto& db = impl_->db;
  std::vector<Candidate> out;
  auto add = [&](SQLite::Statement& st, const char* how) {
    while (st.executeStep()) {
      std::string id = st.getColumn(0).getString();
      if (std::none_of(out.begin(), out.end(), [&](const Candidate& c) { return c.id == id; }))
        out.push_back({id, st.getColumn(1).getString(), how});
    }
  };
  const std::string table(type.plural), tname(type.name);
  {
    SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE id = ?", table));
    st.bind(1, ref);
    add(st, "id");
    if (!out.empty()) return out; // an exact id is never ambiguous
  }
  if (ref.find('@') != std::string::npos) {
    SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM emails e JOIN {} r ON r.id = e.record_id"
                                         " WHERE e.type = ? AND e.address_key = ? ORDER BY r.id", table));
    st.bind(1, tname);
    st.bind(2, contact_point::email_key(ref));
    add(st, "email");
  }
  if (contact_point::looks_like_phone(ref)) {
    if (auto e164 = contact_point::to_e164(ref, impl_->ws.config().region)) {
      SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM phones p JOIN {} r ON r.id = p.record_id"
                                           " WHERE p.type = ? AND p.e164 = ? ORDER BY r.id", table));
      st.bind(1, tname);
      st.bind(2, *e164);
      add(st, "phone");
    }
  }
  {
    SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE sort_key = ? ORDER BY id", table));
    st.bind(1, text::match_key(ref));
    add(st, "name");
  }
  if (out.empty()) {
    // Ids are compared bytewise; U+10FFFF sorts after every valid continuation.
    SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE id >= ? AND id < ? ORDER BY id LIMIT 20", table));
    st.bind(1, ref);
    st.bind(2, ref + "\xF4\x8F\xBF\xBF");
    add(st, "prefix");
  }
  return out;
}

} // namespace crm::index
