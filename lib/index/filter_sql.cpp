#include "index/filter_sql.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "index/computed.hpp"
#include "util/contact_point.hpp"
#include "util/error.hpp"
#include "util/money.hpp"
#include "util/text.hpp"

namespace crm::index {
namespace {

using query::FilterNode;
using query::Literal;
using query::filter_error;
using model::FieldKind;

// How a field compares, whatever it is stored as.
enum class Sense { text, choice, country, number, money, base_money, date, list, tags, emails, phones, ref, id, name };

struct Target {
  Sense sense = Sense::text;
  SqlExpr expr;                   // the value (for list fields: unused)
  std::string label;              // the field as written, for messages
  const model::Field* field = nullptr;
  std::string path;               // list fields: JSON path of the list
};


SqlExpr make(std::string sql, std::vector<index::SqlValue> binds = {}) { return {std::move(sql), std::move(binds)}; }


bool is_custom_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

class Compiler {
public:
  Compiler(const model::RecordType& type, const FilterContext& ctx) : type_(type), ctx_(ctx), t_(type.plural) {}

  SqlExpr node(const FilterNode& n) {
    switch (n.kind) {
    case FilterNode::Kind::all_of:
    case FilterNode::Kind::any_of: {
      SqlExpr out = make("(");
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out.sql += n.kind == FilterNode::Kind::all_of ? " AND " : " OR ";
        out += (node(n.children[i]));
      }
      out.sql += ")";
      return out;
    }
    case FilterNode::Kind::negation: {
      SqlExpr out = make("NOT ");
      out += (node(n.children.front()));
      return out;
    }
    case FilterNode::Kind::tag: return tag(n.values.front());
    case FilterNode::Kind::has: return has(resolve(n.field, n.column));
    case FilterNode::Kind::comparison: return compare(resolve(n.field, n.column), n.op, n.values.front());
    case FilterNode::Kind::one_of: {
      const Target target = resolve(n.field, n.column);
      SqlExpr out = make("(");
      for (std::size_t i = 0; i < n.values.size(); ++i) {
        if (i) out.sql += " OR ";
        out += (compare(target, "=", n.values[i]));
      }
      out.sql += ")";
      return out;
    }
    }
    return make("1");
  }

private:
  // ---------------------------------------------------------------- fields

  Target resolve(const std::string& written, std::size_t column) {
    Target t;
    t.label = written;
    std::string key = written;
    if (key == "email" || key == "phone" || key == "tag") key += "s";
    if (key == "id") {
      t.sense = Sense::id;
      t.expr = make(fmt::format("{}.id", t_));
      return t;
    }
    if (key == "name" && type_.title_key == "name") {
      t.sense = Sense::name;
      t.expr = make(fmt::format("{}.sort_key", t_));
      return t;
    }
    if (const auto* c = index::find_computed(type_, key)) {
      if (key == "score" && !ctx_.allow_score) filter_error(column, "lead scoring rules cannot use score");
      t.expr = ctx_.index.computed_expr(type_, *c, ctx_.lead_score);
      switch (c->kind) {
      case index::ComputedKind::count:
      case index::ComputedKind::number: t.sense = Sense::number; break;
      case index::ComputedKind::money: t.sense = Sense::base_money; break;
      case index::ComputedKind::date: t.sense = Sense::date; break;
      case index::ComputedKind::text: t.sense = Sense::text; break;
      }
      return t;
    }
    const auto dot = key.find('.');
    const std::string outer = key.substr(0, dot);
    if (const auto* f = type_.field(outer)) {
      t.field = f;
      if (f->kind == FieldKind::map) {
        if (dot == std::string::npos || !is_custom_name(key.substr(dot + 1)))
          filter_error(column, fmt::format("'{}' holds named values: write {}.NAME", outer, outer));
        t.expr = json_value(key);
        return t;
      }
      if (dot != std::string::npos) filter_error(column, fmt::format("'{}' has no parts: write {}", outer, outer));
      return field_target(*f, t);
    }
    if (dot == std::string::npos && is_custom_name(key) && type_.field("custom") &&
        ctx_.index.has_custom_key(type_, key)) {
      t.expr = json_value("custom." + key);
      return t;
    }
    std::vector<std::string> hints;
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const auto& name : filter_fields(type_)) {
      const auto d = model::edit_distance(key, name);
      if (d <= std::max<std::size_t>(2, key.size() / 3)) near.emplace_back(d, name);
    }
    std::sort(near.begin(), near.end());
    if (!near.empty()) {
      std::string names;
      for (std::size_t i = 0; i < near.size() && i < 4; ++i) names += (i ? ", " : "") + near[i].second;
      hints.push_back(fmt::format("the nearest fields are: {}", names));
    } else {
      hints.push_back(fmt::format("'crm help filter' lists the fields of {}", type_.plural));
    }
    throw Error(ErrorKind::invalid_data,
                fmt::format("bad filter at column {}: unknown field '{}' for {}", column, written, type_.plural), hints);
  }

  SqlExpr json_value(const std::string& key) { return make(fmt::format("json_extract({}.data, ?)", t_), {index::json_path(key)}); }

  Target field_target(const model::Field& f, Target t) {
    const std::string key(f.key);
    switch (f.kind) {
    case FieldKind::list:
      t.sense = key == "tags" ? Sense::tags : Sense::list;
      t.path = index::json_path(key);
      return t;
    case FieldKind::emails: t.sense = Sense::emails; return t;
    case FieldKind::phones: t.sense = Sense::phones; return t;
    case FieldKind::integer: t.sense = Sense::number; break;
    case FieldKind::money: t.sense = Sense::money; break;
    case FieldKind::choice: t.sense = Sense::choice; break;
    case FieldKind::country: t.sense = Sense::country; break;
    case FieldKind::ref: t.sense = Sense::ref; break;
    case FieldKind::date:
    case FieldKind::when:
    case FieldKind::timestamp: t.sense = Sense::date; break;
    default: t.sense = Sense::text; break;
    }
    if (t.sense == Sense::date) {
      // The writer's own date: `day` for the moment a record happened, else
      // the first ten characters of the value as written.
      if (key == "at" && f.kind == FieldKind::timestamp) t.expr = make(fmt::format("{}.day", t_));
      else {
        t.expr = make("substr(");
        t.expr += (ctx_.index.field_sql(type_, key, nullptr));
        t.expr.sql += ", 1, 10)";
      }
      return t;
    }
    t.expr = ctx_.index.field_sql(type_, key, nullptr);
    return t;
  }

  // ---------------------------------------------------------------- values

  std::string date_value(const Target& t, const Literal& v) {
    if (auto d = time::parse_date(v.text); d && v.text.size() == 10) return time::format_date(*d);
    if (auto w = time::parse_when(v.text, ctx_.now)) return time::format_date(w->date);
    filter_error(v.column, fmt::format("{} is a date; expected a date (2026-11-01, today, -90d, -6m), found '{}'",
                                       t.label, v.text));
  }

  money::Decimal number_value(const Target& t, const Literal& v, const char* what) {
    auto d = money::parse_decimal(v.text);
    if (!d) filter_error(v.column, fmt::format("{} is {}; expected a number, found '{}'", t.label, what, v.text));
    return *d;
  }

  static index::SqlValue decimal_value(const money::Decimal& d, int exponent) {
    // Exact minor units when the decimal has no more digits than the unit.
    if (d.scale <= exponent) {
      std::int64_t v = d.units;
      for (int k = d.scale; k < exponent; ++k) v *= 10;
      return v;
    }
    double x = static_cast<double>(d.units);
    for (int k = exponent; k < d.scale; ++k) x /= 10;
    return x;
  }


  static double as_double(const money::Decimal& d) {
    double x = static_cast<double>(d.units);
    for (int k = 0; k < d.scale; ++k) x /= 10;
    return x;
  }

  // ---------------------------------------------------------------- terms

  SqlExpr tag(const Literal& v) {
    if (!type_.field("tags")) filter_error(v.column, fmt::format("{} have no tags", type_.plural));
    return make(fmt::format("{}.id IN (SELECT record_id FROM tags WHERE type = ? AND tag_key = ?)", t_),
                {std::string(type_.name), text::casefold(text::nfc(v.text))});
  }

  SqlExpr has(const Target& t) {
    SqlExpr out;
    switch (t.sense) {
    case Sense::tags:
    case Sense::list: return make(fmt::format("coalesce(json_array_length({}.data, ?), 0) > 0", t_), {t.path});
    case Sense::emails:
    case Sense::phones:
      return make(fmt::format("{}.id IN (SELECT record_id FROM {} WHERE type = ?)", t_,
                              t.sense == Sense::emails ? "emails" : "phones"),
                  {std::string(type_.name)});
    case Sense::number:
    case Sense::base_money:
    case Sense::money:
      out = make("coalesce(");
      out += t.expr;
      out.sql += ", 0) <> 0";
      return out;
    default:
      out = make("coalesce(");
      out += t.expr;
      out.sql += ", '') <> ''";
      return out;
    }
  }

  SqlExpr compare(const Target& t, const std::string& op, const Literal& v) {
    if (op == "!=") {
      SqlExpr out = make("NOT ");
      out += (compare(t, "=", v));
      return out;
    }
    // NULL (no value) never matches, so `not` and != include those records.
    SqlExpr out = make("coalesce(");
    out += (predicate(t, op, v));
    out.sql += ", 0)";
    return out;
  }

  [[noreturn]] void only(const Target& t, const Literal& v, const char* ops) {
    filter_error(v.column, fmt::format("{} can only be compared with {}", t.label, ops));
  }

  SqlExpr binary(const SqlExpr& left, const std::string& op, index::SqlValue value) {
    SqlExpr out = left;
    out.sql += fmt::format(" {} ?", op);
    out.binds.push_back(std::move(value));
    return out;
  }

  SqlExpr contains(const SqlExpr& folded, const std::string& needle) {
    SqlExpr out = make("instr(");
    out += folded;
    out.sql += ", ?) > 0";
    out.binds.emplace_back(needle);
    return out;
  }

  SqlExpr fold(const SqlExpr& e) {
    SqlExpr out = make("crm_fold(");
    out += e;
    out.sql += ")";
    return out;
  }

  SqlExpr predicate(const Target& t, const std::string& op, const Literal& v) {
    const std::string value = text::nfc(v.text);
    switch (t.sense) {
    case Sense::number: {
      if (op == "~") only(t, v, "= != < <= > >=");
      const auto d = number_value(t, v, "a number");
      return binary(t.expr, op, d.scale == 0 ? index::SqlValue(d.units) : index::SqlValue(as_double(d)));
    }
    case Sense::base_money: {
      if (op == "~") only(t, v, "= != < <= > >=");
      const auto d = number_value(t, v, "an amount of money");
      return binary(t.expr, op, decimal_value(d, money::exponent(ctx_.config.currency).value_or(2)));
    }
    case Sense::money: {
      // In the record's own currency, exactly: total * 10^scale OP units * unit.
      if (op == "~") only(t, v, "= != < <= > >=");
      const auto d = number_value(t, v, "an amount of money");
      std::int64_t scale = 1;
      for (int k = 0; k < d.scale; ++k) scale *= 10;
      SqlExpr out = t.expr;
      out.sql += fmt::format(" * ? {} ? * crm_unit(coalesce(", op);
      out.binds.emplace_back(scale);
      out.binds.emplace_back(d.units);
      out += (type_.field("currency") ? ctx_.index.field_sql(type_, "currency", nullptr) : make("NULL"));
      out.sql += ", ?))";
      out.binds.emplace_back(ctx_.config.currency);
      return out;
    }
    case Sense::date:
      if (op == "~") only(t, v, "= != < <= > >=");
      return binary(t.expr, op, date_value(t, v));
    case Sense::choice: {
      const std::string lower = text::ascii_lower(value);
      if (op == "~") return contains(t.expr, lower);
      if (std::find(t.field->choices.begin(), t.field->choices.end(), lower) == t.field->choices.end())
        filter_error(v.column, fmt::format("expected one of {} for {}, found '{}'", model::choice_list(*t.field),
                                           t.label, v.text));
      return binary(t.expr, op, lower);
    }
    case Sense::country: {
      std::string upper = value;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (op == "~") return contains(t.expr, upper);
      return binary(t.expr, op, upper);
    }
    case Sense::ref: {
      const std::string table(model::find_type(t.field->ref_type)->plural);
      SqlExpr out = make("(");
      if (op == "~") {
        // Part of the id, or of the referenced record's name.
        out += (contains(t.expr, value));
        out.sql += " OR ";
        out += t.expr;
        out.sql += fmt::format(" IN (SELECT id FROM {} WHERE instr(sort_key, ?) > 0))", table);
        out.binds.emplace_back(text::match_key(value));
        return out;
      }
      if (op != "=") only(t, v, "= != ~");
      // The id, or the exact (folded) name of the referenced record.
      out += (binary(t.expr, "=", value));
      out.sql += " OR ";
      out += t.expr;
      out.sql += fmt::format(" IN (SELECT id FROM {} WHERE sort_key = ?))", table);
      out.binds.emplace_back(text::match_key(value));
      return out;
    }
    case Sense::tags:
    case Sense::list: {
      if (op != "=" && op != "~") only(t, v, "= != ~");
      if (t.sense == Sense::tags && op == "=") {
        Literal tag_literal = v;
        return tag(tag_literal);
      }
      SqlExpr out = make(fmt::format("EXISTS (SELECT 1 FROM json_each({}.data, ?) WHERE ", t_), {t.path});
      if (op == "=") out += (binary(make("crm_fold(value)"), "=", text::match_key(value)));
      else out += (contains(make("crm_fold(value)"), text::match_key(value)));
      out.sql += ")";
      return out;
    }
    case Sense::emails: {
      if (op != "=" && op != "~") only(t, v, "= != ~");
      SqlExpr out = make(fmt::format("{}.id IN (SELECT record_id FROM emails WHERE type = ? AND ", t_),
                         {std::string(type_.name)});
      if (op == "=") out += (binary(make("address_key"), "=", contact_point::email_key(value)));
      else out += (contains(make("address_key"), text::casefold(value)));
      out.sql += ")";
      return out;
    }
    case Sense::phones: {
      if (op != "=" && op != "~") only(t, v, "= != ~");
      std::string needle;
      if (op == "=") {
        auto e164 = contact_point::to_e164(value, ctx_.config.region);
        if (!e164) filter_error(v.column, fmt::format("expected a phone number for {}, found '{}'", t.label, v.text));
        needle = *e164;
      } else {
        for (char c : value)
          if (c >= '0' && c <= '9') needle += c;
        if (needle.empty()) filter_error(v.column, fmt::format("expected digits for {} ~, found '{}'", t.label, v.text));
      }
      SqlExpr out = make(fmt::format("{}.id IN (SELECT record_id FROM phones WHERE type = ? AND ", t_),
                         {std::string(type_.name)});
      if (op == "=") out += (binary(make("e164"), "=", needle));
      else out += (contains(make("e164"), needle));
      out.sql += ")";
      return out;
    }
    case Sense::id:
      if (op == "~") return contains(t.expr, value);
      return binary(t.expr, op, value);
    case Sense::name:
      // sort_key holds the folded name.
      if (op == "~") return contains(t.expr, text::match_key(value));
      return binary(t.expr, op, text::match_key(value));
    case Sense::text:
      if (op == "~") return contains(fold(t.expr), text::match_key(value));
      if (op == "=") return binary(fold(t.expr), "=", text::match_key(value));
      // Order: as numbers when the value is one (custom fields hold text).
      if (auto d = money::parse_decimal(value)) {
        SqlExpr out = make("CAST(");
        out += t.expr;
        out.sql += " AS REAL)";
        return binary(out, op, as_double(*d));
      }
      return binary(t.expr, op, value);
    }
    return make("0");
  }

  const model::RecordType& type_;
  const FilterContext& ctx_;
  std::string t_;
};

} // namespace

index::SqlExpr compile_filter(const model::RecordType& type, const FilterNode& filter, const FilterContext& ctx) {
  return Compiler(type, ctx).node(filter);
}

index::SqlExpr where_sql(const model::RecordType& type, std::string_view text, const FilterContext& ctx) {
  return compile_filter(type, query::parse_filter(text), ctx);
}

index::SqlExpr lead_score_sql(const FilterContext& ctx) {
  FilterContext rules = ctx;
  rules.allow_score = false;
  SqlExpr out = make("(0");
  for (const auto& rule : ctx.config.lead_scoring) {
    SqlExpr cond;
    try {
      cond = where_sql(model::contact_type(), rule.where, rules);
    } catch (const Error& e) {
      throw Error(ErrorKind::invalid_data, fmt::format("config.yaml:{}: lead_scoring: {}", rule.line, e.what()),
                  e.hints());
    }
    out.sql += " + CASE WHEN ";
    out += cond;
    out.sql += " THEN ? ELSE 0 END";
    out.binds.emplace_back(static_cast<std::int64_t>(rule.points));
  }
  out.sql += ")";
  return out;
}

std::vector<std::string> filter_fields(const model::RecordType& type) {
  std::vector<std::string> names;
  for (const auto& f : type.fields)
    if (f.kind != FieldKind::map) names.emplace_back(f.key);
  for (const auto& c : index::computed_fields(type)) names.push_back(c.key);
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace crm::index
