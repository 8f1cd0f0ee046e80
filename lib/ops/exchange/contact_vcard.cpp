#include "ops/exchange/contact_vcard.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <ostream>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "ops/records/records.hpp"
#include "util/contact_point.hpp"
#include "util/country.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
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

bool is_pref(const Property& p) { return vcard::has_type(p, "pref") || !vcard::param_values(p, "PREF").empty(); }

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

std::string date_for_card(const std::string& date, std::string_view version) {
  if (version == "3.0") return date;
  std::string out;
  for (std::size_t k = 0; k < date.size(); ++k)
    if (date[k] != '-' || k < 2) out += date[k];
  return out; // 19800322, --0322
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

namespace {

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

void export_vcards(Session& session, const index::SqlExpr& where, const vcard::WriteOptions& options,
                   std::ostream& out) {
  if (options.version != "3.0" && options.version != "4.0")
    throw Error(ErrorKind::usage, fmt::format("unsupported vCard version '{}' (expected 3.0 or 4.0)", options.version));
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
    out << vcard::write_card(card_from_contact(contact, company, options.version,
                                               photo_of(files / string_field(contact, "id"))),
                             options);
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
