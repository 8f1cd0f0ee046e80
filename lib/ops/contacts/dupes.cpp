#include "ops/contacts/dupes.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>


#include "index/index.hpp"
#include "index/merge_queries.hpp"
#include "model/record_type.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

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

std::vector<Person> read_people(const index::Index& idx) {
  std::vector<Person> people;
  for (auto& row : index::contact_names(idx)) {
    Person p;
    p.id = std::move(row.id);
    p.name = std::move(row.name);
    p.key = std::move(row.sort_key);
    if (row.created)
      if (auto t = time::parse_timestamp(*row.created)) p.created = t->unix_seconds;
    if (row.given_name) p.given = text::match_key(*row.given_name);
    if (row.family_name) p.family = text::match_key(*row.family_name);
    people.push_back(std::move(p));
  }
  return people;
}

std::string reason_text(const DupeReason& r) { return r.value.empty() ? r.kind : r.kind + " " + r.value; }

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
  for (const auto& shared : index::shared_values(idx, index::ContactPoint::email))
    finder.add_group(shared.ids, "email", shared.value, email_score);
  for (const auto& shared : index::shared_values(idx, index::ContactPoint::phone))
    finder.add_group(shared.ids, "phone", shared.value, phone_score);
  finder.add_names();
  return finder.pairs();
}

format::Rows duplicate_rows(const std::vector<DuplicatePair>& pairs) {
  format::Rows out;
  out.columns = {"score", "keep", "keep_name", "other", "other_name", "reasons"};
  out.id_columns = {"keep", "other"};
  out.rows.reserve(pairs.size());
  for (const auto& p : pairs) {
    format::Record reasons = format::Record::array();
    for (const auto& r : p.reasons) reasons.push_back(reason_text(r));
    out.rows.push_back(format::Record{{"score", p.score},
                                      {"keep", p.keep},
                                      {"keep_name", p.keep_name},
                                      {"other", p.other},
                                      {"other_name", p.other_name},
                                      {"reasons", reasons}});
  }
  return out;
}

} // namespace crm::ops
