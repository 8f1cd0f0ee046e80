#include "ops/contact_vcard.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <ostream>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "ops/records.hpp"
#include "util/contact_point.hpp"
#include "util/country.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Record;
using vcard::Property;

std::string lower(std::string_view s) { return text::ascii_lower(s); }

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

// Text for a one-line field: line breaks become spaces, NFC, trimmed.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  return text::trim(text::nfc(out));
}

// A multi-line field's text as a vCard value: without the final newline.
std::string without_final_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string group_key(std::string_view group) { return lower(group); }

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
  if (has({"fax", "homefax", "workfax"})) return "fax";
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
  bool n_seen = false, org_seen = false;
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
    c["emails"].push_back(std::move(e));
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
    c["phones"].push_back(std::move(e));
  }

  void name_parts(const Property& p, std::size_t i) {
    if (n_seen) return;
    n_seen = true;
    extra[i] = false;
    const auto parts = vcard::split_components(p.value, ';');
    const auto part = [&](std::size_t k) { return k < parts.size() ? one_line(decode(parts[k])) : ""; };
    if (auto family = part(0); !family.empty()) c["family_name"] = family;
    if (auto given = part(1); !given.empty()) c["given_name"] = given;
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
    bool more = false;
    for (std::size_t k = 1; k < parts.size(); ++k) more = more || !text::trim(parts[k]).empty();
    extra[i] = more; // the department and units have no field: the line stays too
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
    const auto is_pref = [&](const Property& p) {
      return vcard::has_type(p, "pref") || !vcard::param_values(p, "PREF").empty();
    };
    const auto empty = [&](const Property& p) { return text::trim(p.value).find_first_not_of(';') == std::string::npos; };
    std::optional<std::size_t> primary;
    for (auto i : addresses) {
      const auto& p = card.properties[i];
      if (empty(p)) {
        extra[i] = false;
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
    bool keep_line = !part(0).empty(); // a PO box has no field
    if (const auto country = one_line(part(6)); !country.empty()) {
      if (auto code = country_code(country)) c["country"] = *code;
      else keep_line = true;
    }
    extra[*primary] = keep_line;
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
      else if (n == "URL") set_once("website", one_line(text_of(p)), i);
      else if (n == "BDAY") date("birthday", p, i);
      else if (n == "ANNIVERSARY" || n == "X-ANNIVERSARY" || n == "X-MS-ANNIVERSARY" || n == "X-EVOLUTION-ANNIVERSARY")
        date("anniversary", p, i);
      else if (n == "NOTE") set_once("notes", multiline_text(text_of(p)), i);
      else if (n == "CATEGORIES") categories(p, i);
      else if (n == "PHOTO") photo(p, i);
      else if (n == "PRODID" || n == "REV") extra[i] = false;
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
    for (const auto& [group, i] : ablabels)
      if (labels_used.count(group)) extra[i] = false;
    std::string lines;
    for (std::size_t i = 0; i < props.size(); ++i)
      if (extra[i]) lines += props[i].raw + "\n";
    if (auto v = multiline_text(lines); !v.empty()) c["vcard_extra"] = v;
  }
};

std::string date_for_card(const std::string& date, std::string_view version) {
  if (version == "3.0") return date;
  std::string out;
  for (std::size_t k = 0; k < date.size(); ++k)
    if (date[k] != '-' || k < 2) out += date[k];
  return out; // 19800322, --0322
}

// The group of a raw property line ("item1" of "item1.EMAIL;...:x"), lower-case.
std::string raw_group(std::string_view raw) {
  const auto end = raw.find_first_of(";:");
  const std::string_view name = raw.substr(0, end == std::string_view::npos ? raw.size() : end);
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : lower(name.substr(0, dot));
}

std::string string_field(const Record& r, const char* key) {
  auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : "";
}

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
  c = model::in_field_order(model::contact_type(), c);
  return std::move(m.out);
}

vcard::Card card_from_contact(const Record& contact, std::string_view company_name, std::string_view version) {
  vcard::Card card;
  card.version = std::string(version);
  std::vector<std::string> extra_lines;
  std::set<std::string> taken_groups;
  if (const std::string extra = string_field(contact, "vcard_extra"); !extra.empty()) {
    std::size_t start = 0;
    while (start <= extra.size()) {
      auto end = extra.find('\n', start);
      if (end == std::string::npos) end = extra.size();
      std::string line = extra.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!text::trim(line).empty()) {
        taken_groups.insert(raw_group(line));
        extra_lines.push_back(std::move(line));
      }
      start = end + 1;
    }
  }
  int next_group = 1;
  const auto new_group = [&] {
    std::string g;
    do g = fmt::format("item{}", next_group++);
    while (taken_groups.count(g));
    return g;
  };
  const auto add = [&](std::string name, std::string value, std::vector<vcard::Param> params = {},
                       std::string group = {}) {
    vcard::Property p;
    p.group = std::move(group);
    p.name = std::move(name);
    p.params = std::move(params);
    p.value = std::move(value);
    card.properties.push_back(std::move(p));
  };
  // Standard types where a vCard has one; any other label in an item group's X-ABLabel.
  const auto add_labelled = [&](const char* name, const std::string& value, const std::string& label) {
    static const std::map<std::string, std::string, std::less<>> types = {
        {"home", "home"}, {"work", "work"}, {"mobile", "cell"}, {"fax", "fax"}, {"pager", "pager"}};
    if (label.empty()) return add(name, vcard::escape(value));
    if (auto it = types.find(label); it != types.end()) return add(name, vcard::escape(value), {{"TYPE", {it->second}}});
    const std::string group = new_group();
    add(name, vcard::escape(value), {}, group);
    add("X-ABLabel", vcard::escape(label), {}, group);
  };

  add("FN", vcard::escape(string_field(contact, "name")));
  add("N", vcard::escape(string_field(contact, "family_name")) + ";" +
               vcard::escape(string_field(contact, "given_name")) + ";;;");
  if (auto it = contact.find("emails"); it != contact.end() && it->is_array())
    for (const auto& e : *it) add_labelled("EMAIL", string_field(e, "address"), string_field(e, "label"));
  if (auto it = contact.find("phones"); it != contact.end() && it->is_array())
    for (const auto& e : *it) add_labelled("TEL", string_field(e, "number"), string_field(e, "label"));
  if (!company_name.empty()) add("ORG", vcard::escape(company_name));
  if (auto v = string_field(contact, "title"); !v.empty()) add("TITLE", vcard::escape(v));
  const std::string address = without_final_newline(string_field(contact, "address"));
  const std::string city = string_field(contact, "city"), region = string_field(contact, "region");
  const std::string postal = string_field(contact, "postal_code"), country = string_field(contact, "country");
  if (!address.empty() || !city.empty() || !region.empty() || !postal.empty() || !country.empty()) {
    // Marked preferred so that it stays the one read back when vcard_extra holds other addresses.
    std::vector<vcard::Param> params{version == "3.0" ? vcard::Param{"TYPE", {"pref"}} : vcard::Param{"PREF", {"1"}}};
    add("ADR",
        ";;" + vcard::escape(address) + ";" + vcard::escape(city) + ";" + vcard::escape(region) + ";" +
            vcard::escape(postal) + ";" + vcard::escape(country),
        std::move(params));
  }
  if (auto v = string_field(contact, "website"); !v.empty()) add("URL", v);
  if (auto v = string_field(contact, "birthday"); !v.empty()) add("BDAY", date_for_card(v, version));
  if (auto v = string_field(contact, "anniversary"); !v.empty())
    add(version == "3.0" ? "X-ANNIVERSARY" : "ANNIVERSARY", date_for_card(v, version));
  if (auto v = without_final_newline(string_field(contact, "notes")); !v.empty()) add("NOTE", vcard::escape(v));
  if (auto it = contact.find("tags"); it != contact.end() && it->is_array() && !it->empty()) {
    std::string value;
    for (const auto& t : *it)
      if (t.is_string()) value += (value.empty() ? "" : ",") + vcard::escape(t.get<std::string>());
    add("CATEGORIES", value);
  }
  if (auto it = contact.find("social"); it != contact.end() && it->is_object())
    for (const auto& [network, value] : it->items())
      if (value.is_string()) add("X-SOCIALPROFILE", vcard::escape(value.get<std::string>()), {{"TYPE", {network}}});
  for (auto& line : extra_lines) {
    vcard::Property p;
    p.raw = std::move(line);
    card.properties.push_back(std::move(p));
  }
  return card;
}

void export_vcards(Session& session, const index::SqlExpr& where, const vcard::WriteOptions& options,
                   std::ostream& out) {
  if (options.version != "3.0" && options.version != "4.0")
    throw Error(ErrorKind::usage, fmt::format("unsupported vCard version '{}' (expected 3.0 or 4.0)", options.version));
  index::ListQuery query;
  query.where = where;
  query.sort = "id";
  std::map<std::string, std::string> company_names;
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
    out << vcard::write_card(card_from_contact(contact, company, options.version), options);
  });
}

} // namespace crm::ops
