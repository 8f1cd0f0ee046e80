#include "ops/exchange/export.hpp"

#include <exception>
#include <filesystem>
#include <ostream>
#include <set>
#include <streambuf>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "format/output.hpp"
#include "ops/records/records.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/yaml_emit.hpp"

namespace crm::ops {
namespace {

using model::FieldKind;
using model::Record;
using model::RecordType;

// A stream buffer over an AtomicFile. A failed write is kept and reported by
// check(): std::ostream swallows what a buffer throws.
class AtomicFileBuffer : public std::streambuf {
public:
  explicit AtomicFileBuffer(fs::AtomicFile& file) : file_(file), buffer_(64 * 1024) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  // Rethrows the first failed write; Error(io) when the stream failed otherwise.
  void check(const std::ostream& stream) const {
    if (failure_) std::rethrow_exception(failure_);
    if (!stream.good())
      throw Error(ErrorKind::io, fmt::format("cannot write '{}'", file_.target().string()));
  }

protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return drain() ? 0 : -1; }

private:
  bool drain() {
    if (failure_) return false;
    try {
      file_.write(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    } catch (...) {
      failure_ = std::current_exception();
      return false;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  fs::AtomicFile& file_;
  std::vector<char> buffer_;
  std::exception_ptr failure_;
};

bool fits_one_cell(FieldKind kind) { return kind != FieldKind::map && kind != FieldKind::entries; }

format::Format output_format(ExportFormat format) {
  switch (format) {
  case ExportFormat::csv: return format::Format::csv;
  case ExportFormat::json: return format::Format::json;
  case ExportFormat::jsonl: return format::Format::jsonl;
  case ExportFormat::yaml: return format::Format::yaml;
  }
  return format::Format::csv;
}

// YAML documents, "---" between them (none before the first, so a single record
// reads like its file).
class YamlDocuments {
public:
  explicit YamlDocuments(std::ostream& out) : out_(out) {}
  void add(std::string_view document) {
    if (count_++ > 0) out_ << "---\n";
    out_ << document;
  }
  std::size_t count() const { return count_; }

private:
  std::ostream& out_;
  std::size_t count_ = 0;
};

std::string yaml_mapping(const Record& record) {
  YAML::Emitter e;
  e.SetIndent(2);
  yaml::emit(e, record);
  if (!e.good()) throw Error(ErrorKind::io, fmt::format("cannot write YAML: {}", e.GetLastError()));
  std::string text = e.c_str();
  text += '\n';
  return text;
}

std::size_t write_yaml(Session& session, const RecordType& type, const index::ListQuery& query,
                       const std::vector<std::string>& columns, bool fields_chosen, std::ostream& out) {
  YamlDocuments docs(out);
  if (fields_chosen)
    list_records_projected(session, type, query, columns, [&](Record&& r) { docs.add(yaml_mapping(r)); });
  else
    list_records_json(session, type, query,
                      [&](std::string_view json) { docs.add(store::render_record(type, Record::parse(json))); });
  return docs.count();
}

// What a CSV cell must say for a later `crm import csv` to give the same record
// back: a contact's company by name, as people and other programs write it (an
// id would make a company named by the id in another workspace), and each email
// and phone with its label ("work:ana@x.ro; mobile:+40 722 123 456").
struct ImportableCells {
  std::vector<std::string> labelled;                   // emails and phones columns
  std::vector<std::string> company_columns;            // columns holding a company id
  std::unordered_map<std::string, std::string> name_of; // company id -> name
  bool needed() const { return !labelled.empty() || !company_columns.empty(); }
};

ImportableCells importable_cells(Session& session, const RecordType& type, const std::vector<std::string>& columns) {
  ImportableCells out;
  for (const auto& column : columns) {
    const auto* f = type.field(column);
    if (!f) continue;
    if (f->kind == FieldKind::emails || f->kind == FieldKind::phones) out.labelled.push_back(column);
    if (f->kind == FieldKind::ref && f->ref_type == "company") out.company_columns.push_back(column);
  }
  if (out.company_columns.empty()) return out;
  // Two companies of one name stay ids: import could not tell them apart.
  std::unordered_map<std::string, int> named;
  list_records_cells(session, model::company_type(), index::ListQuery{}, {"id", "name"}, "; ", RefCells::ids,
                     [&](const std::vector<std::string_view>& cells) {
                       if (cells.size() != 2) return;
                       out.name_of.emplace(cells[0], cells[1]);
                       ++named[text::match_key(cells[1])];
                     });
  std::erase_if(out.name_of, [&](const auto& entry) { return named[text::match_key(entry.second)] > 1; });
  return out;
}

// The record with those columns as their cells say them.
void make_importable(const ImportableCells& how, Record& record) {
  for (const auto& column : how.labelled) {
    auto it = record.find(column);
    if (it == record.end() || !it->is_array()) continue;
    std::string cell;
    for (const auto& entry : *it) {
      if (!entry.is_object()) continue;
      const std::string value = entry.value(column == "emails" ? "address" : "number", "");
      const std::string label = entry.value("label", "");
      if (!cell.empty()) cell += "; ";
      cell += label.empty() ? value : label + ":" + value;
    }
    *it = cell;
  }
  for (const auto& column : how.company_columns) {
    auto it = record.find(column);
    if (it == record.end() || !it->is_string()) continue;
    if (auto name = how.name_of.find(it->get<std::string>()); name != how.name_of.end()) *it = name->second;
  }
}

std::size_t write_stream(Session& session, const RecordType& type, const index::ListQuery& query,
                         const std::vector<std::string>& columns, bool fields_chosen, const ExportOptions& options,
                         std::ostream& out) {
  if (options.format == ExportFormat::yaml) return write_yaml(session, type, query, columns, fields_chosen, out);
  format::OutputOptions o;
  o.format = output_format(options.format);
  o.csv_formula_guard = options.formula_guard;
  format::RecordStream stream(out, columns, o);
  const ImportableCells importable =
      options.format == ExportFormat::csv ? importable_cells(session, type, columns) : ImportableCells{};
  if (importable.needed()) {
    list_records_projected(session, type, query, columns, [&](Record&& r) {
      make_importable(importable, r);
      stream.add(r);
    });
  } else if (stream.takes_cells())
    list_records_cells(session, type, query, columns, stream.cell_separator(), RefCells::ids,
                       [&](const std::vector<std::string_view>& cells) { stream.add_cells(cells); });
  else if (!fields_chosen)
    list_records_json(session, type, query, [&](std::string_view json) { stream.add_json(json); });
  else
    list_records_projected(session, type, query, columns, [&](Record&& r) { stream.add(r); });
  stream.finish();
  return stream.count();
}

// The keys the selected records hold in their maps (custom, social...) as
// columns: "custom.vat_id", sorted within each map, maps in file order. A key
// with a double quote cannot be named in a JSON path and is left to the other
// formats.
std::vector<std::string> map_columns_held(Session& session, const RecordType& type, const index::ListQuery& query) {
  std::vector<std::string> maps;
  for (const auto& f : type.fields)
    if (f.kind == FieldKind::map) maps.emplace_back(f.key);
  if (maps.empty()) return {};
  std::vector<std::set<std::string>> keys(maps.size());
  session.index().each(type, query, &maps, [&](std::string_view json) {
    const Record values = Record::parse(json, nullptr, false);
    if (!values.is_array()) return;
    for (std::size_t k = 0; k < maps.size() && k < values.size(); ++k)
      if (values[k].is_object())
        for (const auto& [key, value] : values[k].items())
          if (key.find('"') == std::string::npos) keys[k].insert(key);
  });
  std::vector<std::string> columns;
  for (std::size_t k = 0; k < maps.size(); ++k)
    for (const auto& key : keys[k]) columns.push_back(maps[k] + "." + key);
  return columns;
}

} // namespace

const RecordType& export_type(std::string_view name) {
  if (const auto* type = model::find_type(name)) return *type;
  std::string names;
  for (const auto* t : model::all_types()) {
    if (!names.empty()) names += ", ";
    names += t->plural;
  }
  throw Error(ErrorKind::usage, fmt::format("unknown record type '{}'", name), {"types: " + names});
}

std::vector<std::string> default_export_columns(const RecordType& type) {
  std::vector<std::string> columns;
  for (const auto& f : type.fields)
    if (fits_one_cell(f.kind)) columns.emplace_back(f.key);
  return columns;
}

std::size_t export_records(Session& session, const ExportOptions& options, std::ostream& out) {
  const RecordType& type = export_type(options.type);
  const bool fields_chosen = !text::trim(options.fields).empty();
  auto columns = fields_chosen ? list_columns(type, options.fields) : default_export_columns(type);
  if (columns.empty()) throw Error(ErrorKind::usage, fmt::format("no field names in --fields '{}'", options.fields));
  index::ListQuery query;
  query.sort = std::string(type.default_sort);
  if (options.where) query.where = session.where(type, *options.where);
  // A CSV has one header for every row: the map keys any selected record holds
  // follow the declared fields, so no custom field is left behind.
  if (!fields_chosen && options.format == ExportFormat::csv)
    for (auto& column : map_columns_held(session, type, query)) columns.push_back(std::move(column));
  std::size_t count = 0;
  write_output(options.output, out, [&](std::ostream& stream) {
    count = write_stream(session, type, query, columns, fields_chosen, options, stream);
  });
  return count;
}

void write_output(const std::string& path, std::ostream& out, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(out);
    out.flush();
    return;
  }
  namespace stdfs = std::filesystem;
  const stdfs::path target(path);
  std::error_code ec;
  if (stdfs::is_directory(target, ec))
    throw Error(ErrorKind::io, fmt::format("cannot write '{}': it is a directory", path));
  // AtomicFile would create missing folders; a mistyped one is more likely.
  if (const auto folder = target.parent_path(); !folder.empty() && !stdfs::is_directory(folder, ec))
    throw Error(ErrorKind::io, fmt::format("cannot write '{}': no folder '{}'", path, folder.string()));
  fs::AtomicFile file(target);
  AtomicFileBuffer buffer(file);
  std::ostream stream(&buffer);
  write(stream);
  stream.flush();
  buffer.check(stream);
  file.commit();
}

} // namespace crm::ops
