#include "ops/interactions/timeline.hpp"

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

// The field that places each type's records in time.
std::string_view when_key(const model::RecordType& type) {
  return type.field("at") ? "at" : type.field("due") ? "due" : "created";
}

bool is_known_kind(std::string_view kind) {
  for (const auto* t : model::all_types()) {
    if (!t->field("contact")) continue;
    if (t->name == kind || t->plural == kind) return true;
    if (const auto* f = t->field("kind"))
      if (std::find(f->choices.begin(), f->choices.end(), kind) != f->choices.end()) return true;
  }
  return false;
}

} // namespace

Timeline timeline(Session& session, const std::string& ref, const TimelineOptions& options) {
  if (options.kind && !is_known_kind(*options.kind))
    throw Error(ErrorKind::usage, fmt::format("bad --kind '{}'", *options.kind),
                {"use a record type (activity, feedback, followup, sale, payment, deal, loyalty) or a kind (call, "
                 "email, meeting, text, note, chat, stage, complaint, return, support, review, survey, suggestion)"});
  Timeline out;
  // The contacts whose records it shows, by SQL over the contacts table (the
  // id is bound): one contact, or every contact of a company.
  std::string whose = "SELECT id FROM contacts WHERE id = ?";
  try {
    const auto contact = find_contact(session, ref);
    out.contact_id = model::id_of(contact);
    out.contact_name = contact.value("name", "");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found || session.index().resolve(model::company_type(), ref).empty()) throw;
    const auto company = find_record(session, model::company_type(), ref);
    out.contact_id = model::id_of(company);
    out.contact_name = company.value("name", "");
    out.company = true;
    whose = "SELECT id FROM contacts WHERE company = ?";
  }
  for (const auto* type : model::all_types()) {
    const auto* link = type->field("contact");
    if (!link || link->ref_type != "contact") continue;
    const bool has_kind = type->field("kind") != nullptr, has_status = type->field("status") != nullptr;
    if (options.kind && *options.kind != type->name && *options.kind != type->plural && !has_kind) continue;
    // Table and column names come from the fixed type list; every value is bound.
    std::string sql = fmt::format("SELECT r.id, json_extract(r.data, '$.{}'), {}, {}, r.name,"
                                  " coalesce(json_extract(r.data, '$.total'), json_extract(r.data, '$.amount')),"
                                  " json_extract(r.data, '$.currency'), r.contact, c.name FROM {} r"
                                  " LEFT JOIN contacts c ON c.id = r.contact WHERE r.contact IN ({})",
                                  when_key(*type),
                                  has_kind ? "r.kind" : "?",
                                  has_status ? "r.status" : "NULL", type->plural, whose);
    const bool by_kind = options.kind && *options.kind != type->name && *options.kind != type->plural;
    if (by_kind) sql += " AND r.kind = ?";
    SQLite::Statement st(session.index().db(), sql);
    int at = 1;
    if (!has_kind) st.bind(at++, std::string(type->name)); // the kind of a record without one: its type
    st.bind(at++, out.contact_id);
    if (by_kind) st.bind(at, *options.kind);
    while (st.executeStep()) {
      TimelineEntry e;
      e.id = st.getColumn(0).getString();
      e.when = st.getColumn(1).getString();
      e.type = type->name;
      e.kind = st.getColumn(2).getString();
      e.status = st.getColumn(3).isNull() ? "" : st.getColumn(3).getString();
      const std::string title = st.getColumn(4).getString();
      e.summary = title.substr(0, title.find('\n'));
      // Sales and payments are named by their id: their amount says more.
      if (type->title_key == "id" && !st.getColumn(5).isNull())
        e.summary = fmt::format("{} {}", st.getColumn(5).getString(), st.getColumn(6).getString());
      e.contact_id = st.getColumn(7).getString();
      e.contact_name = st.getColumn(8).isNull() ? e.contact_id : st.getColumn(8).getString();
      out.entries.push_back(std::move(e));
    }
  }
  // Newest first by the instant (offsets differ across zones and DST); a date
  // counts as the start of its day here. Ties: by id, newest first.
  const int offset = time::now().offset_minutes;
  auto instant = [offset](const std::string& when) -> std::int64_t {
    if (auto t = time::parse_timestamp(when)) return t->unix_seconds;
    if (auto d = time::parse_date(when)) return time::at_time(*d, 0, 0, offset).unix_seconds;
    return 0;
  };
  std::stable_sort(out.entries.begin(), out.entries.end(), [&](const TimelineEntry& a, const TimelineEntry& b) {
    const auto ia = instant(a.when), ib = instant(b.when);
    if (ia != ib) return ia > ib;
    return a.id > b.id;
  });
  if (options.limit && out.entries.size() > *options.limit) out.entries.resize(*options.limit);
  return out;
}

} // namespace crm::ops
