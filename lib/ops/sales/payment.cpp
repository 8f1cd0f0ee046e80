#include "ops/sales/payment.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/amounts.hpp"
#include "util/error.hpp"
#include "util/money.hpp"
#include "util/time.hpp"

namespace crm::ops {

PaymentResult record_payment(Session& session, const PaymentRequest& req) {
  const auto at = req.at ? parse_when_arg(*req.at, "--at").at : time::now();
  if (req.method) {
    const auto& methods = model::payment_methods();
    if (std::find(methods.begin(), methods.end(), *req.method) == methods.end())
      throw Error(ErrorKind::invalid_data, fmt::format("bad --method '{}'", *req.method),
                  {fmt::format("use one of: {}", fmt::join(methods, ", "))});
  }
  session.lock_for_writing();
  const auto& sale_type = model::sale_type();
  const std::string sale_id = model::id_of(find_record(session, sale_type, req.sale));
  const model::Record sale = load_record(session, sale_type, sale_id);
  const std::string currency = sale.value("currency", "");
  const int exp = model::currency_exponent(sale).value_or(2);
  if (sale.value("status", "") == "void") throw Error(ErrorKind::conflict, fmt::format("sale '{}' is void", sale_id));
  if (sale.value("paid_by", "") != "credit")
    throw Error(ErrorKind::conflict,
                fmt::format("sale '{}' is not on credit; it was paid{} when it was recorded", sale_id,
                            sale.contains("paid_by") ? " by " + sale.value("paid_by", "") : ""),
                {"payments are for sales recorded with --paid-by credit"});
  const auto amount = std::optional<std::int64_t>(amount_arg(req.amount, currency, "--amount", true));
  auto balance = sale_balance(session, sale);
  if (balance.balance == 0)
    throw Error(ErrorKind::conflict, fmt::format("sale '{}' is paid in full", sale_id));
  if (*amount > balance.balance)
    throw Error(ErrorKind::invalid_data,
                fmt::format("a payment of {} {} is more than the {} {} left to pay on sale '{}'",
                            money::format_amount(*amount, exp), currency, money::format_amount(balance.balance, exp),
                            currency, sale_id),
                {fmt::format("record at most {}", money::format_amount(balance.balance, exp))});
  const model::Record contact = find_contact(session, sale.value("contact", ""));
  model::Record payment = model::Record::object();
  payment["id"] = new_record_id(session, model::payment_type(),
                                fmt::format("{}-payment-", time::format_timestamp(at).substr(0, 10)),
                                contact.value("name", ""));
  payment["sale"] = sale_id;
  payment["contact"] = contact["id"];
  payment["at"] = time::format_timestamp(at);
  payment["amount"] = money::format_amount(*amount, exp);
  payment["currency"] = currency;
  if (req.method) payment["method"] = *req.method;
  if (req.note)
    if (const auto note = multiline_text(*req.note); !note.empty()) payment["notes"] = note;
  const std::string stamp = time::format_timestamp(time::now());
  payment["created"] = stamp;
  payment["updated"] = stamp;
  save_record(session, model::payment_type(), payment);
  balance.paid += *amount;
  balance.balance -= *amount;
  balance.last_payment = std::max(balance.last_payment, payment["at"].get<std::string>().substr(0, 10));
  return {model::id_of(payment), balance};
}

} // namespace crm::ops
