#pragma once
// Inside the index: the connection and what lib/index's files share. Only files
// in lib/index include this (and SQLiteCpp); the rest of crm knows no table,
// column or statement (docs/architecture.md).
//
// Where each part lives:
//   schema.cpp         the tables, their version, opening the database
//   sql_functions.cpp  crm_base, crm_minor, crm_fold... and what a query needs first
//   statements.cpp     the statement caches and write transactions
//   rows.cpp           what one record file puts in the tables
//   refresh.cpp        bringing the tables up to date with the files; bulk writes
//   list.cpp           lists, projections, field and computed-field SQL
//   search.cpp         full-text search
//   resolve.cpp        REFs and the lookups of import
//   filter_sql.cpp     the filter language as SQL
//   *_queries.cpp      what reports and operations ask of the tables

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "index/file_state.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "store/rates.hpp"
#include "store/workspace.hpp"

namespace crm::index {

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline Stamp stamp_of(const struct ::stat& st) {
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<std::int64_t>(st.st_ino)};
}

inline std::string parent_of(const std::string& relpath) { return relpath.substr(0, relpath.rfind('/')); }
inline std::string name_of(const std::string& relpath) { return relpath.substr(relpath.rfind('/') + 1); }

inline const model::RecordType* type_of_path(const std::string& relpath) {
  const auto slash = relpath.find('/');
  return model::find_type(std::string_view(relpath).substr(0, slash));
}

inline std::string id_of_path(const std::string& relpath) {
  const auto slash = relpath.rfind('/');
  return relpath.substr(slash + 1, relpath.size() - slash - 1 - 5);
}

// Types whose records happen at a moment (`at`) get a `day` column: the local
// date the writer saw, which --from/--to and date filters compare.
inline bool has_day(const model::RecordType& t) {
  const auto* f = t.field("at");
  return f && f->kind == model::FieldKind::timestamp;
}

struct Index::Impl {
  const store::Workspace& ws;
  SQLite::Database db;
  bool stale = false;       // the last refresh found no room to write (Index::stale)
  bool created_now = false; // the schema was made by this process
  RefreshStats last;
  std::vector<std::string> temps; // AtomicFile leftovers seen by the last scan
  // For crm_base(): rates.yaml, read before the first query that converts.
  std::optional<store::Rates> rates;
  std::set<std::string> missing_rates; // messages, one per currency and day
  bool bulk = false;                   // an Index::Bulk transaction is open: put/drop join it
  bool rfm_ready = false;

  explicit Impl(const store::Workspace& w); // schema.cpp

  // schema.cpp
  void create_schema();
  void open();

  // sql_functions.cpp: the SQL functions the queries use, each with this Impl
  // as its user data.
  void register_functions();
  // What a query needs before it runs: the rates it converts with, the RFM table.
  void prepare_for(const std::string& sql);

  // statements.cpp
  void begin_write();
  void rollback() noexcept;

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

  // Prepared statements, made once per Index: a rebuild runs them 100k times.
  // Found by the SQL text without copying it (the key is hashed, not compared
  // along a tree of long strings that all begin alike).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>, SqlHash, std::equal_to<>> statements;
  SQLite::Statement& statement(std::string_view sql);

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

  // Every statement on one type's table, written out once per type: its table
  // and column names come from the fixed record-type list (never from input),
  // and every value is a `?` bound when it runs.
  struct TypeSql {
    std::string find_by_path, delete_by_path, path_of_id, data_of_id, id_exists, insert;
    std::string count, ids_and_paths, has_json_path, keys_at_json_path;
  };
  std::unordered_map<const model::RecordType*, TypeSql> type_sql;
  const TypeSql& sql_for(const model::RecordType& type);

  // rows.cpp
  // Everything one file contributes to the index, worked out off the main thread.
  struct Row {
    const model::RecordType* type = nullptr;
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
  void delete_rows(const std::string& relpath);
  std::optional<std::string> other_file_with_id(const model::RecordType& type, const std::string& id,
                                                const std::string& relpath);
  Row prepare(const model::RecordType& type, const model::Record& rec, const std::string& relpath) const;
  Row read_row(const std::string& relpath, const Stamp& stamp, std::int64_t now) const;
  void store_row(Row& row, bool replace, bool is_new = false);

  // refresh.cpp
  std::map<std::string, DirState> load_dirs();
  void store_dir(const std::string& dir, const DirState& state, const DirState* before);
  void forget_dir(const std::string& dir);
  std::vector<std::string> top_dirs() const;
  void index_files(std::vector<Pending>& todo, std::map<std::string, DirState>& dirty, std::int64_t now,
                   bool replace);
  ScanResult scan_files(const std::map<std::string, DirState>& known);
  static bool only_bookkeeping(const ScanResult& r);
  bool same_saved_state(const std::string& dir, const DirState& seen);
  static bool nothing_to_do(const ScanResult& r);
  RefreshStats refresh(bool full);

  // After crm wrote or removed `relpath` itself: bring its bucket up to date so
  // the next refresh does not read the file again.
  // Bulk writes (import) gather their dir_entries changes here and write each
  // bucket once per flush: rewriting a bucket's blob for every file is quadratic.
  std::map<std::pair<std::string, std::size_t>, std::vector<std::pair<std::string, std::optional<FileEntry>>>>
      pending_entries;
  std::size_t pending_count = 0;
  // Files put before they were on disk (put_unwritten), with their content hashes.
  std::unordered_map<std::string, std::int64_t> unwritten;
  void require_written() const;
  void record_write(const std::string& relpath, const std::optional<FileEntry>& entry);
  void flush_entries();
  void write_entries(const std::string& dir, std::size_t b,
                     const std::vector<std::pair<std::string, std::optional<FileEntry>>>& changes);
};

// The schema version this crm writes (schema.cpp): an index of another version
// is made again by Index, and read by nobody else.
int current_schema_version();

// The connection of an Index, for lib/index's own files.
struct IndexAccess {
  static Index::Impl& impl(const Index& index) { return *index.impl_; }
};

// Runs a query with its values bound, one callback per row. Prepares what the
// SQL needs first (the rates of crm_base, the RFM table).
void run_query(const Index& index, const SqlExpr& expr, const std::function<void(SQLite::Statement&)>& on_row);

// A column that may be NULL.
inline std::optional<std::int64_t> int_or_none(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}
inline std::optional<std::string> text_or_none(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

// The first column of every row, as text.
std::vector<std::string> first_column(const Index& index, const SqlExpr& q);

} // namespace crm::index
