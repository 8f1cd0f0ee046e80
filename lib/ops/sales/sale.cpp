#include "ops/records/stage.hpp"
#include "ops/sales/sale.hpp"

#include <map>

#include <fmt/format.h>

#include "index/sales_queries.hpp"
#include "model/amounts.hpp"
#include "ops/interactions/feedback.hpp"
#include "ops/interactions/log.hpp"
#include "ops/sales/campaign.hpp"
#include "store/rates.hpp"
#include "util/error.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Record;

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const auto start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::string text_of(const Record& r, const char* key) {
  auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The product record an item names by exact id, name or SKU; none is fine.
std::optional<Record> product_for(Session& session, const std::string& name) {
  const auto& type = model::product_type();
  std::vector<std::string> ids;
  for (const auto& c : session.index().resolve(type, name)) {
    if (c.matched_by == "id") return session.index().get(type, c.id); // an exact id names one product
    if (c.matched_by != "prefix") ids.push_back(c.id);
  }
  for (const auto& id : session.index().ids_where(type, "sku", name))
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  if (ids.size() > 1)
    throw Error(ErrorKind::ambiguous, fmt::format("item '{}' matches {} products", name, ids.size()),
                {fmt::format("name one by its id: {}", fmt::join(ids, ", "))});
  if (ids.empty()) return std::nullopt;
  return session.index().get(type, ids.front());
}

// Terms as given: "netN" (N days after the sale) or "due:YYYY-MM-DD".
std::string due_from_terms(const std::string& terms, const time::Date& sold) {
  if (terms.size() > 3 && terms.compare(0, 3, "net") == 0 &&
      std::all_of(terms.begin() + 3, terms.end(), [](char c) { return c >= '0' && c <= '9'; }) && terms.size() <= 7)
    return time::format_date(time::add_days(sold, std::stoi(terms.substr(3))));
  if (terms.compare(0, 4, "due:") == 0 && time::is_valid_date(terms.substr(4))) return terms.substr(4);
  throw Error(ErrorKind::invalid_data, fmt::format("bad --terms '{}'", terms),
              {"use netN (net30: 30 days after the sale) or due:YYYY-MM-DD"});
}

Record item_entry(const std::string& product, const std::optional<std::string>& product_id, const std::string& qty,
                  std::int64_t price, std::optional<std::int64_t> cost, int exp) {
  Record e = Record::object();
  e["product"] = product;
  if (product_id) e["product_id"] = *product_id;
  e["quantity"] = qty;
  e["price"] = money::format_amount(price, exp);
  if (cost) e["cost"] = money::format_amount(*cost, exp);
  const auto total = money::multiply(price, *money::parse_decimal(qty));
  if (!total) throw Error(ErrorKind::invalid_data, fmt::format("item '{}' is too large an amount", product));
  e["total"] = money::format_amount(*total, exp);
  return e;
}

// Totals from the items (checked), written into the sale.
void total_up(Record& sale) {
  std::vector<model::Problem> problems;
  const auto totals = model::work_out_totals(sale, problems);
  if (!totals) {
    std::vector<std::string> more;
    for (std::size_t i = 1; i < problems.size(); ++i) more.push_back(problems[i].message);
    throw Error(ErrorKind::invalid_data, problems.front().message, more);
  }
  model::fill_totals(sale, *totals);
}

// A new sale (or refund) of `contact` at `at`, with no items yet.
Record new_sale(Session& session, const time::Timestamp& at, const Record& contact, const char* kind,
                const std::string& currency) {
  Record sale = Record::object();
  sale["id"] = new_record_id(session, model::sale_type(),
                             fmt::format("{}-{}-", time::format_timestamp(at).substr(0, 10), kind), contact.value("name", ""));
  sale["contact"] = contact["id"];
  sale["at"] = time::format_timestamp(at);
  sale["status"] = "completed";
  sale["currency"] = currency;
  return sale;
}

// A contact's first completed sale moves it to the configured stage (customer),
// with a stage activity dated by the sale, so `report leads` stops listing a
// contact who has bought. Returns the activity's id, if there was a change.
std::optional<std::string> stage_on_first_sale(Session& session, const std::string& contact_id,
                                               const std::string& sale_id, const time::Timestamp& at, WriteLog* log) {
  const std::string& stage = session.workspace().config().first_sale_stage;
  if (stage.empty()) return std::nullopt;
  // The index answers the common case (already there) without reading the file.
  if (const auto indexed = session.index().get(model::contact_type(), contact_id);
      indexed && text_of(*indexed, "stage") == stage)
    return std::nullopt;
  if (index::has_other_order(session.index(), contact_id, sale_id)) return std::nullopt;
  const Record before = load_record(session, model::contact_type(), contact_id);
  if (text_of(before, "stage") == stage) return std::nullopt;
  Record after = before;
  after["stage"] = stage;
  after["updated"] = time::format_timestamp(time::now());
  save_record(session, model::contact_type(), after, log);
  return record_stage_change(session, before, after, at, log);
}

void check_choice(const std::string& value, const std::vector<std::string_view>& choices, const char* option) {
  if (std::find(choices.begin(), choices.end(), value) == choices.end())
    throw Error(ErrorKind::invalid_data, fmt::format("bad {} '{}'", option, value),
                {fmt::format("use one of: {}", fmt::join(choices, ", "))});
}

} // namespace

ItemSpec parse_item(std::string_view text) {
  auto words = words_of(text);
  ItemSpec spec;
  auto bad = [&](const std::string& what, const std::string& hint) {
    throw Error(ErrorKind::invalid_data, fmt::format("bad --item '{}': {}", text, what), {hint});
  };
  if (words.size() >= 2 && words[words.size() - 2] == "cost") {
    spec.cost = words.back();
    words.resize(words.size() - 2);
  }
  if (words.size() >= 2 && words[words.size() - 2] == "@") {
    spec.price = words.back();
    words.resize(words.size() - 2);
  } else if (!words.empty() && words.back().size() > 1 && words.back().front() == '@') {
    spec.price = words.back().substr(1);
    words.pop_back();
  }
  if (words.size() >= 2 && (words[words.size() - 2] == "x" || words[words.size() - 2] == "×")) {
    spec.quantity = words.back();
    words.resize(words.size() - 2);
  }
  for (const auto& w : words) spec.product += (spec.product.empty() ? "" : " ") + w;
  spec.product = text::nfc(spec.product);
  const std::string form = "write it as \"PRODUCT x QTY @ PRICE\" (x QTY and @ PRICE may be left out)";
  if (spec.product.empty()) bad("no product", form);
  const auto qty = money::parse_decimal(spec.quantity);
  if (!qty) {
    const auto comma = money::decimal_comma_hint(spec.quantity);
    bad(fmt::format("bad quantity '{}'{}", spec.quantity, comma ? " (" + *comma + ")" : ""),
        "a quantity is a number such as 2 or 2.5");
  }
  if (qty->units <= 0) bad(fmt::format("quantity '{}' is not more than 0", spec.quantity),
                           "refunds and returns are 'crm sale refund SALE'");
  spec.quantity = money::format_decimal(*qty); // "+2" -> "2"
  return spec;
}

std::optional<std::int64_t> sale_points(Session& session, const Record& sale, std::string* warning) {
  const auto& ppu_text = session.workspace().config().loyalty_points_per_unit;
  const auto ppu = money::parse_decimal(ppu_text);
  const auto total = model::amount_of(sale, "total");
  if (ppu_text.empty() || !ppu || !total) return std::nullopt;
  const auto rates = store::Rates::load(session.workspace());
  const std::string currency = text_of(sale, "currency"), at = text_of(sale, "at");
  const auto base = rates.to_base(*total, currency, at);
  if (!base) {
    if (warning) *warning = fmt::format("no loyalty points: {}", store::missing_rate_message(currency, at));
    return std::nullopt;
  }
  // Whole points, toward zero (a refund takes back what its sale gave).
  __int128 den = 1;
  for (int i = 0; i < *money::exponent(rates.base()) + ppu->scale; ++i) den *= 10;
  return static_cast<std::int64_t>(static_cast<__int128>(*base) * ppu->units / den);
}

SaleResult record_sale(Session& session, const SaleRequest& req) {
  const std::string currency = req.currency ? *req.currency : session.workspace().config().currency;
  const int exp = currency_arg(currency);
  const auto at = req.at ? parse_when_arg(*req.at, "--at").at : time::now();
  if (req.items.empty()) throw Error(ErrorKind::usage, "a sale needs at least one --item", {"--item \"PRODUCT x QTY @ PRICE\""});
  std::vector<ItemSpec> specs;
  for (const auto& text : req.items) specs.push_back(parse_item(text));
  std::string paid_by = req.paid_by.value_or(req.terms ? "credit" : "");
  if (!paid_by.empty()) {
    auto choices = model::payment_methods();
    choices.push_back("credit");
    check_choice(paid_by, choices, "--paid-by");
  }
  if (req.terms && paid_by != "credit")
    throw Error(ErrorKind::usage, "--terms is for sales on credit", {"add --paid-by credit, or leave out --terms"});
  const std::string terms = paid_by == "credit" ? req.terms.value_or("net30") : "";
  const std::string due = terms.empty() ? "" : due_from_terms(terms, time::date_of(at));

  session.lock_for_writing();
  const Record contact = find_contact(session, req.ref);
  Record sale = new_sale(session, at, contact, "sale", currency);
  Record items = Record::array();
  for (const auto& spec : specs) {
    const auto product = product_for(session, spec.product);
    const bool same_currency = product && text_of(*product, "currency") == currency;
    std::int64_t price = 0;
    const std::string in_item = fmt::format(" in --item '{}'", spec.product);
    if (spec.price) {
      price = amount_arg(*spec.price, currency, "price", false, in_item);
    } else if (same_currency && model::amount_of(*product, "price")) {
      price = *model::amount_of(*product, "price");
    } else if (product && product->contains("price")) {
      throw Error(ErrorKind::invalid_data,
                  fmt::format("product '{}' is priced in {}, not {}", spec.product, text_of(*product, "currency"), currency),
                  {fmt::format("give the price: --item \"{} x {} @ PRICE\"", spec.product, spec.quantity)});
    } else {
      throw Error(ErrorKind::invalid_data, fmt::format("no price for '{}'", spec.product),
                  {fmt::format("give it: --item \"{} x {} @ PRICE\"", spec.product, spec.quantity),
                   product ? fmt::format("or set one: crm product set {} price=PRICE", text_of(*product, "id"))
                           : "or add the product with its price: crm product add NAME --price PRICE"});
    }
    std::optional<std::int64_t> cost;
    if (spec.cost) {
      cost = amount_arg(*spec.cost, currency, "cost", false, in_item);
    } else if (same_currency) {
      cost = model::amount_of(*product, "cost");
    }
    const std::string name = product ? text_of(*product, "name") : spec.product;
    items.push_back(item_entry(name, product ? std::optional(text_of(*product, "id")) : std::nullopt, spec.quantity,
                               price, cost, exp));
  }
  sale["items"] = items;
  if (req.discount) sale["discount"] = text::trim(*req.discount);
  total_up(sale);
  if (!paid_by.empty()) sale["paid_by"] = paid_by;
  if (!terms.empty()) {
    sale["terms"] = terms;
    sale["due"] = due;
  }
  if (req.campaign && !text::trim(*req.campaign).empty()) sale["campaign"] = campaign_value(session, *req.campaign);
  std::string warning;
  if (auto points = sale_points(session, sale, &warning)) sale["points"] = *points;
  if (req.note) {
    const auto note = multiline_text(*req.note);
    if (!note.empty()) sale["notes"] = note;
  }
  const std::string stamp = time::format_timestamp(time::now());
  sale["created"] = stamp;
  sale["updated"] = stamp;
  for (const auto& [key, value] : req.custom) sale["custom"][key] = value;
  if (req.check_only) {
    validate_record(model::sale_type(), sale);
    return {model::id_of(sale), warning, std::nullopt};
  }
  save_record(session, model::sale_type(), sale, req.log);
  SaleResult result{model::id_of(sale), warning, std::nullopt};
  result.stage_activity = stage_on_first_sale(session, model::id_of(contact), result.id, at, req.log);
  return result;
}

SaleBalance sale_balance(Session& session, const Record& sale) {
  SaleBalance b;
  b.currency = text_of(sale, "currency");
  b.exponent = model::currency_exponent(sale).value_or(2);
  b.total = model::amount_of(sale, "total").value_or(0);
  const std::string id = text_of(sale, "id");
  auto& index = session.index();
  for (const auto& rid : index.ids_where(model::sale_type(), "refund_of", id))
    if (auto refund = index.get(model::sale_type(), rid); refund && text_of(*refund, "status") != "void")
      b.refunded += model::amount_of(*refund, "total").value_or(0);
  for (const auto& pid : index.ids_where(model::payment_type(), "sale", id))
    if (auto payment = index.get(model::payment_type(), pid)) {
      b.paid += model::amount_of(*payment, "amount").value_or(0);
      b.last_payment = std::max(b.last_payment, text_of(*payment, "at").substr(0, 10));
    }
  if (text_of(sale, "status") != "void" && text_of(sale, "paid_by") == "credit")
    b.balance = std::max<std::int64_t>(0, b.total + b.refunded - b.paid);
  return b;
}

std::vector<CreditSale> credit_sales(Session& session, const std::string& due_before, const index::Scope& sold) {
  // Refunds and payments are in the sale's currency: their minor units add up.
  std::vector<CreditSale> out;
  for (auto& row : index::sales_on_credit(session.index(), due_before, sold)) {
    CreditSale c{std::move(row.sale), {}};
    auto& b = c.balance;
    b.currency = text_of(c.sale, "currency");
    b.exponent = model::currency_exponent(c.sale).value_or(2);
    b.total = model::amount_of(c.sale, "total").value_or(0);
    b.refunded = row.refunded;
    b.paid = row.paid;
    b.last_payment = std::move(row.last_payment);
    b.balance = std::max<std::int64_t>(0, b.total + b.refunded - b.paid);
    out.push_back(std::move(c));
  }
  return out;
}

void add_sale_balance(Session& session, ShownRecord& shown) {
  const auto b = sale_balance(session, shown.record);
  auto amount = [&](std::int64_t v) { return money::format_amount(v, b.exponent); };
  if (b.refunded != 0) shown.computed["refunded"] = amount(b.refunded);
  if (text_of(shown.record, "paid_by") == "credit") {
    shown.computed["paid"] = amount(b.paid);
    shown.computed["balance"] = amount(b.balance);
  }
}

Record void_sale(Session& session, const std::string& ref, const std::string& reason) {
  session.lock_for_writing();
  const auto& type = model::sale_type();
  const std::string id = model::id_of(find_record(session, type, ref));
  Record sale = load_record(session, type, id);
  if (text_of(sale, "status") == "void")
    throw Error(ErrorKind::conflict, fmt::format("sale '{}' is already void", id),
                {fmt::format("it was voided on {}", text_of(sale, "voided_at"))});
  const auto b = sale_balance(session, sale);
  if (b.paid != 0)
    throw Error(ErrorKind::conflict, fmt::format("sale '{}' has payments; it cannot be voided", id),
                {fmt::format("refund it instead: crm sale refund {}", id)});
  if (b.refunded != 0)
    throw Error(ErrorKind::conflict, fmt::format("sale '{}' has refunds; it cannot be voided", id),
                {"void its refunds first ('crm sale list --format json' shows them under refund_of)"});
  const std::string stamp = time::format_timestamp(time::now());
  sale["status"] = "void";
  sale["voided_at"] = stamp;
  if (const auto r = text::nfc(text::trim(reason)); !r.empty()) sale["void_reason"] = r;
  sale["updated"] = stamp;
  save_record(session, type, sale);
  return sale;
}

RefundResult refund_sale(Session& session, const RefundRequest& req) {
  const std::string reason = multiline_text(req.reason.value_or(""));
  const auto at = req.at ? parse_when_arg(*req.at, "--at").at : time::now();
  std::vector<ItemSpec> specs;
  for (const auto& text : req.items) specs.push_back(parse_item(text));
  session.lock_for_writing();
  const auto& type = model::sale_type();
  const std::string id = model::id_of(find_record(session, type, req.sale));
  const Record sale = load_record(session, type, id);
  if (text_of(sale, "status") == "void")
    throw Error(ErrorKind::conflict, fmt::format("sale '{}' is void; there is nothing to refund", id));
  if (sale.contains("refund_of"))
    throw Error(ErrorKind::invalid_data, fmt::format("'{}' is itself a refund", id),
                {fmt::format("refund the original sale: {}", text_of(sale, "refund_of"))});
  const int exp = model::currency_exponent(sale).value_or(2);
  const std::string currency = text_of(sale, "currency");
  const auto before = sale_balance(session, sale);
  const Record contact = find_contact(session, text_of(sale, "contact"));

  Record refund = new_sale(session, at, contact, "refund", currency);
  Record items = Record::array();
  const std::string discount = text_of(sale, "discount");
  bool completes = specs.empty(); // this refund takes back all that is left of the sale
  if (specs.empty()) {
    if (before.refunded != 0)
      throw Error(ErrorKind::conflict, fmt::format("sale '{}' is already partly refunded", id),
                  {"name what goes back: --item \"PRODUCT x QTY\""});
    for (const auto& item : sale["items"]) {
      Record back = item;
      const auto q = money::parse_decimal(text_of(item, "quantity")).value_or(money::Decimal{});
      back["quantity"] = money::format_decimal({-q.units, q.scale});
      back["total"] = money::format_amount(-money::parse_amount(text_of(item, "total"), exp).value_or(0), exp);
      items.push_back(back);
    }
    if (!discount.empty()) refund["discount"] = discount;
  } else {
    // What is left of each product: sold on the sale, less what refunds took back.
    std::map<std::string, money::Decimal> left_of;
    auto count = [&](const Record& items_of) {
      for (const auto& item : items_of)
        if (auto q = money::parse_decimal(text_of(item, "quantity"))) {
          auto& left = left_of[text::match_key(text_of(item, "product"))];
          left = money::add(left, *q).value_or(left);
        }
    };
    count(sale["items"]);
    for (const auto& rid : session.index().ids_where(type, "refund_of", id))
      if (auto earlier = session.index().get(type, rid); earlier && text_of(*earlier, "status") != "void")
        count((*earlier)["items"]);
    for (const auto& spec : specs) {
      const std::string key = text::match_key(spec.product);
      const Record* line = nullptr;
      for (const auto& item : sale["items"])
        if (!line && text::match_key(text_of(item, "product")) == key) line = &item;
      if (!line)
        throw Error(ErrorKind::invalid_data, fmt::format("sale '{}' has no item '{}'", id, spec.product),
                    {fmt::format("its items: {}", [&] {
                      std::string all;
                      for (const auto& item : sale["items"]) all += (all.empty() ? "" : ", ") + text_of(item, "product");
                      return all;
                    }())});
      const auto qty = *money::parse_decimal(spec.quantity);
      auto& left = left_of[key];
      if (money::compare(left, qty) < 0)
        throw Error(ErrorKind::invalid_data,
                    fmt::format("cannot refund {} of '{}': {} left of what the sale had", spec.quantity,
                                text_of(*line, "product"), money::format_decimal(left)));
      left = *money::add(left, {-qty.units, qty.scale});
      const std::int64_t price = spec.price ? amount_arg(*spec.price, currency, "price", false,
                                                         fmt::format(" in --item '{}'", spec.product))
                                            : *money::parse_amount(text_of(*line, "price"), exp);
      std::optional<std::int64_t> cost;
      if (line->contains("cost")) cost = money::parse_amount(text_of(*line, "cost"), exp);
      items.push_back(item_entry(text_of(*line, "product"),
                                 line->contains("product_id") ? std::optional(text_of(*line, "product_id")) : std::nullopt,
                                 "-" + spec.quantity, price, cost, exp));
    }
    completes = std::all_of(left_of.begin(), left_of.end(), [](const auto& kv) { return kv.second.units == 0; });
    // A percentage discount applies to what goes back too; an amount was for the whole sale.
    if (!discount.empty() && discount.back() == '%') refund["discount"] = discount;
  }
  refund["items"] = items;
  total_up(refund);
  const std::int64_t left = before.total + before.refunded;
  // The refund that takes back the last of the goods takes back the rest of the
  // money, whatever each refund's rounding of the discount left over.
  if (completes && -*model::amount_of(refund, "total") != left) {
    const std::int64_t subtotal = -*model::amount_of(refund, "subtotal");
    if (subtotal >= left) {
      refund["discount"] = money::format_amount(subtotal - left, exp);
      total_up(refund);
    }
  }
  const std::int64_t amount = -*model::amount_of(refund, "total");
  if (amount > left)
    throw Error(ErrorKind::invalid_data,
                fmt::format("a refund of {} {} is more than the {} {} left on sale '{}'", money::format_amount(amount, exp),
                            currency, money::format_amount(left, exp), currency, id));
  // Refunded the way it was paid; a refund of a sale on credit lowers what is owed by the same date.
  for (const char* key : {"paid_by", "terms", "due"})
    if (sale.contains(key)) refund[key] = sale[key];
  if (sale.contains("campaign")) refund["campaign"] = sale["campaign"];
  refund["refund_of"] = id;

  RefundResult result;
  std::optional<Record> feedback;
  if (req.feedback) {
    result.feedback_id = model::id_of(find_record(session, model::feedback_type(), *req.feedback));
  } else {
    if (reason.empty())
      throw Error(ErrorKind::usage, "a refund needs a reason", {"give it with -m TEXT, or link feedback with --feedback ID"});
    FeedbackRequest fb;
    fb.ref = text_of(sale, "contact");
    fb.kind = "return";
    fb.text = reason;
    fb.sale = id;
    fb.product = text_of(items.front(), "product");
    feedback = new_feedback(session, fb, at);
    result.feedback_id = model::id_of(*feedback);
    result.feedback_added = true;
  }
  refund["feedback"] = result.feedback_id;
  // Points go back in proportion to the money, at the sale's own rate; the
  // last refund takes back whatever the sale's points still hold.
  if (const auto earned = sale.find("points"); earned != sale.end() && earned->is_number_integer()) {
    std::int64_t taken = 0;
    for (const auto& rid : session.index().ids_where(type, "refund_of", id))
      if (auto earlier = session.index().get(type, rid); earlier && text_of(*earlier, "status") != "void")
        taken += earlier->value("points", std::int64_t{0});
    const std::int64_t points = earned->get<std::int64_t>();
    refund["points"] = completes ? -(points + taken)
                     : before.total == 0 ? 0
                                         : static_cast<std::int64_t>(static_cast<__int128>(points) * -amount / before.total);
  }
  if (!reason.empty()) refund["notes"] = reason;
  const std::string stamp = time::format_timestamp(time::now());
  refund["created"] = stamp;
  refund["updated"] = stamp;
  // Both are checked before either is written.
  validate_record(type, refund);
  if (feedback) save_record(session, model::feedback_type(), *feedback);
  save_record(session, type, refund);
  result.refund_id = model::id_of(refund);
  return result;
}

} // namespace crm::ops
