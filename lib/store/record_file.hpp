#pragma once
// One record <-> one YAML file. Known keys are written in the type's field order,
// keys a person added by hand follow in their own order, so every rewrite keeps
// them; text is NFC; strings that another YAML reader would take for a number,
// boolean or null are quoted.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"
#include "util/error.hpp"

namespace crm::store {

struct FileProblem {
  int line = 0; // 1-based; 0 when it concerns the whole file
  std::string key;
  std::string message;
};

// A record file that cannot be used at all; what() is "<path>:<line>: <detail>".
class RecordFileError : public Error {
public:
  RecordFileError(std::string path, int line, std::string detail);
  const std::string& path() const { return path_; }
  int line() const { return line_; } // 0 when it concerns the whole file
  const std::string& detail() const { return detail_; }

private:
  std::string path_;
  int line_;
  std::string detail_;
};

// What a record file may be (README, "Limits"). A record file can come from anyone
// with push access to a shared remote, so reading one must stay cheap whatever it
// holds: a file over a limit is a broken file (file:line), like one that does not
// parse, and the other records keep working. crm never writes past them either.
inline constexpr std::size_t max_record_bytes = 1024 * 1024; // the whole file
inline constexpr std::size_t max_record_line_bytes = 128 * 1024; // one line
inline constexpr int max_record_depth = 16; // nested lists and mappings

struct ParsedRecord {
  model::Record record;
  std::vector<FileProblem> problems; // field-level problems (the record is still usable)
  std::map<std::string, int> lines;   // the line of each top-level key, for messages
};

// One conflict a merge left in a record file (ops/git's merge driver, or git's
// own): the line of its "<<<<<<<" marker and the field the lines between the
// markers hold ("city", "custom.size"; empty when they hold no key).
struct ConflictMark {
  int line = 0;
  std::string field;
};

// The conflicts marked in a record file's text, in order: lines starting with
// "<<<<<<<", which no YAML crm writes can (its text lines are indented).
std::vector<ConflictMark> conflict_marks(std::string_view text);

// "merge conflict in field 'city'", or "merge conflict" when no field is known.
std::string conflict_message(const ConflictMark& mark);

// Parses a record file's text. A file with conflict markers is a broken file
// ("<path>:<line>: merge conflict in field 'city'"). Throws RecordFileError
// when the text is not a YAML mapping or has no usable id, holds a YAML anchor, alias
// or tag (crm writes none; an alias can make a few bytes expand to gigabytes), or is
// over a limit above; field problems (a bad email, an unknown stage) are returned
// with their line so doctor can list them.
ParsedRecord parse_record(const model::RecordType& type, std::string_view yaml_text,
                          std::string_view path_for_messages);

// The text of a YAML file crm reads (a record file, config.yaml, rates.yaml), read
// no further than one byte past max_record_bytes (so that check_yaml_text refuses
// it without a huge or endless file filling memory).
std::string read_yaml_text(const std::filesystem::path& path);

// Refuses a YAML text crm reads that is over the size limits above or holds an
// anchor, alias or tag: RecordFileError "<path>:<line>: <detail>", where `kind`
// names what the file is ("a record file", "config.yaml") in the detail.
void check_yaml_text(std::string_view text, std::string_view path, std::string_view kind);

// The file text for a record (ends with a newline). Throws Error(invalid_data)
// when it would be over a limit above (parse_record would refuse it).
std::string render_record(const model::RecordType& type, const model::Record& record);

} // namespace crm::store
