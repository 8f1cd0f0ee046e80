#pragma once
// The journal of an import batch, .crm/imports/BATCH.jsonl: written by the
// importer as it goes, read back by `import list`, by `import undo` and by a run
// that takes back what it wrote. Internal to the import files; the commands use
// import.hpp.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record_type.hpp"
#include "ops/exchange/import.hpp"
#include "ops/records/session.hpp"

namespace crm::ops::import_impl {

namespace stdfs = std::filesystem;
using model::Record;
using model::RecordType;
using Json = nlohmann::ordered_json;

// FNV-1a 64 of `data`, as 16 hex digits: what the journal says a file held.
std::string content_hash(std::string_view data);

stdfs::path imports_dir(Session& session);
stdfs::path journal_path(Session& session, const std::string& batch);

// The journal of a batch: one JSON line per file the import wrote, appended
// before the write, so that undo (and a run killed half way) knows every file the
// batch touched. An append-only log is the one file crm does not write through
// AtomicFile: rewriting it whole for each record would cost O(n^2).
class Journal {
public:
  Journal(Session& session, Json header) : session_(session), header_(std::move(header)) {}
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The batch is made on the first write: an import that changes nothing leaves
  // no trace.
  const std::string& batch() const { return batch_; }

  std::string created_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
                           const std::string& content);
  std::string updated_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
                           const std::string& before, const std::string& after);
  void write_text(std::string_view rest);
  void finish(const ImportSummary& s);
  void close();

private:
  void open();
  void append(const Json& line);
  static std::string line_text(const Json& line);
  std::string entry_start(std::size_t row, std::string_view action, const RecordType& type, const std::string& id,
                          const std::string& relpath, const std::string& content);
  static void append_json_string(std::string& out, std::string_view text);
  void write_line(const Json& line);

  Session& session_;
  Json header_;
  std::string batch_;
  int fd_ = -1;
};

struct JournalEntry {
  std::string action, type, id, path, hash, before;
};

struct JournalFile {
  Json header;
  std::vector<JournalEntry> entries;
  bool complete = false;
  std::string undone;
  std::size_t created = 0, updated = 0;
};

JournalFile read_journal(const stdfs::path& path);

// Puts back what the journal's entries wrote, newest first. Returns the counts.
// With `journal_files`, each file is noted in the session's change journal first
// (so that a pre-write hook's refusal takes the undo back); `done`, when given,
// gets each file changed.
UndoResult revert(Session& session, const JournalFile& j, const std::string& batch, bool force,
                  bool journal_files = false, std::vector<Change>* done = nullptr);

// The changes a batch's journal lists (a file written twice: once), for the
// description of the import (ops/records/write_description.hpp).
std::vector<Change> batch_changes(Session& session, const std::string& batch);

} // namespace crm::ops::import_impl
