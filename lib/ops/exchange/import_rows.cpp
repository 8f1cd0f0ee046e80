// What one row of an import becomes: the upsert of a contact or a company, or a
// sale or an activity recorded once (Importer::upsert, Importer::add_event).
#include "ops/exchange/importer.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ops/interactions/log.hpp"
#include "ops/records/records.hpp"
#include "ops/sales/sale.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
using namespace import_impl;

namespace import_impl {

std::string text_of(const Json& rec, const char* key) {
  return rec.contains(key) && rec[key].is_string() ? rec[key].get<std::string>() : "";
}

} // namespace import_impl

namespace {

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

} // namespace

namespace import_impl {

// An upsert of a contact or a company from one row's changes.
void Importer::upsert(std::size_t row, const RowChanges& rc, const std::optional<ops::CardPhoto>& photo) {
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

// A sale or an activity: created unless a row with the same cells was imported
// for the same contact before (its key is kept in custom.import_key).
void Importer::add_event(std::size_t row, const std::vector<Assignment>& changes, const std::string& key) {
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

} // namespace import_impl

} // namespace crm::ops
