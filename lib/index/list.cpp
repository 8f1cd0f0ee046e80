// Lists of records: the SQL of a ListQuery, of a field and of a computed field,
// and the rows as JSON text or records.

#include <algorithm>

#include <fmt/format.h>

#include "index/computed.hpp"
#include "index/index_impl.hpp"
#include "util/error.hpp"
#include "util/money.hpp"
#include "util/text.hpp"

namespace crm::index {

using model::Record;
using model::RecordType;

namespace {

bool is_indexed(const RecordType& type, std::string_view key) {
  const auto keys = type.indexed_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::optional<std::int64_t> as_integer(const std::string& v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  for (std::size_t i = v[0] == '-' ? 1 : 0; i < v.size(); ++i)
    if (v[i] < '0' || v[i] > '9') return std::nullopt;
  if (v == "-") return std::nullopt;
  return std::stoll(v);
}

} // namespace

SqlExpr& operator+=(SqlExpr& to, const SqlExpr& more) {
  to.sql += more.sql;
  to.binds.insert(to.binds.end(), more.binds.begin(), more.binds.end());
  return to;
}

std::string json_path(std::string_view key) {
  // Maps hold text, so only the first dot reaches into one: custom."a.b" is the
  // key "a.b" of custom.
  const auto dot = key.find('.');
  if (dot == std::string_view::npos) return fmt::format("$.\"{}\"", key);
  return fmt::format("$.\"{}\".\"{}\"", key.substr(0, dot), key.substr(dot + 1));
}

// The SQL expression for a field of `type`: a column, a computed expression, or
// a JSON path into the stored record (the path is bound). Numbers compare as
// numbers when the field holds numbers.

SqlExpr Index::field_sql(const RecordType& type, const std::string& key, bool* numeric,
                         const LeadScore& lead_score) const {
  bool is_number = false;
  SqlExpr e;
  if (key == "id" || key == "name") {
    e.sql = key == "name" ? "sort_key" : "id";
  } else if (const auto* c = find_computed(type, key)) {
    is_number = c->kind != ComputedKind::date && c->kind != ComputedKind::text;
    e = computed_expr(type, *c, lead_score);
  } else {
    if (const auto* f = type.field(key))
      is_number = f->kind == model::FieldKind::integer || f->kind == model::FieldKind::money;
    if (is_indexed(type, key)) {
      e.sql = fmt::format("{}.{}", type.plural, key);
    } else {
      e.sql = fmt::format("json_extract({}.data, ?)", type.plural);
      e.binds.emplace_back(json_path(key));
    }
  }
  if (numeric) *numeric = is_number;
  return e;
}

// The SQL that selects `what` for the records matching `q`. Identifiers come
// from the fixed field list and the computed-field table; every value is bound.
SqlExpr Index::list_sql(const RecordType& type, const ListQuery& q, const SqlExpr& what) const {
  SqlExpr out{"SELECT ", {}};
  out += what;
  out.sql += fmt::format(" FROM {} WHERE 1", type.plural);
  if (q.stage) {
    out.sql += " AND stage = ?";
    out.binds.emplace_back(*q.stage);
  }
  for (const auto& t : q.tags) {
    out.sql += fmt::format(" AND {}.id IN (SELECT record_id FROM tags WHERE type = ? AND tag_key = ?)", type.plural);
    out.binds.emplace_back(std::string(type.name));
    out.binds.emplace_back(text::casefold(t));
  }
  static const std::vector<std::string_view> ops = {"=", "!=", "<", "<=", ">", ">="};
  for (const auto& c : q.conditions) {
    if (std::find(ops.begin(), ops.end(), c.op) == ops.end())
      throw Error(ErrorKind::usage, fmt::format("bad comparison '{}'", c.op));
    bool numeric = false;
    const SqlExpr e = c.key == "name" ? SqlExpr{"name", {}} : field_sql(type, c.key, &numeric, q.lead_score);
    out.sql += " AND ";
    out += e;
    out.sql += fmt::format(" {} ?", c.op);
    if (auto n = numeric ? as_integer(c.value) : std::nullopt) out.binds.emplace_back(*n);
    else out.binds.emplace_back(c.value);
  }
  if (!q.where.sql.empty()) {
    out.sql += " AND (";
    out += q.where;
    out.sql += ")";
  }
  std::string sort = q.sort;
  bool desc = false;
  if (!sort.empty() && sort[0] == '-') {
    desc = true;
    sort.erase(0, 1);
  }
  const char* dir = desc ? " DESC" : "";
  if (sort == "name") {
    out.sql += fmt::format(" ORDER BY sort_key{0}, id{0}", dir);
  } else if (sort == "id") {
    out.sql += fmt::format(" ORDER BY id{}", dir);
  } else {
    // Records without the value go last, whichever the direction.
    const SqlExpr e = field_sql(type, sort, nullptr, q.lead_score);
    out.sql += " ORDER BY ";
    out += e;
    out.sql += " IS NULL, ";
    out += e;
    out.sql += fmt::format("{}, sort_key, id", dir);
  }
  if (q.limit) {
    out.sql += " LIMIT ?";
    out.binds.emplace_back(static_cast<std::int64_t>(*q.limit));
  }
  return out;
}

void Index::each(const RecordType& type, const ListQuery& q, const std::vector<std::string>* projection,
                 const std::function<void(std::string_view)>& on_json) const {
  // A projection reads only the wanted values: json_extract with several paths
  // returns them as one small JSON array, so nothing else is parsed.
  SqlExpr what{fmt::format("{}.data", type.plural), {}};
  if (projection) {
    const std::size_t paths = std::max<std::size_t>(2, projection->size()); // one path would return a bare value
    what.sql = fmt::format("json_extract({}.data", type.plural);
    for (std::size_t k = 0; k < paths; ++k) {
      what.sql += ", ?";
      what.binds.emplace_back(k < projection->size() ? json_path((*projection)[k]) : std::string("$.\"id\""));
    }
    what.sql += ")";
    // Computed columns replace their slot in the array (its path finds nothing);
    // money as an amount of the base currency.
    SqlExpr sets;
    for (std::size_t k = 0; k < projection->size(); ++k)
      if (const auto* c = find_computed(type, (*projection)[k])) {
        sets.sql += fmt::format(", '$[{}]', ", k);
        if (c->kind == ComputedKind::money) sets.sql += "crm_amount(";
        sets += (computed_expr(type, *c, q.lead_score));
        if (c->kind == ComputedKind::money) sets.sql += ")";
      }
    if (!sets.sql.empty()) {
      SqlExpr wrapped{"json_set(", {}};
      wrapped += what;
      wrapped += sets;
      wrapped.sql += ")";
      what = std::move(wrapped);
    }
  }
  run_query(*this, list_sql(type, q, what), [&](SQLite::Statement& st) {
    const auto col = st.getColumn(0);
    on_json(std::string_view(col.getText(), static_cast<std::size_t>(col.getBytes())));
  });
}

void Index::each_projected(const RecordType& type, const ListQuery& q, const std::vector<std::string>& columns,
                           const std::function<void(Record&&)>& on_record) const {
  each(type, q, &columns, [&](std::string_view json) {
    auto values = Record::parse(json);
    Record rec = Record::object();
    for (std::size_t k = 0; k < columns.size() && k < values.size(); ++k)
      if (!values[k].is_null()) rec[columns[k]] = std::move(values[k]);
    on_record(std::move(rec));
  });
}

std::vector<Record> Index::list(const RecordType& type, const ListQuery& q) const {
  std::vector<Record> out;
  each(type, q, nullptr, [&](std::string_view json) { out.push_back(Record::parse(json)); });
  return out;
}

Record Index::computed_values(const RecordType& type, const std::string& id, const LeadScore& lead_score) const {
  Record out = Record::object();
  const auto& fields = computed_fields(type);
  if (fields.empty()) return out;
  SqlExpr q{"SELECT ", {}};
  for (const auto& f : fields) {
    const auto e = computed_expr(type, f, lead_score);
    q.sql += fmt::format("{}{}", &f == &fields.front() ? "" : ", ", e.sql);
    q.binds.insert(q.binds.end(), e.binds.begin(), e.binds.end());
  }
  q.sql += fmt::format(" FROM {} WHERE id = ?", type.plural);
  q.binds.emplace_back(id);
  run_query(*this, q, [&](SQLite::Statement& st) {
    for (int k = 0; k < static_cast<int>(fields.size()); ++k) {
      const auto col = st.getColumn(k);
      if (col.isNull()) continue;
      const auto& f = fields[static_cast<std::size_t>(k)];
      if (f.kind == ComputedKind::money)
        out[f.key] = money::format_amount(col.getInt64(), money::exponent(impl_->ws.config().currency).value_or(2));
      else if (col.isInteger()) out[f.key] = col.getInt64();
      else if (col.isFloat()) out[f.key] = col.getDouble();
      else out[f.key] = col.getString();
    }
  });
  return out;
}

SqlExpr Index::computed_expr(const RecordType& type, const ComputedField& field, const LeadScore& lead_score) const {
  if (field.from_rules) return lead_score ? lead_score() : SqlExpr{"0", {}};
  return {computed_sql(type, field), {}};
}

} // namespace crm::index
