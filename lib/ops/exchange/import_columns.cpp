#include "ops/exchange/import_columns.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <span>

#include <fmt/format.h>

#include "ops/exchange/contact_vcard.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using Kind = ColumnRole::Kind;
using model::RecordType;

// "E-mail 2 Address" -> "e mail 2 address": ASCII lower case, every run of
// punctuation and spaces one space. Letters of other scripts stay as they are.
std::string normalize_header(std::string_view header) {
  std::string out;
  bool space = false;
  for (unsigned char c : text::trim(header)) {
    const bool word = std::isalnum(c) || c >= 0x80;
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// A custom field key from a header: "Yomi Name" -> "yomi_name".
std::string custom_key(std::string_view header) {
  std::string key = normalize_header(header);
  std::replace(key.begin(), key.end(), ' ', '_');
  return key.empty() ? "column" : key;
}

bool is_contact(const RecordType& type) { return type.kind == model::RecordKind::contact; }
bool is_company(const RecordType& type) { return type.kind == model::RecordKind::company; }

struct Synonym {
  std::string_view header; // normalized
  Kind kind;
  std::string_view field; // field key, or the part for name_part / birth_part
};

// Headers of other programs that name a contact field (normalized).
const Synonym contact_synonyms[] = {
    {"full name", Kind::field, "name"},         {"display name", Kind::field, "name"},
    {"contact name", Kind::field, "name"},      {"formatted name", Kind::field, "name"},
    {"fn", Kind::field, "name"},                {"first name", Kind::name_part, "given"},
    {"given name", Kind::name_part, "given"},   {"firstname", Kind::name_part, "given"},
    {"forename", Kind::name_part, "given"},     {"middle name", Kind::name_part, "middle"},
    {"additional name", Kind::name_part, "middle"}, {"last name", Kind::name_part, "family"},
    {"family name", Kind::name_part, "family"}, {"surname", Kind::name_part, "family"},
    {"lastname", Kind::name_part, "family"},    {"given name", Kind::name_part, "given"},
    {"company", Kind::field, "company"},        {"company name", Kind::field, "company"},
    {"organization", Kind::field, "company"},   {"organisation", Kind::field, "company"},
    {"organization name", Kind::field, "company"}, {"organization 1 name", Kind::field, "company"},
    {"org", Kind::field, "company"},            {"job title", Kind::field, "title"},
    {"organization title", Kind::field, "title"}, {"organization 1 title", Kind::field, "title"},
    {"position", Kind::field, "title"},         {"website", Kind::field, "website"},
    {"web site", Kind::field, "website"},       {"web page", Kind::field, "website"},
    {"web page 1", Kind::field, "website"},     {"website 1 value", Kind::field, "website"},
    {"homepage", Kind::field, "website"},       {"home page", Kind::field, "website"},
    {"url", Kind::field, "website"},            {"personal web page", Kind::field, "website"},
    {"birth date", Kind::field, "birthday"},    {"date of birth", Kind::field, "birthday"},
    {"birthdate", Kind::field, "birthday"},     {"dob", Kind::field, "birthday"},
    {"birth year", Kind::birth_part, "year"},   {"birth month", Kind::birth_part, "month"},
    {"birth day", Kind::birth_part, "day"},     {"name prefix", Kind::name_part, "prefix"},
    {"name suffix", Kind::name_part, "suffix"}, {"suffix", Kind::name_part, "suffix"},
    // A German Outlook export.
    {"anrede", Kind::name_part, "prefix"},      {"vorname", Kind::name_part, "given"},
    {"weitere vornamen", Kind::name_part, "middle"}, {"nachname", Kind::name_part, "family"},
    {"firma", Kind::field, "company"},          {"e mail adresse", Kind::field, "emails"},
    {"e mail 2 adresse", Kind::field, "emails"}, {"e mail 3 adresse", Kind::field, "emails"},
    {"mobiltelefon", Kind::field, "phones"},    {"mobiltelefon 2", Kind::field, "phones"},
    {"telefon geschäftlich", Kind::field, "phones"}, {"telefon geschäftlich 2", Kind::field, "phones"},
    {"telefon privat", Kind::field, "phones"},  {"telefon privat 2", Kind::field, "phones"},
    {"haupttelefon", Kind::field, "phones"},    {"geburtstag", Kind::field, "birthday"},
    {"jahrestag", Kind::field, "anniversary"},  {"notizen", Kind::field, "notes"},
    {"kategorien", Kind::field, "tags"},        {"webseite", Kind::field, "website"},
};

// Labels and address parts of those German headers.
const std::pair<std::string_view, std::string_view> german_labels[] = {
    {"mobiltelefon", "mobile"}, {"mobiltelefon 2", "mobile"}, {"telefon geschäftlich", "work"},
    {"telefon geschäftlich 2", "work"}, {"telefon privat", "home"}, {"telefon privat 2", "home"}};
const std::pair<std::string_view, std::string_view> german_address[] = {
    {"straße", "street"}, {"ort", "city"},
    {"region", "region"}, {"bundesland kanton", "region"}, {"postleitzahl", "postal_code"},
    {"land region", "country"}};

// Headers any record type may use for its common fields.
const Synonym common_synonyms[] = {
    {"note", Kind::field, "notes"},       {"comments", Kind::field, "notes"},
    {"comment", Kind::field, "notes"},    {"description", Kind::field, "notes"},
    {"memo", Kind::field, "notes"},       {"tag", Kind::field, "tags"},
    {"categories", Kind::field, "tags"},  {"category", Kind::field, "tags"},
    {"labels", Kind::field, "tags"},      {"group membership", Kind::field, "tags"},
    {"keywords", Kind::field, "tags"},
};

const Synonym company_synonyms[] = {
    {"company", Kind::field, "name"},      {"company name", Kind::field, "name"},
    {"organization", Kind::field, "name"}, {"organisation", Kind::field, "name"},
    {"organization name", Kind::field, "name"}, {"website", Kind::field, "website"},
    {"web site", Kind::field, "website"},  {"web page", Kind::field, "website"},
    {"url", Kind::field, "website"},       {"sector", Kind::field, "industry"},
};

// Sales and activities: the importer reads these keys (see import.cpp).
const Synonym event_synonyms[] = {
    {"customer", Kind::field, "contact"}, {"client", Kind::field, "contact"},
    {"email", Kind::field, "contact"},    {"e mail", Kind::field, "contact"},
    {"date", Kind::field, "at"},          {"time", Kind::field, "at"},
    {"when", Kind::field, "at"},          {"item", Kind::field, "items"},
    {"product", Kind::field, "product"},  {"quantity", Kind::field, "quantity"},
    {"qty", Kind::field, "quantity"},     {"price", Kind::field, "price"},
    {"unit price", Kind::field, "price"}, {"paid by", Kind::field, "paid_by"},
    {"payment", Kind::field, "paid_by"},  {"payment method", Kind::field, "paid_by"},
    {"type", Kind::field, "kind"},        {"subject", Kind::field, "summary"},
    {"message", Kind::field, "summary"},  {"notes", Kind::field, "summary"},
    {"note", Kind::field, "summary"},     {"description", Kind::field, "summary"},
};

const std::regex email_re(R"(^(?:(home|work|business|personal|private|other|primary|secondary)\s)?e\s?mail(?:\s(\d+))?(?:\s(address|addresses|value))?$)");
// Roundcube: "Email Home", "Email Work", "Email Other".
const std::regex email_label_re(R"(^e\s?mail\s(home|work|business|personal|private|other)$)");
// Old Gmail CSV: "Section 1 - Email", "Section 2 - Mobile"... a section's fields.
const std::regex gmail_section_re(R"(^section\s\d+\s(email|phone|mobile|pager|fax|company|title|address)$)");
const std::regex email_type_re(R"(^e\s?mail\s(\d+)\s(?:type|label)$)");
const std::regex phone_re(R"(^(?:(home|work|business|mobile|cell|other|primary|main|company main|car|radio|personal|private)\s)?(phone|telephone|tel|mobile|cell|fax|pager)(?:\s(\d+))?(?:\s(number|value))?$)");
const std::regex phone_type_re(R"(^phone\s(\d+)\s(?:type|label)$)");
const std::regex address_re(R"(^(?:(home|business|work|other|mailing|billing|shipping|postal|private)\s)?(?:address\s(\d+)\s)?(street|street\s\d|address|address\s\d|city|state|region|province|county|postal code|zip|zip code|zipcode|postcode|post code|country|country region|po box|pobox|extended address|formatted)$)");

std::string phone_label(const std::string& prefix, const std::string& word) {
  if (word == "mobile" || word == "cell" || prefix == "mobile" || prefix == "cell") return "mobile";
  if (word == "fax") return "fax";
  if (word == "pager") return "pager";
  if (prefix == "home" || prefix == "personal" || prefix == "private") return "home";
  if (prefix == "work" || prefix == "business" || prefix == "company main" || prefix == "main") return "work";
  if (prefix == "other" || prefix == "car" || prefix == "radio") return prefix;
  return "";
}

std::string email_label(const std::string& prefix) {
  if (prefix == "home" || prefix == "personal" || prefix == "private") return "home";
  if (prefix == "work" || prefix == "business") return "work";
  if (prefix == "other") return "other";
  return "";
}

std::string address_part(const std::string& word) {
  if (word == "street" || word == "address") return "street";
  if (word.starts_with("street ") || word.starts_with("address ") || word == "extended address" ||
      word == "po box" || word == "pobox")
    return "extended";
  if (word == "city") return "city";
  if (word == "state" || word == "region" || word == "province" || word == "county") return "region";
  if (word == "country" || word == "country region") return "country";
  if (word == "formatted") return "formatted";
  return "postal_code";
}

const Synonym* find_synonym(std::span<const Synonym> table, const std::string& norm) {
  for (const auto& s : table)
    if (s.header == norm) return &s;
  return nullptr;
}

ColumnRole role_of(Kind kind, std::string_view field, std::string label = "", std::string group = "",
                   std::string part = "") {
  ColumnRole r;
  r.kind = kind;
  r.field = std::string(field);
  r.label = std::move(label);
  r.group = std::move(group);
  r.part = std::move(part);
  return r;
}

// A contact's name fields, by the part of the name they hold.
const std::pair<std::string_view, std::string_view> name_part_fields[] = {
    {"given_name", "given"}, {"middle_name", "middle"}, {"family_name", "family"},
    {"name_prefix", "prefix"}, {"name_suffix", "suffix"}};

// A column of a contact's given_name, family_name... (by its own name or --map)
// is a part of the name, so that the name is built from it as from "First Name".
ColumnRole field_role(const RecordType& type, std::string_view key) {
  if (is_contact(type))
    for (const auto& [field, part] : name_part_fields)
      if (key == field) return role_of(Kind::name_part, part);
  return role_of(Kind::field, key);
}

// Yahoo Mail's export names its columns in single words ("First", "Home",
// "Work"...) that mean nothing alone: read so only in a Yahoo file (the header
// row of tests/fixtures/import/yahoo.csv).
struct PresetColumn {
  std::string_view header; // normalized
  Kind kind;
  std::string_view field; // field key, or the part of a name
  std::string_view label = {};
};
const PresetColumn yahoo_columns[] = {
    {"first", Kind::name_part, "given"},         {"middle", Kind::name_part, "middle"},
    {"last", Kind::name_part, "family"},         {"home", Kind::field, "phones", "home"},
    {"work", Kind::field, "phones", "work"},     {"other", Kind::field, "phones", "other"},
    {"yahoo phone", Kind::field, "phones"},      {"primary", Kind::field, "phones"},
    {"alternate email 1", Kind::field, "emails"}, {"alternate email 2", Kind::field, "emails"},
    {"personal website", Kind::field, "website"}};

// The role of one column, by its normalized header.
ColumnRole classify(const RecordType& type, const std::string& norm, bool outlook, bool yahoo = false) {
  // Outlook's "Title" is Mr/Dr, not the field of that name: its job title is "Job Title".
  if (outlook && is_contact(type) && norm == "title") return role_of(Kind::name_part, "prefix");
  if (yahoo && is_contact(type))
    for (const auto& c : yahoo_columns)
      if (c.header == norm) return role_of(c.kind, c.field, std::string(c.label));
  // A field's own name ("given_name" is written "given name" after normalizing).
  for (const auto& f : type.fields) {
    std::string key(f.key);
    std::replace(key.begin(), key.end(), '_', ' ');
    if (norm != key || f.key == "custom") continue;
    // A sale's currency and paid_by are set once, when it is recorded: import does that.
    const bool event = !is_contact(type) && !is_company(type) && f.key != "created" && f.key != "updated";
    if (f.settable || f.key == "id" || event) return field_role(type, f.key);
    // created, updated, merged_ids: crm keeps them itself (an export has them).
    return role_of(Kind::skip, f.key);
  }
  const bool person = is_contact(type), company = is_company(type);
  if (!person && !company) {
    if (const auto* s = find_synonym(event_synonyms, norm)) return role_of(s->kind, s->field);
    return role_of(Kind::custom, "");
  }
  if (const auto* s = find_synonym(person ? std::span<const Synonym>(contact_synonyms)
                                          : std::span<const Synonym>(company_synonyms), norm)) {
    ColumnRole r = role_of(s->kind, s->field);
    for (const auto& [h, label] : german_labels)
      if (h == norm) r.label = std::string(label);
    return r;
  }
  if (const auto* s = find_synonym(common_synonyms, norm)) return role_of(s->kind, s->field);
  // "Straße geschäftlich 2" / "Ort privat": German address parts, group after the part.
  for (const auto& [suffix, group] : {std::pair<std::string_view, std::string_view>{" geschäftlich", "business"},
                                      {" privat", "home"}}) {
    std::string_view rest = norm;
    bool numbered = false;
    if (rest.ends_with(" 2") || rest.ends_with(" 3")) {
      rest.remove_suffix(2);
      numbered = true;
    }
    if (!rest.ends_with(suffix)) continue;
    rest.remove_suffix(suffix.size());
    for (const auto& [word, part] : german_address)
      if (rest == word) return role_of(Kind::address, "", "", std::string(group), std::string(numbered ? "extended" : part));
  }
  if (norm == "email" || norm == "phone") return role_of(Kind::field, norm + "s");
  std::smatch m;
  if (std::regex_match(norm, m, gmail_section_re)) return classify(type, m[1].str(), false);
  if (std::regex_match(norm, m, email_label_re)) return role_of(Kind::field, "emails", email_label(m[1].str()));
  if (std::regex_match(norm, m, email_type_re)) return role_of(Kind::label_of, "emails", "", "emails-" + m[1].str());
  if (std::regex_match(norm, m, phone_type_re)) return role_of(Kind::label_of, "phones", "", "phones-" + m[1].str());
  if (std::regex_match(norm, m, email_re))
    return role_of(Kind::field, "emails", email_label(m[1].str()), m[2].matched ? "emails-" + m[2].str() : "");
  if (std::regex_match(norm, m, phone_re))
    return role_of(Kind::field, "phones", phone_label(m[1].str(), m[2].str()),
                   m[3].matched && m[4].matched ? "phones-" + m[3].str() : "");
  if (std::regex_match(norm, m, address_re)) {
    std::string group = m[1].matched ? m[1].str() : m[2].matched ? m[2].str() : "";
    if (group == "work") group = "business";
    return role_of(Kind::address, "", "", group, address_part(m[3].str()));
  }
  return role_of(Kind::custom, "");
}

// Outlook writes "Title" for Mr/Ms and "Job Title" for the job.
bool looks_like_outlook(const std::vector<std::string>& normalized) {
  auto has = [&](std::string_view h) { return std::find(normalized.begin(), normalized.end(), h) != normalized.end(); };
  return has("title") && has("job title");
}

// Yahoo: "First" and "Last" beside a column only Yahoo writes.
bool looks_like_yahoo(const std::vector<std::string>& normalized) {
  auto has = [&](std::string_view h) { return std::find(normalized.begin(), normalized.end(), h) != normalized.end(); };
  return has("first") && has("last") && (has("yahoo phone") || has("alternate email 1") || has("messenger id"));
}

const std::vector<std::string_view> presets = {"google", "outlook", "thunderbird", "yahoo", "wab"};

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

std::size_t data_column_in_header(const std::vector<std::string>& first_row) {
  for (std::size_t i = 0; i < first_row.size(); ++i) {
    if (contact_point::is_valid_email(text::trim(first_row[i]))) return i + 1;
  }
  return 0;
}

std::optional<std::vector<std::string>> thunderbird_columns(const std::vector<std::string>& first_row) {
  std::vector<std::string> columns = {
      "First Name",   "Last Name",     "Display Name", "Nickname",      "Primary Email", "Secondary Email",
      "Work Phone",   "Home Phone",    "Fax Number",   "Pager Number",  "Mobile Number", "Home Address",
      "Home Address 2", "Home City",   "Home State",   "Home ZipCode",  "Home Country",  "Work Address",
      "Work Address 2", "Work City",   "Work State",   "Work ZipCode",  "Work Country",  "Job Title",
      "Department",   "Organization",  "Web Page 1",   "Web Page 2",    "Birth Year",    "Birth Month",
      "Birth Day",    "Custom 1",      "Custom 2",     "Custom 3",      "Custom 4",      "Notes"};
  const std::size_t n = first_row.size();
  const bool trailing_comma = n > 0 && text::trim(first_row.back()).empty();
  if (n == 37 && !trailing_comma) columns.insert(columns.begin() + 6, "Screen Name");
  else if (n == 38 && trailing_comma) columns.insert(columns.begin() + 6, "Screen Name");
  else if (n != 36 && n != 37) return std::nullopt;
  if (columns.size() < n) columns.emplace_back(); // the trailing comma's empty column
  return columns;
}

void check_preset(std::string_view preset) {
  if (std::find(presets.begin(), presets.end(), preset) != presets.end()) return;
  throw Error(ErrorKind::usage, fmt::format("unknown preset '{}'", preset),
              {"presets: google, outlook, thunderbird, yahoo, wab (Windows Contacts)"});
}

std::vector<ColumnRole> map_columns(const RecordType& type, const std::vector<std::string>& header,
                                    std::string_view preset,
                                    const std::vector<std::pair<std::string, std::string>>& maps) {
  if (!preset.empty()) check_preset(preset);
  std::vector<std::string> normalized;
  for (const auto& h : header) normalized.push_back(normalize_header(h));
  const bool outlook = preset == "outlook" || (preset.empty() && looks_like_outlook(normalized));
  const bool yahoo = preset == "yahoo" || (preset.empty() && looks_like_yahoo(normalized));
  std::vector<ColumnRole> roles;
  for (std::size_t i = 0; i < header.size(); ++i) {
    // "custom.vat_id" / "social.linkedin": one entry of a map field, as export writes it.
    const auto dot = header[i].find('.');
    const auto* map_field = dot == std::string::npos ? nullptr : type.field(text::trim(header[i].substr(0, dot)));
    ColumnRole r = map_field && map_field->kind == model::FieldKind::map
                       ? role_of(Kind::field, map_field->key, "", "", text::trim(header[i].substr(dot + 1)))
                       : classify(type, normalized[i], outlook, yahoo);
    if (r.kind == Kind::custom) r.field = custom_key(header[i]);
    r.header = header[i];
    roles.push_back(std::move(r));
  }
  if (outlook)
    for (auto& r : roles) r.us_dates = true;
  std::vector<bool> mapped(roles.size(), false);
  for (const auto& [column, field] : maps) {
    const std::string want = text::casefold(text::trim(column));
    bool found = false;
    for (std::size_t i = 0; i < roles.size(); ++i) {
      auto& r = roles[i];
      if (text::casefold(text::trim(r.header)) != want) continue;
      found = true;
      mapped[i] = true;
      const std::string f = text::trim(field);
      if (f == "skip" || f == "-") {
        r.kind = Kind::skip;
      } else if (f.starts_with("custom.")) {
        r = role_of(Kind::custom, f.substr(7));
      } else {
        std::string key = f == "email" || f == "phone" || f == "tag" || f == "note" ? f + "s" : f;
        const auto* fd = type.field(key);
        const bool event_key = !is_contact(type) && !is_company(type) &&
                               (key == "items" || key == "product" || key == "quantity" || key == "price" ||
                                key == "paid_by" || key == "at" || key == "contact" || key == "kind");
        if ((!fd || !fd->settable) && !event_key) {
          auto near = model::nearest_keys(type, key);
          throw Error(ErrorKind::usage, fmt::format("--map '{}': '{}' is not a {} field", column, f, type.name),
                      near.empty() ? std::vector<std::string>{"use custom.NAME for a field of your own, or skip"}
                                   : std::vector<std::string>{fmt::format("did you mean '{}'?", near.front())});
        }
        r = field_role(type, key);
      }
      r.header = column;
    }
    if (!found)
      throw Error(ErrorKind::usage, fmt::format("--map '{}': no such column in the header", column),
                  {fmt::format("the columns are: {}", fmt::join(header, ", "))});
  }
  if (!is_contact(type) && !is_company(type)) {
    // A sale's or activity's column that names no field is refused unless --map
    // makes it custom.NAME: an unknown column there is more often a mistake.
    for (std::size_t i = 0; i < roles.size(); ++i)
      if (const auto& r = roles[i]; r.kind == Kind::custom && !mapped[i])
        throw Error(ErrorKind::usage, fmt::format("column '{}' is no {} field", r.header, type.name),
                    {fmt::format("map it with --map '{0}=FIELD' or --map '{0}=custom.{1}', or leave it out with --map '{0}=skip'",
                                 r.header, custom_key(r.header))});
  }
  return roles;
}

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
