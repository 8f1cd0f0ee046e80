#include "index/index.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "index/computed.hpp"
#include "index/file_state.hpp"
#include "model/amounts.hpp"
#include "store/rates.hpp"
#include "store/record_file.hpp"
#include "store/workspace.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::index {
namespace {

using model::Record;
using model::RecordType;

// Bump when the schema or what is stored changes: the index is then rebuilt.
constexpr int schema_version = 14;

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

std::string parent_of(const std::string& relpath) { return relpath.substr(0, relpath.rfind('/')); }
std::string name_of(const std::string& relpath) { return relpath.substr(relpath.rfind('/') + 1); }

const RecordType* type_of_path(const std::string& relpath) {
  const auto slash = relpath.find('/');
  return model::find_type(std::string_view(relpath).substr(0, slash));
}

std::string id_of_path(const std::string& relpath) {
  const auto slash = relpath.rfind('/');
  return relpath.substr(slash + 1, relpath.size() - slash - 1 - 5);
}

// Types whose records happen at a moment (`at`) get a `day` column: the local
// date the writer saw, which --from/--to and date filters compare.
bool has_day(const RecordType& t) {
  const auto* f = t.field("at");
  return f && f->kind == model::FieldKind::timestamp;
}

std::string string_or_empty(const Record& r, std::string_view key) {
  auto it = r.find(std::string(key));
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The index column of one field: integers as numbers (so they sort and average as
// numbers), timestamps in UTC ("...Z", so that text order is time order whatever
// the offsets), other values as their text.
nlohmann::json column_value(const model::Field& f, const Record& rec) {
  auto it = rec.find(std::string(f.key));
  if (it == rec.end()) return nullptr;
  if (f.kind == model::FieldKind::integer)
    return it->is_number_integer() ? nlohmann::json(it->get<std::int64_t>()) : nlohmann::json();
  if (f.kind == model::FieldKind::money) {
    // Minor units of the record's currency: exact, and they sum and sort as numbers.
    const auto minor = model::amount_of(rec, f.key);
    return minor ? nlohmann::json(*minor) : nlohmann::json();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return nullptr;
  if (f.kind == model::FieldKind::timestamp)
    if (auto t = time::parse_timestamp(it->get_ref<const std::string&>())) {
      std::string utc = time::format_timestamp({t->unix_seconds, 0});
      return utc.substr(0, 19) + "Z";
    }
  return it->get<std::string>();
}

// One connection per process, used by one thread at a time: SQLite's own
// mutexes (per connection, and around every allocation for its memory
// statistics) would be taken millions of times by an import for nothing.
SQLite::Database open_database(const std::string& path) {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); // refused (harmlessly) once SQLite has started
    return true;
  }();
  (void)configured;
  return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
}

} // namespace

struct Index::Impl {
  const store::Workspace& ws;
  SQLite::Database db;
  bool stale = false; // the last refresh found no room to write (Index::stale)
  bool created_now = false; // the schema was made by this process
  RefreshStats last;
  std::vector<std::string> temps; // AtomicFile leftovers seen by the last scan
  // For crm_base(): rates.yaml, read before the first query that converts.
  std::optional<store::Rates> rates;
  std::set<std::string> missing_rates; // messages, one per currency and day
  bool bulk = false; // an Index::Bulk transaction is open: put/drop join it
  bool rfm_ready = false;

  explicit Impl(const store::Workspace& w)
      : ws(w), db(open_database(w.index_path().string())) {
    register_functions();
  }

  // SQL functions the queries use; each gets this Impl as its user data.
  void register_functions() {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    // crm_base(minor, currency, day): minor units of the base currency, or NULL.
    sqlite3_create_function(db.getHandle(), "crm_base", 3, flags, this, &Impl::sql_base, nullptr, nullptr);
    // crm_unit(currency): 10^exponent, the minor units in one unit (1 for JPY).
    sqlite3_create_function(db.getHandle(), "crm_unit", 1, flags, nullptr, &Impl::sql_unit, nullptr, nullptr);
    // crm_fold(text): case, accents and marks folded (text::match_key), for ~ and =.
    sqlite3_create_function(db.getHandle(), "crm_fold", 1, flags, nullptr, &Impl::sql_fold, nullptr, nullptr);
    // crm_minor(amount text, currency): exact minor units ("12.50", EUR -> 1250), or NULL.
    sqlite3_create_function(db.getHandle(), "crm_minor", 2, flags, nullptr, &Impl::sql_minor, nullptr, nullptr);
    // crm_amount(minor): minor units of the base currency as an amount ("12.50").
    sqlite3_create_function(db.getHandle(), "crm_amount", 1, flags, this, &Impl::sql_amount, nullptr, nullptr);
  }

  static void sql_amount(sqlite3_context* ctx, int, sqlite3_value** argv) {
    auto* self = static_cast<Impl*>(sqlite3_user_data(ctx));
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    const std::string text = money::format_amount(sqlite3_value_int64(argv[0]),
                                                  money::exponent(self->ws.config().currency).value_or(2));
    sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  static std::string text_arg(sqlite3_value* v) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string();
  }

  static void sql_base(sqlite3_context* ctx, int, sqlite3_value** argv) {
    auto* self = static_cast<Impl*>(sqlite3_user_data(ctx));
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !self->rates) return sqlite3_result_null(ctx);
    const std::int64_t minor = sqlite3_value_int64(argv[0]);
    const std::string currency = text_arg(argv[1]);
    if (currency == self->rates->base()) return sqlite3_result_int64(ctx, minor);
    const std::string day = text_arg(argv[2]);
    if (auto v = self->rates->to_base(minor, currency, day)) return sqlite3_result_int64(ctx, *v);
    self->missing_rates.insert(store::missing_rate_message(currency, day));
    sqlite3_result_null(ctx);
  }

  static void sql_minor(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto e = money::exponent(text_arg(argv[1]));
    const auto v = e ? money::parse_amount(text_arg(argv[0]), *e) : std::nullopt;
    if (!v) return sqlite3_result_null(ctx);
    sqlite3_result_int64(ctx, *v);
  }

  static void sql_unit(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto e = money::exponent(text_arg(argv[0]));
    if (!e) return sqlite3_result_null(ctx);
    std::int64_t unit = 1;
    for (int k = 0; k < *e; ++k) unit *= 10;
    sqlite3_result_int64(ctx, unit);
  }

  static void sql_fold(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    const std::string folded = text::match_key(text_arg(argv[0]));
    sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
  }

  // What a query needs before it runs: the rates it converts with, the RFM table.
  void prepare_for(const std::string& sql) {
    if (!rates && sql.find("crm_base") != std::string::npos) rates = store::Rates::load(ws);
    if (!rfm_ready && sql.find("temp.rfm") != std::string::npos) {
      if (!rates) rates = store::Rates::load(ws);
      SQLite::Statement st(db, std::string("CREATE TEMP TABLE IF NOT EXISTS rfm AS ") + rfm_select_sql);
      st.bind(1, "0000-01-01");
      st.bind(2, "9999-12-31");
      st.bind(3, ws.config().rfm_a);
      st.bind(4, ws.config().rfm_b);
      st.exec();
      db.exec("CREATE INDEX IF NOT EXISTS temp.rfm_contact ON rfm(contact)");
      rfm_ready = true;
    }
  }

  void create_schema() {
    // Set before the first table (it cannot change later without a VACUUM): free
    // pages can then go back to the file system (Index::release_space).
    created_now = true;
    db.exec("PRAGMA auto_vacuum=INCREMENTAL");
    db.exec("PRAGMA journal_mode=WAL");
    SQLite::Transaction tx(db);
    db.exec("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS emails;"
            "DROP TABLE IF EXISTS phones; DROP TABLE IF EXISTS tags; DROP TABLE IF EXISTS dirs;"
            "DROP TABLE IF EXISTS dir_entries; DROP TABLE IF EXISTS broken;"
            "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS search_rows;");
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
    // See index/file_state.hpp: the stat data of every record file, per directory.
    db.exec("CREATE TABLE dirs(path TEXT PRIMARY KEY, mtime_ns INT) WITHOUT ROWID");
    db.exec("CREATE TABLE dir_entries(dir TEXT, bucket INT, entries BLOB, PRIMARY KEY(dir, bucket)) WITHOUT ROWID");
    db.exec("CREATE TABLE broken(path TEXT PRIMARY KEY, message TEXT) WITHOUT ROWID");
    // A record's emails, phones and tags: keyed by the record (which finds them
    // when it changes), indexed by value (which finds the record). Two b-trees a
    // row, not three: an import stores a few of these for every contact.
    db.exec("CREATE TABLE emails(type TEXT, record_id TEXT, address_key TEXT,"
            " PRIMARY KEY(type, record_id, address_key)) WITHOUT ROWID");
    db.exec("CREATE INDEX emails_key ON emails(address_key, type)");
    db.exec("CREATE TABLE phones(type TEXT, record_id TEXT, e164 TEXT, PRIMARY KEY(type, record_id, e164)) WITHOUT ROWID");
    db.exec("CREATE INDEX phones_key ON phones(e164, type)");
    db.exec("CREATE TABLE tags(type TEXT, record_id TEXT, tag_key TEXT, PRIMARY KEY(type, record_id, tag_key)) WITHOUT ROWID");
    db.exec("CREATE INDEX tags_key ON tags(type, tag_key)");
    // Full-text search: one row per record, its title (name or summary) and the
    // rest of its searchable text, folded (match_key: case, accents and marks gone,
    // any script). search_rows keeps each field's original text (a JSON object)
    // for snippets and finds a record's row when it changes (FTS5 deletes by rowid
    // are cheap, by column a full scan).
    db.exec("CREATE TABLE search_rows(rowid INTEGER PRIMARY KEY, type TEXT, record_id TEXT, originals TEXT)");
    db.exec("CREATE INDEX search_rows_record ON search_rows(type, record_id)");
    db.exec("CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')");
    for (const auto* t : model::all_types()) {
      // Table and column names come from the fixed field list, never from input.
      std::string cols;
      for (auto k : t->indexed_keys()) {
        const auto kind = t->field(k)->kind;
        const bool number = kind == model::FieldKind::integer || kind == model::FieldKind::money;
        cols += fmt::format(", {} {}", k, number ? "INTEGER" : "TEXT");
      }
      if (has_day(*t)) cols += ", day TEXT";
      db.exec(fmt::format("DROP TABLE IF EXISTS {}", t->plural));
      db.exec(fmt::format("CREATE TABLE {}(id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT,"
                          " sort_key TEXT{}, data TEXT NOT NULL)",
                          t->plural, cols));
      if (has_day(*t)) db.exec(fmt::format("CREATE INDEX {0}_day ON {0}(day)", t->plural));
      db.exec(fmt::format("CREATE INDEX {0}_sort ON {0}(sort_key, id)", t->plural));
      // Timelines, computed fields and balances look records up by what they
      // refer to: a contact, a sale (payments, refunds).
      for (const auto& f : t->fields)
        if ((f.kind == model::FieldKind::ref || f.key == "campaign") && f.indexed)
          db.exec(fmt::format("CREATE INDEX {0}_{1} ON {0}({1})", t->plural, f.key));
    }
    SQLite::Statement st(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?)");
    st.bind(1, schema_version);
    st.exec();
    tx.commit();
  }

  // Every write transaction starts here. A cached statement left stepped (an
  // early return after executeStep) keeps its read snapshot open after a COMMIT;
  // BEGIN IMMEDIATE on a stale snapshot is SQLITE_BUSY at once, busy timeout or
  // not ("database is locked" with the file already written). So all are reset.
  void begin_write() {
    for (auto& [sql, st] : statements) st->tryReset();
    for (auto& [sql, read] : reads)
      if (read.statement && !read.busy) read.statement->tryReset();
    db.exec("BEGIN IMMEDIATE");
  }

  // One write transaction (begin_write), rolled back unless committed.
  class WriteTx {
  public:
    explicit WriteTx(Impl& impl) : impl_(impl) { impl_.begin_write(); }
    ~WriteTx() {
      if (!done_) impl_.rollback();
    }
    WriteTx(const WriteTx&) = delete;
    WriteTx& operator=(const WriteTx&) = delete;
    void commit() {
      impl_.db.exec("COMMIT");
      done_ = true;
    }

  private:
    Impl& impl_;
    bool done_ = false;
  };

  // After a failed statement. SQLite has rolled back already after some errors
  // (SQLITE_FULL, SQLITE_IOERR): a second ROLLBACK would fail and hide the first
  // error behind "cannot rollback - no transaction is active".
  void rollback() noexcept {
    if (sqlite3_get_autocommit(db.getHandle())) return;
    try {
      db.exec("ROLLBACK");
    } catch (...) {
    }
  }

  void open() {
    db.exec("PRAGMA busy_timeout=10000");
    // The write-ahead log and its shared-memory file stay when the last connection
    // closes (the log emptied): a reader on a full disk could not create them again.
    int persist = 1;
    sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    // Per connection, not stored in the file. In WAL mode NORMAL keeps the index
    // consistent through a crash (a lost last commit is refreshed from the files).
    db.exec(fs::fsync_enabled() ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=OFF");
    int version = 0;
    if (db.tableExists("meta")) {
      SQLite::Statement st(db, "SELECT value FROM meta WHERE key='schema_version'");
      if (st.executeStep()) version = st.getColumn(0).getInt();
    }
    if (version != schema_version) create_schema();
  }

  std::map<std::string, DirState> load_dirs() {
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

  void store_dir(const std::string& dir, const DirState& state, const DirState* before) {
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

  void forget_dir(const std::string& dir) {
    auto& d = statement("DELETE FROM dirs WHERE path = ?");
    d.bind(1, dir);
    d.exec();
    auto& e = statement("DELETE FROM dir_entries WHERE dir = ?");
    e.bind(1, dir);
    e.exec();
  }

  std::vector<std::string> top_dirs() const {
    std::vector<std::string> dirs;
    for (const auto* t : model::all_types()) dirs.emplace_back(t->plural);
    return dirs;
  }

  // Prepared statements, made once per Index: a rebuild runs them 100k times.
  // Found by the SQL text without copying it (the key is hashed, not compared
  // along a tree of long strings that all begin alike).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>, SqlHash, std::equal_to<>> statements;

  SQLite::Statement& statement(std::string_view sql) {
    auto it = statements.find(sql);
    if (it == statements.end())
      it = statements.emplace(std::string(sql), std::make_unique<SQLite::Statement>(db, std::string(sql))).first;
    auto& st = it->second;
    st->reset();
    st->clearBindings();
    return *st;
  }

  // Read statements, also made once: an import looks records up several times a
  // row. `busy` marks one in use, so a query run from another's row callback
  // gets a statement of its own.
  struct CachedRead {
    std::unique_ptr<SQLite::Statement> statement;
    bool busy = false;
  };
  std::map<std::string, CachedRead, std::less<>> reads;
  static constexpr std::size_t max_cached_reads = 256; // ad-hoc report SQL is not worth keeping

  // One use of a read statement; resetting it at the end closes its read.
  class Read {
  public:
    Read(Impl& impl, const std::string& sql) {
      auto it = impl.reads.find(sql);
      if (it == impl.reads.end() && impl.reads.size() < max_cached_reads) it = impl.reads.emplace(sql, CachedRead{}).first;
      if (it == impl.reads.end() || it->second.busy) {
        own_ = std::make_unique<SQLite::Statement>(impl.db, sql);
        st_ = own_.get();
        return;
      }
      auto& cached = it->second;
      if (!cached.statement) cached.statement = std::make_unique<SQLite::Statement>(impl.db, sql);
      cached.busy = true;
      busy_ = &cached.busy;
      st_ = cached.statement.get();
    }
    ~Read() {
      if (!busy_) return;
      st_->tryReset();
      st_->clearBindings();
      *busy_ = false;
    }
    Read(const Read&) = delete;
    Read& operator=(const Read&) = delete;
    SQLite::Statement& operator*() { return *st_; }
    SQLite::Statement* operator->() { return st_; }

  private:
    std::unique_ptr<SQLite::Statement> own_;
    SQLite::Statement* st_ = nullptr;
    bool* busy_ = nullptr;
  };

  // The statements each row of a type runs, written out once per type. Table
  // and column names come from the fixed record-type list (never from input).
  struct TypeSql {
    std::string find_by_path, delete_by_path, path_of_id, data_of_id, id_exists, insert;
  };
  std::unordered_map<const RecordType*, TypeSql> type_sql;

  const TypeSql& sql_for(const RecordType& type) {
    auto [it, added] = type_sql.try_emplace(&type);
    if (!added) return it->second;
    TypeSql& q = it->second;
    // A stored record's id is its file's name (read_row and store_row see to
    // it), so the id's index finds the path's rows: no index on path to keep.
    q.find_by_path = fmt::format("SELECT id FROM {} WHERE id = ? AND path = ?", type.plural);
    q.delete_by_path = fmt::format("DELETE FROM {} WHERE id = ? AND path = ?", type.plural);
    q.path_of_id = fmt::format("SELECT path FROM {} WHERE id = ?", type.plural);
    q.data_of_id = fmt::format("SELECT data FROM {} WHERE id = ?", type.plural);
    q.id_exists = fmt::format("SELECT 1 FROM {} WHERE id = ?", type.plural);
    std::string cols, marks;
    for (auto k : type.indexed_keys()) {
      cols += fmt::format(", {}", k);
      marks += ", ?";
    }
    if (has_day(type)) {
      cols += ", day";
      marks += ", ?";
    }
    q.insert = fmt::format("INSERT INTO {}(id, path, name, sort_key{}, data) VALUES(?, ?, ?, ?{}, ?)", type.plural, cols,
                           marks);
    return q;
  }

  // Forgets what the file at `relpath` contributed (by path: another file may
  // claim the same id). The path and id are bound.
  void delete_rows(const std::string& relpath) {
    const RecordType* type = type_of_path(relpath);
    if (!type) return;
    auto& find = statement(sql_for(*type).find_by_path);
    find.bind(1, id_of_path(relpath));
    find.bind(2, relpath);
    if (!find.executeStep()) return;
    const std::string id = find.getColumn(0).getString();
    find.reset();
    auto& del = statement(sql_for(*type).delete_by_path);
    del.bind(1, id);
    del.bind(2, relpath);
    del.exec();
    auto& fts = statement("DELETE FROM search WHERE rowid IN (SELECT rowid FROM search_rows WHERE type = ? AND record_id = ?)");
    fts.bind(1, std::string(type->name));
    fts.bind(2, id);
    fts.exec();
    for (const char* sql : {"DELETE FROM emails WHERE type = ? AND record_id = ?",
                            "DELETE FROM phones WHERE type = ? AND record_id = ?",
                            "DELETE FROM tags WHERE type = ? AND record_id = ?",
                            "DELETE FROM search_rows WHERE type = ? AND record_id = ?"}) {
      auto& st = statement(sql);
      st.bind(1, std::string(type->name));
      st.bind(2, id);
      st.exec();
    }
  }

  // The file already indexed under `id`, when it is not `relpath`.
  std::optional<std::string> other_file_with_id(const RecordType& type, const std::string& id,
                                                const std::string& relpath) {
    auto& st = statement(sql_for(type).path_of_id);
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    std::string path = st.getColumn(0).getString();
    st.reset();
    if (path == relpath) return std::nullopt;
    return path;
  }

  // Everything one file contributes to the index, worked out off the main thread.
  struct Row {
    const RecordType* type = nullptr;
    std::string relpath;
    Stamp stamp;
    std::int64_t hash = 0;
    bool racy = false;
    bool vanished = false;
    std::optional<std::string> error;
    std::string id, name, sort_key, data;
    std::vector<nlohmann::json> columns; // type->indexed_keys() order: null, text or integer
    std::string day;                     // has_day types: YYYY-MM-DD of `at`, as written
    std::vector<std::string> email_keys, e164s, tag_keys;
    std::string search_title, search_body; // folded
    std::string search_originals;          // {"field": "text", ...}
  };

  Row prepare(const RecordType& type, const Record& rec, const std::string& relpath) const {
    Row row;
    row.type = &type;
    row.relpath = relpath;
    row.id = model::id_of(rec);
    row.name = string_or_empty(rec, type.title_key);
    row.sort_key = text::match_key(row.name);
    for (auto k : type.indexed_keys()) row.columns.push_back(column_value(*type.field(k), rec));
    if (has_day(type)) row.day = string_or_empty(rec, "at").substr(0, 10);
    row.data = rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (auto it = rec.find("emails"); it != rec.end() && it->is_array())
      for (const auto& e : *it)
        if (e.is_object() && e.contains("address") && e["address"].is_string())
          row.email_keys.push_back(contact_point::email_key(e["address"].get<std::string>()));
    if (auto it = rec.find("phones"); it != rec.end() && it->is_array())
      for (const auto& p : *it) {
        if (!p.is_object()) continue;
        std::string e164 = string_or_empty(p, "e164");
        // A number typed into the file by hand has no e164 yet: work it out now.
        if (e164.empty() && p.contains("number") && p["number"].is_string())
          e164 = contact_point::to_e164(p["number"].get<std::string>(), ws.config().region).value_or("");
        if (!e164.empty()) row.e164s.push_back(std::move(e164));
      }
    if (auto it = rec.find("tags"); it != rec.end() && it->is_array())
      for (const auto& t : *it)
        if (t.is_string()) row.tag_keys.push_back(text::casefold(t.get<std::string>()));
    nlohmann::ordered_json originals = nlohmann::ordered_json::object();
    for (auto key : type.search_keys)
      if (std::string v = string_or_empty(rec, key); !v.empty()) {
        std::string& into = key == type.search_keys.front() ? row.search_title : row.search_body;
        into += (into.empty() ? "" : " ") + text::search_fold(v);
        originals[std::string(key)] = std::move(v);
      }
    if (!originals.empty()) row.search_originals = originals.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return row;
  }

  // Reads and parses one record file; never throws for a bad file.
  Row read_row(const std::string& relpath, const Stamp& stamp, std::int64_t now) const {
    const RecordType* type = type_of_path(relpath);
    Row row;
    std::string content;
    try {
      content = store::read_yaml_text(ws.absolute(relpath));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw; // an I/O error is not a file that is gone
      row.vanished = true; // deleted between the scan and now: the next refresh drops it
      row.relpath = relpath;
      return row;
    }
    try {
      auto parsed = store::parse_record(*type, content, relpath);
      // A record holding money must add up: one that does not is skipped (and
      // reported by every command) rather than counted with a wrong amount.
      if (type->check && !parsed.problems.empty())
        throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", relpath, parsed.problems.front().line,
                                                         parsed.problems.front().message));
      const std::string id = model::id_of(parsed.record);
      if (!store::file_name_is_id(id_of_path(relpath), id))
        throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: id '{}' does not match the file name", relpath,
                                                         parsed.lines["id"], id));
      row = prepare(*type, parsed.record, relpath);
    } catch (const Error& e) {
      row = Row{};
      row.type = type;
      row.relpath = relpath;
      row.error = e.what();
    }
    row.stamp = stamp;
    row.hash = content_hash(content);
    row.racy = is_racy(stamp, now);
    return row;
  }

  // Stores a row; marks it broken when another file already holds its id.
  // `replace`: the path may hold rows already. `is_new`: no file is at the path
  // and none holds the id (the caller knows), so nothing is looked up or forgotten.
  // Text is bound without a copy: the row outlives each statement's step.
  void store_row(Row& row, bool replace, bool is_new = false) {
    if (row.vanished) return;
    if (replace && !is_new) delete_rows(row.relpath);
    if (!row.error && !store::file_name_is_id(id_of_path(row.relpath), row.id))
      row.error = fmt::format("{}: id '{}' does not match the file name", row.relpath, row.id);
    if (!row.error && !is_new)
      if (auto other = other_file_with_id(*row.type, row.id, row.relpath))
        row.error = fmt::format("{}: duplicate id '{}' (also in {})", row.relpath, row.id, *other);
    if (!row.error) {
      const auto& type = *row.type;
      auto& ins = statement(sql_for(type).insert);
      int i = 1;
      ins.bindNoCopy(i++, row.id);
      ins.bindNoCopy(i++, row.relpath);
      ins.bindNoCopy(i++, row.name);
      ins.bindNoCopy(i++, row.sort_key);
      for (const auto& c : row.columns) {
        if (c.is_string()) ins.bindNoCopy(i++, c.get_ref<const std::string&>());
        else if (c.is_number_integer()) ins.bind(i++, c.get<std::int64_t>());
        else ins.bind(i++);
      }
      if (has_day(type)) {
        if (row.day.empty()) ins.bind(i++);
        else ins.bindNoCopy(i++, row.day);
      }
      ins.bindNoCopy(i++, row.data);
      ins.exec();
      const std::string tname(type.name);
      auto children = [&](const char* sql, const std::vector<std::string>& values) {
        for (const auto& v : values) {
          auto& st = statement(sql);
          st.bindNoCopy(1, tname);
          st.bindNoCopy(2, row.id);
          st.bindNoCopy(3, v);
          st.exec();
        }
      };
      // A value twice in one record (two spellings of one address) is one row.
      children("INSERT OR IGNORE INTO emails(type, record_id, address_key) VALUES(?, ?, ?)", row.email_keys);
      children("INSERT OR IGNORE INTO phones(type, record_id, e164) VALUES(?, ?, ?)", row.e164s);
      children("INSERT OR IGNORE INTO tags(type, record_id, tag_key) VALUES(?, ?, ?)", row.tag_keys);
      if (!row.search_originals.empty()) {
        auto& st = statement("INSERT INTO search_rows(type, record_id, originals) VALUES(?, ?, ?)");
        st.bindNoCopy(1, tname);
        st.bindNoCopy(2, row.id);
        st.bindNoCopy(3, row.search_originals);
        st.exec();
        auto& fts = statement("INSERT INTO search(rowid, title, body) VALUES(?, ?, ?)");
        fts.bind(1, db.getLastInsertRowid());
        fts.bindNoCopy(2, row.search_title);
        fts.bindNoCopy(3, row.search_body);
        fts.exec();
      }
    }
    if (!is_new) {
      auto& clear = statement("DELETE FROM broken WHERE path = ?");
      clear.bindNoCopy(1, row.relpath);
      clear.exec();
    }
    if (row.error) {
      auto& st = statement("INSERT INTO broken(path, message) VALUES(?, ?)");
      st.bindNoCopy(1, row.relpath);
      st.bindNoCopy(2, *row.error);
      st.exec();
    }
  }

  // Parses the files on every core in chunks (yaml-cpp is the slow part), then
  // stores each chunk from this thread (SQLite writes are serial anyway).
  void index_files(std::vector<Pending>& todo, std::map<std::string, DirState>& dirty, std::int64_t now,
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

  ScanResult scan_files(const std::map<std::string, DirState>& known) {
    const int root_fd = ::open(ws.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) throw Error(ErrorKind::io, fmt::format("cannot open workspace '{}'", ws.root().string()));
    auto result = scan(root_fd, top_dirs(), known,
                       ws.config().index_verify == "dirs" ? VerifyMode::dirs : VerifyMode::stat, now_ns(),
                       ws.root().string());
    ::close(root_fd);
    return result;
  }

  static bool only_bookkeeping(const ScanResult& r) {
    return r.pending.empty() && r.removed.empty() && r.gone_dirs.empty();
  }

  // Is the saved state of `dir` still `seen` (no other process stored it since)?
  bool same_saved_state(const std::string& dir, const DirState& seen) {
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

  static bool nothing_to_do(const ScanResult& r) {
    return r.pending.empty() && r.removed.empty() && r.dirty.empty() && r.gone_dirs.empty();
  }

  RefreshStats refresh(bool full) {
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

  // After crm wrote or removed `relpath` itself: bring its bucket up to date so
  // the next refresh does not read the file again.
  // Bulk writes (import) gather their dir_entries changes here and write each
  // bucket once per flush: rewriting a bucket's blob for every file is quadratic.
  std::map<std::pair<std::string, std::size_t>, std::vector<std::pair<std::string, std::optional<FileEntry>>>>
      pending_entries;
  std::size_t pending_count = 0;

  // Files put before they were on disk (put_unwritten), with their content hashes.
  std::unordered_map<std::string, std::int64_t> unwritten;
  void require_written() const {
    if (!unwritten.empty())
      throw Error(ErrorKind::io, fmt::format("'{}' was indexed but not reported written", unwritten.begin()->first));
  }

  void record_write(const std::string& relpath, const std::optional<FileEntry>& entry) {
    const std::string dir = parent_of(relpath), name = name_of(relpath);
    const std::size_t b = bucket_of(name);
    if (bulk) {
      pending_entries[{dir, b}].emplace_back(name, entry);
      ++pending_count;
      return;
    }
    write_entries(dir, b, {{name, entry}});
  }

  void flush_entries() {
    for (const auto& [key, changes] : pending_entries) write_entries(key.first, key.second, changes);
    pending_entries.clear();
    pending_count = 0;
  }

  void write_entries(const std::string& dir, std::size_t b,
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
};

Index::Index(const store::Workspace& workspace) {
  // Creating (or re-creating) the schema must happen once, not in every crm
  // process that starts at the same moment: a short lock of its own, never the
  // writer lock, so readers still do not wait for writers.
  fs::FileLock creating(workspace.crm_dir() / "index.sqlite-lock", 30000);
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

const std::vector<std::string>& Index::temp_files() const { return impl_->temps; }

std::vector<BrokenFile> Index::broken_files() const {
  std::vector<BrokenFile> out;
  SQLite::Statement st(impl_->db, "SELECT path, message FROM broken ORDER BY path");
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
  s.files = impl_->last.scanned;
  s.broken = broken_files();
  s.last_refresh = impl_->last;
  s.verify = impl_->ws.config().index_verify;
  return s;
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

std::optional<Record> Index::get(const RecordType& type, const std::string& id) const {
  Impl::Read st(*impl_, impl_->sql_for(type).data_of_id);
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return Record::parse(st->getColumn(0).getString());
}

std::optional<std::string> Index::path_of(const RecordType& type, const std::string& id) const {
  auto lookup = [&]() -> std::optional<std::string> {
    Impl::Read st(*impl_, impl_->sql_for(type).path_of_id);
    st->bind(1, id);
    if (!st->executeStep()) return std::nullopt;
    return st->getColumn(0).getString();
  };
  auto path = lookup();
  if (!path || store::is_record_relpath(type, id, *path)) return path;
  // A row naming some other file: the index was damaged or planted (it is not in
  // git, but anyone can write it). It is never trusted: rebuilt from the files.
  const auto damaged = [&] {
    return Error(ErrorKind::io, fmt::format("the index names '{}' as the file of {} '{}'", *path, type.name, id),
                 {"'crm index rebuild' recreates the index from the files"});
  };
  if (impl_->bulk) throw damaged();
  impl_->last = impl_->refresh(true);
  path = lookup();
  if (path && !store::is_record_relpath(type, id, *path)) throw damaged();
  return path;
}

void Index::release_space() noexcept {
  try {
    impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    impl_->db.exec("PRAGMA incremental_vacuum");
  } catch (...) { // nothing gained, nothing lost
  }
}

std::vector<std::string> Index::untrusted_paths() const {
  std::vector<std::string> out;
  for (const auto* t : model::all_types()) {
    SQLite::Statement st(impl_->db, fmt::format("SELECT id, path FROM {} ORDER BY id", t->plural));
    while (st.executeStep()) {
      const std::string id = st.getColumn(0).getString(), path = st.getColumn(1).getString();
      if (!store::is_record_relpath(*t, id, path)) out.push_back(fmt::format("{} '{}' is in '{}'", t->name, id, path));
    }
  }
  return out;
}

Record Index::computed_values(const RecordType& type, const std::string& id, const LeadScore& lead_score) const {
  Record out = Record::object();
  const auto& fields = computed_fields(type);
  if (fields.empty()) return out;
  SqlExpr q{"SELECT ", {}};
  for (const auto& f : fields) {
    const auto e = computed_expr(type, f, lead_score);
    q.sql += fmt::format("{}{}", &f == &fields.front() ? "" : ", ", e.sql);
    q.binds.insert(q.binds.end(), e.binds.begin(), e.binds.end());
  }
  q.sql += fmt::format(" FROM {} WHERE id = ?", type.plural);
  q.binds.emplace_back(id);
  query(q, [&](SQLite::Statement& st) {
    for (int k = 0; k < static_cast<int>(fields.size()); ++k) {
      const auto col = st.getColumn(k);
      if (col.isNull()) continue;
      const auto& f = fields[static_cast<std::size_t>(k)];
      if (f.kind == ComputedKind::money)
        out[f.key] = money::format_amount(col.getInt64(), money::exponent(impl_->ws.config().currency).value_or(2));
      else if (col.isInteger()) out[f.key] = col.getInt64();
      else if (col.isFloat()) out[f.key] = col.getDouble();
      else out[f.key] = col.getString();
    }
  });
  return out;
}

SqlExpr Index::computed_expr(const RecordType& type, const ComputedField& field, const LeadScore& lead_score) const {
  if (field.from_rules) return lead_score ? lead_score() : SqlExpr{"0", {}};
  return {computed_sql(type, field), {}};
}

static void bind_values(SQLite::Statement& st, int& i, const std::vector<SqlValue>& values) {
  for (const auto& v : values) {
    if (const auto* t = std::get_if<std::string>(&v)) st.bind(i++, *t);
    else if (const auto* n = std::get_if<std::int64_t>(&v)) st.bind(i++, *n);
    else st.bind(i++, std::get<double>(v));
  }
}

void Index::query(const SqlExpr& expr, const std::function<void(SQLite::Statement&)>& on_row) const {
  impl_->prepare_for(expr.sql);
  Impl::Read st(*impl_, expr.sql);
  int i = 1;
  bind_values(*st, i, expr.binds);
  while (st->executeStep()) on_row(*st);
}

bool Index::has_custom_key(const RecordType& type, const std::string& key) const {
  SQLite::Statement st(impl_->db,
                       fmt::format("SELECT 1 FROM {} WHERE json_extract(data, ?) IS NOT NULL LIMIT 1", type.plural));
  st.bind(1, fmt::format("$.\"custom\".\"{}\"", key));
  return st.executeStep();
}

bool Index::has_key(const RecordType& type, const std::string& key) const {
  SQLite::Statement st(impl_->db,
                       fmt::format("SELECT 1 FROM {} WHERE json_extract(data, ?) IS NOT NULL LIMIT 1", type.plural));
  st.bind(1, json_path(key));
  return st.executeStep();
}

std::vector<std::string> Index::keys_in_use(const RecordType& type, const std::string& map_key) const {
  // Top level: the keys no field declares (added by hand); else a map's keys.
  std::vector<std::string> out;
  SQLite::Statement st(impl_->db, fmt::format("SELECT DISTINCT k.key FROM {}, json_each({}.data, ?) k WHERE k.key IS NOT NULL ORDER BY k.key",
                                              type.plural, type.plural));
  st.bind(1, map_key.empty() ? std::string("$") : json_path(map_key));
  while (st.executeStep()) {
    std::string key = st.getColumn(0).getString();
    if (map_key.empty() && type.field(key)) continue;
    out.push_back(std::move(key));
  }
  return out;
}

std::vector<std::string> Index::missing_rates() const {
  return {impl_->missing_rates.begin(), impl_->missing_rates.end()};
}

std::vector<SearchHit> Index::search(const std::string& query, std::size_t limit) const {
  // Each word of the folded query must start a word of the folded text: FTS5
  // prefix phrases, quoted so that no query character is FTS syntax.
  std::string match;
  const std::string folded = text::match_key(query);
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) {
      std::string word = folded.substr(start, end - start);
      match += fmt::format("{}\"{}\"*", match.empty() ? "" : " ", word);
    }
  };
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const auto c = static_cast<unsigned char>(folded[i]);
    // ASCII punctuation and spaces separate words; every non-ASCII byte belongs
    // to a letter as far as splitting goes (the tokenizer splits the rest).
    if (c < 0x80 && !std::isalnum(c)) {
      flush(i);
      start = i + 1;
    }
  }
  flush(folded.size());
  std::vector<SearchHit> out;
  if (match.empty()) return out;
  // A word in the title (name, summary) weighs five times one in the rest.
  SQLite::Statement st(impl_->db,
                       "SELECT r.type, r.record_id, r.originals, bm25(search, 5.0, 1.0) AS rank FROM search"
                       " JOIN search_rows r ON r.rowid = search.rowid WHERE search MATCH ?"
                       " ORDER BY rank, r.type, r.record_id LIMIT ?");
  st.bind(1, match);
  st.bind(2, static_cast<std::int64_t>(limit));
  while (st.executeStep()) {
    SearchHit hit{st.getColumn(0).getString(), st.getColumn(1).getString(), {}, st.getColumn(3).getDouble()};
    const auto originals = nlohmann::ordered_json::parse(st.getColumn(2).getString());
    for (const auto& [field, text] : originals.items()) hit.texts.emplace_back(field, text.get<std::string>());
    out.push_back(std::move(hit));
  }
  return out;
}

bool Index::exists(const RecordType& type, const std::string& id) const {
  Impl::Read st(*impl_, impl_->sql_for(type).id_exists);
  st->bind(1, id);
  return st->executeStep();
}

namespace {


} // namespace

namespace {

// The SQL that selects `what` for the records matching `q`. Identifiers come
// from the fixed field list and the computed-field table; every value is bound.
bool is_indexed(const RecordType& type, std::string_view key) {
  const auto keys = type.indexed_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::optional<std::int64_t> as_integer(const std::string& v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  for (std::size_t i = v[0] == '-' ? 1 : 0; i < v.size(); ++i)
    if (v[i] < '0' || v[i] > '9') return std::nullopt;
  if (v == "-") return std::nullopt;
  return std::stoll(v);
}


} // namespace

// The SQL expression for a field of `type`: a column, a computed expression, or
// a JSON path into the stored record (the path is bound). Numbers compare as
// numbers when the field holds numbers.
SqlExpr& operator+=(SqlExpr& to, const SqlExpr& more) {
  to.sql += more.sql;
  to.binds.insert(to.binds.end(), more.binds.begin(), more.binds.end());
  return to;
}

std::string json_path(std::string_view key) {
  // Maps hold text, so only the first dot reaches into one: custom."a.b" is the
  // key "a.b" of custom.
  const auto dot = key.find('.');
  if (dot == std::string_view::npos) return fmt::format("$.\"{}\"", key);
  return fmt::format("$.\"{}\".\"{}\"", key.substr(0, dot), key.substr(dot + 1));
}

SqlExpr Index::field_sql(const RecordType& type, const std::string& key, bool* numeric,
                         const LeadScore& lead_score) const {
  bool is_number = false;
  SqlExpr e;
  if (key == "id" || key == "name") {
    e.sql = key == "name" ? "sort_key" : "id";
  } else if (const auto* c = find_computed(type, key)) {
    is_number = c->kind != ComputedKind::date && c->kind != ComputedKind::text;
    e = computed_expr(type, *c, lead_score);
  } else {
    if (const auto* f = type.field(key))
      is_number = f->kind == model::FieldKind::integer || f->kind == model::FieldKind::money;
    if (is_indexed(type, key)) {
      e.sql = fmt::format("{}.{}", type.plural, key);
    } else {
      e.sql = fmt::format("json_extract({}.data, ?)", type.plural);
      e.binds.emplace_back(json_path(key));
    }
  }
  if (numeric) *numeric = is_number;
  return e;
}

SqlExpr Index::list_sql(const RecordType& type, const ListQuery& q, const SqlExpr& what) const {
  SqlExpr out{"SELECT ", {}};
  out += what;
  out.sql += fmt::format(" FROM {} WHERE 1", type.plural);
  if (q.stage) {
    out.sql += " AND stage = ?";
    out.binds.emplace_back(*q.stage);
  }
  for (const auto& t : q.tags) {
    out.sql += fmt::format(" AND {}.id IN (SELECT record_id FROM tags WHERE type = ? AND tag_key = ?)", type.plural);
    out.binds.emplace_back(std::string(type.name));
    out.binds.emplace_back(text::casefold(t));
  }
  static const std::vector<std::string_view> ops = {"=", "!=", "<", "<=", ">", ">="};
  for (const auto& c : q.conditions) {
    if (std::find(ops.begin(), ops.end(), c.op) == ops.end())
      throw Error(ErrorKind::usage, fmt::format("bad comparison '{}'", c.op));
    bool numeric = false;
    const SqlExpr e = c.key == "name" ? SqlExpr{"name", {}} : field_sql(type, c.key, &numeric, q.lead_score);
    out.sql += " AND ";
    out += e;
    out.sql += fmt::format(" {} ?", c.op);
    if (auto n = numeric ? as_integer(c.value) : std::nullopt) out.binds.emplace_back(*n);
    else out.binds.emplace_back(c.value);
  }
  if (!q.where.sql.empty()) {
    out.sql += " AND (";
    out += q.where;
    out.sql += ")";
  }
  std::string sort = q.sort;
  bool desc = false;
  if (!sort.empty() && sort[0] == '-') {
    desc = true;
    sort.erase(0, 1);
  }
  const char* dir = desc ? " DESC" : "";
  if (sort == "name") {
    out.sql += fmt::format(" ORDER BY sort_key{0}, id{0}", dir);
  } else if (sort == "id") {
    out.sql += fmt::format(" ORDER BY id{}", dir);
  } else {
    // Records without the value go last, whichever the direction.
    const SqlExpr e = field_sql(type, sort, nullptr, q.lead_score);
    out.sql += " ORDER BY ";
    out += e;
    out.sql += " IS NULL, ";
    out += e;
    out.sql += fmt::format("{}, sort_key, id", dir);
  }
  if (q.limit) {
    out.sql += " LIMIT ?";
    out.binds.emplace_back(static_cast<std::int64_t>(*q.limit));
  }
  return out;
}

void Index::each(const RecordType& type, const ListQuery& q, const std::vector<std::string>* projection,
                 const std::function<void(std::string_view)>& on_json) const {
  // A projection reads only the wanted values: json_extract with several paths
  // returns them as one small JSON array, so nothing else is parsed.
  SqlExpr what{fmt::format("{}.data", type.plural), {}};
  if (projection) {
    const std::size_t paths = std::max<std::size_t>(2, projection->size()); // one path would return a bare value
    what.sql = fmt::format("json_extract({}.data", type.plural);
    for (std::size_t k = 0; k < paths; ++k) {
      what.sql += ", ?";
      what.binds.emplace_back(k < projection->size() ? json_path((*projection)[k]) : std::string("$.\"id\""));
    }
    what.sql += ")";
    // Computed columns replace their slot in the array (its path finds nothing);
    // money as an amount of the base currency.
    SqlExpr sets;
    for (std::size_t k = 0; k < projection->size(); ++k)
      if (const auto* c = find_computed(type, (*projection)[k])) {
        sets.sql += fmt::format(", '$[{}]', ", k);
        if (c->kind == ComputedKind::money) sets.sql += "crm_amount(";
        sets += (computed_expr(type, *c, q.lead_score));
        if (c->kind == ComputedKind::money) sets.sql += ")";
      }
    if (!sets.sql.empty()) {
      SqlExpr wrapped{"json_set(", {}};
      wrapped += what;
      wrapped += sets;
      wrapped.sql += ")";
      what = std::move(wrapped);
    }
  }
  query(list_sql(type, q, what), [&](SQLite::Statement& st) {
    const auto col = st.getColumn(0);
    on_json(std::string_view(col.getText(), static_cast<std::size_t>(col.getBytes())));
  });
}

void Index::each_projected(const RecordType& type, const ListQuery& q, const std::vector<std::string>& columns,
                           const std::function<void(Record&&)>& on_record) const {
  each(type, q, &columns, [&](std::string_view json) {
    auto values = Record::parse(json);
    Record rec = Record::object();
    for (std::size_t k = 0; k < columns.size() && k < values.size(); ++k)
      if (!values[k].is_null()) rec[columns[k]] = std::move(values[k]);
    on_record(std::move(rec));
  });
}

std::vector<Record> Index::list(const RecordType& type, const ListQuery& q) const {
  std::vector<Record> out;
  each(type, q, nullptr, [&](std::string_view json) { out.push_back(Record::parse(json)); });
  return out;
}

namespace {

std::vector<std::string> first_column(const Index& index, const SqlExpr& q) {
  std::vector<std::string> out;
  index.query(q, [&](SQLite::Statement& st) { out.push_back(st.getColumn(0).getString()); });
  return out;
}

} // namespace

// No ORDER BY in the two below: it would steer SQLite to the (type, record_id)
// index, a scan of every record's emails or phones for each lookup.
std::vector<std::string> Index::ids_with_email(const RecordType& type, const std::string& email_key) const {
  return first_column(*this, {"SELECT record_id FROM emails WHERE address_key = ? AND type = ?",
                              {email_key, std::string(type.name)}});
}

std::vector<std::string> Index::ids_with_phone(const RecordType& type, const std::string& e164) const {
  return first_column(*this, {"SELECT record_id FROM phones WHERE e164 = ? AND type = ?", {e164, std::string(type.name)}});
}

std::vector<std::string> Index::contacts_named(const std::string& sort_key, const std::string& company_id) const {
  if (company_id.empty()) return first_column(*this, {"SELECT id FROM contacts WHERE sort_key = ? AND company IS NULL", {sort_key}});
  return first_column(*this, {"SELECT id FROM contacts WHERE sort_key = ? AND company = ?", {sort_key, company_id}});
}

bool Index::has_import_key(const RecordType& type, const std::string& contact_id, const std::string& key) const {
  // The table name comes from the fixed record-type list; the values are bound.
  return !first_column(*this, {fmt::format("SELECT id FROM {} WHERE contact = ? AND "
                                           "json_extract(data, '$.custom.import_key') = ? LIMIT 1",
                                           type.plural),
                               {contact_id, key}})
              .empty();
}

std::vector<std::string> Index::ids_where(const RecordType& type, std::string_view key,
                                          const std::string& value) const {
  // An indexed column, or else the value inside the stored JSON (slower, rare).
  SqlExpr q{"SELECT id FROM ", {}};
  q.sql += fmt::format("{} WHERE ", type.plural);
  q += (key == "sort_key" ? SqlExpr{"sort_key", {}} : field_sql(type, std::string(key), nullptr));
  q.sql += " = ? ORDER BY id";
  q.binds.emplace_back(value);
  std::vector<std::string> out;
  query(q, [&](SQLite::Statement& st) { out.push_back(st.getColumn(0).getString()); });
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
    // Ids are slugs of names (case folded, Latin accents dropped) but a prefix
    // may be typed as the name is written ("Ana", "Олена", "Ștef"): the slug
    // of the REF is tried too. Ids are compared bytewise; U+10FFFF sorts after
    // every valid continuation.
    std::vector<std::string> prefixes{ref};
    for (std::string spelling : {text::casefold(ref), text::slugify(ref, ref.size(), "")})
      if (!spelling.empty() && std::find(prefixes.begin(), prefixes.end(), spelling) == prefixes.end())
        prefixes.push_back(std::move(spelling));
    for (const auto& prefix : prefixes) {
      SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE id >= ? AND id < ? ORDER BY id LIMIT 20", table));
      st.bind(1, prefix);
      st.bind(2, prefix + "\xF4\x8F\xBF\xBF");
      add(st, "prefix");
    }
  }
  if (out.empty() && type.field("merged_ids")) {
    // The id of a contact merged into another names that one from then on. Looked
    // for last, when nothing else matched (it reads every record: a REF that does
    // match pays nothing); the quoted id is found in the text first, so only
    // records holding it are parsed as JSON.
    SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM {} r, json_each(r.data, ?) m"
                                         " WHERE instr(r.data, ?) > 0 AND m.value = ? ORDER BY r.id", table));
    st.bind(1, json_path("merged_ids"));
    st.bind(2, nlohmann::json(ref).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    st.bind(3, ref);
    add(st, "merged");
  }
  return out;
}

} // namespace crm::index
