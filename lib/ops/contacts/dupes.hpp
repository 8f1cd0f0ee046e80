#pragma once
// `crm contact dupes`: contacts that are probably the same person, each pair with
// why and a score, for `crm contact merge KEEP OTHER` (ops/contacts/merge.hpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "format/rows.hpp"
#include "ops/records/session.hpp"

namespace crm::ops {

// Why two contacts look like one person, with its score:
//   email       95  an email address in common (compared case-folded)
//   phone       90  a phone number in common (compared as E.164)
//   same name   80  the names are equal after folding case, accents and spaces
//   close name  60  folded names of 6+ characters each, one edit apart
//   swapped name 60 the same words in another order ("Popescu Ana"), or given
//                   and family names swapped
struct DupeReason {
  std::string kind;  // "email", "phone", "same name", "close name", "swapped name"
  std::string value; // the address or number in common; empty for names
  int score = 0;
};

// Scores of the reasons above.
inline constexpr int email_score = 95, phone_score = 90, same_name_score = 80, close_name_score = 60;

// The score of a pair: its best reason, plus 5 for each further one (a second
// email in common counts), at most 100. 0 for no reasons.
int dupe_score(const std::vector<DupeReason>& reasons);

// Edit distance in code points (insert, delete or replace one character) of two
// UTF-8 strings; stops counting at `limit` + 1.
std::size_t text_edit_distance(std::string_view a, std::string_view b, std::size_t limit);

struct DuplicatePair {
  std::string keep, keep_name;   // the older record by `created` (else the smaller id)
  std::string other, other_name; // the one to merge into it
  int score = 0;
  std::vector<DupeReason> reasons; // emails, phones, then the name reason
};

// Every pair of contacts that looks like one person, best score first, then by
// keep and other id. Grouped by email key, E.164, folded name, word order and
// one-deletion variants of the folded name (hash maps, never every pair), so it
// stays fast on 100k contacts.
std::vector<DuplicatePair> find_duplicates(Session& session);

// The pairs as rows: columns score, keep, keep_name, other, other_name, reasons
// ("email ana@x.ro", "same name"...); --format ids gives "KEEP OTHER" a line,
// for `while read keep other; do crm contact merge ...`.
format::Rows duplicate_rows(const std::vector<DuplicatePair>& pairs);

} // namespace crm::ops
