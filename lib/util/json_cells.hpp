#pragma once
// Cell text straight from JSON text, without building a DOM: the index returns a
// projected row as one small JSON array, and a long list renders 100k of them.
// The rules are format::cell_text's: strings as they are, numbers as written,
// true/false, null -> "", a list joined with `separator` (an object in a list
// gives its first string value: an email's address), an object as k=v pairs.

#include <string>
#include <string_view>
#include <vector>

namespace crm::json_cells {

// `array_json` is a JSON array; appends one cell per element to `cells`
// (cleared first). Throws Error(io) on malformed JSON.
void split_row(std::string_view array_json, std::string_view separator, std::vector<std::string>& cells);

} // namespace crm::json_cells
