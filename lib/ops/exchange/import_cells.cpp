// A row's cells read by their columns' roles (row_changes, import_columns.hpp):
// dates, tags, several values in one cell, labels, names and addresses put together.
#include "ops/exchange/import_columns.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ops/exchange/contact_vcard.hpp"
#include "ops/exchange/import_columns_impl.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
using namespace columns_impl;

namespace {

// Tags from a cell: "a, b" or "a;b" or Google's "* My Contacts ::: Friends".
// Google's system groups ("* My Contacts", "* Starred") say nothing about the
// person and are left out; the rest become valid tags (one word each).
std::vector<std::string> tags_of(std::string_view cell) {
  std::vector<std::string> out;
  std::string part;
  auto flush = [&] {
    std::string t = text::trim(part);
    part.clear();
    if (t.starts_with("* ")) {
      const std::string folded = text::casefold(t.substr(2));
      if (folded == "my contacts" || folded == "mycontacts" || folded == "starred") return;
      t = text::trim(t.substr(2));
    }
    const std::string tag = text::slugify(t, 64, "");
    if (!tag.empty() && std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(tag);
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == ',' || cell[i] == ';') flush();
    else if (cell.substr(i, 3) == ":::") {
      flush();
      i += 2;
    } else part += cell[i];
  }
  flush();
  return out;
}

// A date cell as a stored date: "" for Outlook's empty "0/0/00", "?" for a form
// that is not read (kept as text), nullopt for an ISO date that does not exist.
// Outlook writes M/D/YYYY (`us_dates`), others D.M.YYYY or D/M/YYYY.
std::optional<std::string> date_cell(const std::string& cell, bool us_dates) {
  if (time::is_valid_date_or_month_day(cell)) return cell;
  if (cell.size() >= 8 && cell.size() <= 10 && cell[4] == '-' && std::isdigit(static_cast<unsigned char>(cell[0])))
    return std::nullopt; // YYYY-MM-DD that is no date
  if (cell.find_first_not_of("0./-") == std::string::npos) return "";
  int a = 0, b = 0, y = 0;
  char s1 = 0, s2 = 0;
  if (std::sscanf(cell.c_str(), "%d%c%d%c%d", &a, &s1, &b, &s2, &y) == 5 && s1 == s2 && (s1 == '/' || s1 == '.')) {
    if (y < 100) return "?"; // a two-digit year: which century?
    int month = a, day = b;
    if (s1 == '.' || !us_dates) std::swap(month, day);
    const std::string iso = fmt::format("{:04}-{:02}-{:02}", y, month, day);
    if (time::is_valid_date(iso)) return iso;
  }
  return "?";
}

// Several values in one cell: Google writes "a@x.ro ::: b@y.ro".
// crm's own export joins them with "; " (an email or phone never holds a ';').
std::vector<std::string> values_of(std::string_view cell, char also) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto sep = cell.find(":::", start);
    std::size_t width = 3;
    if (const auto other = cell.find(also, start); other < sep) {
      sep = other;
      width = 1;
    }
    std::string v = text::trim(cell.substr(start, sep == std::string_view::npos ? sep : sep - start));
    if (!v.empty()) out.push_back(std::move(v));
    if (sep == std::string_view::npos) break;
    start = sep + width;
  }
  return out;
}

// A cell as crm export's formula guard wrote it ("'=SUM(A1)", "'+x", "'@x") is
// the value it guards, as a spreadsheet reads it.
std::string unguarded(std::string cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos)
    cell.erase(0, 1);
  return cell;
}

// "work:ana@x.ro" -> {"work", "ana@x.ro"}: a label is letters before a ':' that
// comes before any of `stop` (an email's local part or a phone never holds one
// there); {"", value} otherwise.
std::pair<std::string, std::string> split_label(const std::string& value, std::string_view stop) {
  const auto colon = value.find(':');
  if (colon != std::string::npos && colon > 0 && value.find_first_of(stop) > colon &&
      std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(colon),
                  [](unsigned char c) { return std::isalpha(c) || c == '-' || c == '_' || c >= 0x80; }))
    return {value.substr(0, colon), text::trim(std::string_view(value).substr(colon + 1))};
  return {"", value};
}

std::string label_word(std::string_view label) {
  // Google's "* Work" / "Mobile": one lowercase word, as a label must be.
  std::string l = text::slugify(text::trim(label.starts_with("* ") ? label.substr(2) : label), 20, "");
  if (l == "cell") l = "mobile";
  return l;
}

} // namespace

RowChanges row_changes(const RecordType& type, const std::vector<ColumnRole>& roles,
                       const std::vector<std::string>& cells) {
  RowChanges out;
  const bool us_dates = std::any_of(roles.begin(), roles.end(), [](const ColumnRole& r) { return r.us_dates; });
  std::map<std::string, std::string> name_parts, birth;
  std::map<std::string, std::string> labels; // group -> label from a "- Type" column
  std::set<std::string> scalars_set;
  // The first address group (in column order) with anything in it is the
  // contact's address; cells of other groups are kept as custom fields.
  std::string address_group;
  bool have_address_group = false;
  for (std::size_t i = 0; i < roles.size() && i < cells.size(); ++i) {
    const auto& r = roles[i];
    if (r.kind == Kind::label_of && !text::trim(cells[i]).empty()) labels[r.group] = label_word(cells[i]);
    if (r.kind == Kind::address && !have_address_group && !text::trim(cells[i]).empty() && r.part != "formatted") {
      address_group = r.group;
      have_address_group = true;
    }
  }
  if (!have_address_group) {
    for (std::size_t i = 0; i < roles.size() && i < cells.size(); ++i)
      if (roles[i].kind == Kind::address && !text::trim(cells[i]).empty()) {
        address_group = roles[i].group;
        have_address_group = true;
        break;
      }
  }
  std::string street, extended, formatted;
  auto add = [&](std::string key, char op, std::string value) { out.changes.push_back({std::move(key), op, std::move(value)}); };
  auto custom = [&](const ColumnRole& r, const std::string& value) {
    add("custom." + (r.field.empty() ? custom_key(r.header) : r.field), '=', value);
  };
  // A country as files write it ("Deutschland", "UK", "DEU") is its code; one
  // that names no country is kept as written, never a rejected row.
  auto country = [&](const ColumnRole& r, const std::string& value) {
    if (const auto code = country_code(value)) return add("country", '=', *code);
    custom(role_of(Kind::custom, "country_name"), value);
    out.warnings.push_back(
        fmt::format("'{}' in column '{}' is no country crm knows: kept as custom.country_name", value, r.header));
  };
  for (std::size_t i = 0; i < roles.size() && i < cells.size(); ++i) {
    const auto& r = roles[i];
    const std::string cell = unguarded(text::trim(cells[i]));
    if (cell.empty() || r.kind == Kind::skip || r.kind == Kind::label_of) continue;
    switch (r.kind) {
    case Kind::name_part:
      if (name_parts.count(r.field)) custom(role_of(Kind::custom, custom_key(r.header)), cell); // a second column
      else name_parts[r.field] = cell;
      break;
    case Kind::birth_part: birth[r.field] = cell; break;
    case Kind::custom: custom(r, cell); break;
    case Kind::address:
      if (r.group != address_group) {
        custom(role_of(Kind::custom, custom_key(r.header)), cell);
      } else if (r.part == "street") {
        street = street.empty() ? cell : street + "\n" + cell;
      } else if (r.part == "extended") {
        extended = extended.empty() ? cell : extended + "\n" + cell;
      } else if (r.part == "formatted") {
        formatted = cell;
      } else if (r.part == "country") {
        country(r, cell);
      } else {
        add(r.part, '=', cell);
      }
      break;
    case Kind::field: {
      const std::string& f = r.field;
      if (!r.part.empty()) { // custom.KEY, social.KEY
        add(f + "." + r.part, '=', cell);
      } else if (f == "id") {
        out.id = cell;
      } else if (f == "country" && !scalars_set.count(f)) {
        scalars_set.insert(f);
        country(r, cell);
      } else if (f == "emails" || f == "phones") {
        const std::string label = !r.group.empty() && labels.count(r.group) ? labels[r.group] : r.label;
        for (const auto& labelled : values_of(cell, ';')) {
          // "work:ana@x.ro", as crm export writes a label: a label of the column's own.
          const auto [own_label, v] = split_label(labelled, f == "emails" ? "@" : "0123456789+(");
          if (f == "phones" && !contact_point::looks_like_phone(v)) {
            // Real exports put words in phone columns ("ask reception"): kept, not lost.
            custom(role_of(Kind::custom, custom_key(r.header)), v);
            out.warnings.push_back(fmt::format("'{}' in column '{}' is not a phone number: kept as custom.{}", v,
                                               r.header, custom_key(r.header)));
            continue;
          }
          (f == "emails" ? out.emails : out.phones).push_back(v);
          const std::string& l = own_label.empty() ? label : own_label;
          add(f, '+', l.empty() ? v : l + ":" + v);
        }
      } else if (f == "tags" && (is_contact(type) || is_company(type))) {
        for (const auto& t : tags_of(cell)) add("tags", '+', t);
      } else if (f == "notes" && (is_contact(type) || is_company(type))) {
        out.notes = out.notes.empty() ? cell : out.notes + "\n\n" + cell;
      } else if (f == "company" && is_contact(type)) {
        if (out.company.empty()) out.company = cell;
        else custom(role_of(Kind::custom, custom_key(r.header)), cell);
      } else if (f == "name" && type.field("name")) {
        if (out.name.empty()) out.name = cell;
        else custom(role_of(Kind::custom, custom_key(r.header)), cell);
      } else if (f == "birthday" || f == "anniversary") {
        const auto date = date_cell(cell, us_dates);
        if (!date) {
          throw Error(ErrorKind::invalid_data, fmt::format("column '{}': bad date '{}'", r.header, cell),
                      {"expected YYYY-MM-DD or --MM-DD"});
        } else if (*date == "?") { // a date in a form we do not read: kept as written
          custom(role_of(Kind::custom, f + "_text"), cell);
        } else if (!date->empty()) {
          add(f, '=', *date);
        }
      } else if (f == "website" && scalars_set.count(f)) {
        custom(role_of(Kind::custom, custom_key(r.header)), cell);
      } else {
        const auto* fd = type.field(f);
        if (fd && fd->kind != model::FieldKind::list && fd->kind != model::FieldKind::emails &&
            fd->kind != model::FieldKind::phones && scalars_set.count(f)) {
          custom(role_of(Kind::custom, custom_key(r.header)), cell); // a second column for one value
        } else {
          scalars_set.insert(f);
          add(f, fd && fd->kind == model::FieldKind::list ? '+' : '=', cell);
        }
      }
      if (f == "website") scalars_set.insert(f);
      break;
    }
    default: break;
    }
  }
  if (!street.empty() || !extended.empty()) {
    std::string address = street;
    if (!extended.empty()) address = address.empty() ? extended : address + "\n" + extended;
    add("address", '=', address);
  } else if (!formatted.empty()) {
    add("address", '=', formatted);
  }
  if (!birth.empty()) {
    const std::string y = birth["year"], m = birth["month"], d = birth["day"];
    std::string date;
    auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
    if (!m.empty() && !d.empty()) date = (y.empty() ? "-" : y) + "-" + two(m) + "-" + two(d);
    if (!date.empty() && time::is_valid_date_or_month_day(date)) add("birthday", '=', date);
    else throw Error(ErrorKind::invalid_data, fmt::format("bad birthday '{}-{}-{}'", y, m, d),
                     {"the birth year, month and day columns must make a date"});
  }
  if (is_contact(type))
    for (const auto& [field, part] : name_part_fields)
      if (auto it = name_parts.find(std::string(part)); it != name_parts.end()) add(std::string(field), '=', it->second);
  if (out.name.empty()) {
    // "Dr. Ana Maria Pop Jr.": the parts in the order a vCard's FN writes them.
    std::vector<std::string> parts;
    for (const char* p : {"prefix", "given", "middle", "family", "suffix"})
      if (name_parts.count(p)) parts.push_back(name_parts[p]);
    out.name = fmt::format("{}", fmt::join(parts, " "));
  }
  if (out.name.empty() && is_company(type) == false && is_contact(type) && !out.emails.empty()) {
    out.name = out.emails.front();
    out.name_from_email = true;
  }
  return out;
}

} // namespace crm::ops
