#pragma once
// The records of an export (`crm export`) as they come, to stdout or to a file:
// the operation picks the records and their columns, this writes them.

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/output.hpp"
#include "format/output_file.hpp"

namespace crm::format {

// csv, json and jsonl as RecordStream writes them; yaml as one document per
// record, "---" between them (none before the first, so that a single record
// reads like its file).
class ExportStream {
public:
  // To `out`, or atomically to the file `path` names (OutputFile); `opts.format`
  // is csv, json, jsonl or yaml.
  ExportStream(std::ostream& out, std::string path, OutputOptions opts);
  ~ExportStream();

  Format format() const { return opts_.format; }
  // Opens the output: called once everything was checked, so that an export
  // refused writes nothing, not even an empty file.
  void start(std::vector<std::string> columns);

  // What the records can be given as, besides add(), once started: see
  // RecordStream.
  bool takes_cells() const { return stream_ && stream_->takes_cells(); }
  std::string_view cell_separator() const { return stream_ ? stream_->cell_separator() : ", "; }
  bool takes_json() const { return stream_ && stream_->takes_json(); }
  // yaml: a record as YAML text already (a record file as the store writes it).
  bool takes_documents() const { return documents(); }

  void add(const Record& record);
  void add_json(std::string_view compact_json);
  void add_cells(const std::vector<std::string_view>& cells);
  void add_document(std::string_view yaml);

  // Ends the output; a file replaces what `path` held.
  void finish();
  std::size_t count() const { return stream_ ? stream_->count() : count_; }

private:
  bool documents() const { return opts_.format == Format::yaml; }
  std::ostream& out_;
  std::string path_;
  OutputOptions opts_;
  std::unique_ptr<OutputFile> output_;
  std::optional<RecordStream> stream_;
  std::size_t count_ = 0; // yaml documents
};

} // namespace crm::format
