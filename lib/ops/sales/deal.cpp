#include "ops/sales/deal.hpp"

#include <fmt/format.h>

#include "model/amounts.hpp"
#include "ops/records/records.hpp"
#include "ops/sales/sale.hpp"
#include "util/error.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Record;

std::string stage_names(const store::Config& config) {
  std::string all;
  for (const auto& s : config.deal_stages) all += (all.empty() ? "" : ", ") + s.name;
  return all;
}

const store::DealStage& open_stage(const store::Config& config, const std::string& name) {
  if (name == "won" || name == "lost")
    throw Error(ErrorKind::usage, fmt::format("a deal is {} with 'crm deal {}'", name, name == "won" ? "won" : "lost"),
                {name == "won" ? "crm deal won ID [--record-sale]" : "crm deal lost ID --reason R"});
  if (const auto* s = config.deal_stage(name)) return *s;
  throw Error(ErrorKind::invalid_data, fmt::format("unknown deal stage '{}'", name),
              {fmt::format("the stages are: {} (deals.stages in .crm/config.yaml)", stage_names(config))});
}

int probability_arg(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 3 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoi(text) > 100)
    throw Error(ErrorKind::invalid_data, fmt::format("bad --probability '{}'", text), {"expected a percent from 0 to 100"});
  return std::stoi(text);
}

void add_move(Record& deal, const std::string& from, const std::string& to, const std::string& at) {
  Record move = Record::object();
  move["at"] = at;
  if (!from.empty()) move["from"] = from;
  move["to"] = to;
  if (!deal.contains("moves") || !deal["moves"].is_array()) deal["moves"] = Record::array();
  deal["moves"].push_back(move);
}

// The deal, read for a change: it must still be open.
Record open_deal(Session& session, const std::string& ref) {
  const auto& type = model::deal_type();
  const std::string id = model::id_of(find_record(session, type, ref));
  Record deal = load_record(session, type, id);
  const std::string stage = deal.value("stage", "");
  if (stage == "won" || stage == "lost")
    throw Error(ErrorKind::conflict, fmt::format("deal '{}' is already {}", id, stage));
  return deal;
}

void touch(Record& deal, const std::string& stamp) { deal["updated"] = stamp; }

} // namespace

std::string add_deal(Session& session, const DealRequest& req) {
  const auto& config = session.workspace().config();
  const std::string title = text::nfc(text::trim(req.title));
  if (title.empty()) throw Error(ErrorKind::usage, "a deal needs a --title");
  const auto& stage = open_stage(config, req.stage.value_or(config.deal_stages.front().name));
  const int probability = req.probability ? probability_arg(*req.probability) : stage.probability;
  const std::string currency = req.currency.value_or(config.currency);
  const int exp = currency_arg(currency);
  std::optional<std::int64_t> value;
  if (req.value) value = amount_arg(*req.value, currency, "--value");
  std::string close;
  if (req.close) close = time::format_date(parse_when_arg(*req.close, "--close").date);
  session.lock_for_writing();
  const Record contact = find_contact(session, req.ref);
  const std::string stamp = time::format_timestamp(time::now());
  Record deal = Record::object();
  deal["id"] = new_record_id(session, model::deal_type(), "", title);
  deal["title"] = title;
  deal["contact"] = contact["id"];
  deal["stage"] = stage.name;
  if (value) deal["value"] = money::format_amount(*value, exp);
  deal["currency"] = currency;
  deal["probability"] = probability;
  if (!close.empty()) deal["close"] = close;
  if (req.product) deal["product"] = find_record(session, model::product_type(), *req.product)["id"];
  add_move(deal, "", stage.name, stamp);
  deal["created"] = stamp;
  deal["updated"] = stamp;
  save_record(session, model::deal_type(), deal);
  return model::id_of(deal);
}

Record move_deal(Session& session, const std::string& ref, const std::string& stage_name,
                 const std::optional<std::string>& probability) {
  const auto& config = session.workspace().config();
  const auto& stage = open_stage(config, stage_name);
  const int pct = probability ? probability_arg(*probability) : stage.probability;
  session.lock_for_writing();
  Record deal = open_deal(session, ref);
  const std::string from = deal.value("stage", "");
  if (from == stage.name)
    throw Error(ErrorKind::conflict, fmt::format("deal '{}' is already at {}", deal.value("id", ""), stage.name));
  const std::string stamp = time::format_timestamp(time::now());
  deal["stage"] = stage.name;
  deal["probability"] = pct;
  add_move(deal, from, stage.name, stamp);
  touch(deal, stamp);
  save_record(session, model::deal_type(), deal);
  return deal;
}

WonDeal win_deal(Session& session, const std::string& ref, bool record_sale, const std::optional<std::string>& paid_by) {
  session.lock_for_writing();
  WonDeal won{open_deal(session, ref), std::nullopt};
  Record& deal = won.deal;
  const std::string id = deal.value("id", "");
  if (record_sale && !deal.contains("value"))
    throw Error(ErrorKind::invalid_data, fmt::format("deal '{}' has no value to sell", id),
                {fmt::format("set one first: crm deal set {} value=AMOUNT", id)});
  const auto now = time::now();
  const std::string stamp = time::format_timestamp(now);
  add_move(deal, deal.value("stage", ""), "won", stamp);
  deal["stage"] = "won";
  deal["probability"] = 100;
  deal["close"] = time::format_date(time::date_of(now));
  if (record_sale) {
    // The deal is checked before the sale is written, so that both or neither are.
    deal["sale"] = "pending";
    validate_record(model::deal_type(), deal);
    SaleRequest sale;
    sale.ref = deal.value("contact", "");
    // One item at the deal's value: its product (by id, so the sale takes the
    // product's name and cost), else the deal itself.
    const std::string product = deal.value("product", "");
    sale.items = {fmt::format("{} x 1 @ {}", product.empty() ? deal.value("title", "") : product,
                              deal.value("value", ""))};
    sale.currency = deal.value("currency", "");
    sale.paid_by = paid_by;
    sale.note = fmt::format("from deal {}", id);
    won.sale_id = ops::record_sale(session, sale).id;
    deal["sale"] = *won.sale_id;
  }
  touch(deal, stamp);
  save_record(session, model::deal_type(), deal);
  return won;
}

Record lose_deal(Session& session, const std::string& ref, const std::string& reason) {
  const std::string why = text::nfc(text::trim(reason));
  if (why.empty()) throw Error(ErrorKind::usage, "say why the deal was lost", {"give it with --reason R"});
  session.lock_for_writing();
  Record deal = open_deal(session, ref);
  const auto now = time::now();
  const std::string stamp = time::format_timestamp(now);
  add_move(deal, deal.value("stage", ""), "lost", stamp);
  deal["stage"] = "lost";
  deal["probability"] = 0;
  deal["lost_reason"] = why;
  deal["close"] = time::format_date(time::date_of(now));
  touch(deal, stamp);
  save_record(session, model::deal_type(), deal);
  return deal;
}

} // namespace crm::ops
