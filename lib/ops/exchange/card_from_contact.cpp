// A contact as a vCard: card_from_contact, and the cards of the contacts a
// filter selects, for export; see ops/exchange/contact_vcard.hpp.

#include "ops/exchange/contact_vcard.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "ops/exchange/card_text.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

namespace crm::ops {
namespace {

using card_text::is_pref;
using card_text::lower;
using card_text::one_line;
using card_text::string_field;
using model::Record;
using vcard::Property;

// A multi-line field's text as a vCard value: without the final newline.
std::string without_final_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string date_for_card(const std::string& date, std::string_view version) {
  if (version == "3.0") return date;
  std::string out;
  for (std::size_t k = 0; k < date.size(); ++k)
    if (date[k] != '-' || k < 2) out += date[k];
  return out; // 19800322, --0322
}

// A UID for a contact whose card had none: made from its id, so that the same
// contact always gets the same one. A UUID of version 8 (RFC 9562: a custom
// hash; two FNV-1a hashes of the id make its 128 bits).
std::string uid_for(std::string_view id) {
  const auto fnv1a = [&](std::string_view salt) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::string_view part : {salt, id})
      for (unsigned char c : part) {
        h ^= c;
        h *= 0x100000001b3ULL;
      }
    return h;
  };
  std::uint64_t high = fnv1a("crm contact uid 1:"), low = fnv1a("crm contact uid 2:");
  high = (high & ~0xF000ULL) | 0x8000ULL;                         // version 8
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // variant 10
  return fmt::format("urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                     low >> 48, low & 0xFFFFFFFFFFFFULL);
}

std::string media_type_of(std::string_view extension) {
  if (extension == "jpg") return "image/jpeg";
  if (extension.empty()) return "application/octet-stream";
  return "image/" + std::string(extension);
}

// The TYPE values that tell one address (or label) from another: home, work...
std::set<std::string> kind_types(const Property& p) {
  static const std::set<std::string, std::less<>> not_kinds = {"pref", "postal", "parcel", "dom", "intl"};
  std::set<std::string> out;
  for (const auto& v : vcard::param_values(p, "TYPE"))
    if (auto t = lower(text::trim(v)); !t.empty() && !not_kinds.count(t)) out.insert(t);
  return out;
}

std::string join_components(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// 4.0 has no ENCODING: base64 kept from an older card becomes a data: URI.
void base64_to_data_uri(Property& p) {
  const auto encodings = vcard::param_values(p, "ENCODING");
  if (encodings.empty()) return;
  const std::string encoding = lower(text::trim(encodings.front()));
  if (encoding != "b" && encoding != "base64") return;
  std::string media = "application/octet-stream";
  std::vector<vcard::Param> params;
  for (auto& param : p.params) {
    if (param.name == "ENCODING") continue;
    if (param.name == "TYPE" && param.values.size() == 1 && (p.name == "PHOTO" || p.name == "LOGO" || p.name == "SOUND")) {
      const std::string t = lower(text::trim(param.values.front()));
      if (t.find('/') != std::string::npos) media = t;
      else media = (p.name == "SOUND" ? "audio/" : "image/") + (t == "jpg" ? std::string("jpeg") : t);
      continue;
    }
    params.push_back(std::move(param));
  }
  p.params = std::move(params);
  p.value = fmt::format("data:{};base64,{}", media, p.value);
  p.raw.clear();
}

// 3.0 has no data: URIs: one kept from a 4.0 card becomes ENCODING=b (its media
// type a TYPE, as 3.0 writes it: image/jpeg -> JPEG).
void data_uri_to_base64(Property& p) {
  const std::string v = lower(p.value.substr(0, std::min<std::size_t>(p.value.size(), 100)));
  const auto comma = p.value.find(',');
  if (v.rfind("data:", 0) != 0 || comma == std::string::npos || v.substr(0, comma).find(";base64") == std::string::npos)
    return;
  const std::string media = v.substr(5, v.find(';') - 5);
  if (const auto slash = media.find('/'); slash != std::string::npos && vcard::param_values(p, "TYPE").empty() &&
                                          media != "application/octet-stream") {
    std::string type = media.substr(slash + 1);
    for (auto& ch : type) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    p.params.push_back({"TYPE", {type}});
  }
  p.params.push_back({"ENCODING", {"b"}});
  p.value = p.value.substr(comma + 1);
  p.raw.clear();
}

} // namespace

vcard::Card card_from_contact(const Record& contact, std::string_view company_name, std::string_view version,
                              const std::optional<CardPhoto>& photo) {
  vcard::Card card;
  card.version = std::string(version);
  const bool v3 = version == "3.0";
  // What the card held without a field. The ORG, ADR and URL whose text became the
  // company, address and website are written once, with the field's text, and
  // CATEGORIES give the tags their text back: none is written a second time.
  std::vector<Property> extras;
  std::set<std::string> taken_groups;
  if (const std::string extra = string_field(contact, "vcard_extra"); !extra.empty()) {
    std::size_t start = 0;
    while (start <= extra.size()) {
      auto end = extra.find('\n', start);
      if (end == std::string::npos) end = extra.size();
      std::string line = extra.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!text::trim(line).empty()) {
        extras.push_back(vcard::parse_line(line));
        taken_groups.insert(lower(extras.back().group));
      }
      start = end + 1;
    }
  }
  std::vector<bool> used(extras.size(), false);
  const auto first_extra = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < extras.size(); ++i)
      if (!used[i] && extras[i].name == name) return i;
    return std::nullopt;
  };
  const auto drop_extras = [&](std::string_view name) {
    for (std::size_t i = 0; i < extras.size(); ++i)
      if (extras[i].name == name) used[i] = true;
  };
  int next_group = 1;
  const auto new_group = [&] {
    std::string g;
    do g = fmt::format("item{}", next_group++);
    while (taken_groups.count(g));
    return g;
  };
  const auto add = [&](std::string name, std::string value, std::vector<vcard::Param> params = {},
                       std::string group = {}) {
    Property p;
    p.group = std::move(group);
    p.name = std::move(name);
    p.params = std::move(params);
    p.value = std::move(value);
    card.properties.push_back(std::move(p));
  };
  // A kept line with the field's value written into it, in place of the field's own line.
  const auto add_dressed = [&](std::size_t i, std::string value) {
    Property p = extras[i];
    // The line as it was written up to its value, so that it reads back the same.
    if (!p.raw.empty() && p.raw.size() >= p.value.size()) p.raw = p.raw.substr(0, p.raw.size() - p.value.size()) + value;
    else p.raw.clear();
    p.value = std::move(value);
    used[i] = true;
    card.properties.push_back(std::move(p));
  };
  // Standard types where a vCard has one; any other label in an item group's
  // X-ABLabel. The first of several is the preferred one.
  const auto add_labelled = [&](const char* name, const std::string& value, const std::string& label, bool pref) {
    static const std::map<std::string, std::string, std::less<>> standard = {
        {"home", "home"}, {"work", "work"}, {"mobile", "cell"}, {"fax", "fax"}, {"pager", "pager"}};
    std::vector<std::string> types;
    std::string group;
    // "work-fax": each part a standard type.
    for (std::size_t start = 0; !label.empty() && start <= label.size();) {
      const auto end = std::min(label.find('-', start), label.size());
      const auto it = standard.find(std::string_view(label).substr(start, end - start));
      if (it == standard.end()) {
        types.clear();
        group = new_group();
        break;
      }
      types.push_back(it->second);
      start = end + 1;
    }
    if (pref && v3) types.push_back("pref");
    std::vector<vcard::Param> params;
    if (!types.empty()) params.push_back({"TYPE", types});
    if (pref && !v3) params.push_back({"PREF", {"1"}});
    add(name, vcard::escape(value), std::move(params), group);
    if (!group.empty()) add("X-ABLabel", vcard::escape(label), {}, group);
  };

  const std::string name = string_field(contact, "name");
  add("FN", vcard::escape(name));
  {
    static const char* const keys[] = {"family_name", "given_name", "middle_name", "name_prefix", "name_suffix"};
    std::vector<std::string> parts;
    bool any = false;
    for (const char* key : keys) {
      parts.push_back(vcard::escape(string_field(contact, key)));
      any = any || !parts.back().empty();
    }
    // Without name parts the whole name is the given name: a reader that shows N
    // shows the same person as FN.
    if (!any) parts[1] = vcard::escape(name);
    add("N", join_components(parts, ';'));
    drop_extras("N");
  }
  if (auto uid = first_extra("UID")) {
    card.properties.push_back(extras[*uid]);
    used[*uid] = true;
  } else {
    add("UID", uid_for(string_field(contact, "id")));
  }
  for (const char* key : {"emails", "phones"}) {
    auto it = contact.find(key);
    if (it == contact.end() || !it->is_array()) continue;
    bool first = true; // the first is the main one: written preferred
    for (const auto& e : *it) {
      const bool is_email = std::string_view(key) == "emails";
      add_labelled(is_email ? "EMAIL" : "TEL", string_field(e, is_email ? "address" : "number"),
                   string_field(e, "label"), first);
      first = false;
    }
  }
  if (!company_name.empty()) {
    if (auto org = first_extra("ORG")) {
      auto parts = vcard::split_components(extras[*org].value, ';');
      parts[0] = vcard::escape(company_name);
      add_dressed(*org, join_components(parts, ';'));
    } else {
      add("ORG", vcard::escape(company_name));
    }
  }
  if (auto v = string_field(contact, "title"); !v.empty()) add("TITLE", vcard::escape(v));
  const std::string address = without_final_newline(string_field(contact, "address"));
  const std::string city = string_field(contact, "city"), region = string_field(contact, "region");
  const std::string postal = string_field(contact, "postal_code"), country = string_field(contact, "country");
  if (!address.empty() || !city.empty() || !region.empty() || !postal.empty() || !country.empty()) {
    // The kept line of the address the fields came from: the first preferred one, else the first.
    std::optional<std::size_t> kept;
    bool other_addresses = false;
    for (std::size_t i = 0; i < extras.size(); ++i) {
      if (extras[i].name != "ADR" || text::trim(extras[i].value).find_first_not_of(';') == std::string::npos) continue;
      other_addresses = true;
      if (!kept || (is_pref(extras[i]) && !is_pref(extras[*kept]))) kept = i;
    }
    if (kept) {
      auto parts = vcard::split_components(extras[*kept].value, ';');
      if (parts.size() < 7) parts.resize(7);
      const auto text_of_part = [&](std::size_t k) { return text::trim(text::nfc(vcard::unescape(parts[k]))); };
      std::string street = text_of_part(2);
      if (const auto extended = text_of_part(1); !extended.empty()) street += (street.empty() ? "" : "\n") + extended;
      if (multiline_text(street) != string_field(contact, "address")) {
        parts[1].clear();
        parts[2] = vcard::escape(address);
      }
      parts[3] = vcard::escape(city);
      parts[4] = vcard::escape(region);
      parts[5] = vcard::escape(postal);
      // The country as the card wrote it while it still names the field's country
      // (or names none, and the field is empty).
      const auto kept_code = country_code(vcard::unescape(parts[6]));
      if (country.empty() ? kept_code.has_value() : kept_code.value_or("") != country) parts[6] = vcard::escape(country);
      add_dressed(*kept, join_components(parts, ';'));
    } else {
      // Marked preferred when vcard_extra holds other addresses, so that it stays the one read back.
      std::vector<vcard::Param> params;
      if (other_addresses) params.push_back(v3 ? vcard::Param{"TYPE", {"pref"}} : vcard::Param{"PREF", {"1"}});
      add("ADR",
          ";;" + vcard::escape(address) + ";" + vcard::escape(city) + ";" + vcard::escape(region) + ";" +
              vcard::escape(postal) + ";" + vcard::escape(country),
          std::move(params));
    }
  }
  if (auto v = string_field(contact, "website"); !v.empty()) {
    if (auto url = first_extra("URL")) add_dressed(*url, v);
    else add("URL", v);
  }
  if (auto v = string_field(contact, "birthday"); !v.empty()) add("BDAY", date_for_card(v, version));
  if (auto v = string_field(contact, "anniversary"); !v.empty())
    add(v3 ? "X-ANNIVERSARY" : "ANNIVERSARY", date_for_card(v, version));
  if (auto v = without_final_newline(string_field(contact, "notes")); !v.empty()) add("NOTE", vcard::escape(v));
  {
    // The text each tag came from ("Category 1" for category-1); a category with no
    // slug at all is written as it came.
    std::map<std::string, std::string> text_of_tag;
    std::vector<std::string> categories, without_slug;
    for (std::size_t i = 0; i < extras.size(); ++i) {
      if (extras[i].name != "CATEGORIES") continue;
      used[i] = true;
      for (const auto& part : vcard::split_components(vcard::unescape(extras[i].value), ',')) {
        const std::string text = one_line(part);
        if (text.empty()) continue;
        const std::string tag = text::slugify(text, 32, "");
        if (tag.empty()) without_slug.push_back(text);
        else text_of_tag.emplace(tag, text);
      }
    }
    if (auto it = contact.find("tags"); it != contact.end() && it->is_array())
      for (const auto& t : *it)
        if (t.is_string()) {
          auto found = text_of_tag.find(t.get<std::string>());
          categories.push_back(found != text_of_tag.end() ? found->second : t.get<std::string>());
        }
    categories.insert(categories.end(), without_slug.begin(), without_slug.end());
    std::string value;
    for (const auto& c : categories) value += (value.empty() ? "" : ",") + vcard::escape(c);
    if (!value.empty()) add("CATEGORIES", value);
  }
  if (auto it = contact.find("social"); it != contact.end() && it->is_object())
    for (const auto& [network, value] : it->items())
      if (value.is_string()) add("X-SOCIALPROFILE", vcard::escape(value.get<std::string>()), {{"TYPE", {network}}});
  if (photo) {
    drop_extras("PHOTO");
    const std::string data = vcard::encode_base64(photo->bytes);
    if (v3) {
      std::string type = photo->extension == "jpg" ? "JPEG" : photo->extension;
      for (auto& ch : type) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      add("PHOTO", data, {{"ENCODING", {"b"}}, {"TYPE", {type}}});
    } else {
      add("PHOTO", fmt::format("data:{};base64,{}", media_type_of(photo->extension), data));
    }
  }
  std::vector<Property> labels; // 4.0: LABEL is a parameter of the ADR it labels
  for (std::size_t i = 0; i < extras.size(); ++i) {
    if (used[i]) continue;
    Property p = std::move(extras[i]);
    if (!v3 && p.name == "LABEL") {
      labels.push_back(std::move(p));
      continue;
    }
    if (!v3) base64_to_data_uri(p);
    else data_uri_to_base64(p);
    card.properties.push_back(std::move(p));
  }
  if (v3) {
    // 3.0: an ADR's LABEL parameter (from a 4.0 card) is a LABEL property after it.
    for (std::size_t i = 0; i < card.properties.size(); ++i) {
      Property& adr = card.properties[i];
      const auto label = vcard::param_values(adr, "LABEL");
      if (adr.name != "ADR" || label.empty()) continue;
      Property line;
      line.group = adr.group;
      line.name = "LABEL";
      std::vector<vcard::Param> kept;
      for (auto& param : adr.params) {
        if (param.name == "LABEL") continue;
        if (param.name == "TYPE") line.params.push_back(param);
        kept.push_back(std::move(param));
      }
      adr.params = std::move(kept);
      adr.raw.clear();
      line.value = vcard::escape(vcard::unescape(label.front()));
      card.properties.insert(card.properties.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(line));
    }
  }
  for (const auto& label : labels) {
    const std::string text = vcard::unescape(label.value);
    const auto kinds = kind_types(label);
    Property* target = nullptr;
    for (auto& p : card.properties)
      if (p.name == "ADR" && vcard::param_values(p, "LABEL").empty() && kind_types(p) == kinds) {
        target = &p;
        break;
      }
    if (target) {
      target->params.push_back({"LABEL", {text}});
      target->raw.clear();
    } else {
      std::vector<vcard::Param> params;
      for (const auto& param : label.params)
        if (param.name == "TYPE") params.push_back(param);
      params.push_back({"LABEL", {text}});
      add("ADR", ";;;;;;", std::move(params), label.group);
    }
  }
  return card;
}

void contact_cards(Session& session, const index::SqlExpr& where, std::string_view version,
                   const std::function<void(const vcard::Card&)>& each) {
  if (version != "3.0" && version != "4.0")
    throw Error(ErrorKind::usage, fmt::format("unsupported vCard version '{}' (expected 3.0 or 4.0)", version));
  index::ListQuery query;
  query.where = where;
  query.sort = "id";
  std::map<std::string, std::string> company_names;
  const std::filesystem::path files = session.workspace().root() / "files";
  list_records_json(session, model::contact_type(), query, [&](std::string_view json) {
    const Record contact = Record::parse(json);
    std::string company;
    if (const std::string id = string_field(contact, "company"); !id.empty()) {
      auto it = company_names.find(id);
      if (it == company_names.end()) {
        const auto record = session.index().get(model::company_type(), id);
        it = company_names.emplace(id, record ? string_field(*record, "name") : "").first;
      }
      company = it->second;
    }
    each(card_from_contact(contact, company, version, photo_of(files / string_field(contact, "id"))));
  });
}

std::optional<CardPhoto> photo_of(const std::filesystem::path& dir) {
  // The photo import writes: files/<id>/photo.<extension>.
  for (const char* extension : {"jpg", "png", "gif", "bmp", "webp"}) {
    const std::filesystem::path path = dir / fmt::format("photo.{}", extension);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    return CardPhoto{fs::read_file(path), extension};
  }
  return std::nullopt;
}

} // namespace crm::ops
