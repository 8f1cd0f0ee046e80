// The index's tables and their version: a version other than schema_version
// (an older crm's index, or none) makes the tables again, and the next refresh
// reads every file.

#include <sqlite3.h>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "util/fs.hpp"

namespace crm::index {

namespace {

// Bump when the schema or what is stored changes: the index is then rebuilt.
constexpr int schema_version = 14;

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

int current_schema_version() { return schema_version; }

Index::Impl::Impl(const store::Workspace& w) : ws(w), db(open_database(w.index_path().string())) {
  register_functions();
}

void Index::Impl::create_schema() {
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

void Index::Impl::open() {
  db.exec("PRAGMA busy_timeout=10000");
  // The write-ahead log and its shared-memory file stay when the last connection
  // closes (the log emptied): a reader on a full disk could not create them again.
  int persist = 1;
  sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  // A log that stays is not emptied by itself: its frames stay after the
  // checkpoint, and the next process to open the index reads every one of them
  // again to rebuild the shared-memory index (after a rebuild of 100 000
  // contacts, 135 MB: tens of milliseconds added to every command, and to
  // shell completion's 50 ms). Cut back to 4 MB after each checkpoint and when
  // the last connection closes.
  db.exec("PRAGMA journal_size_limit=4194304");
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

} // namespace crm::index
