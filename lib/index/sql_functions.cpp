// The SQL functions crm's queries call (crm_base, crm_minor, crm_unit, crm_fold,
// crm_amount), and what a query needs before it runs.

#include <sqlite3.h>

#include "index/index_impl.hpp"
#include "store/rates.hpp"
#include "index/computed.hpp"
#include "util/money.hpp"
#include "util/text.hpp"

namespace crm::index {

namespace {

void sql_amount(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* self = static_cast<Index::Impl*>(sqlite3_user_data(ctx));
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const std::string text = money::format_amount(sqlite3_value_int64(argv[0]),
                                                money::exponent(self->ws.config().currency).value_or(2));
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string text_arg(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string();
}

void sql_base(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* self = static_cast<Index::Impl*>(sqlite3_user_data(ctx));
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !self->rates) return sqlite3_result_null(ctx);
  const std::int64_t minor = sqlite3_value_int64(argv[0]);
  const std::string currency = text_arg(argv[1]);
  if (currency == self->rates->base()) return sqlite3_result_int64(ctx, minor);
  const std::string day = text_arg(argv[2]);
  if (auto v = self->rates->to_base(minor, currency, day)) return sqlite3_result_int64(ctx, *v);
  self->missing_rates.insert(store::missing_rate_message(currency, day));
  sqlite3_result_null(ctx);
}

void sql_minor(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto e = money::exponent(text_arg(argv[1]));
  const auto v = e ? money::parse_amount(text_arg(argv[0]), *e) : std::nullopt;
  if (!v) return sqlite3_result_null(ctx);
  sqlite3_result_int64(ctx, *v);
}

void sql_unit(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto e = money::exponent(text_arg(argv[0]));
  if (!e) return sqlite3_result_null(ctx);
  std::int64_t unit = 1;
  for (int k = 0; k < *e; ++k) unit *= 10;
  sqlite3_result_int64(ctx, unit);
}

void sql_fold(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const std::string folded = text::match_key(text_arg(argv[0]));
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

} // namespace

void Index::Impl::register_functions() {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  // crm_base(minor, currency, day): minor units of the base currency, or NULL.
  sqlite3_create_function(db.getHandle(), "crm_base", 3, flags, this, &sql_base, nullptr, nullptr);
  // crm_unit(currency): 10^exponent, the minor units in one unit (1 for JPY).
  sqlite3_create_function(db.getHandle(), "crm_unit", 1, flags, nullptr, &sql_unit, nullptr, nullptr);
  // crm_fold(text): case, accents and marks folded (text::match_key), for ~ and =.
  sqlite3_create_function(db.getHandle(), "crm_fold", 1, flags, nullptr, &sql_fold, nullptr, nullptr);
  // crm_minor(amount text, currency): exact minor units ("12.50", EUR -> 1250), or NULL.
  sqlite3_create_function(db.getHandle(), "crm_minor", 2, flags, nullptr, &sql_minor, nullptr, nullptr);
  // crm_amount(minor): minor units of the base currency as an amount ("12.50").
  sqlite3_create_function(db.getHandle(), "crm_amount", 1, flags, this, &sql_amount, nullptr, nullptr);
}

// What a query needs before it runs: the rates it converts with, the RFM table.
void Index::Impl::prepare_for(const std::string& sql) {
  if (!rates && sql.find("crm_base") != std::string::npos) rates = store::Rates::load(ws);
  if (!rfm_ready && sql.find("temp.rfm") != std::string::npos) {
    if (!rates) rates = store::Rates::load(ws);
    SQLite::Statement st(db, std::string("CREATE TEMP TABLE IF NOT EXISTS rfm AS ") + rfm_select_sql);
    st.bind(1, "0000-01-01");
    st.bind(2, "9999-12-31");
    st.bind(3, ws.config().rfm_a);
    st.bind(4, ws.config().rfm_b);
    st.exec();
    db.exec("CREATE INDEX IF NOT EXISTS temp.rfm_contact ON rfm(contact)");
    rfm_ready = true;
  }
}

} // namespace crm::index
