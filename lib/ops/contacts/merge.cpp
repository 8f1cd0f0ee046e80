#include "ops/contacts/merge.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/index.hpp"
#include "ops/records/records.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::FieldKind;
using model::Record;
using Json = nlohmann::ordered_json;

// ------------------------------------------------------------------ dupes

// Code points of valid UTF-8 (match_key output); a stray byte counts as one.
std::u32string code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::size_t distance(const std::u32string& a, const std::u32string& b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<std::size_t> prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

// FNV-1a of the code points of `s` without the one at `skip` (s.size(): none).
std::uint64_t variant_hash(const std::u32string& s, std::size_t skip) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == skip) continue;
    h = (h ^ static_cast<std::uint64_t>(s[i])) * 1099511628211ull;
  }
  // The length is part of the key: "abc" without 'c' is not "abc".
  return (h ^ (s.size() - (skip < s.size() ? 1 : 0))) * 1099511628211ull;
}

// The words of a folded name in order, so "popescu ana" and "ana popescu" meet;
// empty for a single word (nothing to swap).
std::string word_order_key(const std::string& key) {
  std::vector<std::string> words;
  std::string word;
  for (char c : key + " ") {
    if (c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else if (c != ',') {
      word += c;
    }
  }
  if (words.size() < 2) return {};
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

struct Person {
  std::string id, name, key; // key: match_key of the name (the index's sort_key)
  std::string given, family; // folded
  std::optional<std::int64_t> created;
};

constexpr std::size_t close_min_chars = 6;

class PairFinder {
public:
  explicit PairFinder(std::vector<Person> people) : people_(std::move(people)) {
    for (std::size_t i = 0; i < people_.size(); ++i) by_id_[people_[i].id] = i;
  }

  // Every contact in one group (same email, same phone) with every other.
  void add_group(const std::vector<std::string>& ids, const std::string& kind, const std::string& value, int score) {
    std::vector<std::size_t> members;
    for (const auto& id : ids)
      if (auto it = by_id_.find(id); it != by_id_.end()) members.push_back(it->second);
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    for (std::size_t a = 0; a < members.size(); ++a)
      for (std::size_t b = a + 1; b < members.size(); ++b) add(members[a], members[b], {kind, value, score});
  }

  void add_names() {
    // Same folded name; same words in another order.
    std::unordered_map<std::string, std::vector<std::size_t>> by_key, by_words, by_given_family;
    for (std::size_t i = 0; i < people_.size(); ++i) {
      const auto& p = people_[i];
      if (p.key.empty()) continue;
      by_key[p.key].push_back(i);
      if (auto w = word_order_key(p.key); !w.empty()) by_words[w].push_back(i);
      if (!p.given.empty() && !p.family.empty() && p.given != p.family)
        by_given_family[p.given + '\x1f' + p.family].push_back(i);
    }
    for (const auto& [key, members] : by_key)
      for (std::size_t a = 0; a < members.size(); ++a)
        for (std::size_t b = a + 1; b < members.size(); ++b)
          add_name(members[a], members[b], {"same name", "", same_name_score});
    for (const auto& [key, members] : by_words)
      for (std::size_t a = 0; a < members.size(); ++a)
        for (std::size_t b = a + 1; b < members.size(); ++b)
          if (people_[members[a]].key != people_[members[b]].key)
            add_name(members[a], members[b], {"swapped name", "", close_name_score});
    for (const auto& [key, members] : by_given_family) {
      const auto sep = key.find('\x1f');
      auto it = by_given_family.find(key.substr(sep + 1) + '\x1f' + key.substr(0, sep));
      if (it == by_given_family.end() || key > it->first) continue; // each swapped couple once
      for (auto a : members)
        for (auto b : it->second)
          if (people_[a].key != people_[b].key) add_name(a, b, {"swapped name", "", close_name_score});
    }
    add_close_names(by_key);
  }

  std::vector<DuplicatePair> pairs() const {
    std::vector<DuplicatePair> out;
    out.reserve(pairs_.size());
    for (const auto& [k, reasons] : pairs_) {
      const auto& a = people_[static_cast<std::size_t>(k >> 32)];
      const auto& b = people_[static_cast<std::size_t>(k & 0xFFFFFFFFu)];
      // The older record stays; without two creation times, the smaller id.
      const bool a_keeps = a.created && b.created && *a.created != *b.created ? *a.created < *b.created : a.id < b.id;
      const auto& keep = a_keeps ? a : b;
      const auto& other = a_keeps ? b : a;
      DuplicatePair p{keep.id, keep.name, other.id, other.name, dupe_score(reasons), reasons};
      out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const DuplicatePair& x, const DuplicatePair& y) {
      if (x.score != y.score) return x.score > y.score;
      if (x.keep != y.keep) return x.keep < y.keep;
      return x.other < y.other;
    });
    return out;
  }

private:
  static std::uint64_t pair_key(std::size_t a, std::size_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint64_t>(b);
  }

  void add(std::size_t a, std::size_t b, DupeReason reason) {
    if (a == b) return;
    pairs_[pair_key(a, b)].push_back(std::move(reason));
  }

  // At most one name reason a pair: the first found (same, swapped, close) stands.
  void add_name(std::size_t a, std::size_t b, DupeReason reason) {
    if (a == b) return;
    auto& reasons = pairs_[pair_key(a, b)];
    const bool has_name = std::any_of(reasons.begin(), reasons.end(), [](const DupeReason& r) {
      return r.kind == "same name" || r.kind == "swapped name" || r.kind == "close name";
    });
    if (!has_name) reasons.push_back(std::move(reason));
  }

  // Names one edit apart share a key among themselves and their one-deletion
  // variants ("popescu" and "popsecu" do not: two edits), so only names meeting in
  // a hash bucket are compared, never every pair.
  void add_close_names(const std::unordered_map<std::string, std::vector<std::size_t>>& by_key) {
    std::vector<const std::string*> keys;
    std::vector<std::u32string> points;
    for (const auto& [key, members] : by_key) {
      auto cps = code_points(key);
      if (cps.size() < close_min_chars) continue;
      keys.push_back(&key);
      points.push_back(std::move(cps));
    }
    // (hash of a variant, key): sorted, so that equal variants sit side by side. A
    // hash collision only costs one more comparison.
    std::vector<std::pair<std::uint64_t, std::size_t>> variants;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const auto& cps = points[k];
      variants.emplace_back(variant_hash(cps, cps.size()), k);
      for (std::size_t i = 0; i < cps.size(); ++i) {
        if (i > 0 && cps[i] == cps[i - 1]) continue; // deleting either of a double letter is the same variant
        variants.emplace_back(variant_hash(cps, i), k);
      }
    }
    std::sort(variants.begin(), variants.end());
    std::set<std::pair<std::size_t, std::size_t>> close;
    for (std::size_t start = 0; start < variants.size();) {
      std::size_t end = start + 1;
      while (end < variants.size() && variants[end].first == variants[start].first) ++end;
      for (std::size_t x = start; x < end; ++x)
        for (std::size_t y = x + 1; y < end; ++y) {
          const auto a = std::min(variants[x].second, variants[y].second);
          const auto b = std::max(variants[x].second, variants[y].second);
          if (a == b || close.count({a, b})) continue;
          if (distance(points[a], points[b], 1) <= 1) close.insert({a, b});
        }
      start = end;
    }
    for (const auto& [a, b] : close)
      for (auto pa : by_key.at(*keys[a]))
        for (auto pb : by_key.at(*keys[b])) add_name(pa, pb, {"close name", "", close_name_score});
  }

  std::vector<Person> people_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::uint64_t, std::vector<DupeReason>> pairs_;
};

std::vector<Person> read_people(index::Index& idx) {
  std::vector<Person> people;
  index::SqlExpr q{"SELECT id, name, sort_key, json_extract(data, ?), json_extract(data, ?), json_extract(data, ?)"
                   " FROM contacts ORDER BY id",
                   {index::json_path("created"), index::json_path("given_name"), index::json_path("family_name")}};
  idx.query(q, [&](SQLite::Statement& st) {
    Person p;
    p.id = st.getColumn(0).getString();
    p.name = st.getColumn(1).getString();
    p.key = st.getColumn(2).getString();
    if (!st.getColumn(3).isNull())
      if (auto t = time::parse_timestamp(st.getColumn(3).getString())) p.created = t->unix_seconds;
    if (!st.getColumn(4).isNull()) p.given = text::match_key(st.getColumn(4).getString());
    if (!st.getColumn(5).isNull()) p.family = text::match_key(st.getColumn(5).getString());
    people.push_back(std::move(p));
  });
  return people;
}

// Rows of (key, record id) ordered by key, handed over one group of equal keys at a time.
void each_group(index::Index& idx, const std::string& sql,
                const std::function<void(const std::string&, const std::vector<std::string>&)>& on_group) {
  std::string key;
  std::vector<std::string> ids;
  idx.query({sql, {std::string(model::contact_type().name)}}, [&](SQLite::Statement& st) {
    std::string k = st.getColumn(0).getString();
    if (k != key) {
      if (ids.size() > 1) on_group(key, ids);
      ids.clear();
      key = std::move(k);
    }
    ids.push_back(st.getColumn(1).getString());
  });
  if (ids.size() > 1) on_group(key, ids);
}

std::string reason_text(const DupeReason& r) { return r.value.empty() ? r.kind : r.kind + " " + r.value; }

// ------------------------------------------------------------------ merge

bool is_list(const model::Field& f) {
  return f.kind == FieldKind::list || f.kind == FieldKind::emails || f.kind == FieldKind::phones;
}

// The key a list entry is compared by: the email key, the E.164 number (worked out
// in `region` for a number typed into a file without it; its digits when it does
// not parse), or the case-folded word.
std::string entry_key(const model::Field& f, const Json& entry, const std::string& region) {
  if (f.kind == FieldKind::emails) return contact_point::email_key(entry.is_object() ? entry.value("address", "") : "");
  if (f.kind == FieldKind::phones) {
    if (!entry.is_object()) return {};
    if (auto it = entry.find("e164"); it != entry.end() && it->is_string()) return it->get<std::string>();
    const std::string number = entry.value("number", "");
    if (auto e164 = contact_point::to_e164(number, region)) return *e164;
    std::string digits;
    for (char c : number)
      if (c >= '0' && c <= '9') digits += c;
    return digits;
  }
  return entry.is_string() ? text::casefold(entry.get<std::string>()) : entry.dump();
}

bool takes(const MergeOptions& o, const std::string& key) {
  if (o.prefer == Prefer::other) return true;
  const std::string outer = key.substr(0, key.find('.'));
  return std::find(o.take.begin(), o.take.end(), key) != o.take.end() ||
         std::find(o.take.begin(), o.take.end(), outer) != o.take.end();
}

// Fields that are joined, kept or maintained, never taken from one side.
bool never_taken(std::string_view key) {
  return key == "id" || key == "created" || key == "updated" || key == "merged_ids" || key == "notes";
}

// A --take FIELD that names nothing either contact could give is a usage error,
// checked before anything is read for writing.
void check_take(const MergeOptions& o, const Record& keep, const Record& other) {
  const auto& type = model::contact_type();
  for (const auto& key : o.take) {
    const std::string outer = key.substr(0, key.find('.'));
    const bool has_sub = outer.size() < key.size();
    const auto* f = type.field(outer);
    if (!f) {
      if (keep.contains(key) || other.contains(key)) continue; // a key added by hand
      std::vector<std::string> hints;
      if (auto typo = model::likely_typo(type, outer)) hints.push_back(fmt::format("did you mean '{}'?", *typo));
      throw Error(ErrorKind::usage, fmt::format("unknown field '{}' for --take", key), hints);
    }
    if (has_sub && f->kind != FieldKind::map)
      throw Error(ErrorKind::usage, fmt::format("'{}' has no sub-fields", outer));
    if (is_list(*f) || f->key == "notes")
      throw Error(ErrorKind::usage, fmt::format("'{}' cannot be taken: both contacts' {} are kept", f->key, f->key));
    if (never_taken(f->key)) throw Error(ErrorKind::usage, fmt::format("'{}' cannot be taken", f->key));
  }
}

std::string one_line(const Json& v) {
  std::string s = format::cell_text(v);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  if (auto nl = s.find('\n'); nl != std::string::npos) s = s.substr(0, nl) + " …";
  return s;
}

class Merger {
public:
  Merger(const MergeOptions& o, MergeReport& r, std::string region) : opts_(o), report_(r), region_(std::move(region)) {}

  Record merge(const Record& keep, const Record& other, const std::string& now) {
    const auto& type = model::contact_type();
    Record out = keep;
    // Declared fields in file order, then keys added by hand: the report lists
    // them as a card would.
    std::vector<std::string> keys;
    for (const auto& f : type.fields) keys.emplace_back(f.key);
    for (const auto* rec : {&keep, &other})
      for (const auto& [k, v] : rec->items())
        if (!type.field(k) && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    // Lists are reported in field order whichever file lists them first.
    for (const auto& f : type.fields)
      if (is_list(f) && f.key != "merged_ids") report_.added.emplace_back(std::string(f.key), 0);
    for (const auto& key : keys) {
      const auto* f = type.field(key);
      const bool in_keep = keep.contains(key), in_other = other.contains(key);
      if (key == "id" || key == "merged_ids" || key == "updated" || (!in_keep && !in_other)) continue;
      if (key == "created") {
        out[key] = earlier(keep.value(key, Json()), other.value(key, Json()));
      } else if (!in_other) {
        continue;
      } else if (f && is_list(*f)) {
        merge_list(*f, out, other[key]);
      } else if (key == "notes") {
        out[key] = join_notes(keep.value(key, std::string()), other[key].get<std::string>());
      } else if (f && f->kind == FieldKind::map && other[key].is_object() && (!in_keep || keep[key].is_object())) {
        if (!in_keep) out[key] = Json::object();
        for (const auto& [sub, value] : other[key].items()) settle(out[key], key + "." + sub, sub, value);
      } else {
        settle(out, key, key, other[key]);
      }
    }
    // OTHER's id, and the ids merged into it, now name KEEP.
    Json ids = keep.contains("merged_ids") && keep["merged_ids"].is_array() ? keep["merged_ids"] : Json::array();
    auto add_id = [&](const Json& id) {
      if (id.is_string() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    add_id(other["id"]);
    if (other.contains("merged_ids") && other["merged_ids"].is_array())
      for (const auto& id : other["merged_ids"]) add_id(id);
    out["merged_ids"] = ids;
    out["updated"] = now;
    std::erase_if(report_.added, [](const auto& a) { return a.second == 0; });
    return model::in_field_order(type, out);
  }

private:
  static Json earlier(const Json& a, const Json& b) {
    if (!a.is_string()) return b;
    if (!b.is_string()) return a;
    const auto ta = time::parse_timestamp(a.get<std::string>()), tb = time::parse_timestamp(b.get<std::string>());
    return ta && tb && tb->unix_seconds < ta->unix_seconds ? b : a;
  }

  void merge_list(const model::Field& f, Record& out, const Json& from) {
    const std::string key(f.key);
    Json list = out.contains(key) && out[key].is_array() ? out[key] : Json::array();
    std::unordered_set<std::string> seen;
    for (const auto& e : list) seen.insert(entry_key(f, e, region_));
    std::size_t added = 0;
    for (const auto& e : from.is_array() ? from : Json::array({from}))
      if (seen.insert(entry_key(f, e, region_)).second) {
        list.push_back(e);
        ++added;
      }
    if (!list.empty()) out[key] = list;
    for (auto& a : report_.added)
      if (a.first == key) a.second += added;
  }

  // OTHER's notes under KEEP's, once: a merge run again after a crash does not
  // append them twice.
  static std::string join_notes(const std::string& keep, const std::string& other) {
    const std::string k = multiline_text(keep), o = multiline_text(other);
    std::string o_body = o;
    while (!o_body.empty() && o_body.back() == '\n') o_body.pop_back();
    if (o.empty() || k == o || k.ends_with("\n\n" + o_body + "\n")) return keep;
    if (k.empty()) return other;
    std::string k_body = k; // a multi-line text ends with a newline already
    while (!k_body.empty() && k_body.back() == '\n') k_body.pop_back();
    return multiline_text(k_body + "\n\n" + o);
  }

  // One value OTHER has: taken when `into` lacks it, else a conflict.
  void settle(Json& into, const std::string& field, const std::string& key, const Json& value) {
    if (!into.contains(key) || into[key].is_null() || (into[key].is_string() && into[key].get<std::string>().empty())) {
      into[key] = value;
      report_.filled.push_back(field);
      return;
    }
    if (into[key] == value) return;
    FieldConflict c{field, into[key], value, takes(opts_, field)};
    if (c.other_wins) into[key] = value;
    report_.conflicts.push_back(std::move(c));
  }

  const MergeOptions& opts_;
  MergeReport& report_;
  std::string region_; // the workspace's phone region
};

struct Resolved {
  std::string id;
  bool by_merged_id = false;
};

Resolved resolve_contact(Session& session, const std::string& ref) {
  const auto candidates = session.index().resolve(model::contact_type(), ref);
  if (candidates.size() == 1 && !text::trim(ref).empty())
    return {candidates.front().id, candidates.front().matched_by == "merged"};
  return {model::id_of(find_contact(session, ref)), false}; // throws the not-found or ambiguity error
}

std::string plural_word(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

} // namespace

int dupe_score(const std::vector<DupeReason>& reasons) {
  if (reasons.empty()) return 0;
  int best = 0;
  for (const auto& r : reasons) best = std::max(best, r.score);
  return std::min(100, best + 5 * static_cast<int>(reasons.size() - 1));
}

std::size_t text_edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  return distance(code_points(a), code_points(b), limit);
}

std::vector<DuplicatePair> find_duplicates(Session& session) {
  auto& idx = session.index();
  PairFinder finder(read_people(idx));
  each_group(idx, "SELECT address_key, record_id FROM emails WHERE type = ? AND address_key <> '' ORDER BY address_key, record_id",
             [&](const std::string& key, const std::vector<std::string>& ids) { finder.add_group(ids, "email", key, email_score); });
  each_group(idx, "SELECT e164, record_id FROM phones WHERE type = ? AND e164 <> '' ORDER BY e164, record_id",
             [&](const std::string& key, const std::vector<std::string>& ids) { finder.add_group(ids, "phone", key, phone_score); });
  finder.add_names();
  return finder.pairs();
}

void write_duplicates(std::ostream& out, const std::vector<DuplicatePair>& pairs, const format::OutputOptions& opts) {
  if (opts.format == format::Format::ids) {
    for (const auto& p : pairs) out << p.keep << ' ' << p.other << '\n';
    return;
  }
  format::RecordStream stream(out, {"score", "keep", "keep_name", "other", "other_name", "reasons"}, opts);
  for (const auto& p : pairs) {
    Json reasons = Json::array();
    for (const auto& r : p.reasons) reasons.push_back(reason_text(r));
    stream.add(Json{{"score", p.score},
                    {"keep", p.keep},
                    {"keep_name", p.keep_name},
                    {"other", p.other},
                    {"other_name", p.other_name},
                    {"reasons", reasons}});
  }
  stream.finish();
}

MergeReport merge_contacts(Session& session, const std::string& keep_ref, const std::string& other_ref,
                           const MergeOptions& options) {
  const auto& type = model::contact_type();
  if (!options.dry_run) session.lock_for_writing();
  const auto keep_at = resolve_contact(session, keep_ref);
  const auto other_at = resolve_contact(session, other_ref);
  MergeReport report;
  report.dry_run = options.dry_run;
  report.keep = keep_at.id;
  report.other = other_at.id;
  if (keep_at.id == other_at.id) {
    // A pair from `dupes` whose OTHER went into KEEP earlier in the same loop.
    if (keep_at.by_merged_id || other_at.by_merged_id) {
      report.already_merged = true;
      report.other = keep_at.by_merged_id ? keep_ref : other_ref;
      report.contact = session.index().get(type, keep_at.id).value_or(Record::object());
      report.keep_name = report.other_name = report.contact.value("name", "");
      return report;
    }
    throw Error(ErrorKind::usage, fmt::format("cannot merge contact '{}' into itself", keep_at.id),
                {"give two different contacts: crm contact merge KEEP OTHER"});
  }
  const Record keep = load_record(session, type, keep_at.id);
  const Record other = load_record(session, type, other_at.id);
  check_take(options, keep, other);
  report.keep_name = keep.value("name", "");
  report.other_name = other.value("name", "");
  const std::string now = time::format_timestamp(time::now());
  Merger merger(options, report, session.workspace().config().region);
  report.contact = merger.merge(keep, other, now);
  validate_record(type, report.contact);

  // Everything that points to OTHER, read and changed in memory first.
  struct Change {
    const model::RecordType* type;
    Record record;
  };
  std::vector<Change> changes;
  for (const auto* t : model::all_types()) {
    std::map<std::string, Record> records; // by id: one rewrite per record
    for (const auto& f : t->fields)
      if (f.kind == FieldKind::ref && f.ref_type == type.name)
        for (const auto& id : session.index().ids_where(*t, f.key, other_at.id)) {
          auto [it, fresh] = records.try_emplace(id);
          if (fresh) it->second = load_record(session, *t, id);
          it->second[std::string(f.key)] = keep_at.id;
        }
    // A campaign's audience is a list of contact ids.
    if (t == &model::campaign_type()) {
      index::SqlExpr q{"SELECT id FROM campaigns WHERE EXISTS (SELECT 1 FROM json_each(campaigns.data, ?) WHERE value = ?)"
                       " ORDER BY id",
                       {index::json_path("audience"), other_at.id}};
      std::vector<std::string> ids;
      session.index().query(q, [&](SQLite::Statement& st) { ids.push_back(st.getColumn(0).getString()); });
      for (const auto& id : ids) {
        auto [it, fresh] = records.try_emplace(id);
        if (fresh) it->second = load_record(session, *t, id);
        Json audience = Json::array();
        for (const auto& member : it->second["audience"]) {
          const Json now_member = member == other_at.id ? Json(keep_at.id) : member;
          if (std::find(audience.begin(), audience.end(), now_member) == audience.end()) audience.push_back(now_member);
        }
        it->second["audience"] = audience;
      }
    }
    if (records.empty()) continue;
    report.repointed.emplace_back(std::string(t->plural), records.size());
    for (auto& [id, rec] : records) {
      rec["updated"] = now;
      validate_record(*t, rec);
      changes.push_back({t, std::move(rec)});
    }
  }
  if (options.dry_run) return report;

  // KEEP first (holding OTHER's id), then the records pointing to it, then
  // OTHER's file: a merge cut short leaves no record pointing nowhere, and
  // running it again finishes it.
  save_record(session, type, report.contact);
  for (const auto& c : changes) save_record(session, *c.type, c.record);
  const auto relpath = session.index().path_of(type, other_at.id).value_or(
      session.workspace().record_relpath(type, other_at.id).string());
  const auto abs = session.workspace().writable(relpath);
  session.note_write(relpath);
  fs::remove_file(abs);
  session.wrote();
  session.index().drop(relpath);
  return report;
}

void write_merge_report(std::ostream& out, const MergeReport& r, const format::OutputOptions& opts) {
  if (opts.format == format::Format::json || opts.format == format::Format::jsonl ||
      opts.format == format::Format::yaml) {
    Json j = {{"keep", r.keep}, {"keep_name", r.keep_name}, {"other", r.other}, {"other_name", r.other_name},
              {"dry_run", r.dry_run}};
    if (r.already_merged) j["already_merged"] = true;
    Json added = Json::object();
    for (const auto& [field, n] : r.added) added[field] = n;
    j["added"] = added;
    j["filled"] = r.filled;
    Json conflicts = Json::array();
    for (const auto& c : r.conflicts)
      conflicts.push_back({{"field", c.field}, {"keep", c.keep_value}, {"other", c.other_value},
                           {"wins", c.other_wins ? "other" : "keep"}});
    j["conflicts"] = conflicts;
    Json repointed = Json::object();
    for (const auto& [plural, n] : r.repointed) repointed[plural] = n;
    j["repointed"] = repointed;
    j["contact"] = r.contact;
    format::write_record(out, j, opts);
    return;
  }
  if (r.already_merged) {
    out << fmt::format("'{}' is already merged into '{}' ({}): nothing to do\n", r.other, r.keep, r.keep_name);
    return;
  }
  out << fmt::format("{} '{}' ({}) into '{}' ({})\n", r.dry_run ? "would merge" : "merged", r.other, r.other_name,
                     r.keep, r.keep_name);
  std::string line;
  for (const auto& [field, n] : r.added) {
    const std::string singular = field.substr(0, field.size() - 1);
    line += (line.empty() ? "" : ", ") + plural_word(n, singular, field);
  }
  out << "added: " << (line.empty() ? "none" : line) << '\n';
  line.clear();
  for (const auto& f : r.filled) line += (line.empty() ? "" : ", ") + f;
  out << "filled: " << (line.empty() ? "none" : line) << '\n';
  if (r.conflicts.empty()) {
    out << "conflicts: none\n";
  } else {
    out << "conflicts:\n";
    std::vector<Json> rows;
    for (const auto& c : r.conflicts)
      rows.push_back({{"field", c.field},
                      {"keep", one_line(c.keep_value)},
                      {"other", one_line(c.other_value)},
                      {"wins", c.other_wins ? "other" : "keep"}});
    format::OutputOptions table;
    table.format = format::Format::table;
    table.width = opts.format == format::Format::table ? opts.width : 0;
    std::ostringstream text;
    format::write_records(text, rows, {"field", "keep", "other", "wins"}, table);
    std::istringstream lines(text.str());
    for (std::string l; std::getline(lines, l);) out << "  " << l << '\n';
  }
  line.clear();
  for (const auto& [plural, n] : r.repointed) {
    const auto* t = model::find_type(plural);
    line += (line.empty() ? "" : ", ") + plural_word(n, t ? t->name : plural, plural);
  }
  out << "re-pointed: " << (line.empty() ? "none" : line) << '\n';
  if (r.dry_run) out << "dry run: nothing was written\n";
}

} // namespace crm::ops
