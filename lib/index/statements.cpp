// The statement caches and write transactions of one connection.

#include <sqlite3.h>

#include <fmt/format.h>

#include "index/index_impl.hpp"

namespace crm::index {

using model::RecordType;

// Every write transaction starts here. A cached statement left stepped (an
// early return after executeStep) keeps its read snapshot open after a COMMIT;
// BEGIN IMMEDIATE on a stale snapshot is SQLITE_BUSY at once, busy timeout or
// not ("database is locked" with the file already written). So all are reset.
void Index::Impl::begin_write() {
  for (auto& [sql, st] : statements) st->tryReset();
  for (auto& [sql, read] : reads)
    if (read.statement && !read.busy) read.statement->tryReset();
  db.exec("BEGIN IMMEDIATE");
}

// After a failed statement. SQLite has rolled back already after some errors
// (SQLITE_FULL, SQLITE_IOERR): a second ROLLBACK would fail and hide the first
// error behind "cannot rollback - no transaction is active".
void Index::Impl::rollback() noexcept {
  if (sqlite3_get_autocommit(db.getHandle())) return;
  try {
    db.exec("ROLLBACK");
  } catch (...) {
  }
}

SQLite::Statement& Index::Impl::statement(std::string_view sql) {
  auto it = statements.find(sql);
  if (it == statements.end())
    it = statements.emplace(std::string(sql), std::make_unique<SQLite::Statement>(db, std::string(sql))).first;
  auto& st = it->second;
  st->reset();
  st->clearBindings();
  return *st;
}

const Index::Impl::TypeSql& Index::Impl::sql_for(const RecordType& type) {
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
  q.count = fmt::format("SELECT count(*) FROM {}", type.plural);
  q.ids_and_paths = fmt::format("SELECT id, path FROM {} ORDER BY id", type.plural);
  q.has_json_path = fmt::format("SELECT 1 FROM {} WHERE json_extract(data, ?) IS NOT NULL LIMIT 1", type.plural);
  q.keys_at_json_path = fmt::format(
      "SELECT DISTINCT k.key FROM {0}, json_each({0}.data, ?) k WHERE k.key IS NOT NULL ORDER BY k.key", type.plural);
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

namespace {

void bind_values(SQLite::Statement& st, int& i, const std::vector<SqlValue>& values) {
  for (const auto& v : values) {
    if (const auto* t = std::get_if<std::string>(&v)) st.bind(i++, *t);
    else if (const auto* n = std::get_if<std::int64_t>(&v)) st.bind(i++, *n);
    else st.bind(i++, std::get<double>(v));
  }
}

} // namespace

void run_query(const Index& index, const SqlExpr& expr, const std::function<void(SQLite::Statement&)>& on_row) {
  auto& impl = IndexAccess::impl(index);
  impl.prepare_for(expr.sql);
  Index::Impl::Read st(impl, expr.sql);
  int i = 1;
  bind_values(*st, i, expr.binds);
  while (st->executeStep()) on_row(*st);
}

} // namespace crm::index
