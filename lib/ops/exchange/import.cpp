#include "ops/exchange/import.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <exception>
#include <future>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include "format/vcard.hpp"
#include "model/record_type.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "ops/exchange/import_columns.hpp"
#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/sales/sale.hpp"
#include "store/record_file.hpp"
#include "util/contact_point.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "util/write_behind.hpp"

namespace crm::ops {
namespace {

namespace stdfs = std::filesystem;
using model::Record;
using model::RecordType;
using Json = nlohmann::ordered_json;

// Queued file writes are waited for every so many records, which keeps the
// queue's memory flat however long the input.
constexpr std::size_t settle_every = 2000;
// Index writes are committed fifty times less often: each commit writes every
// page it dirtied to the WAL, and with ids in random order that is most of the
// index. A killed import loses at most this many rows' index work, which the
// next command reads back from the files. (Every 20 000 took about 10% longer
// at 100k rows; every 100 000 peaks about 17 MB higher: 113 MB at 1M in all.)
constexpr std::size_t commit_every = 100000;

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

bool is_valid_batch(std::string_view batch) {
  return !batch.empty() && batch.size() < 64 &&
         std::all_of(batch.begin(), batch.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

// The journal of a batch: one JSON line per file the import wrote, appended
// before the write, so that undo (and a run killed half way) knows every file the
// batch touched. An append-only log is the one file crm does not write through
// AtomicFile: rewriting it whole for each record would cost O(n^2).
class Journal {
public:
  Journal(Session& session, Json header) : session_(session), header_(std::move(header)) {}
  ~Journal() {
    if (fd_ >= 0) ::close(fd_);
  }
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The batch is made on the first write: an import that changes nothing leaves
  // no trace.
  const std::string& batch() const { return batch_; }

  // The line for a file about to be created or changed. Making the first line
  // starts the batch (its journal file and header).
  // Written out by hand: building a JSON object for each of 100k lines cost
  // more than writing them.
  std::string created_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
                           const std::string& content) {
    std::string line = entry_start(row, "create", type, id, relpath, content);
    line += "}\n";
    return line;
  }
  std::string updated_line(std::size_t row, const RecordType& type, const std::string& id, const std::string& relpath,
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
  void write_text(std::string_view rest) {
    while (!rest.empty()) {
      const ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorKind::io, fmt::format("cannot write the import journal: {}", std::strerror(errno)));
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void finish(const ImportSummary& s) {
    if (fd_ < 0) return;
    append({{"done", time::format_timestamp(time::now())}, {"created", s.created}, {"updated", s.updated},
            {"unchanged", s.unchanged}, {"rejected", s.rejected}});
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

private:
  void open() {
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
  void append(const Json& line) {
    if (fd_ < 0) open();
    write_line(line);
  }
  static std::string line_text(const Json& line) { return line.dump() + "\n"; }
  std::string entry_start(std::size_t row, std::string_view action, const RecordType& type, const std::string& id,
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
  static void append_json_string(std::string& out, std::string_view text) {
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
  void write_line(const Json& line) { write_text(line_text(line)); }

  Session& session_;
  Json header_;
  std::string batch_;
  int fd_ = -1;
};

struct JournalEntry {
  std::string action, type, id, path, hash, before;
};

// A journal line may name only a file the import could have written: record
// `id`'s own file, or one in its files/<id>/ folder. A journal comes with the
// workspace (a git pull can bring one): undo must not touch anything else.
bool is_journaled_path_allowed(const JournalEntry& e) {
  const RecordType* type = model::find_type(e.type);
  if (!type || e.id.empty() || e.id.find('/') != std::string::npos || e.id == "." || e.id == "..") return false;
  return store::is_record_relpath(*type, e.id, e.path) ||
         (store::is_plain_relpath(e.path) && e.path.starts_with("files/" + e.id + "/"));
}

struct JournalFile {
  Json header;
  std::vector<JournalEntry> entries;
  bool complete = false;
  std::string undone;
  std::size_t created = 0, updated = 0;
};

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

// Puts back what the journal's entries wrote, newest first. Returns the counts.
UndoResult revert(Session& session, const JournalFile& j, const std::string& batch, bool force) {
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
          fs::remove_file(abs);
          ++r.removed;
        }
        // The folders the import made for it (sales/2026/11, files/<id>) go too,
        // when nothing else is in them; a type's own folder stays.
        for (auto dir = stdfs::path(it->path).parent_path(); dir.has_parent_path(); dir = dir.parent_path())
          if (!stdfs::remove(session.workspace().absolute(dir), ec)) break;
      } else if (!created_here.count(it->path)) {
        fs::write_file_atomic(abs, it->before);
        ++r.restored;
      }
    }
  }
  session.index().refresh();
  return r;
}

std::string text_of(const Json& rec, const char* key) {
  return rec.contains(key) && rec[key].is_string() ? rec[key].get<std::string>() : "";
}

// `current` with each line of `incoming` it does not hold yet added at its end.
std::string joined_lines(const std::string& current, const std::string& incoming) {
  const std::vector<std::string_view> have = text::split_lines(current);
  std::string out = current;
  for (const std::string_view line : text::split_lines(incoming)) {
    if (line.empty() || std::find(have.begin(), have.end(), line) != have.end()) continue;
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += line;
  }
  return out;
}

// The keys whose values differ, in field order.
std::vector<std::string> changed_keys(const Record& before, const Record& after) {
  std::vector<std::string> out;
  for (const auto& [key, value] : after.items())
    if (key != "updated" && (!before.contains(key) || before[key] != value)) out.push_back(key);
  for (const auto& [key, value] : before.items())
    if (!after.contains(key)) out.push_back(key);
  return out;
}

void keep_earlier_values(const Record& before, Record& after);

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
  Importer(Session& session, const ImportOptions& options, const RecordType& type, const ImportListener& listener,
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

  const RecordType& type() const { return type_; }
  ImportSummary& summary() { return summary_; }

  // A row that cannot be imported. In abort mode everything written so far is
  // taken back and the error names the row.
  void reject(std::size_t row, const std::string& where, const std::string& reason, std::string_view raw) {
    ++summary_.rejected;
    if (options_.on_error == OnError::abort) {
      take_back();
      throw Error(ErrorKind::invalid_data,
                  where.empty() ? fmt::format("{}: {}", options_.source, reason)
                                : fmt::format("{}: {}: {}", options_.source, where, reason),
                  {options_.dry_run ? "nothing would be imported"
                                    : "nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"});
    }
    if (options_.rejects) *options_.rejects << raw << '\n';
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
  void reject_at(std::size_t line, const std::string& location, const std::string& reason, std::string_view raw) {
    ++summary_.rejected;
    if (options_.on_error == OnError::abort) {
      take_back();
      throw Error(ErrorKind::invalid_data, fmt::format("{}: {}", location, reason),
                  {options_.dry_run ? "nothing would be imported"
                                    : "nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"});
    }
    if (options_.rejects && !raw.empty()) *options_.rejects << raw;
    ImportEvent e;
    e.action = ImportEvent::Action::reject;
    e.row = line;
    e.type = std::string(type_.name);
    e.location = location;
    e.reason = reason;
    listener_(e);
  }

  // An upsert of a contact or a company from one row's changes.
  void upsert(std::size_t row, const RowChanges& rc, const std::optional<ops::CardPhoto>& photo = std::nullopt) {
    if (text::trim(rc.name).empty())
      throw Error(ErrorKind::invalid_data, "no name", {"a name, first/last name or email column must have a value"});
    const bool person = type_.kind == model::RecordKind::contact;
    std::string company_id;
    bool new_company = false;
    if (person && !rc.company.empty() && is_company_id(rc.company)) {
      company_id = text::trim(rc.company); // crm's own export names a company by its id
    } else if (person && !rc.company.empty()) {
      const auto found = ids_by_sort_key(model::company_type(), rc.company);
      if (found.size() > 1)
        throw Error(ErrorKind::invalid_data,
                    fmt::format("company '{}' matches {} companies: {}", rc.company, found.size(), fmt::join(found, ", ")));
      if (found.size() == 1) {
        company_id = found.front();
      } else {
        new_company = true;
      }
    }
    std::optional<std::string> match;
    if (!rc.id.empty()) {
      if (!model::is_valid_id(rc.id)) throw Error(ErrorKind::invalid_data, fmt::format("bad id '{}'", rc.id));
      if (planned_.count(rc.id) || session_.index().exists(type_, rc.id)) match = rc.id;
      else refuse_unreadable_file(rc.id);
    }
    // A row with an id names its record: that one, or a new one with that id.
    if (!match && rc.id.empty()) match = find_match(rc, company_id, new_company);
    Record before = Record::object();
    std::string before_text, relpath;
    // The matched record as the index holds it decides whether the row changes
    // anything; its file is read only when it does (most rows of a re-run do not,
    // and parsing YAML costs several times reading the indexed JSON).
    bool read_from_file = false;
    if (match) {
      if (auto planned = planned_.find(*match); planned != planned_.end()) {
        before = planned->second;
      } else {
        relpath = *session_.index().path_of(type_, *match);
        if (auto indexed = session_.index().get(type_, *match)) {
          before = std::move(*indexed);
        } else {
          before = read_matched(*match, relpath, before_text);
          read_from_file = true;
        }
      }
    }
    // A person on several rows of one file: the first row sets the fields, later
    // ones only add (emails, phones, tags, notes, fields still empty). Otherwise a
    // second run would flip the fields back and forth and never be a no-op.
    const bool first_touch = !match || touched_.insert(std::hash<std::string>{}(*match));
    auto apply_row = [&](const Record& start) {
      Record rec = start;
      if (!match) {
        rec = Record::object();
        rec["id"] = "";
      }
      if (!match || !rc.name_from_email) rec["name"] = text::nfc(text::trim(rc.name));
      changes_.apply_all(rec, rc.changes);
      if (!first_touch) keep_earlier_values(start, rec);
      if (!rc.notes.empty()) {
        const std::string incoming = multiline_text(rc.notes);
        const std::string current = text_of(rec, "notes");
        if (current.find(text::trim(incoming)) == std::string::npos)
          rec["notes"] = current.empty() ? incoming : multiline_text(current + "\n\n" + incoming);
      }
      // Two cards of one person (or a card imported again after a change) each keep
      // what no field holds: the lines are joined, never replaced.
      if (!rc.vcard_extra.empty()) rec["vcard_extra"] = joined_lines(text_of(rec, "vcard_extra"), rc.vcard_extra);
      // A company named for the first time is created only once the contact has
      // passed its checks (which see a stand-in id), so a rejected row leaves none.
      if (person && !rc.company.empty()) rec["company"] = new_company ? std::string("company-to-create") : company_id;
      return rec;
    };
    Record rec = apply_row(before);

    ImportEvent e;
    e.row = row;
    e.type = std::string(type_.name);
    e.name = text_of(rec, "name");
    if (match) {
      auto fields = changed_keys(before, rec);
      if (!fields.empty() && !relpath.empty() && !read_from_file) {
        // A change: the journal needs the file's text, and a file with a problem
        // is not overwritten. Should the file say other than the index, it wins.
        Record on_disk = read_matched(*match, relpath, before_text);
        if (on_disk != before) {
          before = std::move(on_disk);
          rec = apply_row(before);
          fields = changed_keys(before, rec);
        }
      }
      if (fields.empty()) {
        ++summary_.unchanged;
        e.action = ImportEvent::Action::unchanged;
        e.id = *match;
        listener_(e);
        return;
      }
      e.action = ImportEvent::Action::update;
      e.fields = fields;
    } else {
      e.action = ImportEvent::Action::create;
      rec["id"] = rc.id.empty() ? new_record_id(session_, type_, "", text_of(rec, "name")) : rc.id;
    }
    const std::string stamp = time::format_timestamp(time::now());
    if (!match) rec["created"] = stamp;
    rec["updated"] = stamp;
    validate_record(type_, rec);
    if (new_company) rec["company"] = company_for(row, rc.company);
    const std::string id = text_of(rec, "id");
    if (options_.dry_run) {
      remember(rec);
    } else {
      write(row, type_, rec, match ? &before_text : nullptr);
      if (photo) write_photo(row, id, *photo);
    }
    if (match) ++summary_.updated;
    else ++summary_.created;
    if (!match) touched_.insert(std::hash<std::string>{}(id));
    e.id = options_.dry_run && !match ? "" : id;
    listener_(e);
  }

  // The journal line of a file a sale or activity row is about to write.
  void journal_write(std::size_t row, const RecordType& t, const std::string& id, const std::string& relpath,
                     const std::string& content) {
    const auto abs = session_.workspace().absolute(relpath);
    std::error_code ec;
    journal_.write_text(stdfs::exists(abs, ec) ? journal_.updated_line(row, t, id, relpath, fs::read_file(abs), content)
                                               : journal_.created_line(row, t, id, relpath, content));
  }

  // A sale or an activity: created unless a row with the same cells was imported
  // for the same contact before (its key is kept in custom.import_key).
  void add_event(std::size_t row, const std::vector<Assignment>& changes, const std::string& key) {
    std::map<std::string, std::string> v;
    std::vector<std::string> items;
    std::string product, quantity, price;
    std::map<std::string, std::string> custom; // --map COLUMN=custom.NAME, or a custom.NAME column
    for (const auto& c : changes) {
      if (c.key == "items") {
        // Several items in one cell: "Audit x 2 @ 40.00; Report".
        std::size_t start = 0;
        for (;;) {
          const auto semi = c.value.find(';', start);
          const std::string item = text::trim(std::string_view(c.value).substr(start, semi == std::string::npos ? semi : semi - start));
          if (!item.empty()) items.push_back(item);
          if (semi == std::string::npos) break;
          start = semi + 1;
        }
      }
      else if (c.key == "product") product = c.value;
      else if (c.key == "quantity") quantity = c.value;
      else if (c.key == "price") price = c.value;
      else if (c.key.starts_with("custom.")) custom[c.key.substr(7)] = c.value;
      else v[c.key] = c.value;
    }
    if (!product.empty())
      items.push_back(product + (quantity.empty() ? "" : " x " + quantity) + (price.empty() ? "" : " @ " + price));
    const std::string contact_ref = v["contact"];
    if (contact_ref.empty()) throw Error(ErrorKind::invalid_data, "no contact", {"a contact column names the customer: id, email, phone or name"});
    settle(); // record_sale and log_activity write here, not through writer_
    // Each file the row writes (the sale or activity, a follow-up) is journaled
    // just before it is written, like the contacts, so undo and a re-run after
    // a kill know it.
    struct RowLog final : WriteLog {
      Importer& importer;
      std::size_t row;
      std::size_t written = 0;
      RowLog(Importer& i, std::size_t r) : importer(i), row(r) {}
      void before_write(const RecordType& t, const std::string& id, const std::string& relpath,
                        const std::string& content) override {
        importer.journal_write(row, t, id, relpath, content);
        ++written;
      }
    } row_log(*this, row);
    WriteLog* log = options_.dry_run ? nullptr : &row_log;
    const Record contact = find_contact(session_, contact_ref);
    const std::string contact_id = text_of(contact, "id");
    if (seen_keys_.count(key) || session_.index().has_import_key(type_, contact_id, key)) {
      ++summary_.unchanged;
      listener_({ImportEvent::Action::unchanged, row, std::string(type_.name), "", text_of(contact, "name"), {}, "", ""});
      return;
    }
    auto opt = [&](const char* k) -> std::optional<std::string> {
      auto it = v.find(k);
      if (it == v.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    std::string id;
    if (type_.kind == model::RecordKind::sale) {
      SaleRequest req;
      req.ref = contact_id;
      req.items = items;
      req.currency = opt("currency");
      req.at = opt("at");
      req.paid_by = opt("paid_by");
      req.terms = opt("terms");
      req.discount = opt("discount");
      req.campaign = opt("campaign");
      req.note = opt("notes");
      for (const auto& [k, value] : custom) req.custom[k] = value;
      req.custom["import_key"] = key;
      req.check_only = options_.dry_run;
      req.log = log;
      id = record_sale(session_, req).id;
    } else {
      LogRequest req;
      req.kind = text::ascii_lower(v["kind"]);
      req.ref = contact_id;
      req.text = v.count("summary") ? v["summary"] : v["notes"];
      req.at = opt("at");
      req.direction = opt("direction");
      req.duration = opt("duration");
      req.outcome = opt("outcome");
      req.campaign = opt("campaign");
      for (const auto& [k, value] : custom) req.custom[k] = value;
      req.custom["import_key"] = key;
      req.check_only = options_.dry_run;
      req.log = log;
      id = log_activity(session_, req).activity_id;
    }
    seen_keys_.insert(key);
    for (; row_log.written > 0; --row_log.written) count_write();
    ++summary_.created;
    listener_({ImportEvent::Action::create, row, std::string(type_.name), options_.dry_run ? "" : id,
               text_of(contact, "name"), {}, "", ""});
  }

  void finish() {
    if (options_.dry_run) return;
    settle();
    bulk_->finish();
    journal_.finish(summary_);
    journal_.close();
    summary_.batch = journal_.batch();
    if (!summary_.batch.empty()) fs::sync_file_system(session_.workspace().root());
  }

  // After an I/O error (a full disk, a failing write): what this run wrote is
  // taken back, as for a rejected row, and the error says so; should taking back
  // fail too, it says how to finish it. Other errors are left to the caller.
  void on_error(const Error& e) {
    if (e.kind() != ErrorKind::io || options_.dry_run) return;
    const std::string batch = journal_.batch();
    try {
      take_back();
    } catch (const Error& again) {
      std::vector<std::string> hints = e.hints();
      hints.push_back(fmt::format("taking back what was written failed too ({})", again.what()));
      hints.push_back(fmt::format("once the cause is fixed, 'crm import undo {} --force' takes it back", batch));
      throw Error(ErrorKind::io, e.what(), hints);
    }
    std::vector<std::string> hints = e.hints();
    hints.push_back("nothing was imported: what the import had written was taken back");
    throw Error(ErrorKind::io, e.what(), hints);
  }

private:
  // Takes back what this run wrote (abort mode).
  void take_back() {
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

  bool is_company_id(const std::string& cell) {
    const std::string id = text::trim(cell);
    return model::is_valid_id(id) && session_.index().exists(model::company_type(), id);
  }

  std::vector<std::string> ids_by_sort_key(const RecordType& type, const std::string& name) {
    const std::string key = text::match_key(name);
    std::vector<std::string> out = session_.index().ids_where(type, "sort_key", key);
    if (options_.dry_run)
      if (auto it = planned_names_.find(std::string(type.name) + "\x1f" + key); it != planned_names_.end())
        out.push_back(it->second);
    return out;
  }

  std::optional<std::string> one_of(std::vector<std::string> ids, const std::string& how, const std::string& what) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) return std::nullopt;
    if (ids.size() > 1)
      throw Error(ErrorKind::invalid_data, fmt::format("{} '{}' matches {} {}: {}", how, what, ids.size(), type_.plural,
                                                       fmt::join(ids, ", ")),
                  {"merge them first (crm contact merge), or import this row by hand"});
    return ids.front();
  }

  // The existing record a row is the same as: by email, else phone, else name
  // (+ company for a contact).
  std::optional<std::string> find_match(const RowChanges& rc, const std::string& company_id, bool new_company) {
    for (const auto& email : rc.emails) {
      const std::string key = contact_point::email_key(email);
      auto ids = session_.index().ids_with_email(type_, key);
      if (auto it = planned_emails_.find(key); it != planned_emails_.end()) ids.push_back(it->second);
      if (auto m = one_of(ids, "email", email)) return m;
    }
    for (const auto& phone : rc.phones) {
      const auto e164 = contact_point::to_e164(phone, session_.workspace().config().region);
      if (!e164) continue;
      auto ids = session_.index().ids_with_phone(type_, *e164);
      if (auto it = planned_phones_.find(*e164); it != planned_phones_.end()) ids.push_back(it->second);
      if (auto m = one_of(ids, "phone", phone)) return m;
    }
    if (rc.name_from_email) return std::nullopt;
    const std::string key = text::match_key(rc.name);
    if (type_.name != "contact") return one_of(ids_by_sort_key(type_, rc.name), "name", rc.name);
    // No contact works for a company that does not exist yet.
    if (new_company) return std::nullopt;
    std::vector<std::string> ids = session_.index().contacts_named(key, company_id);
    if (auto it = planned_names_.find("contact\x1f" + key + "\x1f" + company_id); it != planned_names_.end())
      ids.push_back(it->second);
    return one_of(ids, "name", rc.name);
  }

  // An id the index does not know may still have a file: one that cannot be read
  // (a hand edit gone wrong). Writing over it would lose it, and undo would then
  // delete the row's file as one it created. The freshly refreshed index lists
  // every such file (unparsable, or holding another id or a duplicate one), so
  // no row needs to ask the disk.
  void refuse_unreadable_file(const std::string& id) {
    const auto relpath = session_.workspace().record_relpath(type_, id);
    if (!unreadable_.empty() && unreadable_.count(relpath.string()))
      throw Error(ErrorKind::invalid_data, fmt::format("id '{}' has a file that cannot be read: {}", id, relpath.string()),
                  {"fix the file ('crm doctor' shows its problem) or move it away, then import again"});
  }

  // A dry run keeps what it would have written, so later rows match it.
  void remember(const Record& rec) {
    const std::string id = text_of(rec, "id");
    planned_[id] = rec;
    if (rec.contains("emails"))
      for (const auto& e : rec["emails"]) planned_emails_[contact_point::email_key(e.value("address", ""))] = id;
    if (rec.contains("phones"))
      for (const auto& p : rec["phones"])
        if (p.contains("e164")) planned_phones_[p["e164"].get<std::string>()] = id;
    planned_names_["contact\x1f" + text::match_key(text_of(rec, "name")) + "\x1f" + text_of(rec, "company")] = id;
    if (type_.name != "contact") planned_names_[std::string(type_.name) + "\x1f" + text::match_key(text_of(rec, "name"))] = id;
  }

  // The id of the company a contact row names for the first time: created now
  // (or, in a dry run, planned).
  std::string company_for(std::size_t row, const std::string& name) {
    const auto& ct = model::company_type();
    if (options_.dry_run) {
      const std::string key = "company\x1f" + text::match_key(name);
      if (!planned_names_.count(key)) {
        planned_names_[key] = "(new) " + name;
        ++summary_.companies;
      }
      return planned_names_[key];
    }
    // A company a rejected row would have created is not created: this runs
    // only once the contact has passed its checks... except validation of the
    // contact needs a valid id, so the company is made first and is taken back
    // with the batch if the contact then fails.
    Record company = Record::object();
    company["id"] = new_record_id(session_, ct, "", name);
    company["name"] = text::nfc(text::trim(name));
    const std::string stamp = time::format_timestamp(time::now());
    company["created"] = stamp;
    company["updated"] = stamp;
    validate_record(ct, company);
    write(row, ct, company, nullptr);
    ++summary_.companies;
    return text_of(company, "id");
  }

  // Journals, then writes a checked record (synced once at the end of the run).
  void write(std::size_t row, const RecordType& type, const Record& rec, const std::string* before_text) {
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
  Record read_matched(const std::string& id, const std::string& relpath, std::string& text) {
    text = current_text(relpath);
    auto parsed = store::parse_record(type_, text, relpath);
    if (!parsed.problems.empty())
      throw Error(ErrorKind::invalid_data, fmt::format("matches '{}', whose file has a problem: {}:{}: {}", id, relpath,
                                                       parsed.problems.front().line, parsed.problems.front().message));
    return std::move(parsed.record);
  }

  // A file's text as this run left it, written yet or not.
  std::string current_text(const std::string& relpath) {
    if (auto it = queued_.find(relpath); it != queued_.end()) return it->second;
    return store::read_yaml_text(session_.workspace().absolute(relpath));
  }

  // Waits for the queued writes and gives the index their files' stats.
  void settle() {
    if (!writer_) return;
    const auto done = writer_->wait();
    // A file written twice (a person on two rows) counts as its last write.
    std::unordered_set<std::string_view> seen;
    for (auto it = done.rbegin(); it != done.rend(); ++it)
      if (!it->key.empty() && seen.insert(it->key).second) session_.index().written(it->key, it->st);
    queued_.clear();
  }

  void write_photo(std::size_t row, const std::string& id, const ops::CardPhoto& photo) {
    const std::string relpath = fmt::format("files/{}/photo.{}", id, photo.extension.empty() ? "bin" : photo.extension);
    const auto abs = session_.workspace().writable(relpath);
    std::error_code ec;
    if ((queued_.count(relpath) || stdfs::exists(abs, ec)) && current_text(relpath) == photo.bytes) return;
    writer_->submit({journal_.created_line(row, model::contact_type(), id, relpath, photo.bytes), abs, photo.bytes, ""});
    queued_[relpath] = photo.bytes;
  }

  void count_write() {
    if (++writes_ % settle_every == 0 && bulk_) {
      settle();
      if (writes_ % commit_every == 0) bulk_->checkpoint();
    }
  }

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

// Puts back `before`'s single values (and map entries) that `after` changed.
void keep_earlier_values(const Record& before, Record& after) {
  for (const auto& [key, value] : before.items()) {
    if (value.is_array() || !after.contains(key)) continue;
    if (value.is_object() && after[key].is_object()) {
      for (const auto& [sub, v] : value.items()) after[key][sub] = v;
    } else {
      after[key] = value;
    }
  }
}

const RecordType& import_type(const std::string& name) {
  const RecordType* t = model::find_type(name);
  if (!t || (t->name != "contact" && t->name != "company" && t->name != "sale" && t->name != "activity"))
    throw Error(ErrorKind::usage, fmt::format("cannot import '{}'", name),
                {"--type contacts, companies, sales or activities"});
  return *t;
}

Json journal_header(const ImportOptions& o, const RecordType& type, std::string_view format) {
  return {{"source", o.source}, {"format", format}, {"type", type.plural}};
}

// A row's key for sales and activities: the same cells give the same key.
std::string row_key(const std::vector<std::string>& cells) {
  std::string joined;
  for (const auto& c : cells) {
    joined += text::trim(c);
    joined += '\x1f';
  }
  return content_hash(joined);
}

// CSV rows read ahead of the importer, a batch at a time on a second thread:
// their parse, their column mapping and their phone numbers' E.164 forms (a
// tenth of a row's cost, in libphonenumber) are ready when the importer, which
// is what a run waits for, takes them. One batch is read while one is imported.
class RowsAhead {
public:
  struct Row {
    csv::Row row;
    std::size_t bytes_read = 0; // of the input, once this row was read
    RowChanges changes;
    std::exception_ptr error; // row_changes' error, for a row it rejects
    std::optional<std::string> unreadable; // the input ends here: why (an unbalanced quote)
    std::vector<std::pair<std::string, std::optional<std::string>>> e164s; // number -> to_e164
  };
  struct Batch {
    std::vector<Row> rows;
    bool last = false;
  };

  // `region`: work out phone numbers in this region (none: leave them alone).
  // `first`: a row read already, taken before the reader's (a file without a header line).
  RowsAhead(csv::Reader& reader, std::optional<csv::Row> first, const RecordType& type,
            const std::vector<ColumnRole>& roles, std::optional<std::string> region)
      : reader_(reader), first_(std::move(first)), type_(type), roles_(roles), region_(std::move(region)) {
    next_ = std::async(std::launch::async, [this] { return read(); });
  }
  // Waits for the batch being read (its reader and columns outlive it).
  ~RowsAhead() {
    if (next_.valid()) next_.wait();
  }
  RowsAhead(const RowsAhead&) = delete;
  RowsAhead& operator=(const RowsAhead&) = delete;

  // The next batch; the one after it starts being read.
  Batch take() {
    Batch batch = next_.get();
    if (!batch.last) next_ = std::async(std::launch::async, [this] { return read(); });
    return batch;
  }

private:
  static constexpr std::size_t batch_rows = 256;

  Batch read() {
    Batch batch;
    batch.rows.reserve(batch_rows);
    while (batch.rows.size() < batch_rows) {
      Row& r = batch.rows.emplace_back();
      try {
        if (first_) {
          r.row = std::move(*first_);
          first_.reset();
        } else if (!reader_.next(r.row)) {
          batch.rows.pop_back();
          batch.last = true;
          break;
        }
      } catch (const Error& e) {
        r.unreadable = e.what();
        batch.last = true;
        break;
      }
      r.bytes_read = reader_.bytes_read();
      if (!r.row.problem.empty()) continue;
      try {
        r.changes = row_changes(type_, roles_, r.row.cells);
        if (region_)
          for (const auto& phone : r.changes.phones) {
            std::string number = text::trim(phone);
            auto e164 = contact_point::to_e164(number, *region_);
            r.e164s.emplace_back(std::move(number), std::move(e164));
          }
      } catch (...) {
        r.error = std::current_exception();
      }
    }
    return batch;
  }

  csv::Reader& reader_;
  std::optional<csv::Row> first_;
  const RecordType& type_;
  const std::vector<ColumnRole>& roles_;
  const std::optional<std::string> region_;
  std::future<Batch> next_;
};

// Turns one error into the reason a row is rejected.
template <typename F>
void per_row(Importer& importer, std::size_t row, const std::string& where, std::string_view raw, F&& body) {
  try {
    body();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    importer.reject(row, where, e.what(), raw);
  }
}

} // namespace

ImportSummary import_csv(Session& session, std::istream& in, const ImportOptions& options, const ImportListener& on_event) {
  const RecordType& type = import_type(options.type);
  csv::ReadOptions ro;
  ro.delimiter = options.delimiter;
  ro.encoding = options.encoding;
  // Rows missing trailing cells read as empty ones (German Outlook 2013 drops the
  // last three); extra non-empty cells are still an error.
  ro.pad_short_rows = true;
  csv::Reader reader(in, ro);
  csv::Row header;
  bool has_header = false;
  try {
    has_header = reader.next(header);
  } catch (const Error& e) { // a header past a limit: said with the file, like any row
    if (e.kind() != ErrorKind::invalid_data) throw;
    throw Error(e.kind(), fmt::format("{}: {}", options.source, e.what()), e.hints());
  }
  if (!has_header)
    throw Error(ErrorKind::invalid_data, fmt::format("{}: empty file", options.source), {"the first row must name the columns"});
  if (!header.problem.empty())
    throw Error(ErrorKind::invalid_data, fmt::format("{}: row 1 column {}: {}", options.source, header.problem_column, header.problem));
  // Old Thunderbird versions wrote no header line: their first row is a person.
  std::optional<csv::Row> first_row;
  std::string preset = options.preset;
  std::vector<std::string> columns;
  std::string warning;
  if (const auto column = data_column_in_header(header.cells)) {
    auto tb = preset.empty() || preset == "thunderbird" ? thunderbird_columns(header.cells) : std::nullopt;
    if (!tb)
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{}: row 1 column {}: '{}' is not a column name", options.source, column, header.cells[column - 1]),
                  {"the first row must name the columns (a headerless Thunderbird export of 36 or 37 columns is read as one)"});
    columns = std::move(*tb);
    preset = "thunderbird";
    warning = fmt::format("{}: no header line: read in the column order of a Thunderbird export ({}, {}, {}, ...)",
                          options.source, columns[0], columns[1], columns[2]);
    first_row = std::move(header);
  } else {
    columns = header.cells;
  }
  const auto roles = map_columns(type, columns, preset, options.maps);
  if (options.rejects) {
    if (first_row) {
      std::string names = csv::format_row(columns, reader.delimiter());
      names.pop_back();
      *options.rejects << names;
    } else {
      *options.rejects << header.raw;
    }
    *options.rejects << reader.delimiter() << "reject_reason\n";
  }
  Importer importer(session, options, type, on_event, journal_header(options, type, "csv"));
  try {
    if (!warning.empty()) importer.summary().warnings.push_back(warning);
    const bool person = type.kind == model::RecordKind::contact || type.kind == model::RecordKind::company;
    RowsAhead ahead(reader, std::move(first_row), type, roles,
                    person ? session.workspace().config().region : std::optional<std::string>());
    for (;;) {
      RowsAhead::Batch batch = ahead.take();
      for (auto& [row, bytes_read, rc, row_error, unreadable, e164s] : batch.rows) {
        if (unreadable) {
          // An unbalanced quote: nothing after it can be read.
          importer.reject(row.number, "", *unreadable, ""); // the reader numbered the row it could not end
          break;
        }
        ++importer.summary().rows;
        if (options.progress && importer.summary().rows % 256 == 0) options.progress(bytes_read);
        const std::string where =
            row.problem_column ? fmt::format("row {} column {}", row.number, row.problem_column) : fmt::format("row {}", row.number);
        // The row as it came, with the reason as one more column.
        auto raw_with_reason = [&, &raw = row.raw](const std::string& reason) {
          std::string cell = csv::format_row({reason}, reader.delimiter());
          cell.pop_back();
          return fmt::format("{}{}{}", raw, reader.delimiter(), cell);
        };
        if (!row.problem.empty()) {
          importer.reject(row.number, where, row.problem, raw_with_reason(where + ": " + row.problem));
          continue;
        }
        const std::string row_where = fmt::format("row {}", row.number);
        try {
          if (row_error) std::rethrow_exception(row_error);
          for (const auto& w : rc.warnings)
            importer.summary().warnings.push_back(fmt::format("{}: {}: {}", options.source, row_where, w));
          for (auto& [number, e164] : e164s)
            contact_point::remember_e164(number, session.workspace().config().region, std::move(e164));
          if (person) importer.upsert(row.number, rc);
          else importer.add_event(row.number, rc.changes, row_key(row.cells));
        } catch (const Error& e) {
          if (e.kind() == ErrorKind::io) throw;
          importer.reject(row.number, row_where, e.what(), raw_with_reason(row_where + ": " + e.what()));
        }
      }
      if (batch.last) break;
    }
    if (options.progress) options.progress(reader.bytes_read());
    importer.finish();
  } catch (const Error& e) {
    importer.on_error(e);
    throw;
  } catch (const SQLite::Exception& e) { // the index failed under the import: an I/O error too
    importer.on_error(Error(ErrorKind::io, fmt::format("index error: {}", e.what())));
    throw;
  }
  return importer.summary();
}

namespace {

// "SOURCE:10: reason" -> {"SOURCE:10", "reason"}; {"", message} when the message
// does not start with a place in `source`.
std::pair<std::string, std::string> split_location(std::string_view source, std::string_view message) {
  if (message.substr(0, source.size()) == source && message.substr(source.size(), 1) == ":") {
    std::size_t k = source.size() + 1;
    const std::size_t digits = k;
    while (k < message.size() && std::isdigit(static_cast<unsigned char>(message[k]))) ++k;
    if (k > digits && message.substr(k, 2) == ": ")
      return {std::string(message.substr(0, k)), std::string(message.substr(k + 2))};
  }
  return {"", std::string(message)};
}

// A rejected card for the --rejects file: whole, as it was read (VERSION too),
// with the reason in one more property; nothing for text that was not a card.
std::string rejected_card(const vcard::Card& card, std::string_view reason) {
  if (card.line == 0) return "";
  std::string out = "BEGIN:VCARD\r\n";
  if (!card.version.empty()) out += "VERSION:" + card.version + "\r\n";
  for (const auto& p : card.properties) out += p.raw + "\r\n";
  out += fmt::format("{}:{}\r\n", ops::kRejectReasonProperty, vcard::escape(reason));
  return out + "END:VCARD\r\n";
}

} // namespace

ImportSummary import_vcard(Session& session, std::istream& in, const ImportOptions& options, const ImportListener& on_event) {
  const RecordType& type = model::contact_type();
  Importer importer(session, options, type, on_event, journal_header(options, type, "vcard"));
  try {
    vcard::Reader reader(in, options.source);
    vcard::Card card;
    const auto reject = [&](const std::string& message) {
      auto [location, reason] = split_location(options.source, message);
      if (location.empty()) location = fmt::format("{}:{}", options.source, card.line);
      importer.reject_at(card.line, location, reason, rejected_card(card, reason));
    };
    for (;;) {
      bool more = false;
      try {
        more = reader.next(card);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::io) throw;
        reject(e.what()); // the reader goes on after the card it could not read
        continue;
      }
      if (!more) break;
      ++importer.summary().rows;
      try {
        auto from = contact_from_card(card, options.source);
        // "line 4: ..." from the reader and the mapper: said as "FILE:4: ...".
        for (const auto& w : from.warnings) {
          std::size_t k = 5;
          while (k < w.size() && std::isdigit(static_cast<unsigned char>(w[k]))) ++k;
          const bool has_line = w.rfind("line ", 0) == 0 && k > 5 && w.compare(k, 2, ": ") == 0;
          importer.summary().warnings.push_back(
              has_line ? fmt::format("{}:{}: {}", options.source, w.substr(5, k - 5), w.substr(k + 2))
                       : fmt::format("{}:{}: {}", options.source, card.line, w));
        }
        const Record& c = from.contact;
        RowChanges rc;
        rc.name = text_of(c, "name");
        rc.company = text_of(c, "company");
        rc.notes = text_of(c, "notes");
        rc.vcard_extra = text_of(c, "vcard_extra");
        for (const auto& [key, value] : c.items()) {
          if (key == "id" || key == "name" || key == "company" || key == "notes" || key == "vcard_extra") continue;
          if (key == "emails") {
            for (const auto& e : value) {
              rc.emails.push_back(e.value("address", ""));
              const std::string label = e.value("label", "");
              rc.changes.push_back({"emails", '+', label.empty() ? rc.emails.back() : label + ":" + rc.emails.back()});
            }
          } else if (key == "phones") {
            for (const auto& p : value) {
              rc.phones.push_back(p.value("number", ""));
              const std::string label = p.value("label", "");
              rc.changes.push_back({"phones", '+', label.empty() ? rc.phones.back() : label + ":" + rc.phones.back()});
            }
          } else if (value.is_object()) {
            for (const auto& [sub, v] : value.items())
              rc.changes.push_back({key + "." + sub, '=', v.is_string() ? v.get<std::string>() : v.dump()});
          } else if (value.is_array()) {
            for (const auto& v : value) rc.changes.push_back({key, '+', v.is_string() ? v.get<std::string>() : v.dump()});
          } else {
            rc.changes.push_back({key, '=', value.is_string() ? value.get<std::string>() : value.dump()});
          }
        }
        importer.upsert(card.line, rc, from.photo);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::io) throw;
        reject(e.what());
      }
    }
    // As for a CSV file with no header: an input with nothing to read is a mistake
    // (the wrong file, an export that failed), not a successful import of nothing.
    if (importer.summary().rows == 0 && importer.summary().rejected == 0)
      throw Error(ErrorKind::invalid_data, fmt::format("{}: no vCard in the file", options.source),
                  {"a vCard starts with a BEGIN:VCARD line"});
    importer.finish();
  } catch (const Error& e) {
    importer.on_error(e);
    throw;
  } catch (const SQLite::Exception& e) { // the index failed under the import: an I/O error too
    importer.on_error(Error(ErrorKind::io, fmt::format("index error: {}", e.what())));
    throw;
  }
  return importer.summary();
}

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
  const auto result = revert(session, journal, batch, force);
  const std::string line = Json{{"undone", time::format_timestamp(time::now())}}.dump() + "\n";
  fs::write_file_atomic(path, fs::read_file(path) + line);
  return result;
}

} // namespace crm::ops
