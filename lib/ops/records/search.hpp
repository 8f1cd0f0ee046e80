#pragma once
// `crm search TEXT`: full-text search over names, notes, activity summaries
// and feedback, ranked, with the matching record and a snippet.

#include <string>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

struct SearchResult {
  std::string type;    // contact, company, activity, followup, feedback
  std::string id;
  std::string name;    // the record's name, or its contact's name
  std::string field;   // where it matched
  std::string snippet; // the words around the first match, one line
};

// Throws Error(usage) for a query with no words.
std::vector<SearchResult> search(Session& session, const std::string& query, std::size_t limit);

// Up to `max_words` words of `text` around the first word that starts with one
// of the query's words (folded the same way), "…" where cut; newlines become
// spaces.
std::string snippet(const std::string& text, const std::string& query, std::size_t max_words = 12);

} // namespace crm::ops
