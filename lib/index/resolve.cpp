// What a REF could mean, and the lookups import matches rows by.

#include <algorithm>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "util/contact_point.hpp"
#include "util/text.hpp"

namespace crm::index {

using model::Record;
using model::RecordType;

std::vector<std::string> first_column(const Index& index, const SqlExpr& q) {
  std::vector<std::string> out;
  run_query(index, q, [&](SQLite::Statement& st) { out.push_back(st.getColumn(0).getString()); });
  return out;
}

// No ORDER BY in the two below: it would steer SQLite to the (type, record_id)
// index, a scan of every record's emails or phones for each lookup.
std::vector<std::string> Index::ids_with_email(const RecordType& type, const std::string& email_key) const {
  return first_column(*this, {"SELECT record_id FROM emails WHERE address_key = ? AND type = ?",
                              {email_key, std::string(type.name)}});
}

std::vector<std::string> Index::ids_with_phone(const RecordType& type, const std::string& e164) const {
  return first_column(*this, {"SELECT record_id FROM phones WHERE e164 = ? AND type = ?", {e164, std::string(type.name)}});
}

std::vector<std::string> Index::contacts_named(const std::string& sort_key, const std::string& company_id) const {
  if (company_id.empty()) return first_column(*this, {"SELECT id FROM contacts WHERE sort_key = ? AND company IS NULL", {sort_key}});
  return first_column(*this, {"SELECT id FROM contacts WHERE sort_key = ? AND company = ?", {sort_key, company_id}});
}

bool Index::has_import_key(const RecordType& type, const std::string& contact_id, const std::string& key) const {
  // The table name comes from the fixed record-type list; the values are bound.
  return !first_column(*this, {fmt::format("SELECT id FROM {} WHERE contact = ? AND "
                                           "json_extract(data, '$.custom.import_key') = ? LIMIT 1",
                                           type.plural),
                               {contact_id, key}})
              .empty();
}

std::vector<std::string> Index::ids_where(const RecordType& type, std::string_view key,
                                          const std::string& value) const {
  // An indexed column, or else the value inside the stored JSON (slower, rare).
  SqlExpr q{"SELECT id FROM ", {}};
  q.sql += fmt::format("{} WHERE ", type.plural);
  q += (key == "sort_key" ? SqlExpr{"sort_key", {}} : field_sql(type, std::string(key), nullptr));
  q.sql += " = ? ORDER BY id";
  q.binds.emplace_back(value);
  std::vector<std::string> out;
  run_query(*this, q, [&](SQLite::Statement& st) { out.push_back(st.getColumn(0).getString()); });
  return out;
}

std::vector<Candidate> Index::resolve(const RecordType& type, const std::string& ref) const {
  auto& db = impl_->db;
  std::vector<Candidate> out;
  auto add = [&](SQLite::Statement& st, const char* how) {
    while (st.executeStep()) {
      std::string id = st.getColumn(0).getString();
      if (std::none_of(out.begin(), out.end(), [&](const Candidate& c) { return c.id == id; }))
        out.push_back({id, st.getColumn(1).getString(), how});
    }
  };
  const std::string table(type.plural), tname(type.name);
  {
    SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE id = ?", table));
    st.bind(1, ref);
    add(st, "id");
    if (!out.empty()) return out; // an exact id is never ambiguous
  }
  if (ref.find('@') != std::string::npos) {
    SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM emails e JOIN {} r ON r.id = e.record_id"
                                         " WHERE e.type = ? AND e.address_key = ? ORDER BY r.id", table));
    st.bind(1, tname);
    st.bind(2, contact_point::email_key(ref));
    add(st, "email");
  }
  if (contact_point::looks_like_phone(ref)) {
    if (auto e164 = contact_point::to_e164(ref, impl_->ws.config().region)) {
      SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM phones p JOIN {} r ON r.id = p.record_id"
                                           " WHERE p.type = ? AND p.e164 = ? ORDER BY r.id", table));
      st.bind(1, tname);
      st.bind(2, *e164);
      add(st, "phone");
    }
  }
  {
    SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE sort_key = ? ORDER BY id", table));
    st.bind(1, text::match_key(ref));
    add(st, "name");
  }
  if (out.empty()) {
    // Ids are slugs of names (case folded, Latin accents dropped) but a prefix
    // may be typed as the name is written ("Ana", "Олена", "Ștef"): the slug
    // of the REF is tried too. Ids are compared bytewise; U+10FFFF sorts after
    // every valid continuation.
    std::vector<std::string> prefixes{ref};
    for (std::string spelling : {text::casefold(ref), text::slugify(ref, ref.size(), "")})
      if (!spelling.empty() && std::find(prefixes.begin(), prefixes.end(), spelling) == prefixes.end())
        prefixes.push_back(std::move(spelling));
    for (const auto& prefix : prefixes) {
      SQLite::Statement st(db, fmt::format("SELECT id, name FROM {} WHERE id >= ? AND id < ? ORDER BY id LIMIT 20", table));
      st.bind(1, prefix);
      st.bind(2, prefix + "\xF4\x8F\xBF\xBF");
      add(st, "prefix");
    }
  }
  if (out.empty() && type.field("merged_ids")) {
    // The id of a contact merged into another names that one from then on. Looked
    // for last, when nothing else matched (it reads every record: a REF that does
    // match pays nothing); the quoted id is found in the text first, so only
    // records holding it are parsed as JSON.
    SQLite::Statement st(db, fmt::format("SELECT r.id, r.name FROM {} r, json_each(r.data, ?) m"
                                         " WHERE instr(r.data, ?) > 0 AND m.value = ? ORDER BY r.id", table));
    st.bind(1, json_path("merged_ids"));
    st.bind(2, nlohmann::json(ref).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    st.bind(3, ref);
    add(st, "merged");
  }
  return out;
}

} // namespace crm::index
