#pragma once
// Which field each column of an imported CSV feeds: canonical field names, the
// headers other programs write ("E-mail Address", "Mobile Phone", "First Name" +
// "Last Name"), presets for Google, Outlook and Thunderbird exports, and --map.
// Columns that match nothing become custom fields, so no cell is ever dropped.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/record_type.hpp"
#include "ops/records/records.hpp"

namespace crm::ops {

struct ColumnRole {
  enum class Kind {
    field,       // a field of the record type: `field` ("title", "emails", "tags"...)
    name_part,   // given / middle / family name, or prefix / suffix: `part`
    address,     // one part of an address group: `part` street, extended, city,
                 // region, postal_code, country, formatted; `group` names the group
    label_of,    // the label of the email/phone/address of the same `group` (Google "- Type")
    birth_part,  // year, month or day of a birthday split in three (Thunderbird)
    custom,      // custom field `field`
    skip,        // --map COLUMN=skip
  };
  Kind kind = Kind::custom;
  std::string field; // field key, or the custom key
  std::string label; // emails/phones: "work", "home", "mobile", "fax"... ("" none)
  std::string group; // groups columns that belong together: "home", "business", "1"
  std::string part;
  std::string header; // the column's header as written
  bool us_dates = false; // dates are M/D/YYYY (an Outlook export)
};

// Presets by name: "google", "outlook", "thunderbird". Error(usage) for others.
void check_preset(std::string_view preset);

// The roles of `header`'s columns for records of `type`. `preset` empty: detected
// from the header (an Outlook header has both "Title" and "Job Title"...).
// `maps` are --map COLUMN=FIELD pairs: COLUMN is matched case-insensitively;
// FIELD is a field name, custom.NAME, or "skip". Error(usage) for a COLUMN the
// header lacks or an unknown FIELD.
std::vector<ColumnRole> map_columns(const model::RecordType& type, const std::vector<std::string>& header,
                                    std::string_view preset,
                                    const std::vector<std::pair<std::string, std::string>>& maps);

// A first row that holds data, not column names: the 1-based column of its first
// cell that is an email address (no program names a column so), else 0.
std::size_t data_column_in_header(const std::vector<std::string>& first_row);

// The column names of a Thunderbird export without a header line (old versions
// wrote none), in Thunderbird's fixed order, for a file whose first row is
// `first_row`: 36 columns, or 37 with "Screen Name" after "Secondary Email", each
// perhaps followed by the empty cell of a trailing comma. A row of 37 cells whose
// last is empty is read as the 36 columns and a trailing comma. nullopt for
// another number of cells.
std::optional<std::vector<std::string>> thunderbird_columns(const std::vector<std::string>& first_row);

// One row turned into changes to apply to a record (ops::RecordChanges), plus
// what matching needs.
struct RowChanges {
  std::vector<Assignment> changes; // name=..., emails+=work:a@b, custom.x=...
  std::string id;                  // an id column: the record to update, or the id of a new one
  std::string name;                // the record's name ("" when the row has none)
  bool name_from_email = false;    // no name column: the first email stands in
  std::string company;             // a contact's company, by name ("" none)
  std::string notes;               // appended to existing notes, not replacing them
  std::string vcard_extra;         // a card's unmapped lines: each one added when not there yet
  std::vector<std::string> emails; // addresses, for matching
  std::vector<std::string> phones; // numbers as written, for matching
  std::vector<std::string> warnings; // cells kept elsewhere than their column asked
};

// The changes a row asks for (empty cells ask nothing). Throws Error(invalid_data)
// naming the column for a cell that cannot be read (a month 13 birthday...).
RowChanges row_changes(const model::RecordType& type, const std::vector<ColumnRole>& roles,
                       const std::vector<std::string>& cells);

} // namespace crm::ops
