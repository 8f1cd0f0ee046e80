// The index as a whole: opening it (a damaged one is made again), its status,
// and reading one record.

#include "index/index.hpp"

#include <filesystem>

#include <sqlite3.h>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::index {

using model::Record;
using model::RecordType;

std::optional<Failure> failure_of(const std::exception& e) {
  const auto* db_error = dynamic_cast<const SQLite::Exception*>(&e);
  if (!db_error) return std::nullopt;
  if ((db_error->getErrorCode() & 0xff) == SQLITE_FULL)
    return Failure{"no space left on device for the index (.crm/index.sqlite)", "free some space and run it again"};
  return Failure{fmt::format("index error: {}", e.what()), "'crm index rebuild' recreates the index from the files"};
}

Index::Index(const store::Workspace& workspace) {
  // Creating (or re-creating) the schema must happen once, not in every crm
  // process that starts at the same moment: a short lock of its own, never the
  // writer lock, so readers still do not wait for writers.
  fs::FileLock creating(workspace.crm_dir() / "index.sqlite-lock", 30000);
  try {
    impl_ = std::make_unique<Impl>(workspace);
    impl_->open();
  } catch (const SQLite::Exception& e) {
    // The index is derived: a damaged one is thrown away and rebuilt.
    impl_.reset();
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(workspace.index_path().string() + suffix, ec);
    impl_ = std::make_unique<Impl>(workspace);
    impl_->open();
  }
}

Index::~Index() = default;

const std::vector<std::string>& Index::temp_files() const { return impl_->temps; }

std::vector<BrokenFile> Index::broken_files() const {
  std::vector<BrokenFile> out;
  SQLite::Statement st(impl_->db, "SELECT path, message FROM broken ORDER BY path");
  while (st.executeStep()) out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString()});
  return out;
}

Status Index::status() const {
  Status s;
  s.path = impl_->ws.index_path().string();
  std::error_code ec;
  s.bytes = std::filesystem::file_size(impl_->ws.index_path(), ec);
  for (const auto* t : model::all_types()) {
    Impl::Read st(*impl_, impl_->sql_for(*t).count);
    st->executeStep();
    s.counts.push_back({std::string(t->plural), static_cast<std::size_t>(st->getColumn(0).getInt64())});
  }
  s.files = impl_->last.scanned;
  s.broken = broken_files();
  s.last_refresh = impl_->last;
  s.verify = impl_->ws.config().index_verify;
  return s;
}

std::optional<Record> Index::get(const RecordType& type, const std::string& id) const {
  Impl::Read st(*impl_, impl_->sql_for(type).data_of_id);
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return Record::parse(st->getColumn(0).getString());
}

std::optional<std::string> Index::path_of(const RecordType& type, const std::string& id) const {
  auto lookup = [&]() -> std::optional<std::string> {
    Impl::Read st(*impl_, impl_->sql_for(type).path_of_id);
    st->bind(1, id);
    if (!st->executeStep()) return std::nullopt;
    return st->getColumn(0).getString();
  };
  auto path = lookup();
  if (!path || store::is_record_relpath(type, id, *path)) return path;
  // A row naming some other file: the index was damaged or planted (it is not in
  // git, but anyone can write it). It is never trusted: rebuilt from the files.
  const auto damaged = [&] {
    return Error(ErrorKind::io, fmt::format("the index names '{}' as the file of {} '{}'", *path, type.name, id),
                 {"'crm index rebuild' recreates the index from the files"});
  };
  if (impl_->bulk) throw damaged();
  impl_->last = impl_->refresh(true);
  path = lookup();
  if (path && !store::is_record_relpath(type, id, *path)) throw damaged();
  return path;
}

void Index::release_space() noexcept {
  try {
    impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    impl_->db.exec("PRAGMA incremental_vacuum");
  } catch (...) { // nothing gained, nothing lost
  }
}

std::vector<std::string> Index::untrusted_paths() const {
  std::vector<std::string> out;
  for (const auto* t : model::all_types()) {
    Impl::Read st(*impl_, impl_->sql_for(*t).ids_and_paths);
    while (st->executeStep()) {
      const std::string id = st->getColumn(0).getString(), path = st->getColumn(1).getString();
      if (!store::is_record_relpath(*t, id, path)) out.push_back(fmt::format("{} '{}' is in '{}'", t->name, id, path));
    }
  }
  return out;
}

bool Index::has_custom_key(const RecordType& type, const std::string& key) const {
  return has_key(type, "custom." + key); // json_path: custom."a.b" is the key "a.b" of custom
}

bool Index::has_key(const RecordType& type, const std::string& key) const {
  Impl::Read st(*impl_, impl_->sql_for(type).has_json_path);
  st->bind(1, json_path(key));
  return st->executeStep();
}

std::vector<std::string> Index::keys_in_use(const RecordType& type, const std::string& map_key) const {
  // Top level: the keys no field declares (added by hand); else a map's keys.
  std::vector<std::string> out;
  Impl::Read st(*impl_, impl_->sql_for(type).keys_at_json_path);
  st->bind(1, map_key.empty() ? std::string("$") : json_path(map_key));
  while (st->executeStep()) {
    std::string key = st->getColumn(0).getString();
    if (map_key.empty() && type.field(key)) continue;
    out.push_back(std::move(key));
  }
  return out;
}

std::vector<std::string> Index::missing_rates() const {
  return {impl_->missing_rates.begin(), impl_->missing_rates.end()};
}

bool Index::exists(const RecordType& type, const std::string& id) const {
  Impl::Read st(*impl_, impl_->sql_for(type).id_exists);
  st->bind(1, id);
  return st->executeStep();
}

} // namespace crm::index
