#pragma once
// The readable card `show` prints on a terminal (and in table format).

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/record_type.hpp"

namespace crm::format {

// Name on the first line, then one "label  value" line per field in file order:
// lists of words joined with ", ", each email or phone and each line of multi-line
// text on a line of its own, map entries as "field.key", references (and lists
// of them: a campaign's audience, one a line) shown as "Name (id)" using
// `ref_names`. `more` adds rows after the record's own (a
// company's contacts), each label with its lines, aligned with the rest.
using CardRows = std::vector<std::pair<std::string, std::vector<std::string>>>;
void write_card(std::ostream& out, const model::RecordType& type, const model::Record& record,
                const std::map<std::string, std::string>& ref_names, bool color, const CardRows& more = {});

} // namespace crm::format
