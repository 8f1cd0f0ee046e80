#include "ops/records/search.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "model/record_type.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
namespace {

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// The query's words, folded, split at ASCII punctuation as the index does.
std::vector<std::string> query_terms(const std::string& query) {
  std::vector<std::string> terms;
  std::string cur;
  for (char c : text::match_key(query)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u)) {
      if (!cur.empty()) terms.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) terms.push_back(std::move(cur));
  return terms;
}

// Does a word of the text, folded (and without an Arabic article), hold a part
// that starts with a term?
bool word_matches(const std::string& word, const std::vector<std::string>& terms) {
  const std::string folded = text::search_fold(word);
  for (const auto& t : terms) {
    for (std::size_t pos = 0; pos + t.size() <= folded.size(); ++pos) {
      const bool at_start = pos == 0 || (static_cast<unsigned char>(folded[pos - 1]) < 0x80 &&
                                         !std::isalnum(static_cast<unsigned char>(folded[pos - 1])));
      if (at_start && folded.compare(pos, t.size(), t) == 0) return true;
    }
  }
  return false;
}

} // namespace

std::string snippet(const std::string& text, const std::string& query, std::size_t max_words) {
  const auto words = words_of(text);
  const auto terms = query_terms(query);
  std::size_t hit = 0;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (word_matches(words[i], terms)) {
      hit = i;
      break;
    }
  // A few words of context before the match, the rest after it.
  std::size_t begin = hit > max_words / 3 ? hit - max_words / 3 : 0;
  const std::size_t end = std::min(words.size(), begin + max_words);
  if (end - begin < max_words && end == words.size()) begin = end > max_words ? end - max_words : 0;
  std::string out = begin > 0 ? "…" : "";
  for (std::size_t i = begin; i < end; ++i) out += (i > begin ? " " : "") + words[i];
  if (end < words.size()) out += "…";
  return out;
}

std::vector<SearchResult> search(Session& session, const std::string& query, std::size_t limit) {
  if (query_terms(query).empty())
    throw Error(ErrorKind::usage, "nothing to search for", {"give a word or more: crm search popescu"});
  struct Ranked {
    SearchResult result;
    int title_match; // 0: every word is in the record's name or title
    int type_order;  // contacts, companies, then the records about them
  };
  std::vector<Ranked> ranked;
  const auto terms = query_terms(query);
  // bm25 alone knows little in a small workspace (every word is rare), so a
  // match in the name or title comes first (people and companies first among
  // those), then bm25's order: re-rank a generous first cut of the FTS results.
  for (auto& hit : session.index().search(query, limit * 10 + 50)) {
    const auto* type = model::find_type(hit.type);
    // The snippet comes from the field that holds the most of the query's words.
    std::size_t best = 0, best_count = 0;
    for (std::size_t k = 0; k < hit.texts.size(); ++k) {
      std::size_t count = 0;
      for (const auto& t : terms)
        for (const auto& w : words_of(hit.texts[k].second))
          if (word_matches(w, {t})) {
            ++count;
            break;
          }
      if (count > best_count) {
        best = k;
        best_count = count;
      }
    }
    SearchResult r{hit.type, hit.id, "", "", ""};
    if (!hit.texts.empty()) {
      r.field = hit.texts[best].first;
      r.snippet = snippet(hit.texts[best].second, query);
    }
    if (auto rec = session.index().get(*type, hit.id)) {
      // Events are named by their contact: who the call or complaint was with.
      if (type->field("contact") && rec->contains("contact")) {
        if (auto c = session.index().get(model::contact_type(), (*rec)["contact"].get<std::string>()))
          r.name = c->value("name", "");
      } else {
        r.name = rec->value("name", "");
      }
    }
    int title_match = 1;
    if (!hit.texts.empty()) {
      const auto words = words_of(hit.texts.front().second);
      title_match = std::all_of(terms.begin(), terms.end(), [&](const std::string& t) {
                      return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return word_matches(w, {t}); });
                    })
                        ? 0
                        : 1;
    }
    // Among name matches, people and companies before the records about them.
    const int order = title_match != 0 ? 0 : type->kind == model::RecordKind::contact ? 0
                                                       : type->kind == model::RecordKind::company ? 1 : 2;
    ranked.push_back({std::move(r), title_match, order});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return std::tie(a.title_match, a.type_order) < std::tie(b.title_match, b.type_order);
  });
  std::vector<SearchResult> out;
  for (auto& r : ranked) {
    if (out.size() == limit) break;
    out.push_back(std::move(r.result));
  }
  return out;
}

} // namespace crm::ops
