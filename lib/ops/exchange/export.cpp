#include "ops/exchange/export.hpp"

#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "format/output.hpp"
#include "ops/records/records.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
namespace {

using model::FieldKind;
using model::Record;
using model::RecordType;

bool fits_one_cell(FieldKind kind) { return kind != FieldKind::map && kind != FieldKind::entries; }

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

void add_records(Session& session, const RecordType& type, const index::ListQuery& query,
                 const std::vector<std::string>& columns, bool fields_chosen, format::ExportStream& out) {
  if (out.takes_documents()) {
    if (fields_chosen)
      list_records_projected(session, type, query, columns, [&](Record&& r) { out.add(r); });
    else
      list_records_json(session, type, query,
                        [&](std::string_view json) { out.add_document(store::render_record(type, Record::parse(json))); });
    return;
  }
  const ImportableCells importable =
      out.format() == format::Format::csv ? importable_cells(session, type, columns) : ImportableCells{};
  if (importable.needed()) {
    list_records_projected(session, type, query, columns, [&](Record&& r) {
      make_importable(importable, r);
      out.add(r);
    });
  } else if (out.takes_cells())
    list_records_cells(session, type, query, columns, out.cell_separator(), RefCells::ids,
                       [&](const std::vector<std::string_view>& cells) { out.add_cells(cells); });
  else if (!fields_chosen)
    list_records_json(session, type, query, [&](std::string_view json) { out.add_json(json); });
  else
    list_records_projected(session, type, query, columns, [&](Record&& r) { out.add(r); });
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

std::size_t export_records(Session& session, const ExportOptions& options, format::ExportStream& out) {
  const RecordType& type = export_type(options.type);
  const bool fields_chosen = !text::trim(options.fields).empty();
  auto columns = fields_chosen ? list_columns(type, options.fields) : default_export_columns(type);
  if (columns.empty()) throw Error(ErrorKind::usage, fmt::format("no field names in --fields '{}'", options.fields));
  index::ListQuery query;
  query.sort = std::string(type.default_sort);
  if (options.where) query.where = session.where(type, *options.where);
  // A CSV has one header for every row: the map keys any selected record holds
  // follow the declared fields, so no custom field is left behind.
  if (!fields_chosen && out.format() == format::Format::csv)
    for (auto& column : map_columns_held(session, type, query)) columns.push_back(std::move(column));
  out.start(columns);
  add_records(session, type, query, columns, fields_chosen, out);
  out.finish();
  return out.count();
}

} // namespace crm::ops
