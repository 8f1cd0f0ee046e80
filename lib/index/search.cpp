// Full-text search over names, notes, summaries and feedback (FTS5).

#include <cctype>

#include <fmt/format.h>

#include "index/index_impl.hpp"
#include "util/text.hpp"

namespace crm::index {

std::vector<SearchHit> Index::search(const std::string& query, std::size_t limit) const {
  // Each word of the folded query must start a word of the folded text: FTS5
  // prefix phrases, quoted so that no query character is FTS syntax.
  std::string match;
  const std::string folded = text::match_key(query);
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) {
      std::string word = folded.substr(start, end - start);
      match += fmt::format("{}\"{}\"*", match.empty() ? "" : " ", word);
    }
  };
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const auto c = static_cast<unsigned char>(folded[i]);
    // ASCII punctuation and spaces separate words; every non-ASCII byte belongs
    // to a letter as far as splitting goes (the tokenizer splits the rest).
    if (c < 0x80 && !std::isalnum(c)) {
      flush(i);
      start = i + 1;
    }
  }
  flush(folded.size());
  std::vector<SearchHit> out;
  if (match.empty()) return out;
  // A word in the title (name, summary) weighs five times one in the rest.
  SQLite::Statement st(impl_->db,
                       "SELECT r.type, r.record_id, r.originals, bm25(search, 5.0, 1.0) AS rank FROM search"
                       " JOIN search_rows r ON r.rowid = search.rowid WHERE search MATCH ?"
                       " ORDER BY rank, r.type, r.record_id LIMIT ?");
  st.bind(1, match);
  st.bind(2, static_cast<std::int64_t>(limit));
  while (st.executeStep()) {
    SearchHit hit{st.getColumn(0).getString(), st.getColumn(1).getString(), {}, st.getColumn(3).getDouble()};
    const auto originals = nlohmann::ordered_json::parse(st.getColumn(2).getString());
    for (const auto& [field, text] : originals.items()) hit.texts.emplace_back(field, text.get<std::string>());
    out.push_back(std::move(hit));
  }
  return out;
}

} // namespace crm::index
