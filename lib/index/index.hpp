#pragma once

#include <sys/stat.h>
// .crm/index.sqlite: a derived mirror of the record files (DESIGN section 4).
// Before a command reads it, refresh() compares every record file's stat data
// (size, mtime, ctime, inode) with what the index saw, like git's index, and
// re-reads only the files that changed. Deleting the index loses nothing.

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "index/computed.hpp"
#include "model/record_type.hpp"
#include "store/workspace.hpp"

namespace crm::index {

struct BrokenFile {
  std::string path;    // relative to the workspace root
  std::string message; // "contacts/x.yaml:3: ..." ready to print
};

struct RefreshStats {
  std::size_t scanned = 0, added = 0, changed = 0, removed = 0;
};

struct TypeCount {
  std::string type; // plural
  std::size_t records = 0;
};

struct Status {
  std::string path;
  std::uint64_t bytes = 0;
  std::vector<TypeCount> counts;
  std::size_t files = 0;
  std::vector<BrokenFile> broken;
  RefreshStats last_refresh;
  std::string verify; // stat | dirs
};

struct Candidate {
  std::string id;
  std::string name;
  std::string matched_by; // id, email, phone, name, merged (a merged contact's id), prefix
};

// One comparison of an indexed or computed field with a value (bound, never
// spliced): `due <= "2026-11-25"`, `status = "open"`.
struct Condition {
  std::string key;
  std::string op; // = != < <= > >=
  std::string value;
};

// A piece of SQL and the values of its `?` parameters, in order. Only fixed
// identifiers are ever written into `sql`; every value is bound.
using SqlValue = std::variant<std::string, std::int64_t, double>;
struct SqlExpr {
  std::string sql;
  std::vector<SqlValue> binds;
};

// Appends `more` (its SQL and its values) to `to`.
SqlExpr& operator+=(SqlExpr& to, const SqlExpr& more);

// The JSON path of a field key in the stored record: custom.vat_id ->
// $."custom"."vat_id" (bound as a value, never spliced).
std::string json_path(std::string_view key);

// The SQL of the computed field `score`: the lead_scoring rules of config.yaml,
// which the query layer compiles (index::lead_score_sql). The caller hands it
// with each query that may use score, and it is called only when score is used;
// none given means no rules (score is 0).
using LeadScore = std::function<SqlExpr()>;

struct ListQuery {
  std::vector<std::string> tags;   // every tag must be present (case-insensitive)
  std::optional<std::string> stage;
  std::vector<Condition> conditions; // all must hold
  SqlExpr where;                     // a compiled --where (index/filter_sql.hpp); empty: none
  std::string sort = "name";       // a field key; leading '-' = descending
  std::optional<std::size_t> limit;
  LeadScore lead_score;              // for a sort or a column on score
};

struct SearchHit {
  std::string type; // record type name ("contact", "activity"...)
  std::string id;
  std::vector<std::pair<std::string, std::string>> texts; // searchable fields: key, text as stored
  double rank = 0;  // bm25: lower is better
};

// A failure of the index's database as the user reads it: what went wrong and
// what to do about it. Index calls throw these as exceptions of the database
// library; failure_of tells them from others (nullopt for any other exception).
struct Failure {
  std::string message; // "index error: ..." or "no space left on device for the index ..."
  std::string hint;
};
std::optional<Failure> failure_of(const std::exception& e);

class Index {
public:
  struct Impl; // the connection and its caches (index_impl.hpp, for lib/index only)

  explicit Index(const store::Workspace& workspace);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Brings the index up to date with the files.
  RefreshStats refresh();
  // The last refresh could not write for a full disk: the index is as it was
  // (it may miss a change made by hand since).
  bool stale() const;
  // Forgets everything and reads every record file again.
  RefreshStats rebuild();

  // Temp files of writers (relative paths) that the last refresh walked past.
  const std::vector<std::string>& temp_files() const;

  // Files that could not be indexed, as of the last refresh.
  std::vector<BrokenFile> broken_files() const;
  Status status() const;

  // Records a file crm itself just wrote (or removed), so the next refresh does
  // not read it again.
  // `content`: the file's text when the caller has it (saves reading it back).
  void put(const model::RecordType& type, const model::Record& record, const std::string& relpath,
           const std::string* content = nullptr);
  // put() for a file another thread is still writing, inside a Bulk: the record
  // is indexed now, and written() gives the file's stat once it is on disk (before
  // the Bulk's next checkpoint or finish, which refuse to run without it).
  // `is_new`: the caller knows no file holds the id and none is at `relpath`
  // (the lookups that would find and forget them are skipped).
  void put_unwritten(const model::RecordType& type, const model::Record& record, const std::string& relpath,
                     const std::string& content, bool is_new = false);
  void written(const std::string& relpath, const struct ::stat& st);
  void drop(const std::string& relpath);

  // Many puts and drops in one transaction (import writes thousands of records):
  // while a Bulk lives, put and drop join its transaction; checkpoint() commits
  // what is done so far (the WAL stays small) and goes on. Destroyed without
  // finish(), the open part is rolled back: the files are the truth, and the next
  // refresh reads what the index missed.
  class Bulk {
  public:
    explicit Bulk(Index& index);
    ~Bulk();
    Bulk(const Bulk&) = delete;
    Bulk& operator=(const Bulk&) = delete;
    void checkpoint();
    void finish();

  private:
    Index& index_;
    bool open_ = false;
  };

  std::optional<model::Record> get(const model::RecordType& type, const std::string& id) const;
  // Gives disk space back after a large change was taken back (a failed import on
  // a full disk): the write-ahead log is checkpointed and truncated, free pages
  // returned. Never throws.
  void release_space() noexcept;

  // The file that holds record `id` (relative), when indexed. A row naming a file
  // that cannot be the record's (store::is_record_relpath) makes the index rebuild
  // itself first; Error(io) when that cannot be done now (in a bulk write).
  std::optional<std::string> path_of(const model::RecordType& type, const std::string& id) const;
  // Index rows whose path cannot be their record's file (a damaged or planted
  // index), each as what a person reads: "contact 'ana' is in '../x.yaml'".
  std::vector<std::string> untrusted_paths() const;
  // The computed fields (index/computed.hpp) of one record, absent ones left out.
  model::Record computed_values(const model::RecordType& type, const std::string& id,
                                const LeadScore& lead_score = {}) const;
  // Full-text search over names, notes, summaries and feedback: every word of
  // `query` must match the start of a word (case, accents and marks folded, in
  // any script; the words may be in different fields). Best first, at most `limit`.
  std::vector<SearchHit> search(const std::string& query, std::size_t limit) const;
  bool exists(const model::RecordType& type, const std::string& id) const;
  std::vector<model::Record> list(const model::RecordType& type, const ListQuery& query) const;
  // The matching records, streamed: each one's stored JSON text (whole, or with
  // `projection` a JSON array of just those keys' values, dotted keys reaching into
  // maps), without building them all in memory.
  void each(const model::RecordType& type, const ListQuery& query, const std::vector<std::string>* projection,
            const std::function<void(std::string_view)>& on_json) const;
  // Same, as records holding only `columns` (absent values left out).
  void each_projected(const model::RecordType& type, const ListQuery& query, const std::vector<std::string>& columns,
                      const std::function<void(model::Record&&)>& on_record) const;

  // Every record a REF could mean, by exact id, email, phone (E.164 in `region`)
  // and folded name; when none matches exactly, by id prefix; when nothing
  // matches at all, the contact whose merged_ids holds it.
  std::vector<Candidate> resolve(const model::RecordType& type, const std::string& ref) const;

  // Ids of records whose `key` (an indexed field) equals `value`.
  std::vector<std::string> ids_where(const model::RecordType& type, std::string_view key,
                                     const std::string& value) const;
  // What import matches rows by (unsorted: callers sort or count):
  // records of `type` with an email of this key (contact_point::email_key),
  std::vector<std::string> ids_with_email(const model::RecordType& type, const std::string& email_key) const;
  // with this phone (E.164),
  std::vector<std::string> ids_with_phone(const model::RecordType& type, const std::string& e164) const;
  // contacts of this folded name at this company (empty: at none),
  std::vector<std::string> contacts_named(const std::string& sort_key, const std::string& company_id) const;
  // and whether a sale or activity of this contact has custom.import_key = `key`.
  bool has_import_key(const model::RecordType& type, const std::string& contact_id, const std::string& key) const;

  // The SQL for a field of `type` in a query on its table: its column, its
  // computed expression, or its value in the stored JSON. `numeric` (when given)
  // says whether it holds numbers (integers, money in minor units, counts).
  SqlExpr field_sql(const model::RecordType& type, const std::string& key, bool* numeric,
                    const LeadScore& lead_score = {}) const;
  // An SQL expression for a computed field of `type` (index/computed.hpp), ready
  // to use in a query on `type`'s table; prepares what it needs (the RFM table).
  SqlExpr computed_expr(const model::RecordType& type, const ComputedField& field,
                        const LeadScore& lead_score = {}) const;
  // Is `key` a custom field of any record of `type`?
  bool has_custom_key(const model::RecordType& type, const std::string& key) const;
  // Does any record of `type` hold a value at `key` (dotted: into a map)?
  bool has_key(const model::RecordType& type, const std::string& key) const;
  // The keys records of `type` hold in the map field `map_key` (custom, social),
  // or with `map_key` empty the top-level keys no field declares; sorted.
  std::vector<std::string> keys_in_use(const model::RecordType& type, const std::string& map_key) const;
  // "no USD rate on or before ... in rates.yaml" for every conversion that had no
  // rate since this Index was opened.
  std::vector<std::string> missing_rates() const;

private:
  friend struct IndexAccess; // index_impl.hpp: the connection, for lib/index's own files
  SqlExpr list_sql(const model::RecordType& type, const ListQuery& q, const SqlExpr& what) const;

  std::unique_ptr<Impl> impl_;
};

} // namespace crm::index
