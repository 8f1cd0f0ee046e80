#include "ops/exchange/import_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "ops/exchange/import.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
using namespace import_impl;

namespace import_impl {

std::string content_hash(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull; // FNV-1a 64
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

stdfs::path imports_dir(Session& session) { return session.workspace().crm_dir() / "imports"; }

stdfs::path journal_path(Session& session, const std::string& batch) {
  return imports_dir(session) / (batch + ".jsonl");
}

} // namespace import_impl

namespace {

bool is_valid_batch(std::string_view batch) {
  return !batch.empty() && batch.size() < 64 &&
         std::all_of(batch.begin(), batch.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

// A journal line may name only a file the import could have written: record
// `id`'s own file, or one in its files/<id>/ folder. A journal comes with the
// workspace (a git pull can bring one): undo must not touch anything else.
bool is_journaled_path_allowed(const JournalEntry& e) {
  const RecordType* type = model::find_type(e.type);
  if (!type || e.id.empty() || e.id.find('/') != std::string::npos || e.id == "." || e.id == "..") return false;
  return store::is_record_relpath(*type, e.id, e.path) ||
         (store::is_plain_relpath(e.path) && e.path.starts_with("files/" + e.id + "/"));
}

} // namespace

namespace import_impl {

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

// The line for a file about to be created or changed. Making the first line
// starts the batch (its journal file and header).
// Written out by hand: building a JSON object for each of 100k lines cost
// more than writing them.
std::string Journal::created_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
                                  const std::string& content) {
  std::string line = entry_start(row, "create", type, id, relpath, content);
  line += "}\n";
  return line;
}

std::string Journal::updated_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
                                  const std::string& before, const std::string& after) {
  // The journal is JSON, which holds UTF-8 only: a file that is not cannot be
  // taken back by undo, so it is not changed.
  if (!text::is_valid_utf8(before))
    throw Error(ErrorKind::invalid_data, fmt::format("'{}' is not valid UTF-8: not changed", relpath));
  std::string line = entry_start(row, "update", type, id, relpath, after);
  line += ",\"before\":";
  append_json_string(line, before);
  line += "}\n";
  return line;
}

// Appends a line made by created_line() or updated_line() (from any one thread).
void Journal::write_text(std::string_view rest) {
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::io, fmt::format("cannot write the import journal: {}", std::strerror(errno)));
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

void Journal::finish(const ImportSummary& s) {
  if (fd_ < 0) return;
  append({{"done", time::format_timestamp(time::now())}, {"created", s.created}, {"updated", s.updated},
          {"unchanged", s.unchanged}, {"rejected", s.rejected}});
}

void Journal::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Journal::open() {
  const auto dir = imports_dir(session_);
  std::error_code ec;
  stdfs::create_directories(dir, ec);
  const auto now = time::now();
  const std::string stamp = time::format_timestamp(now);
  // 2026-11-25T10:30:00+02:00 -> 20261125-103000-k7q2: sorts by time, no clash.
  std::string digits;
  for (char c : stamp.substr(0, 19))
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  batch_ = fmt::format("{}-{}-{}", digits.substr(0, 8), digits.substr(8, 6), random_token(4));
  const auto path = journal_path(session_, batch_);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("cannot create '{}': {}", path.string(), std::strerror(errno)));
  header_["batch"] = batch_;
  header_["at"] = stamp;
  header_["started_ns"] = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  write_line(header_);
}

void Journal::append(const Json& line) {
  if (fd_ < 0) open();
  write_line(line);
}

std::string Journal::line_text(const Json& line) { return line.dump() + "\n"; }

std::string Journal::entry_start(std::size_t row, std::string_view action, const RecordType& type, const std::string& id,
                                 const std::string& relpath, const std::string& content) {
  if (fd_ < 0) open();
  std::string line = fmt::format("{{\"row\":{},\"action\":\"{}\",\"type\":", row, action);
  append_json_string(line, type.name);
  line += ",\"id\":";
  append_json_string(line, id);
  line += ",\"path\":";
  append_json_string(line, relpath);
  line += fmt::format(",\"hash\":\"{}\"", content_hash(content));
  return line;
}

// A JSON string as nlohmann::json writes it: UTF-8 kept, control characters,
// quotes and backslashes escaped.
void Journal::append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      else out += c;
    }
  }
  out += '"';
}

void Journal::write_line(const Json& line) { write_text(line_text(line)); }

JournalFile read_journal(const stdfs::path& path) {
  JournalFile j;
  const std::string shown = ".crm/imports/" + path.filename().string(); // as the user finds it
  const std::string text = fs::read_file(path);
  std::size_t start = 0, line_no = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_no;
    if (line.empty()) continue;
    Json v = Json::parse(line, nullptr, false);
    if (v.is_discarded() || !v.is_object()) {
      // A run killed mid-line leaves a torn last line; anything else is damage.
      if (start >= text.size()) break;
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: bad journal line", shown, line_no));
    }
    if (line_no == 1) {
      j.header = v;
    } else if (v.contains("action")) {
      JournalEntry e;
      try {
        e = {v.value("action", ""), v.value("type", ""), v.value("id", ""), v.value("path", ""),
             v.value("hash", ""), v.value("before", "")};
      } catch (const Json::exception&) { // a value that is not a string
        throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: bad journal line", shown, line_no));
      }
      if (!is_journaled_path_allowed(e))
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: the journal names '{}', which is not a file of {} '{}'", shown, line_no,
                                e.path, e.type, e.id),
                    {"the journal was damaged or edited: nothing was taken back"});
      (e.action == "create" ? j.created : j.updated) += 1;
      j.entries.push_back(std::move(e));
    } else if (v.contains("done")) {
      j.complete = true;
    } else if (v.contains("undone")) {
      j.undone = v.value("undone", "");
    }
  }
  return j;
}

namespace {

// A journal entry as a change; files/ID/... is a file of record ID.
Change change_of(const JournalEntry& e, ChangeAction action) {
  Change c;
  c.action = action;
  c.type = e.path.starts_with("files/") ? "file" : e.type;
  c.id = e.id;
  c.path = e.path;
  return c;
}

} // namespace

std::vector<Change> batch_changes(Session& session, const std::string& batch) {
  std::vector<Change> out;
  std::set<std::string> seen;
  for (const auto& e : read_journal(journal_path(session, batch)).entries)
    if (seen.insert(e.path).second)
      out.push_back(change_of(e, e.action == "create" ? ChangeAction::create : ChangeAction::update));
  return out;
}

UndoResult revert(Session& session, const JournalFile& j, const std::string& batch, bool force, bool journal_files,
                  std::vector<Change>* done) {
  // A file touched twice by the batch (a row repeated) must hold what the
  // batch last wrote there.
  std::map<std::string, const JournalEntry*> last;
  for (const auto& e : j.entries) last[e.path] = &e;
  std::vector<std::string> changed;
  for (const auto& [path, e] : last) {
    const auto abs = session.workspace().absolute(path);
    std::error_code ec;
    if (!stdfs::exists(abs, ec)) continue; // removed since: nothing to take back
    const std::string now = content_hash(fs::read_file(abs));
    // Still what it held before the last write: a run killed between the journal
    // line and the file (the write never happened) changed nothing here.
    const bool never_written = e->action == "update" && now == content_hash(e->before);
    if (now != e->hash && !never_written) changed.push_back(path);
  }
  if (!changed.empty() && !force) {
    std::vector<std::string> hints = {"changed since the import:"};
    for (const auto& p : changed) hints.push_back("  " + p);
    hints.push_back(fmt::format("'crm import undo {} --force' reverts them anyway (their later changes are lost)", batch));
    throw Error(ErrorKind::conflict,
                fmt::format("{} {} changed since import '{}'", changed.size(), changed.size() == 1 ? "file" : "files", batch),
                hints);
  }
  UndoResult r;
  std::set<std::string> created_here;
  for (const auto& e : j.entries)
    if (e.action == "create") created_here.insert(e.path);
  // Removals first, then restores: on a full disk the removals make the room
  // the restores' temp files need.
  for (const bool removing : {true, false}) {
    for (auto it = j.entries.rbegin(); it != j.entries.rend(); ++it) {
      if ((it->action == "create") != removing) continue;
      const auto abs = session.workspace().writable(it->path);
      if (it->action == "create") {
        std::error_code ec;
        if (stdfs::exists(abs, ec)) {
          if (journal_files) session.note_write(it->path);
          fs::remove_file(abs);
          ++r.removed;
          if (done) done->push_back(change_of(*it, ChangeAction::remove));
        }
        // The folders the import made for it (sales/2026/11, files/<id>) go too,
        // when nothing else is in them; a type's own folder stays.
        for (auto dir = stdfs::path(it->path).parent_path(); dir.has_parent_path(); dir = dir.parent_path())
          if (!stdfs::remove(session.workspace().absolute(dir), ec)) break;
      } else if (!created_here.count(it->path)) {
        if (journal_files) session.note_write(it->path);
        fs::write_file_atomic(abs, it->before);
        ++r.restored;
        if (done) done->push_back(change_of(*it, ChangeAction::update));
      }
    }
  }
  session.index().refresh();
  return r;
}

} // namespace import_impl

std::vector<ImportBatch> list_imports(Session& session) {
  std::vector<ImportBatch> out;
  std::error_code ec;
  const auto dir = imports_dir(session);
  if (!stdfs::is_directory(dir, ec)) return out;
  std::vector<stdfs::path> files;
  for (const auto& entry : stdfs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::int64_t, ImportBatch>> batches;
  for (const auto& f : files) {
    const auto j = read_journal(f);
    ImportBatch b;
    b.id = f.stem().string();
    b.at = j.header.value("at", "");
    b.source = j.header.value("source", "");
    b.type = j.header.value("type", "");
    b.created = j.created;
    b.updated = j.updated;
    b.complete = j.complete;
    b.undone = j.undone;
    // In the order they ran (the clock in the id may be pinned by CRM_NOW).
    batches.emplace_back(j.header.value("started_ns", std::int64_t{0}), std::move(b));
  }
  std::stable_sort(batches.begin(), batches.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [ns, b] : batches) out.push_back(std::move(b));
  return out;
}

UndoResult undo_import(Session& session, const std::string& batch, bool force) {
  const auto path = journal_path(session, batch);
  std::error_code ec;
  if (!is_valid_batch(batch) || !stdfs::exists(path, ec))
    throw Error(ErrorKind::not_found, fmt::format("no import batch '{}'", batch), {"'crm import list' shows the batches"});
  session.lock_for_writing();
  const auto journal = read_journal(path);
  if (!journal.undone.empty())
    throw Error(ErrorKind::conflict, fmt::format("import '{}' was undone already ({})", batch, journal.undone));
  // A pre-write hook may refuse the undo: then its files come back through the
  // change journal (noted one by one only then: an undo of a big batch stays fast).
  std::vector<Change> done;
  const auto result = revert(session, journal, batch, force, session.runs_hook("pre-write"), &done);
  const std::string before = fs::read_file(path);
  const std::string line = Json{{"undone", time::format_timestamp(time::now())}}.dump() + "\n";
  fs::write_file_atomic(path, before + line);
  session.describe_as(fmt::format("{} ({} removed, {} restored)", batch, result.removed, result.restored));
  session.add_changes([done = std::move(done)] { return done; });
  session.add_written_path(".crm/imports/" + batch + ".jsonl");
  session.on_take_back([path, before] {
    fs::write_file_atomic(path, before);
    return std::vector<std::string>{};
  });
  return result;
}

} // namespace crm::ops
