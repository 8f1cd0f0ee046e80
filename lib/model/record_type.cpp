#include "model/record_type.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "util/contact_point.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::model {
namespace {

bool is_word(std::string_view s) {
  if (s.empty() || s.front() == '-') return false;
  for (unsigned char c : s)
    if (c <= ' ' || c == ',' || c == '(' || c == ')' || c == '"' || c == 0x7f) return false;
  return true;
}

std::optional<std::string> check_text(std::string_view key, const nlohmann::ordered_json& v, bool one_line) {
  if (!v.is_string()) return fmt::format("'{}' must be text", key);
  const auto& s = v.get_ref<const std::string&>();
  if (!text::is_valid_utf8(s)) return fmt::format("'{}' is not valid UTF-8", key);
  if (one_line && s.find_first_of("\n\r") != std::string::npos) return fmt::format("'{}' must be one line", key);
  return std::nullopt;
}

} // namespace

const Field* RecordType::field(std::string_view key) const {
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

std::vector<std::string_view> RecordType::indexed_keys() const {
  std::vector<std::string_view> keys;
  for (const auto& f : fields)
    if (f.indexed) keys.push_back(f.key);
  return keys;
}

const RecordType* find_type(std::string_view name) {
  for (const auto* t : all_types())
    if (t->name == name || t->plural == name) return t;
  return nullptr;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100 || id.front() == '.' || id.front() == '-') return false;
  if (id.find("..") != std::string_view::npos) return false;
  for (unsigned char c : id)
    if (c <= ' ' || c == '/' || c == '\\' || c == 0x7f || c == ':' || c == '*' || c == '?' ||
        c == '"' || c == '<' || c == '>' || c == '|')
      return false;
  return text::is_valid_utf8(id);
}

Record in_field_order(const RecordType& type, const Record& record) {
  Record out = Record::object();
  if (!record.is_object()) return out;
  // Each key's place: its field's, or after every field in the order it came.
  // One pass and a sort (this runs for every record an import writes).
  const auto& items = record.get_ref<const Record::object_t&>();
  std::vector<std::pair<std::size_t, std::size_t>> order; // place, position in `items`
  order.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Field* f = type.field((items.begin() + static_cast<std::ptrdiff_t>(i))->first);
    order.emplace_back(f ? static_cast<std::size_t>(f - type.fields.data()) : type.fields.size() + i, i);
  }
  std::sort(order.begin(), order.end());
  auto& target = out.get_ref<Record::object_t&>();
  target.reserve(items.size());
  for (const auto& [place, i] : order) {
    const auto& item = *(items.begin() + static_cast<std::ptrdiff_t>(i));
    target.emplace_back(item.first, item.second);
  }
  return out;
}

std::string choice_list(const Field& field) {
  std::string all;
  for (auto c : field.choices) all += (all.empty() ? "" : ", ") + std::string(c);
  return all;
}

std::optional<std::string> check_field(const Field& field, const nlohmann::ordered_json& v) {
  switch (field.kind) {
  case FieldKind::id:
    if (!v.is_string() || !is_valid_id(v.get_ref<const std::string&>()))
      return "not a valid id (letters, digits and '-', no '/', no leading '.')";
    return std::nullopt;
  case FieldKind::text:
  case FieldKind::ref:
    if (auto p = check_text(field.key, v, true)) return p;
    if (v.get_ref<const std::string&>().empty()) return fmt::format("'{}' is empty", field.key);
    return std::nullopt;
  case FieldKind::multiline: return check_text(field.key, v, false);
  case FieldKind::date:
    if (!v.is_string() || !time::is_valid_date_or_month_day(v.get_ref<const std::string&>()))
      return fmt::format("bad date '{}' (expected YYYY-MM-DD or --MM-DD)",
                         v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::timestamp:
    if (!v.is_string() || !time::parse_timestamp(v.get_ref<const std::string&>()))
      return fmt::format("bad timestamp '{}'", v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::choice: {
    if (!v.is_string()) return fmt::format("bad {} (expected one of: {})", field.key, choice_list(field));
    const auto& s = v.get_ref<const std::string&>();
    if (std::find(field.choices.begin(), field.choices.end(), s) == field.choices.end())
      return fmt::format("bad {} '{}' (expected one of: {})", field.key, s, choice_list(field));
    return std::nullopt;
  }
  case FieldKind::integer: {
    if (!v.is_number_integer())
      return fmt::format("bad {} '{}' (expected a whole number from {} to {})", field.key,
                         v.is_string() ? v.get<std::string>() : v.dump(), field.min, field.max);
    const auto n = v.get<std::int64_t>();
    if (n < field.min || n > field.max)
      return fmt::format("bad {} '{}' (expected a whole number from {} to {})", field.key, n, field.min, field.max);
    return std::nullopt;
  }
  case FieldKind::when:
    if (!v.is_string() || (!time::is_valid_date(v.get_ref<const std::string&>()) &&
                           !time::parse_timestamp(v.get_ref<const std::string&>())))
      return fmt::format("bad {} '{}' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)", field.key,
                         v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::period:
    if (!v.is_string() || !time::parse_period(v.get_ref<const std::string&>()))
      return fmt::format("bad {} '{}' (expected a period such as 30d, 2w, 3m or 1y)", field.key,
                         v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::duration:
    if (!v.is_string() || !time::parse_duration_minutes(v.get_ref<const std::string&>()))
      return fmt::format("bad {} '{}' (expected a duration such as 15m, 1h or 1h30m)", field.key,
                         v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::country: {
    if (!v.is_string()) return fmt::format("bad {} (expected an ISO 3166 code such as RO or GB)", field.key);
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() != 2 || !std::isupper(static_cast<unsigned char>(s[0])) ||
        !std::isupper(static_cast<unsigned char>(s[1])))
      return fmt::format("bad country '{}' (expected an ISO 3166 code such as RO or GB)", s);
    return std::nullopt;
  }
  case FieldKind::list:
    if (!v.is_array()) return "expected a list";
    for (const auto& item : v)
      if (!item.is_string() || !is_word(item.get_ref<const std::string&>()))
        return fmt::format("bad {} entry '{}' (one word, no spaces or commas)", field.key,
                           item.is_string() ? item.get<std::string>() : item.dump());
    return std::nullopt;
  case FieldKind::emails:
    if (!v.is_array()) return "expected a list of emails";
    for (const auto& item : v) {
      if (!item.is_object() || !item.contains("address") || !item["address"].is_string())
        return "each email needs an address";
      const auto& a = item["address"].get_ref<const std::string&>();
      if (!contact_point::is_valid_email(a)) return fmt::format("bad email '{}'", a);
    }
    return std::nullopt;
  case FieldKind::phones:
    if (!v.is_array()) return "expected a list of phones";
    for (const auto& item : v) {
      if (!item.is_object() || !item.contains("number") || !item["number"].is_string())
        return "each phone needs a number";
      const auto& n = item["number"].get_ref<const std::string&>();
      if (!contact_point::looks_like_phone(n)) return fmt::format("bad phone '{}'", n);
    }
    return std::nullopt;
  case FieldKind::money:
    if (!v.is_string() || !money::parse_decimal(v.get_ref<const std::string&>())) {
      const auto comma = v.is_string() ? money::decimal_comma_hint(v.get_ref<const std::string&>()) : std::nullopt;
      return fmt::format("bad {} '{}' ({})", field.key, v.is_string() ? v.get<std::string>() : v.dump(),
                         comma ? *comma : "expected an amount such as 49.90");
    }
    return std::nullopt;
  case FieldKind::currency:
    if (!v.is_string() || !money::exponent(v.get_ref<const std::string&>()))
      return fmt::format("unknown currency '{}' (expected an ISO 4217 code such as EUR, USD or JPY)",
                         v.is_string() ? v.get<std::string>() : v.dump());
    return std::nullopt;
  case FieldKind::entries:
    if (!v.is_array()) return fmt::format("'{}' must be a list", field.key);
    for (const auto& entry : v) {
      if (!entry.is_object()) return fmt::format("each of '{}' must be key: value pairs", field.key);
      for (const auto& [k, item] : entry.items())
        if (!item.is_string()) return fmt::format("'{}' values must be text ('{}')", field.key, k);
    }
    return std::nullopt;
  case FieldKind::map:
    if (!v.is_object()) return "expected key: value pairs";
    for (const auto& [k, item] : v.items())
      if (!item.is_string()) return fmt::format("'{}.{}' must be text", field.key, k);
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<Problem> check_record(const RecordType& type, const Record& record) {
  std::vector<Problem> problems;
  if (!record.is_object()) return {{"", "expected a mapping of keys to values"}};
  for (const auto& f : type.fields) {
    auto it = record.find(std::string(f.key));
    if (it == record.end() || it->is_null()) {
      if (f.required) problems.push_back({std::string(f.key), fmt::format("missing '{}'", f.key)});
      continue;
    }
    if (auto p = check_field(f, *it)) problems.push_back({std::string(f.key), *p});
  }
  if (problems.empty() && type.check) type.check(record, problems);
  return problems;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbours ("emial") costs 1.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::optional<std::string> likely_typo(const RecordType& type, std::string_view key) {
  if (key.size() <= 3) return std::nullopt;
  for (const auto& f : type.fields) {
    std::string singular(f.key);
    if (singular.back() == 's') singular.pop_back();
    for (const auto& name : {std::string(f.key), singular})
      if (name != key && edit_distance(key, name) <= 1) return name;
  }
  return std::nullopt;
}

std::vector<std::string> nearest_keys(const RecordType& type, std::string_view key) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& f : type.fields) {
    const auto d = edit_distance(key, f.key);
    if (d <= std::max<std::size_t>(2, key.size() / 3)) scored.emplace_back(d, f.key);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, k] : scored) out.push_back(k);
  return out;
}

} // namespace crm::model
