#include "ops/exchange/import_columns.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ops/exchange/import_columns_impl.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
using namespace columns_impl;

namespace {

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

} // namespace

namespace columns_impl {

std::string custom_key(std::string_view header) {
  std::string key = normalize_header(header);
  std::replace(key.begin(), key.end(), ' ', '_');
  return key.empty() ? "column" : key;
}

ColumnRole role_of(Kind kind, std::string_view field, std::string label, std::string group, std::string part) {
  ColumnRole r;
  r.kind = kind;
  r.field = std::string(field);
  r.label = std::move(label);
  r.group = std::move(group);
  r.part = std::move(part);
  return r;
}

} // namespace columns_impl

namespace {

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

// Sales and activities: the importer reads these keys (see Importer::add_event, import_rows.cpp).
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

} // namespace crm::ops
