#pragma once
// One record <-> one YAML file. Known keys are written in the type's field order,
// keys a person added by hand follow in their own order, so every rewrite keeps
// them; text is NFC; strings that another YAML reader would take for a number,
// boolean or null are quoted.

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

struct ParsedRecord {
  model::Record record;
  std::vector<FileProblem> problems; // field-level problems (the record is still usable)
  std::map<std::string, int> lines;   // the line of each top-level key, for messages
};

// Parses a record file's text. Throws RecordFileError
// when the text is not a YAML mapping or has no usable id; field problems (a bad
// email, an unknown stage) are returned with their line so doctor can list them.
ParsedRecord parse_record(const model::RecordType& type, std::string_view yaml_text,
                          std::string_view path_for_messages);

// The file text for a record (ends with a newline).
std::string render_record(const model::RecordType& type, const model::Record& record);

} // namespace crm::store
