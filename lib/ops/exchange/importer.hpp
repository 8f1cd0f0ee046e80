#pragma once
// The Importer: one run of `crm import`, which the CSV and vCard readers
// (import.cpp) hand their rows to. Internal to the import files. Its members are
// defined by what they do:
//   importer.cpp      the run: rejects, journaled writes, finishing, taking back
//   import_rows.cpp   a row: the upsert of a contact or company, a sale or activity
//   import_match.cpp  which record a row is, and what a dry run plans

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "ops/exchange/import.hpp"
#include "ops/exchange/import_columns.hpp"
#include "ops/exchange/import_journal.hpp"
#include "ops/records/records.hpp"
#include "ops/records/session.hpp"
#include "util/error.hpp"
#include "util/write_behind.hpp"

namespace crm::ops::import_impl {

// A record's text field, "" when it has none.
std::string text_of(const Json& rec, const char* key);

// A set of 64-bit hashes in one flat table (open addressing, at most half full):
// 16 bytes an entry where std::unordered_set takes about 48, which is most of an
// import's memory growth at a million rows.
class HashSet {
public:
  // True when `h` was not in the set yet.
  bool insert(std::uint64_t h) {
    if (h == 0) h = 1; // 0 marks an empty slot
    if (2 * (size_ + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix(h) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }

private:
  // The table takes the low bits: spread every bit of `h` into them (splitmix64).
  static std::size_t mix(std::uint64_t h) {
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), 0);
    size_ = 0;
    for (const auto h : old)
      if (h != 0) insert(h);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

class Importer {
public:
  // importer.cpp
  Importer(Session& session, const ImportOptions& options, const RecordType& type, const ImportListener& listener,
           Json journal_header);

  const RecordType& type() const { return type_; }
  ImportSummary& summary() { return summary_; }

  void reject(std::size_t row, const std::string& where, const std::string& reason, std::string_view raw);
  void reject_at(std::size_t line, const std::string& location, const std::string& reason, std::string_view raw);
  void journal_write(std::size_t row, const RecordType& t, const std::string& id, const std::string& relpath,
                     const std::string& content);
  void finish();
  void on_error(const Error& e);

  // import_rows.cpp
  void upsert(std::size_t row, const RowChanges& rc, const std::optional<ops::CardPhoto>& photo = std::nullopt);
  void add_event(std::size_t row, const std::vector<Assignment>& changes, const std::string& key);

private:
  // importer.cpp
  void take_back();
  void write(std::size_t row, const RecordType& type, const Record& rec, const std::string* before_text);
  Record read_matched(const std::string& id, const std::string& relpath, std::string& text);
  std::string current_text(const std::string& relpath);
  void settle();
  void write_photo(std::size_t row, const std::string& id, const ops::CardPhoto& photo);
  void count_write();

  // import_match.cpp
  bool is_company_id(const std::string& cell);
  std::vector<std::string> ids_by_sort_key(const RecordType& type, const std::string& name);
  std::optional<std::string> one_of(std::vector<std::string> ids, const std::string& how, const std::string& what);
  std::optional<std::string> find_match(const RowChanges& rc, const std::string& company_id, bool new_company);
  void refuse_unreadable_file(const std::string& id);
  void remember(const Record& rec);
  std::string company_for(std::size_t row, const std::string& name);

  Session& session_;
  const ImportOptions& options_;
  const RecordType& type_;
  const ImportListener& listener_;
  RecordChanges changes_;
  Journal journal_;
  std::optional<index::Index::Bulk> bulk_;
  // Record files and their journal lines are written on a second thread; the
  // text of those not yet settled is kept here for later rows that read them.
  std::optional<fs::WriteBehind> writer_;
  std::unordered_map<std::string, std::string> queued_;
  ImportSummary summary_;
  std::size_t writes_ = 0;
  // Dry run: what would have been written, so later rows of the file match it.
  std::unordered_map<std::string, Record> planned_;
  std::unordered_map<std::string, std::string> planned_emails_, planned_phones_, planned_names_;
  std::unordered_set<std::string> seen_keys_;
  // Files the index could not read, by relative path (when this run started).
  std::unordered_set<std::string> unreadable_;
  // Records this run created or matched (hashes of their ids: 1M rows stay small).
  HashSet touched_;
};

} // namespace crm::ops::import_impl
