#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/sales/payment.hpp"
#include "record_commands.hpp"
#include "util/money.hpp"

namespace crm::cli {

void set_payment_command(CLI::App& app, Context& ctx) {
  const auto& type = model::payment_type();
  auto* group = app.add_subcommand("payment", "record payments against sales on credit");
  require_one_subcommand(*group, "crm payment");
  auto* cmd = group->add_subcommand("record", "record a partial or full payment and print its id");
  auto req = std::make_shared<ops::PaymentRequest>();
  cmd->add_option("SALE", req->sale, "the sale: id or id prefix")->required();
  cmd->add_option("--amount", req->amount, "how much, in the sale's currency")->type_name("A")->required();
  cmd->add_option("--at", req->at, "when it was paid (default: now)")->type_name("WHEN");
  cmd->add_option("--method", req->method, "how")->type_name("card|cash|check|paypal|bank-transfer|other");
  cmd->add_option("-m,--message", req->note, "a note")->type_name("NOTE");
  cmd->callback([&ctx, req] {
    const auto r = ops::record_payment(ctx.session(false), *req);
    ctx.out() << r.id << '\n';
    if (!ctx.quiet)
      ctx.err() << (r.after.balance == 0 ? std::string("paid in full\n")
                                         : fmt::format("left to pay: {} {}\n",
                                                       money::format_amount(r.after.balance, r.after.exponent),
                                                       r.after.currency));
    ctx.warn_broken();
  });
  auto sale = std::make_shared<std::string>();
  auto* list = add_list_subcommand(*group, ctx, type, [sale](index::ListQuery& q) {
    if (!sale->empty()) q.conditions.push_back({"sale", "=", *sale});
  });
  list->add_option("--sale", *sale, "only the payments of this sale (its id)")->type_name("ID");
  add_show_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
