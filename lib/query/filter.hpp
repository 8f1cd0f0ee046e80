#pragma once
// The filter language of --where and segments (DESIGN section 6), parsed into a
// tree; index/filter_sql.hpp turns the tree into SQL for one record type.
//
//   vip and city = "Cluj-Napoca"          a bare word is a tag
//   revenue > 1000 and last_purchase < -90d
//   name ~ "popesc" or email ~ "@example.ro"
//   stage in (lead, prospect) and not has:email
//
// `and` binds tighter than `or`; two terms side by side mean `and`. Keywords
// (and, or, not, in) are case-insensitive. Errors are Error(invalid_data)
// "bad filter at column N: expected ..." with N counted in characters from 1.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crm::query {

struct Literal {
  std::string text;
  bool quoted = false;    // written in quotes: always text
  std::size_t column = 0; // where it starts (1-based, characters)
};

struct FilterNode {
  enum class Kind { all_of, any_of, negation, comparison, one_of, has, tag };
  Kind kind = Kind::all_of;
  std::string field;      // comparison, one_of, has: the field as written
  std::string op;         // comparison: = != < <= > >= ~
  std::vector<Literal> values; // comparison: one; one_of: the list; tag: the tag
  std::vector<FilterNode> children; // all_of, any_of: two or more; negation: one
  std::size_t column = 0; // where the term starts
};

// Throws Error(invalid_data) for bad syntax.
FilterNode parse_filter(std::string_view text);

// "bad filter at column N: MESSAGE", Error(invalid_data).
[[noreturn]] void filter_error(std::size_t column, const std::string& message);

} // namespace crm::query
