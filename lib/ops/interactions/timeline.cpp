#include "ops/interactions/timeline.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "index/activity_queries.hpp"
#include "model/record_type.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

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
  }
  for (const auto* type : model::all_types()) {
    const auto* link = type->field("contact");
    if (!link || link->ref_type != "contact") continue;
    const bool has_kind = type->field("kind") != nullptr;
    if (options.kind && *options.kind != type->name && *options.kind != type->plural && !has_kind) continue;
    // A kind (call, complaint...) rather than a type narrows the records by their kind.
    const bool by_kind = options.kind && *options.kind != type->name && *options.kind != type->plural;
    // One contact's records, or those of every contact of the company.
    for (auto& row : index::timeline_rows(session.index(), *type, out.contact_id, out.company,
                                          by_kind ? options.kind : std::optional<std::string>())) {
      TimelineEntry e;
      e.id = std::move(row.id);
      e.when = std::move(row.when);
      e.type = type->name;
      e.kind = std::move(row.kind);
      e.status = std::move(row.status);
      e.summary = row.title.substr(0, row.title.find('\n'));
      // Sales and payments are named by their id: their amount says more.
      if (type->title_key == "id" && row.amount) e.summary = fmt::format("{} {}", *row.amount, row.currency);
      e.contact_id = std::move(row.contact);
      e.contact_name = row.contact_name.value_or(e.contact_id);
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
