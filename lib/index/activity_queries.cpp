#include "index/activity_queries.hpp"


#include "index/index_impl.hpp"
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

namespace crm::index {
namespace {

// The field that places each type's records in time.
std::string_view when_key(const model::RecordType& type) {
  return type.field("at") ? "at" : type.field("due") ? "due" : "created";
}

} // namespace

std::vector<StageMove> stage_moves(const Index& index, const Scope& scope) {
  const auto movers = customers_sql(scope, "a.contact");
  SqlExpr q{"SELECT coalesce(json_extract(a.data, '$.from'), '(none)'), coalesce(json_extract(a.data, '$.to'), '(none)'),"
            " count(*) FROM activities a WHERE a.kind = 'stage' AND a.day >= ? AND a.day <= ? AND " +
                movers.sql + " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
            {scope.from, scope.to}};
  q.binds.insert(q.binds.end(), movers.binds.begin(), movers.binds.end());
  std::vector<StageMove> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getInt64()});
  });
  return out;
}

std::vector<PeriodCount> interactions_per_period(const Index& index, const Scope& scope, Period period) {
  const auto who = customers_sql(scope, "a.contact");
  SqlExpr q{fmt::format("SELECT {} AS p, count(*) FROM activities a WHERE a.kind <> 'stage' AND a.day >= ?"
                        " AND a.day <= ? AND {} GROUP BY p",
                        period_sql(period, "a.day"), who.sql),
            {scope.from, scope.to}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  std::vector<PeriodCount> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()});
  });
  return out;
}

std::vector<FeedbackRow> feedback_in(const Index& index, const Scope& scope) {
  const auto who = customers_sql(scope, "f.contact");
  // Feedback names a product by id or name.
  SqlExpr q{"SELECT coalesce((SELECT name FROM products p WHERE p.id = f.product), f.product), f.kind,"
            " f.rating, f.nps, f.status, json_extract(f.data, '$.resolution_minutes') FROM feedback f"
            " WHERE f.day >= ? AND f.day <= ? AND " + who.sql,
            {scope.from, scope.to}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  std::vector<FeedbackRow> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    FeedbackRow f;
    if (!st.getColumn(0).isNull()) f.product = st.getColumn(0).getString();
    f.kind = st.getColumn(1).getString();
    f.rating = int_or_none(st.getColumn(2));
    f.nps = int_or_none(st.getColumn(3));
    f.status = st.getColumn(4).getString();
    f.resolution_minutes = int_or_none(st.getColumn(5));
    out.push_back(std::move(f));
  });
  return out;
}

std::vector<TimelineRow> timeline_rows(const Index& index, const model::RecordType& type, const std::string& id,
                                       bool company, const std::optional<std::string>& kind) {
  const bool has_kind = type.field("kind") != nullptr, has_status = type.field("status") != nullptr;
  // Table and column names come from the fixed type list; every value is bound.
  SqlExpr q{fmt::format("SELECT r.id, json_extract(r.data, '$.{}'), {}, {}, r.name,"
                        " coalesce(json_extract(r.data, '$.total'), json_extract(r.data, '$.amount')),"
                        " json_extract(r.data, '$.currency'), r.contact, c.name FROM {} r"
                        " LEFT JOIN contacts c ON c.id = r.contact WHERE r.contact IN ({})",
                        when_key(type), has_kind ? "r.kind" : "?", has_status ? "r.status" : "NULL", type.plural,
                        company ? "SELECT id FROM contacts WHERE company = ?" : "SELECT id FROM contacts WHERE id = ?"),
            {}};
  if (!has_kind) q.binds.emplace_back(std::string(type.name)); // the kind of a record without one: its type
  q.binds.emplace_back(id);
  if (kind) {
    q.sql += " AND r.kind = ?";
    q.binds.emplace_back(*kind);
  }
  std::vector<TimelineRow> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    TimelineRow r;
    r.id = st.getColumn(0).getString();
    r.when = st.getColumn(1).getString();
    r.kind = st.getColumn(2).getString();
    r.status = st.getColumn(3).isNull() ? "" : st.getColumn(3).getString();
    r.title = st.getColumn(4).getString();
    if (!st.getColumn(5).isNull()) r.amount = st.getColumn(5).getString();
    r.currency = st.getColumn(6).getString();
    r.contact = st.getColumn(7).getString();
    if (!st.getColumn(8).isNull()) r.contact_name = st.getColumn(8).getString();
    out.push_back(std::move(r));
  });
  return out;
}

} // namespace crm::index
