// A vCard as a contact record: contact_from_card and what it reads (dates,
// countries, labels, photos); see ops/exchange/contact_vcard.hpp.

#include "ops/exchange/contact_vcard.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "ops/exchange/card_text.hpp"
#include "ops/records/records.hpp"
#include "util/contact_point.hpp"
#include "util/country.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using card_text::is_pref;
using card_text::lower;
using card_text::one_line;
using card_text::string_field;
using model::Record;
using vcard::Property;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

std::string group_key(std::string_view group) { return lower(group); }

// Parameters beyond a bare preference: a TYPE (work, home...), LABEL, GEO...
bool has_params_beyond_pref(const Property& p) {
  for (const auto& param : p.params) {
    if (param.name == "PREF") continue;
    if (param.name != "TYPE") return true;
    for (const auto& v : param.values)
      if (lower(text::trim(v)) != "pref") return true;
  }
  return false;
}

// Apple's built-in labels ("_$!<HomeFAX>!$_") in crm's words; custom labels as they are.
std::string label_from_ablabel(std::string_view text) {
  std::string label = one_line(text);
  if (label.size() > 8 && label.rfind("_$!<", 0) == 0 && label.substr(label.size() - 4) == ">!$_") {
    label = lower(label.substr(4, label.size() - 8));
    if (label == "homefax" || label == "workfax" || label == "otherfax") return "fax";
    if (label == "iphone" || label == "cell") return "mobile";
  }
  return label;
}

std::string label_from_types(const Property& p) {
  std::vector<std::string> types;
  for (const auto& v : vcard::param_values(p, "TYPE")) {
    std::string t = lower(text::trim(v));
    if (!t.empty()) types.push_back(t);
  }
  const auto has = [&](std::initializer_list<std::string_view> any) {
    return std::any_of(types.begin(), types.end(),
                       [&](const std::string& t) { return std::find(any.begin(), any.end(), t) != any.end(); });
  };
  // A home or work fax stays one ("work-fax": a label is a word): export writes TYPE=work,fax.
  if (has({"fax", "homefax", "workfax"})) {
    if (has({"home", "homefax"})) return "home-fax";
    if (has({"work", "workfax"})) return "work-fax";
    return "fax";
  }
  if (has({"cell", "mobile", "iphone"})) return "mobile";
  if (has({"pager"})) return "pager";
  for (const auto& t : types)
    if (t == "home" || t == "work") return t;
  if (has({"other"})) return "other";
  if (has({"main"})) return "main";
  static const std::set<std::string, std::less<>> ignored = {"pref", "voice", "internet", "x400", "msg", "text",
                                                             "postal", "parcel", "dom", "intl", "uri"};
  for (const auto& t : types)
    if (!ignored.count(t)) return t;
  return "";
}

std::optional<std::string> network_of_im_property(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> networks = {
      {"X-AIM", "aim"},       {"X-ICQ", "icq"},         {"X-JABBER", "jabber"},        {"X-MSN", "msn"},
      {"X-YAHOO", "yahoo"},   {"X-SKYPE", "skype"},     {"X-SKYPE-USERNAME", "skype"}, {"X-GTALK", "gtalk"},
      {"X-GOOGLE-TALK", "gtalk"}, {"X-QQ", "qq"},      {"X-GADUGADU", "gadugadu"},    {"X-TWITTER", "twitter"}};
  if (auto it = networks.find(name); it != networks.end()) return it->second;
  return std::nullopt;
}

// The network a profile URL is on, for X-SOCIALPROFILE without a TYPE.
std::string network_of_url(std::string_view url) {
  static const std::pair<std::string_view, std::string_view> hosts[] = {
      {"twitter.com", "twitter"},   {"x.com", "twitter"},       {"linkedin.com", "linkedin"},
      {"facebook.com", "facebook"}, {"instagram.com", "instagram"}, {"github.com", "github"}};
  const std::string u = lower(url);
  for (const auto& [host, network] : hosts)
    if (u.find("://" + std::string(host)) != std::string::npos || u.find("." + std::string(host)) != std::string::npos)
      return std::string(network);
  return "";
}

std::string photo_extension(std::string_view bytes) {
  const auto at = [&](std::size_t i) { return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0x100u; };
  if (at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF) return "jpg";
  if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "png";
  if (bytes.substr(0, 4) == "GIF8") return "gif";
  if (bytes.substr(0, 2) == "BM" && bytes.size() > 26) return "bmp";
  if (bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") return "webp";
  return "";
}

// "scheme:..." (http:, https:, cid:...), as opposed to base64 text.
bool looks_like_uri(std::string_view v) {
  const auto colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(v[0]))) return false;
  return std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

struct Mapper {
  const vcard::Card& card;
  ContactFromCard out;
  Record& c = out.contact;
  std::vector<bool> extra;                      // per property: goes to vcard_extra
  std::map<std::string, std::size_t> ablabels;  // group -> its X-ABLabel property
  std::set<std::string> labels_used;            // groups whose X-ABLabel labelled an email or phone
  std::set<std::string> email_keys, numbers, networks;
  std::vector<std::size_t> addresses;
  std::optional<std::size_t> org_line, url_line; // the ORG and URL that set company and website
  bool n_seen = false, org_seen = false, pref_email = false, pref_phone = false;
  std::string first_email;

  explicit Mapper(const vcard::Card& card_) : card(card_), extra(card_.properties.size(), true) {
    c = Record::object();
    out.warnings = card.warnings;
  }

  // The value as text, with CRLF or CR line breaks (quoted-printable =0D=0A) as LF.
  std::string text_of(const Property& p) const { return decode(p.value); }
  std::string decode(std::string_view escaped) const {
    const std::string t = vcard::unescape(escaped, card.version);
    std::string out;
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (t[k] != '\r') out += t[k];
      else if (k + 1 == t.size() || t[k + 1] != '\n') out += '\n';
    }
    return out;
  }

  std::string label_for(const Property& p) {
    if (!p.group.empty()) {
      if (auto it = ablabels.find(group_key(p.group)); it != ablabels.end()) {
        std::string label = label_from_ablabel(text_of(card.properties[it->second]));
        if (!label.empty()) {
          labels_used.insert(group_key(p.group));
          return label;
        }
      }
    }
    return label_from_types(p);
  }

  // The first non-empty value of a one-field property sets the field; later ones stay extra.
  bool set_once(std::string_view key, std::string value, std::size_t i) {
    if (value.empty()) {
      extra[i] = false;
      return true;
    }
    if (c.contains(std::string(key))) return false;
    c[std::string(key)] = std::move(value);
    extra[i] = false;
    return true;
  }

  void email(const Property& p, std::size_t i) {
    std::string address = text::trim(one_line(text_of(p)));
    if (starts_with_ci(address, "mailto:")) address = address.substr(7);
    if (address.empty()) {
      extra[i] = false;
      return;
    }
    if (first_email.empty()) first_email = address;
    if (!contact_point::is_valid_email(address)) {
      out.warnings.push_back(fmt::format("line {}: email '{}' is not valid: kept in vcard_extra", p.line, address));
      return;
    }
    extra[i] = false;
    if (!email_keys.insert(contact_point::email_key(address)).second) return;
    Record e = Record::object();
    e["address"] = address;
    if (auto label = label_for(p); !label.empty()) e["label"] = label;
    add_first_if_pref(c["emails"], std::move(e), p, pref_email);
  }

  void phone(const Property& p, std::size_t i) {
    std::string number = one_line(text_of(p));
    if (starts_with_ci(number, "tel:")) number = number.substr(4);
    if (number.empty()) {
      extra[i] = false;
      return;
    }
    if (!contact_point::looks_like_phone(number)) {
      out.warnings.push_back(
          fmt::format("line {}: phone '{}' does not look like a phone number: kept in vcard_extra", p.line, number));
      return;
    }
    extra[i] = false;
    if (!numbers.insert(number).second) return;
    Record e = Record::object();
    e["number"] = number;
    if (auto label = label_for(p); !label.empty()) e["label"] = label;
    add_first_if_pref(c["phones"], std::move(e), p, pref_phone);
  }

  // The preferred address or number goes first: crm takes the first as the main one.
  static void add_first_if_pref(Record& list, Record entry, const Property& p, bool& pref_seen) {
    if (list.is_null()) list = Record::array();
    if (is_pref(p) && !pref_seen) {
      pref_seen = true;
      list.insert(list.begin(), std::move(entry));
    } else {
      list.push_back(std::move(entry));
    }
  }

  void name_parts(const Property& p, std::size_t i) {
    if (n_seen) return;
    n_seen = true;
    extra[i] = false;
    const auto parts = vcard::split_components(p.value, ';');
    const auto part = [&](std::size_t k) { return k < parts.size() ? one_line(decode(parts[k])) : ""; };
    static const char* const keys[] = {"family_name", "given_name", "middle_name", "name_prefix", "name_suffix"};
    for (std::size_t k = 0; k < std::size(keys); ++k)
      if (auto v = part(k); !v.empty()) c[keys[k]] = v;
    // Components past the fifth have no field: the line stays.
    for (std::size_t k = std::size(keys); k < parts.size(); ++k) extra[i] = extra[i] || !text::trim(parts[k]).empty();
  }

  void organization(const Property& p, std::size_t i) {
    if (org_seen) return;
    org_seen = true;
    const auto parts = vcard::split_components(p.value, ';');
    const std::string name = one_line(decode(parts[0]));
    if (name.empty()) {
      if (text::trim(p.value).find_first_not_of(';') == std::string::npos) extra[i] = false;
      return;
    }
    c["company"] = name;
    org_line = i;
    bool more = false;
    for (std::size_t k = 1; k < parts.size(); ++k) more = more || !text::trim(parts[k]).empty();
    // The department and units have no field, nor a group or TYPE: the line stays
    // too, and export writes the company into it.
    extra[i] = more || !p.group.empty() || !p.params.empty();
  }

  void website(const Property& p, std::size_t i) {
    const bool was_set = c.contains("website");
    if (!set_once("website", one_line(text_of(p)), i) || was_set || !c.contains("website")) return;
    url_line = i;
    // A TYPE or an item group (with its X-ABLabel) has no field: the line stays,
    // and export writes the website into it.
    extra[i] = !p.group.empty() || !p.params.empty();
  }

  void date(std::string_view key, const Property& p, std::size_t i) {
    const std::string v = text::trim(text_of(p));
    if (v.empty()) {
      extra[i] = false;
      return;
    }
    if (c.contains(std::string(key))) return;
    if (auto d = card_date(v)) {
      c[std::string(key)] = *d;
      extra[i] = false;
    }
  }

  void social(const std::string& network, const Property& p, std::size_t i) {
    const std::string value = one_line(text_of(p));
    if (value.empty()) {
      extra[i] = false;
      return;
    }
    if (network.empty() || !networks.insert(network).second) return;
    c["social"][network] = value;
    extra[i] = false;
  }

  void categories(const Property& p, std::size_t i) {
    extra[i] = false;
    // Split on every comma, escaped or not: writers escape the separators too.
    for (const auto& part : vcard::split_components(text_of(p), ',')) {
      const std::string tag = text::slugify(part, 32, "");
      // A tag is a slug: the line stays when it says more ("Category 1"), so that
      // export writes the text back.
      if (tag != one_line(part) && !one_line(part).empty()) extra[i] = true;
      if (tag.empty()) continue;
      if (!c.contains("tags")) c["tags"] = Record::array();
      auto& tags = c["tags"];
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    }
  }

  void photo(const Property& p, std::size_t i) {
    const std::string value(text::trim(p.value));
    if (value.empty()) {
      extra[i] = false;
      return;
    }
    const auto encodings = vcard::param_values(p, "ENCODING");
    const std::string encoding = encodings.empty() ? "" : lower(encodings.front());
    std::string_view data = value;
    if (encoding != "b" && encoding != "base64") {
      if (starts_with_ci(value, "data:")) {
        const auto comma = value.find(',');
        if (comma == std::string::npos || lower(value.substr(0, comma)).find(";base64") == std::string::npos) {
          out.warnings.push_back(fmt::format("line {}: photo data URI without base64 skipped", p.line));
          extra[i] = false;
          return;
        }
        data = std::string_view(value).substr(comma + 1);
      } else if (looks_like_uri(value)) {
        return; // a URL: kept in vcard_extra
      }
    }
    extra[i] = false;
    std::string bytes;
    try {
      bytes = vcard::decode_base64(data);
    } catch (const Error&) {
      out.warnings.push_back(fmt::format("line {}: photo with bad base64 data skipped", p.line));
      return;
    }
    const std::string extension = photo_extension(bytes);
    if (extension.empty()) {
      out.warnings.push_back(fmt::format("line {}: photo in unknown format skipped", p.line));
      return;
    }
    if (out.photo) {
      out.warnings.push_back(fmt::format("line {}: more than one photo: only the first kept", p.line));
      return;
    }
    out.photo = CardPhoto{std::move(bytes), extension};
  }

  void address() {
    const auto empty = [&](const Property& p) { return text::trim(p.value).find_first_not_of(';') == std::string::npos; };
    std::optional<std::size_t> primary;
    for (auto i : addresses) {
      const auto& p = card.properties[i];
      if (empty(p)) {
        extra[i] = !vcard::param_values(p, "LABEL").empty(); // a 4.0 LABEL with no address parts
        continue;
      }
      if (!primary || (is_pref(p) && !is_pref(card.properties[*primary]))) primary = i;
    }
    if (!primary) return;
    const auto& p = card.properties[*primary];
    const auto parts = vcard::split_components(p.value, ';');
    const auto part = [&](std::size_t k) {
      return k < parts.size() ? text::trim(text::nfc(decode(parts[k]))) : std::string();
    };
    std::string street = part(2);
    if (const auto extended = part(1); !extended.empty()) street += (street.empty() ? "" : "\n") + extended;
    if (auto a = multiline_text(street); !a.empty()) c["address"] = a;
    if (auto v = one_line(part(5)); !v.empty()) c["postal_code"] = v;
    if (auto v = one_line(part(3)); !v.empty()) c["city"] = v;
    if (auto v = one_line(part(4)); !v.empty()) c["region"] = v;
    // A PO box, a TYPE, a group, a country as written ("USA", not US) or more
    // components have no field: the line stays, and export writes the fields into it.
    bool keep_line = !part(0).empty() || parts.size() > 7 || !p.group.empty() || has_params_beyond_pref(p);
    if (const auto country = one_line(part(6)); !country.empty()) {
      auto code = country_code(country);
      if (code) c["country"] = *code;
      keep_line = keep_line || !code || *code != country;
    }
    // When other addresses stay, so does this one, so that export tells which is the field's.
    for (auto i : addresses) keep_line = keep_line || (i != *primary && extra[i]);
    extra[*primary] = keep_line;
  }

  // When a later URL or ORG stays in vcard_extra, the one that set the field stays
  // too (export writes the field into the first one).
  void keep_first_of_kept(const std::optional<std::size_t>& first, std::string_view name) {
    if (!first) return;
    for (std::size_t i = *first + 1; i < card.properties.size(); ++i)
      if (extra[i] && card.properties[i].name == name) extra[*first] = true;
  }

  void map() {
    const auto& props = card.properties;
    for (std::size_t i = 0; i < props.size(); ++i)
      if (props[i].name == "X-ABLABEL" && !props[i].group.empty()) ablabels.emplace(group_key(props[i].group), i);
    for (std::size_t i = 0; i < props.size(); ++i) {
      const auto& p = props[i];
      const std::string& n = p.name;
      if (n == "FN") set_once("name", one_line(text_of(p)), i);
      else if (n == "N") name_parts(p, i);
      else if (n == "EMAIL") email(p, i);
      else if (n == "TEL") phone(p, i);
      else if (n == "ORG") organization(p, i);
      else if (n == "TITLE") set_once("title", one_line(text_of(p)), i);
      else if (n == "ADR") addresses.push_back(i);
      else if (n == "URL") website(p, i);
      else if (n == "BDAY") date("birthday", p, i);
      else if (n == "ANNIVERSARY" || n == "X-ANNIVERSARY" || n == "X-MS-ANNIVERSARY" || n == "X-EVOLUTION-ANNIVERSARY")
        date("anniversary", p, i);
      else if (n == "NOTE") set_once("notes", multiline_text(text_of(p)), i);
      else if (n == "CATEGORIES") categories(p, i);
      else if (n == "PHOTO") photo(p, i);
      else if (n == "PRODID" || n == "REV" || n == kRejectReasonProperty) extra[i] = false;
      else if (n == "X-SOCIALPROFILE") {
        const auto types = vcard::param_values(p, "TYPE");
        std::string network = types.empty() ? "" : lower(text::trim(types.front()));
        if (network.empty()) network = network_of_url(text_of(p));
        social(network, p, i);
      } else if (n == "IMPP") {
        const auto services = vcard::param_values(p, "X-SERVICE-TYPE");
        std::string network = services.empty() ? "" : lower(text::trim(services.front()));
        const std::string value = text_of(p);
        if (network.empty() && looks_like_uri(value)) network = lower(value.substr(0, value.find(':')));
        social(network, p, i);
      } else if (auto network = network_of_im_property(n)) {
        social(*network, p, i);
      }
    }
    address();
    keep_first_of_kept(org_line, "ORG");
    keep_first_of_kept(url_line, "URL");
    for (const auto& [group, i] : ablabels)
      if (labels_used.count(group)) extra[i] = false;
    std::string lines;
    for (std::size_t i = 0; i < props.size(); ++i)
      if (extra[i]) lines += vcard::modern_line(props[i], card.version) + "\n";
    if (auto v = multiline_text(lines); !v.empty()) c["vcard_extra"] = v;
  }
};

} // namespace

std::optional<std::string> country_code(std::string_view text) { return country::code_of(text); }

std::optional<std::string> card_date(std::string_view value) {
  std::string v = text::trim(value);
  if (const auto t = v.find('T'); t != std::string::npos) v.resize(t);
  const auto digits = [&](std::size_t from, std::size_t n) {
    return v.size() >= from + n &&
           std::all_of(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string date;
  if (v.size() == 8 && digits(0, 8)) date = v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2);
  else if (v.size() == 6 && v.rfind("--", 0) == 0 && digits(2, 4)) date = "--" + v.substr(2, 2) + "-" + v.substr(4, 2);
  else date = v;
  if (!time::is_valid_date_or_month_day(date)) return std::nullopt;
  return date;
}

ContactFromCard contact_from_card(const vcard::Card& card, std::string_view source_name) {
  Mapper m(card);
  m.map();
  Record& c = m.out.contact;
  if (!c.contains("name")) {
    std::string name;
    for (const char* key : {"given_name", "family_name"}) {
      const std::string part = string_field(c, key);
      if (!part.empty()) name += (name.empty() ? "" : " ") + part;
    }
    if (name.empty()) name = string_field(c, "company");
    if (name.empty()) name = one_line(m.first_email);
    if (name.empty())
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: card has no name", source_name, card.line),
                  {"a card needs FN, N, ORG or EMAIL"});
    c["name"] = name;
  }
  // N ";NAME;;;" says no more than FN (export writes it so for a contact without
  // name parts): not a given name of its own.
  if (string_field(c, "given_name") == string_field(c, "name")) {
    bool other_parts = false;
    for (const char* key : {"family_name", "middle_name", "name_prefix", "name_suffix"})
      other_parts = other_parts || c.contains(key);
    if (!other_parts) c.erase("given_name");
  }
  c = model::in_field_order(model::contact_type(), c);
  return std::move(m.out);
}

} // namespace crm::ops
