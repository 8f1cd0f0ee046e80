// Shell completion's reads: a read-only connection to the index as it is, and
// prefix lookups that each walk one b-tree range (ids, sort keys, tags), so
// they cost the same on 100 contacts and on 100 000.

#include "index/completion.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "util/text.hpp"

namespace crm::index {

struct CompletionReader::Impl {
  SQLite::Database db;
  explicit Impl(const std::string& path) : db(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX) {}
};

namespace {

// The end of the range of keys that start with `prefix`: no UTF-8 text has a
// 0xff byte, so every such key sorts below prefix + "\xff" (SQLite compares
// text bytewise).
std::string range_end(std::string_view prefix) { return std::string(prefix) + '\xff'; }

// Runs `sql` with `prefix`'s range bound as ?1 and ?2 and `limit` as ?3; the
// first two columns of each row. Nothing when the query fails.
std::vector<NamedId> named_range(SQLite::Database& db, const std::string& sql, const std::string& prefix,
                                 std::size_t limit) {
  std::vector<NamedId> out;
  try {
    SQLite::Statement st(db, sql);
    st.bind(1, prefix);
    st.bind(2, range_end(prefix));
    st.bind(3, static_cast<std::int64_t>(limit));
    while (st.executeStep())
      out.push_back({st.getColumn(0).getString(), st.getColumn(1).isNull() ? "" : st.getColumn(1).getString()});
  } catch (const std::exception&) {
    out.clear();
  }
  return out;
}

} // namespace

std::unique_ptr<CompletionReader> CompletionReader::open(const std::filesystem::path& index_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(index_path, ec)) return nullptr;
  try {
    auto impl = std::make_unique<Impl>(index_path.string());
    // A writer holds the database only for the moment of a commit: wait a
    // little, never long enough for a person to notice.
    impl->db.exec("PRAGMA busy_timeout=20");
    SQLite::Statement st(impl->db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (!st.executeStep() || st.getColumn(0).getInt() != current_schema_version()) return nullptr;
    return std::make_unique<CompletionReader>(Key{}, std::move(impl));
  } catch (const std::exception&) {
    return nullptr;
  }
}

CompletionReader::CompletionReader(Key, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompletionReader::~CompletionReader() = default;

std::vector<NamedId> CompletionReader::ids_with_prefix(const model::RecordType& type, std::string_view prefix,
                                                       std::size_t limit) const {
  // The table name comes from the fixed type list, never from input.
  return named_range(impl_->db,
                     fmt::format("SELECT id, name FROM {} WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3", type.plural),
                     std::string(prefix), limit);
}

std::vector<NamedId> CompletionReader::names_with_prefix(const model::RecordType& type, std::string_view prefix,
                                                         std::size_t limit) const {
  std::string key;
  try {
    key = text::match_key(prefix);
  } catch (const std::exception&) { // not UTF-8: no name starts with it
    return {};
  }
  // match_key trims: "ana " would find "anabel" too, which the shell then drops.
  return named_range(impl_->db,
                     fmt::format("SELECT id, name FROM {} WHERE sort_key >= ?1 AND sort_key < ?2"
                                 " ORDER BY sort_key, id LIMIT ?3",
                                 type.plural),
                     key, limit);
}

std::vector<std::string> CompletionReader::tags_with_prefix(const model::RecordType& type, std::string_view prefix,
                                                            std::size_t limit) const {
  std::vector<std::string> out;
  try {
    const std::string key = text::casefold(prefix);
    // One step along the tags_key index per distinct tag: a tag that 30 000
    // contacts share costs one lookup, not 30 000 rows.
    SQLite::Statement st(impl_->db, "SELECT tag_key FROM tags WHERE type = ?1 AND tag_key > ?2 AND tag_key < ?3"
                                    " ORDER BY tag_key LIMIT 1");
    const std::string end = range_end(key);
    std::string after = key;
    // The first step includes a tag equal to the prefix itself.
    SQLite::Statement first(impl_->db, "SELECT 1 FROM tags WHERE type = ?1 AND tag_key = ?2 LIMIT 1");
    first.bind(1, std::string(type.name));
    first.bind(2, key);
    if (!key.empty() && first.executeStep()) out.push_back(key);
    while (out.size() < limit) {
      st.reset();
      st.bind(1, std::string(type.name));
      st.bind(2, after);
      st.bind(3, end);
      if (!st.executeStep()) break;
      after = st.getColumn(0).getString();
      out.push_back(after);
    }
  } catch (const std::exception&) {
    out.clear();
  }
  return out;
}

} // namespace crm::index
