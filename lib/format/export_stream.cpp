#include "format/export_stream.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/error.hpp"
#include "util/yaml_emit.hpp"

namespace crm::format {
namespace {

std::string yaml_mapping(const Record& record) {
  YAML::Emitter e;
  e.SetIndent(2);
  yaml::emit(e, record);
  if (!e.good()) throw Error(ErrorKind::io, fmt::format("cannot write YAML: {}", e.GetLastError()));
  std::string text = e.c_str();
  text += '\n';
  return text;
}

} // namespace

ExportStream::ExportStream(std::ostream& out, std::string path, OutputOptions opts)
    : out_(out), path_(std::move(path)), opts_(std::move(opts)) {}

ExportStream::~ExportStream() = default;

void ExportStream::start(std::vector<std::string> columns) {
  output_ = std::make_unique<OutputFile>(path_, out_);
  if (!documents()) stream_.emplace(output_->stream(), std::move(columns), opts_);
}

void ExportStream::add(const Record& record) {
  if (documents()) add_document(yaml_mapping(record));
  else stream_->add(record);
}

void ExportStream::add_json(std::string_view compact_json) {
  if (documents()) add(Record::parse(compact_json));
  else stream_->add_json(compact_json);
}

void ExportStream::add_cells(const std::vector<std::string_view>& cells) {
  if (documents()) throw Error(ErrorKind::io, "cells given for a format that needs records");
  stream_->add_cells(cells);
}

void ExportStream::add_document(std::string_view yaml) {
  if (!documents()) throw Error(ErrorKind::io, "a YAML document given for a format that needs records");
  auto& out = output_->stream();
  if (count_++ > 0) out << "---\n";
  out << yaml;
}

void ExportStream::finish() {
  if (stream_) stream_->finish();
  output_->commit();
}

} // namespace crm::format
