// Which existing record an imported row is (by email, phone, name), the ids a
// dry run plans, and the company a contact row names for the first time.
#include "ops/exchange/importer.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
using namespace import_impl;

namespace import_impl {

bool Importer::is_company_id(const std::string& cell) {
  const std::string id = text::trim(cell);
  return model::is_valid_id(id) && session_.index().exists(model::company_type(), id);
}

std::vector<std::string> Importer::ids_by_sort_key(const RecordType& type, const std::string& name) {
  const std::string key = text::match_key(name);
  std::vector<std::string> out = session_.index().ids_where(type, "sort_key", key);
  if (options_.dry_run)
    if (auto it = planned_names_.find(std::string(type.name) + "\x1f" + key); it != planned_names_.end())
      out.push_back(it->second);
  return out;
}

std::optional<std::string> Importer::one_of(std::vector<std::string> ids, const std::string& how, const std::string& what) {
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
std::optional<std::string> Importer::find_match(const RowChanges& rc, const std::string& company_id, bool new_company) {
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
void Importer::refuse_unreadable_file(const std::string& id) {
  const auto relpath = session_.workspace().record_relpath(type_, id);
  if (!unreadable_.empty() && unreadable_.count(relpath.string()))
    throw Error(ErrorKind::invalid_data, fmt::format("id '{}' has a file that cannot be read: {}", id, relpath.string()),
                {"fix the file ('crm doctor' shows its problem) or move it away, then import again"});
}

// A dry run keeps what it would have written, so later rows match it.
void Importer::remember(const Record& rec) {
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
std::string Importer::company_for(std::size_t row, const std::string& name) {
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

} // namespace import_impl

} // namespace crm::ops
