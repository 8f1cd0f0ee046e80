#include "index/sales_queries.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "index/computed.hpp"
#include "index/index_impl.hpp"

namespace crm::index {
namespace {

// The product of item `i`, by name: the product record's, else the name the
// item was sold under.
constexpr const char* item_product_sql =
    "coalesce((SELECT name FROM products p WHERE p.id = json_extract(i.value, '$.product_id')),"
    " json_extract(i.value, '$.product'))";

// The group key of a sale `s` (or of one item `i` of it).
std::string revenue_key_sql(RevenueKey key, Period period) {
  switch (key) {
  case RevenueKey::period: return period_sql(period, "s.day");
  case RevenueKey::product:
    return "coalesce((SELECT name FROM products WHERE products.id = json_extract(i.value, '$.product_id')),"
           " json_extract(i.value, '$.product'))";
  case RevenueKey::category:
    return "coalesce((SELECT category FROM products WHERE products.id = json_extract(i.value, '$.product_id')),"
           " '(none)')";
  case RevenueKey::country: return "coalesce((SELECT country FROM contacts WHERE contacts.id = s.contact), '(none)')";
  case RevenueKey::source: return "coalesce((SELECT source FROM contacts WHERE contacts.id = s.contact), '(none)')";
  case RevenueKey::payment: return "coalesce(s.paid_by, '(none)')";
  case RevenueKey::campaign: break;
  }
  // campaign: its name when the sale holds a campaign's id
  return "coalesce((SELECT name FROM campaigns WHERE campaigns.id = s.campaign), s.campaign, '(none)')";
}

} // namespace

std::vector<CustomerSales> customer_sales(const Index& index, const Scope& scope) {
  SqlExpr q{fmt::format("SELECT s.contact, c.name, count(*) FILTER (WHERE +s.refund_of IS NULL),"
                        " coalesce(sum(crm_base(s.total, s.currency, s.day)), 0),"
                        " sum((SELECT sum(crm_base({0} - {1}, s.currency, s.day)) FROM json_each(s.data, '$.items') i"
                        " WHERE {1} IS NOT NULL)),"
                        " coalesce(sum((SELECT sum(crm_base({0}, s.currency, s.day)) FROM json_each(s.data, '$.items') i"
                        " WHERE {1} IS NULL)), 0)"
                        " FROM sales s JOIN contacts c ON c.id = s.contact WHERE ",
                        item_amount_sql, item_cost_sql),
            {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " GROUP BY s.contact";
  std::vector<CustomerSales> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getInt64(),
                   st.getColumn(3).getInt64(), int_or_none(st.getColumn(4)), st.getColumn(5).getInt64()});
  });
  return out;
}

std::vector<RevenueGroup> revenue_groups(const Index& index, const Scope& scope, RevenueKey key, Period period) {
  const bool items = key == RevenueKey::product || key == RevenueKey::category;
  // An item carries its share of the sale's discount: item total x total / subtotal.
  const std::string amount = items ? item_amount_sql : "s.total";
  const std::string margin =
      items ? fmt::format(", sum(crm_base({0} - {1}, s.currency, s.day)) FILTER (WHERE {1} IS NOT NULL),"
                          " sum(crm_base({0}, s.currency, s.day)) FILTER (WHERE {1} IS NULL)",
                          item_amount_sql, item_cost_sql)
            : "";
  SqlExpr q{fmt::format("SELECT {0} AS k, count(DISTINCT s.id) FILTER (WHERE +s.refund_of IS NULL),"
                        " sum(crm_base({1}, s.currency, s.day)){3} FROM sales s{2} WHERE ",
                        revenue_key_sql(key, period), amount, items ? ", json_each(s.data, '$.items') i" : "", margin),
            {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " GROUP BY k";
  std::vector<RevenueGroup> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    RevenueGroup g;
    if (!st.getColumn(0).isNull()) g.key = st.getColumn(0).getString();
    g.orders = st.getColumn(1).getInt64();
    g.revenue = st.getColumn(2).getInt64();
    if (items) {
      g.margin = int_or_none(st.getColumn(3));
      g.without_cost = st.getColumn(4).getInt64();
    }
    out.push_back(std::move(g));
  });
  return out;
}

std::vector<RfmScore> rfm_scores(const Index& index, const Scope& scope, std::int64_t a, std::int64_t b) {
  const auto who = customers_sql(scope, "r.contact");
  // Scores rank among every customer of the period; the customers clause picks who is listed.
  SqlExpr q{fmt::format("SELECT r.contact, c.name, r.last, r.orders, r.revenue, r.r, r.f, r.m, r.total, r.class"
                        " FROM ({}) r JOIN contacts c ON c.id = r.contact WHERE {}"
                        " ORDER BY r.total DESC, r.revenue DESC, c.sort_key",
                        rfm_select_sql, who.sql),
            {scope.from, scope.to, a, b}};
  q.binds.insert(q.binds.end(), who.binds.begin(), who.binds.end());
  std::vector<RfmScore> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   st.getColumn(3).getInt64(), st.getColumn(4).getInt64(), st.getColumn(5).getInt64(),
                   st.getColumn(6).getInt64(), st.getColumn(7).getInt64(), st.getColumn(8).getInt64(),
                   st.getColumn(9).getString()});
  });
  return out;
}

std::vector<RepeatBuyer> repeat_buyers(const Index& index, const Scope& scope) {
  SqlExpr q{"SELECT s.contact, c.name, min(s.day), max(s.day), count(*) FROM sales s"
            " JOIN contacts c ON c.id = s.contact WHERE +s.refund_of IS NULL AND ", {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " GROUP BY s.contact HAVING count(*) >= 2";
  std::vector<RepeatBuyer> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   st.getColumn(3).getString(), st.getColumn(4).getInt64()});
  });
  return out;
}

std::vector<PeriodBuyer> buyers_per_period(const Index& index, const Scope& scope, Period period) {
  SqlExpr q{fmt::format("SELECT DISTINCT {} AS p, s.contact FROM sales s WHERE +s.refund_of IS NULL AND ",
                        period_sql(period, "s.day")),
            {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " ORDER BY p";
  std::vector<PeriodBuyer> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString()});
  });
  return out;
}

std::vector<PeriodCount> orders_per_period(const Index& index, const Scope& scope, Period period) {
  SqlExpr q{fmt::format("SELECT {} AS p, count(*) FROM sales s WHERE +s.refund_of IS NULL AND ",
                        period_sql(period, "s.day")),
            {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " GROUP BY p";
  std::vector<PeriodCount> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()});
  });
  return out;
}

std::vector<CustomerProduct> products_bought(const Index& index, const Scope& scope) {
  SqlExpr q{fmt::format("SELECT DISTINCT s.contact, {} FROM sales s,"
                        " json_each(s.data, '$.items') i WHERE +s.refund_of IS NULL AND ",
                        item_product_sql),
            {}};
  q += counted_sales_sql(scope, "s");
  std::vector<CustomerProduct> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString()});
  });
  return out;
}

std::vector<ProductOrders> orders_per_product(const Index& index, const Scope& scope) {
  SqlExpr q{fmt::format("SELECT {} AS product, count(DISTINCT s.id) FROM sales s,"
                        " json_each(s.data, '$.items') i WHERE +s.refund_of IS NULL AND ",
                        item_product_sql),
            {}};
  q += counted_sales_sql(scope, "s");
  q.sql += " GROUP BY product";
  std::vector<ProductOrders> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()});
  });
  return out;
}

std::vector<CampaignResult> campaign_results(const Index& index, const Scope& scope, const std::string& currency,
                                             const std::string& today) {
  const auto s_who = customers_sql(scope, "s.contact");
  const auto a_who = customers_sql(scope, "a.contact");
  // A sale or activity names its campaign by id (or by name when no campaign
  // record had that name when it was logged).
  SqlExpr q{"SELECT c.id, c.name, coalesce(c.channel, ''), coalesce(c.start, ''),"
            " coalesce(json_array_length(c.data, '$.audience'), 0),"
            " (SELECT count(DISTINCT a.contact) FROM activities a WHERE a.campaign IN (c.id, c.name)"
            "   AND a.direction = 'in' AND a.day >= ? AND a.day <= ? AND " + a_who.sql + "),"
            " (SELECT count(*) FROM sales s WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed'"
            "   AND +s.refund_of IS NULL AND s.day >= ? AND s.day <= ? AND " + s_who.sql + "),"
            " (SELECT coalesce(sum(crm_base(s.total, s.currency, s.day)), 0) FROM sales s"
            "   WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed' AND s.day >= ? AND s.day <= ? AND " +
                s_who.sql + "),"
            " crm_base(crm_minor(json_extract(c.data, '$.cost'), coalesce(json_extract(c.data, '$.currency'), ?)),"
            "   coalesce(json_extract(c.data, '$.currency'), ?), coalesce(c.start, ?))"
            " FROM campaigns c ORDER BY c.start DESC, c.sort_key",
            {}};
  auto add = [&](const std::vector<SqlValue>& v) { q.binds.insert(q.binds.end(), v.begin(), v.end()); };
  add({scope.from, scope.to});
  add(a_who.binds);
  add({scope.from, scope.to});
  add(s_who.binds);
  add({scope.from, scope.to});
  add(s_who.binds);
  add({currency, currency, today});
  std::vector<CampaignResult> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   st.getColumn(3).getString(), st.getColumn(4).getInt64(), st.getColumn(5).getInt64(),
                   st.getColumn(6).getInt64(), st.getColumn(7).getInt64(), int_or_none(st.getColumn(8))});
  });
  return out;
}

bool has_other_order(const Index& index, const std::string& contact, const std::string& sale_id) {
  bool found = false;
  run_query(index, {"SELECT 1 FROM sales WHERE contact = ? AND status = 'completed' AND +refund_of IS NULL"
               " AND id <> ? LIMIT 1",
               {contact, sale_id}},
              [&](SQLite::Statement&) { found = true; });
  return found;
}

std::vector<CreditSaleRow> sales_on_credit(const Index& index, const std::string& due_before, const Scope& scope) {
  const auto where = dated_sql(scope, "s", "s.day");
  SqlExpr q{"SELECT s.data,"
            " (SELECT coalesce(sum(r.total), 0) FROM sales r WHERE r.refund_of = s.id AND r.status <> 'void'),"
            " (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.sale = s.id),"
            " (SELECT max(substr(json_extract(p.data, '$.at'), 1, 10)) FROM payments p WHERE p.sale = s.id)"
            " FROM sales s WHERE s.paid_by = 'credit' AND s.status = 'completed' AND +s.refund_of IS NULL"
            " AND (? = '' OR s.due < ?) AND " + where.sql + " ORDER BY s.due, s.id",
            {due_before, due_before}};
  q.binds.insert(q.binds.end(), where.binds.begin(), where.binds.end());
  std::vector<CreditSaleRow> out;
  run_query(index, q, [&](SQLite::Statement& st) {
    out.push_back({model::Record::parse(st.getColumn(0).getString()), st.getColumn(1).getInt64(),
                   st.getColumn(2).getInt64(), st.getColumn(3).isNull() ? "" : st.getColumn(3).getString()});
  });
  return out;
}

std::vector<model::Record> deals_closing(const Index& index, const Scope& scope) {
  ListQuery q;
  q.sort = "id";
  q.where = dated_sql(scope, "deals", "coalesce(deals.close, '')");
  return index.list(model::deal_type(), q);
}

} // namespace crm::index
