#include "ops/exchange/importer.hpp"

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "index/index.hpp"
#include "ops/exchange/import_journal.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {
using namespace import_impl;

namespace {

// Queued file writes are waited for every so many records, which keeps the
// queue's memory flat however long the input.
constexpr std::size_t settle_every = 2000;
// Index writes are committed fifty times less often: each commit writes every
// page it dirtied to the WAL, and with ids in random order that is most of the
// index. A killed import loses at most this many rows' index work, which the
// next command reads back from the files. (Every 20 000 took about 10% longer
// at 100k rows; every 100 000 peaks about 17 MB higher: 113 MB at 1M in all.)
constexpr std::size_t commit_every = 100000;

} // namespace

namespace import_impl {

Importer::Importer(Session& session, const ImportOptions& options, const RecordType& type, const ImportListener& listener,
                   Json journal_header)
    : session_(session), options_(options), type_(type), listener_(listener), changes_(session, type),
      journal_(session, std::move(journal_header)) {
  if (!options_.dry_run) {
    session_.journal_changes(false); // the import journal says what each row wrote
    session_.lock_for_writing();
    bulk_.emplace(session_.index());
    writer_.emplace([this](const std::string& line) { journal_.write_text(line); });
  }
  for (auto& file : session_.index().broken_files()) unreadable_.insert(std::move(file.path));
}

// A row that cannot be imported. In abort mode everything written so far is
// taken back and the error names the row.
void Importer::reject(std::size_t row, const std::string& where, const std::string& reason, std::string_view raw) {
  ++summary_.rejected;
  if (options_.on_error == OnError::abort) {
    take_back();
    throw Error(ErrorKind::invalid_data,
                where.empty() ? fmt::format("{}: {}", options_.source, reason)
                              : fmt::format("{}: {}: {}", options_.source, where, reason),
                {options_.dry_run ? "nothing would be imported"
                                  : "nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"});
  }
  if (options_.rejects) {
    options_.rejects(raw);
    options_.rejects("\n");
  }
  ImportEvent e;
  e.action = ImportEvent::Action::reject;
  e.row = row;
  e.type = std::string(type_.name);
  e.reason = where.empty() ? reason : fmt::format("{}: {}", where, reason);
  listener_(e);
}

// reject for a source that names lines: the error is "LOCATION: REASON"
// (LOCATION "FILE:10"), so the place is said once; nothing goes to the rejects
// file when `raw` is empty (text that was not a card).
void Importer::reject_at(std::size_t line, const std::string& location, const std::string& reason, std::string_view raw) {
  ++summary_.rejected;
  if (options_.on_error == OnError::abort) {
    take_back();
    throw Error(ErrorKind::invalid_data, fmt::format("{}: {}", location, reason),
                {options_.dry_run ? "nothing would be imported"
                                  : "nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"});
  }
  if (options_.rejects && !raw.empty()) options_.rejects(raw);
  ImportEvent e;
  e.action = ImportEvent::Action::reject;
  e.row = line;
  e.type = std::string(type_.name);
  e.location = location;
  e.reason = reason;
  listener_(e);
}

// The journal line of a file a sale or activity row is about to write.
void Importer::journal_write(std::size_t row, const RecordType& t, const std::string& id, const std::string& relpath,
                             const std::string& content) {
  const auto abs = session_.workspace().absolute(relpath);
  std::error_code ec;
  journal_.write_text(stdfs::exists(abs, ec) ? journal_.updated_line(row, t, id, relpath, fs::read_file(abs), content)
                                             : journal_.created_line(row, t, id, relpath, content));
}

void Importer::finish() {
  if (options_.dry_run) return;
  settle();
  bulk_->finish();
  journal_.finish(summary_);
  journal_.close();
  summary_.batch = journal_.batch();
  if (summary_.batch.empty()) return;
  fs::sync_file_system(session_.workspace().root());
  // What the batch says it wrote, for git and the hooks; taken back whole if the
  // command fails after all (a pre-write hook refuses it).
  const std::string batch = summary_.batch;
  Session& session = session_;
  session.describe_as(fmt::format("{} created, {} updated (batch {})", summary_.created, summary_.updated, batch));
  session.add_changes([&session, batch] { return batch_changes(session, batch); });
  session.add_written_path(".crm/imports/" + batch + ".jsonl");
  session.on_take_back([&session, batch] {
    const auto path = journal_path(session, batch);
    revert(session, read_journal(path), batch, true);
    fs::remove_file(path);
    std::error_code ec;
    stdfs::remove(imports_dir(session), ec);
    return std::vector<std::string>{};
  });
  session.run_after("post-import", {{"batch", batch},
                                    {"created", summary_.created},
                                    {"updated", summary_.updated},
                                    {"unchanged", summary_.unchanged},
                                    {"rejected", summary_.rejected}});
}

// After an I/O error (a full disk, a failing write): what this run wrote is
// taken back, as for a rejected row, and the error says so; should taking back
// fail too, it says how to finish it. Other errors are left to the caller.
void Importer::on_error(const Error& e) {
  if (e.kind() != ErrorKind::io || options_.dry_run) return;
  const std::string batch = journal_.batch();
  try {
    take_back();
  } catch (const std::exception& again) { // a file or the index failed again
    if (!dynamic_cast<const Error*>(&again) && !index::failure_of(again)) throw;
    std::vector<std::string> hints = e.hints();
    hints.push_back(fmt::format("taking back what was written failed too ({})", again.what()));
    hints.push_back(fmt::format("once the cause is fixed, 'crm import undo {} --force' takes it back", batch));
    throw Error(ErrorKind::io, e.what(), hints);
  }
  std::vector<std::string> hints = e.hints();
  hints.push_back("nothing was imported: what the import had written was taken back");
  throw Error(ErrorKind::io, e.what(), hints);
}

// Takes back what this run wrote (abort mode).
void Importer::take_back() {
  if (options_.dry_run) return;
  try {
    settle();
    bulk_->finish();
  } catch (...) { // an I/O error in the files or the index
    bulk_.reset(); // rolled back: the next refresh reads whatever is on disk
  }
  journal_.close();
  if (journal_.batch().empty()) return;
  const auto path = journal_path(session_, journal_.batch());
  revert(session_, read_journal(path), journal_.batch(), true);
  fs::remove_file(path);
  std::error_code ec;
  stdfs::remove(imports_dir(session_), ec); // only when empty: the first import leaves no trace
  session_.index().release_space(); // what the index grew by (a full disk needs it back)
}

// Journals, then writes a checked record (synced once at the end of the run).
void Importer::write(std::size_t row, const RecordType& type, const Record& rec, const std::string* before_text) {
  const std::string id = text_of(rec, "id");
  const Record ordered = model::in_field_order(type, rec);
  const std::string content = store::render_record(type, ordered);
  auto& index = session_.index();
  // A new record (no `before_text`) has neither a file nor index rows yet: its
  // id was checked when the row was matched.
  const bool is_new = before_text == nullptr;
  const std::string relpath = is_new ? session_.workspace().record_relpath(type, id).string()
                                     : index.path_of(type, id).value_or(session_.workspace().record_relpath(type, id).string());
  std::string line = before_text ? journal_.updated_line(row, type, id, relpath, *before_text, content)
                                 : journal_.created_line(row, type, id, relpath, content);
  writer_->submit({std::move(line), session_.workspace().writable(relpath), content, relpath});
  index.put_unwritten(type, ordered, relpath, content, is_new);
  queued_[relpath] = content;
  count_write();
}

// The record a row matched, from its file (whose text goes to `text`).
Record Importer::read_matched(const std::string& id, const std::string& relpath, std::string& text) {
  text = current_text(relpath);
  auto parsed = store::parse_record(type_, text, relpath);
  if (!parsed.problems.empty())
    throw Error(ErrorKind::invalid_data, fmt::format("matches '{}', whose file has a problem: {}:{}: {}", id, relpath,
                                                     parsed.problems.front().line, parsed.problems.front().message));
  return std::move(parsed.record);
}

// A file's text as this run left it, written yet or not.
std::string Importer::current_text(const std::string& relpath) {
  if (auto it = queued_.find(relpath); it != queued_.end()) return it->second;
  return store::read_yaml_text(session_.workspace().absolute(relpath));
}

// Waits for the queued writes and gives the index their files' stats.
void Importer::settle() {
  if (!writer_) return;
  const auto done = writer_->wait();
  // A file written twice (a person on two rows) counts as its last write.
  std::unordered_set<std::string_view> seen;
  for (auto it = done.rbegin(); it != done.rend(); ++it)
    if (!it->key.empty() && seen.insert(it->key).second) session_.index().written(it->key, it->st);
  queued_.clear();
}

void Importer::write_photo(std::size_t row, const std::string& id, const ops::CardPhoto& photo) {
  const std::string relpath = fmt::format("files/{}/photo.{}", id, photo.extension.empty() ? "bin" : photo.extension);
  const auto abs = session_.workspace().writable(relpath);
  std::error_code ec;
  if ((queued_.count(relpath) || stdfs::exists(abs, ec)) && current_text(relpath) == photo.bytes) return;
  writer_->submit({journal_.created_line(row, model::contact_type(), id, relpath, photo.bytes), abs, photo.bytes, ""});
  queued_[relpath] = photo.bytes;
}

void Importer::count_write() {
  if (++writes_ % settle_every == 0 && bulk_) {
    settle();
    if (writes_ % commit_every == 0) bulk_->checkpoint();
  }
}

} // namespace import_impl

} // namespace crm::ops
