// list and its columns: the fields a --fields names, a linked record's values
// (company.name), and the rows as records, JSON or cells.
#include "ops/records/records.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "index/computed.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/records/records_impl.hpp"
#include "util/error.hpp"
#include "util/json_cells.hpp"
#include "util/text.hpp"

namespace crm::ops {
using namespace records_impl;

namespace {

// "did you mean 'x'?" for the nearest of `names`, or nothing.
std::vector<std::string> did_you_mean(std::string_view key, const std::vector<std::string>& names,
                                      std::string_view prefix = "") {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& n : names) {
    const auto d = model::edit_distance(key, n);
    if (d <= std::max<std::size_t>(2, key.size() / 3)) scored.emplace_back(d, n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> hints;
  for (std::size_t k = 0; k < scored.size() && k < 3; ++k)
    hints.push_back(fmt::format("did you mean '{}{}'?", prefix, scored[k].second));
  return hints;
}

// The names a column of `type` can have: its fields and computed fields.
std::vector<std::string> column_names(const RecordType& type) {
  std::vector<std::string> names;
  for (const auto& f : type.fields) names.emplace_back(f.key);
  for (const auto& c : index::computed_fields(type)) names.push_back(c.key);
  return names;
}

// A column showing a value of the record a reference field points to: the
// reference itself (its record's name, where a person reads) or "company.city".
struct LinkedColumn {
  std::size_t column = 0;
  const RecordType* target = nullptr;
  std::string key; // of the linked record; empty: the reference, shown by name
};

const Field* ref_field(const RecordType& type, std::string_view key) {
  const Field* f = type.field(key);
  return f && f->kind == FieldKind::ref ? f : nullptr;
}

// What the index is asked for (a linked column reads its reference) and which
// columns are linked. `names`: show references by their record's name.
std::vector<LinkedColumn> plan_columns(const RecordType& type, const std::vector<std::string>& columns, bool names,
                                       std::vector<std::string>& projection) {
  std::vector<LinkedColumn> linked;
  projection = columns;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const auto dot = columns[k].find('.');
    const Field* f = ref_field(type, columns[k].substr(0, dot));
    if (!f) continue;
    if (dot == std::string::npos && !names) continue;
    linked.push_back({k, model::find_type(f->ref_type), dot == std::string::npos ? "" : columns[k].substr(dot + 1)});
    projection[k] = std::string(f->key);
  }
  return linked;
}

// The values of linked records, each record read once.
class LinkedValues {
public:
  explicit LinkedValues(Session& session) : session_(session) {}

  // The value `column` shows for the reference `id`; null when there is none,
  // the id itself when its record is gone (a dangling reference stays visible).
  Json value(const LinkedColumn& column, const std::string& id) {
    const auto& rec = record(*column.target, id);
    if (rec.is_null()) return column.key.empty() ? Json(id) : Json();
    if (column.key.empty()) {
      std::string title = rec.value(std::string(column.target->title_key), "");
      title = title.substr(0, title.find('\n'));
      return title.empty() ? Json(id) : Json(title);
    }
    if (index::find_computed(*column.target, column.key)) {
      auto& computed = computed_[std::string(column.target->name) + '\x1f' + id];
      if (computed.is_null()) computed = session_.index().computed_values(*column.target, id, session_.lead_score());
      return computed.value(column.key, Json());
    }
    const auto dot = column.key.find('.');
    auto it = rec.find(column.key.substr(0, dot));
    if (it == rec.end()) return Json();
    if (dot == std::string::npos) return *it;
    return it->is_object() ? it->value(column.key.substr(dot + 1), Json()) : Json();
  }

private:
  const Json& record(const RecordType& type, const std::string& id) {
    const std::string key = std::string(type.name) + '\x1f' + id;
    auto it = records_.find(key);
    if (it == records_.end()) {
      auto rec = session_.index().get(type, id);
      it = records_.emplace(key, rec ? std::move(*rec) : Json()).first;
    }
    return it->second;
  }

  Session& session_;
  std::map<std::string, Json> records_;
  std::map<std::string, Json> computed_;
};

// A column no field declares is one a person added by hand to some record (or a
// map's key: custom.vat_id); a name no record holds is a mistake, not an empty
// column.
void check_columns_exist(Session& session, const RecordType& type, const std::vector<std::string>& columns) {
  for (const auto& column : columns) {
    const auto dot = column.find('.');
    const std::string outer = column.substr(0, dot);
    const Field* f = type.field(outer);
    if (index::find_computed(type, column) || (f && f->kind != FieldKind::map) || ref_field(type, outer)) continue;
    if (f && dot == std::string::npos) continue; // the whole map
    if (session.index().has_key(type, column)) continue;
    std::vector<std::string> hints;
    if (f) {
      hints = did_you_mean(column.substr(dot + 1), session.index().keys_in_use(type, outer), outer + ".");
      if (hints.empty()) hints.push_back(fmt::format("no {} has a key '{}' in {}", type.name, column.substr(dot + 1), outer));
    } else {
      auto names = column_names(type);
      for (auto& k : session.index().keys_in_use(type, "")) names.push_back(std::move(k));
      hints = did_you_mean(column, names);
      if (hints.empty()) hints.push_back(fmt::format("run 'crm {} show REF' to see the fields a {} has", type.name, type.name));
    }
    throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", column), hints);
  }
}

} // namespace

std::vector<std::string> list_columns(const RecordType& type, std::string_view fields) {
  std::vector<std::string> columns;
  if (text::trim(fields).empty()) {
    for (auto c : type.list_columns) columns.emplace_back(c);
    return columns;
  }
  for (const auto& name : split_list(fields)) {
    const auto dot = name.find('.');
    const std::string outer = name.substr(0, dot);
    // A linked record's field: company.name, contact.city.
    if (const Field* ref = ref_field(type, outer); ref && dot != std::string::npos) {
      const RecordType& target = *model::find_type(ref->ref_type);
      const std::string key = name.substr(dot + 1);
      const std::string key_outer = key.substr(0, key.find('.'));
      const Field* f = target.field(key_outer);
      const bool known = index::find_computed(target, key) ||
                         (f && (key.find('.') == std::string::npos || f->kind == FieldKind::map));
      if (!known) {
        auto hints = did_you_mean(key, column_names(target), outer + ".");
        if (hints.empty()) hints.push_back(fmt::format("run 'crm {} show REF' to see the fields a {} has", target.name, target.name));
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", name), hints);
      }
      columns.push_back(name);
      continue;
    }
    // Keys added by hand are listable too (list checks that some record has them).
    if (!type.field(outer) && !index::find_computed(type, name)) {
      if (auto typo = model::likely_typo(type, outer))
        throw Error(ErrorKind::usage, fmt::format("unknown field '{}'", name), {fmt::format("did you mean '{}'?", *typo)});
      if (!is_custom_key(outer)) throw Error(ErrorKind::usage, fmt::format("bad field name '{}'", name));
    }
    columns.push_back(name);
  }
  return columns;
}

void check_query(const RecordType& type, const index::ListQuery& query) {
  if (query.stage) {
    const Field* stage = type.field("stage");
    if (!stage) throw Error(ErrorKind::usage, fmt::format("{} have no stage", type.plural));
    if (auto p = model::check_field(*stage, Json(*query.stage))) throw Error(ErrorKind::usage, *p);
  }
  std::string sort_key = query.sort;
  if (!sort_key.empty() && sort_key[0] == '-') sort_key.erase(0, 1);
  if (!type.field(sort_key)) {
    if (auto typo = model::likely_typo(type, sort_key))
      throw Error(ErrorKind::usage, fmt::format("cannot sort by unknown field '{}'", sort_key),
                  {fmt::format("did you mean '{}'?", *typo)});
    if (!is_custom_key(sort_key)) throw Error(ErrorKind::usage, fmt::format("bad field name '{}'", sort_key));
  }
}

namespace {

// The query with what a sort or a column on score needs.
index::ListQuery with_lead_score(Session& session, const index::ListQuery& query) {
  index::ListQuery q = query;
  if (!q.lead_score) q.lead_score = session.lead_score();
  return q;
}

} // namespace

std::vector<Record> list_records(Session& session, const RecordType& type, const index::ListQuery& query) {
  check_query(type, query);
  return session.index().list(type, with_lead_score(session, query));
}

void list_records_json(Session& session, const RecordType& type, const index::ListQuery& query,
                       const std::function<void(std::string_view)>& on_json) {
  check_query(type, query);
  session.index().each(type, with_lead_score(session, query), nullptr, on_json);
}

void list_records_cells(Session& session, const RecordType& type, const index::ListQuery& query,
                        const std::vector<std::string>& columns, std::string_view separator, RefCells refs,
                        const std::function<void(const std::vector<std::string_view>&)>& on_row) {
  check_query(type, query);
  check_columns_exist(session, type, columns);
  std::vector<std::string> projection;
  const auto linked = plan_columns(type, columns, refs == RefCells::names, projection);
  LinkedValues values(session);
  std::vector<std::string> cells, linked_cells;
  std::vector<std::string_view> views(columns.size());
  session.index().each(type, with_lead_score(session, query), &projection, [&](std::string_view json) {
    json_cells::split_row(json, separator, cells);
    cells.resize(columns.size());
    for (const auto& l : linked) {
      if (cells[l.column].empty()) continue; // no reference
      // One value as a one-cell row: the cell text rules of every other cell.
      const Json v = values.value(l, cells[l.column]);
      json_cells::split_row("[" + v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "]", separator,
                            linked_cells);
      cells[l.column] = linked_cells.empty() ? std::string() : std::move(linked_cells.front());
    }
    for (std::size_t k = 0; k < views.size(); ++k) views[k] = cells[k];
    on_row(views);
  });
}

void list_records_projected(Session& session, const RecordType& type, const index::ListQuery& query,
                            const std::vector<std::string>& columns,
                            const std::function<void(Record&&)>& on_record) {
  check_query(type, query);
  check_columns_exist(session, type, columns);
  // Scripts read ids: a reference stays its id here; only company.name and the
  // like are looked up.
  std::vector<std::string> projection;
  const auto linked = plan_columns(type, columns, false, projection);
  LinkedValues values(session);
  session.index().each_projected(type, with_lead_score(session, query), projection, [&](Record&& rec) {
    if (linked.empty()) return on_record(std::move(rec));
    Record out = Record::object();
    for (std::size_t k = 0; k < columns.size(); ++k) {
      auto it = rec.find(projection[k]);
      if (it == rec.end()) continue;
      const auto l = std::find_if(linked.begin(), linked.end(), [&](const LinkedColumn& c) { return c.column == k; });
      if (l == linked.end()) {
        out[columns[k]] = *it;
      } else if (it->is_string()) {
        if (Json v = values.value(*l, it->get<std::string>()); !v.is_null()) out[columns[k]] = std::move(v);
      }
    }
    on_record(std::move(out));
  });
}

} // namespace crm::ops
