// What one record file puts in the index: its row in its type's table, its
// emails, phones, tags and search text; and taking them out again.

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "model/amounts.hpp"
#include "store/record_file.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::index {

using model::Record;
using model::RecordType;

namespace {

std::string string_or_empty(const Record& r, std::string_view key) {
  auto it = r.find(std::string(key));
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The index column of one field: integers as numbers (so they sort and average as
// numbers), timestamps in UTC ("...Z", so that text order is time order whatever
// the offsets), other values as their text.
nlohmann::json column_value(const model::Field& f, const Record& rec) {
  auto it = rec.find(std::string(f.key));
  if (it == rec.end()) return nullptr;
  if (f.kind == model::FieldKind::integer)
    return it->is_number_integer() ? nlohmann::json(it->get<std::int64_t>()) : nlohmann::json();
  if (f.kind == model::FieldKind::money) {
    // Minor units of the record's currency: exact, and they sum and sort as numbers.
    const auto minor = model::amount_of(rec, f.key);
    return minor ? nlohmann::json(*minor) : nlohmann::json();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return nullptr;
  if (f.kind == model::FieldKind::timestamp)
    if (auto t = time::parse_timestamp(it->get_ref<const std::string&>())) {
      std::string utc = time::format_timestamp({t->unix_seconds, 0});
      return utc.substr(0, 19) + "Z";
    }
  return it->get<std::string>();
}

} // namespace

// Forgets what the file at `relpath` contributed (by path: another file may
// claim the same id). The path and id are bound.
void Index::Impl::delete_rows(const std::string& relpath) {
  const RecordType* type = type_of_path(relpath);
  if (!type) return;
  auto& find = statement(sql_for(*type).find_by_path);
  find.bind(1, id_of_path(relpath));
  find.bind(2, relpath);
  if (!find.executeStep()) return;
  const std::string id = find.getColumn(0).getString();
  find.reset();
  auto& del = statement(sql_for(*type).delete_by_path);
  del.bind(1, id);
  del.bind(2, relpath);
  del.exec();
  auto& fts = statement("DELETE FROM search WHERE rowid IN (SELECT rowid FROM search_rows WHERE type = ? AND record_id = ?)");
  fts.bind(1, std::string(type->name));
  fts.bind(2, id);
  fts.exec();
  for (const char* sql : {"DELETE FROM emails WHERE type = ? AND record_id = ?",
                          "DELETE FROM phones WHERE type = ? AND record_id = ?",
                          "DELETE FROM tags WHERE type = ? AND record_id = ?",
                          "DELETE FROM search_rows WHERE type = ? AND record_id = ?"}) {
    auto& st = statement(sql);
    st.bind(1, std::string(type->name));
    st.bind(2, id);
    st.exec();
  }
}

// The file already indexed under `id`, when it is not `relpath`.
std::optional<std::string> Index::Impl::other_file_with_id(const RecordType& type, const std::string& id,
                                              const std::string& relpath) {
  auto& st = statement(sql_for(type).path_of_id);
  st.bind(1, id);
  if (!st.executeStep()) return std::nullopt;
  std::string path = st.getColumn(0).getString();
  st.reset();
  if (path == relpath) return std::nullopt;
  return path;
}

Index::Impl::Row Index::Impl::prepare(const RecordType& type, const Record& rec, const std::string& relpath) const {
  Row row;
  row.type = &type;
  row.relpath = relpath;
  row.id = model::id_of(rec);
  row.name = string_or_empty(rec, type.title_key);
  row.sort_key = text::match_key(row.name);
  for (auto k : type.indexed_keys()) row.columns.push_back(column_value(*type.field(k), rec));
  if (has_day(type)) row.day = string_or_empty(rec, "at").substr(0, 10);
  row.data = rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (auto it = rec.find("emails"); it != rec.end() && it->is_array())
    for (const auto& e : *it)
      if (e.is_object() && e.contains("address") && e["address"].is_string())
        row.email_keys.push_back(contact_point::email_key(e["address"].get<std::string>()));
  if (auto it = rec.find("phones"); it != rec.end() && it->is_array())
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      std::string e164 = string_or_empty(p, "e164");
      // A number typed into the file by hand has no e164 yet: work it out now.
      if (e164.empty() && p.contains("number") && p["number"].is_string())
        e164 = contact_point::to_e164(p["number"].get<std::string>(), ws.config().region).value_or("");
      if (!e164.empty()) row.e164s.push_back(std::move(e164));
    }
  if (auto it = rec.find("tags"); it != rec.end() && it->is_array())
    for (const auto& t : *it)
      if (t.is_string()) row.tag_keys.push_back(text::casefold(t.get<std::string>()));
  nlohmann::ordered_json originals = nlohmann::ordered_json::object();
  for (auto key : type.search_keys)
    if (std::string v = string_or_empty(rec, key); !v.empty()) {
      std::string& into = key == type.search_keys.front() ? row.search_title : row.search_body;
      into += (into.empty() ? "" : " ") + text::search_fold(v);
      originals[std::string(key)] = std::move(v);
    }
  if (!originals.empty()) row.search_originals = originals.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return row;
}

// Reads and parses one record file; never throws for a bad file.
Index::Impl::Row Index::Impl::read_row(const std::string& relpath, const Stamp& stamp, std::int64_t now) const {
  const RecordType* type = type_of_path(relpath);
  Row row;
  std::string content;
  try {
    content = store::read_yaml_text(ws.absolute(relpath));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw; // an I/O error is not a file that is gone
    row.vanished = true; // deleted between the scan and now: the next refresh drops it
    row.relpath = relpath;
    return row;
  }
  try {
    auto parsed = store::parse_record(*type, content, relpath);
    // A record holding money must add up: one that does not is skipped (and
    // reported by every command) rather than counted with a wrong amount.
    if (type->check && !parsed.problems.empty())
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {}", relpath, parsed.problems.front().line,
                                                       parsed.problems.front().message));
    const std::string id = model::id_of(parsed.record);
    if (!store::file_name_is_id(id_of_path(relpath), id))
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: id '{}' does not match the file name", relpath,
                                                       parsed.lines["id"], id));
    row = prepare(*type, parsed.record, relpath);
  } catch (const Error& e) {
    row = Row{};
    row.type = type;
    row.relpath = relpath;
    row.error = e.what();
  }
  row.stamp = stamp;
  row.hash = content_hash(content);
  row.racy = is_racy(stamp, now);
  return row;
}

// Stores a row; marks it broken when another file already holds its id.
// `replace`: the path may hold rows already. `is_new`: no file is at the path
// and none holds the id (the caller knows), so nothing is looked up or forgotten.
// Text is bound without a copy: the row outlives each statement's step.
void Index::Impl::store_row(Row& row, bool replace, bool is_new) {
  if (row.vanished) return;
  if (replace && !is_new) delete_rows(row.relpath);
  if (!row.error && !store::file_name_is_id(id_of_path(row.relpath), row.id))
    row.error = fmt::format("{}: id '{}' does not match the file name", row.relpath, row.id);
  if (!row.error && !is_new)
    if (auto other = other_file_with_id(*row.type, row.id, row.relpath))
      row.error = fmt::format("{}: duplicate id '{}' (also in {})", row.relpath, row.id, *other);
  if (!row.error) {
    const auto& type = *row.type;
    auto& ins = statement(sql_for(type).insert);
    int i = 1;
    ins.bindNoCopy(i++, row.id);
    ins.bindNoCopy(i++, row.relpath);
    ins.bindNoCopy(i++, row.name);
    ins.bindNoCopy(i++, row.sort_key);
    for (const auto& c : row.columns) {
      if (c.is_string()) ins.bindNoCopy(i++, c.get_ref<const std::string&>());
      else if (c.is_number_integer()) ins.bind(i++, c.get<std::int64_t>());
      else ins.bind(i++);
    }
    if (has_day(type)) {
      if (row.day.empty()) ins.bind(i++);
      else ins.bindNoCopy(i++, row.day);
    }
    ins.bindNoCopy(i++, row.data);
    ins.exec();
    const std::string tname(type.name);
    auto children = [&](const char* sql, const std::vector<std::string>& values) {
      for (const auto& v : values) {
        auto& st = statement(sql);
        st.bindNoCopy(1, tname);
        st.bindNoCopy(2, row.id);
        st.bindNoCopy(3, v);
        st.exec();
      }
    };
    // A value twice in one record (two spellings of one address) is one row.
    children("INSERT OR IGNORE INTO emails(type, record_id, address_key) VALUES(?, ?, ?)", row.email_keys);
    children("INSERT OR IGNORE INTO phones(type, record_id, e164) VALUES(?, ?, ?)", row.e164s);
    children("INSERT OR IGNORE INTO tags(type, record_id, tag_key) VALUES(?, ?, ?)", row.tag_keys);
    if (!row.search_originals.empty()) {
      auto& st = statement("INSERT INTO search_rows(type, record_id, originals) VALUES(?, ?, ?)");
      st.bindNoCopy(1, tname);
      st.bindNoCopy(2, row.id);
      st.bindNoCopy(3, row.search_originals);
      st.exec();
      auto& fts = statement("INSERT INTO search(rowid, title, body) VALUES(?, ?, ?)");
      fts.bind(1, db.getLastInsertRowid());
      fts.bindNoCopy(2, row.search_title);
      fts.bindNoCopy(3, row.search_body);
      fts.exec();
    }
  }
  if (!is_new) {
    auto& clear = statement("DELETE FROM broken WHERE path = ?");
    clear.bindNoCopy(1, row.relpath);
    clear.exec();
  }
  if (row.error) {
    auto& st = statement("INSERT INTO broken(path, message) VALUES(?, ?)");
    st.bindNoCopy(1, row.relpath);
    st.bindNoCopy(2, *row.error);
    st.exec();
  }
}

} // namespace crm::index
