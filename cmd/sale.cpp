#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/sales/sale.hpp"
#include "record_commands.hpp"

namespace crm::cli {
namespace {

void add_sale_record(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("record", "record a sale and print its new id");
  auto req = std::make_shared<ops::SaleRequest>();
  cmd->add_option("REF", req->ref, "the customer: id, id prefix, email, phone or exact name")->required();
  cmd->add_option("--item", req->items, "\"PRODUCT x QTY @ PRICE [cost C]\" (repeatable; @ PRICE from the product)")
      ->type_name("ITEM")
      ->required();
  cmd->add_option("--currency", req->currency, "ISO 4217 code (default: the workspace's)")->type_name("C");
  cmd->add_option("--at", req->at, "when it was sold (default: now)")->type_name("WHEN");
  cmd->add_option("--paid-by", req->paid_by, "how it was paid")->type_name("card|cash|check|paypal|bank-transfer|other|credit");
  cmd->add_option("--terms", req->terms, "credit terms: net30 or due:YYYY-MM-DD (implies --paid-by credit)")
      ->type_name("TERMS");
  cmd->add_option("--discount", req->discount, "10% or an amount off the subtotal")->type_name("D");
  cmd->add_option("--campaign", req->campaign, "the campaign it came from")->type_name("C");
  cmd->add_option("-m,--message", req->note, "a note")->type_name("NOTE");
  cmd->callback([&ctx, req] {
    const auto r = ops::record_sale(ctx.session(false), *req);
    ctx.out() << r.id << '\n';
    if (!r.warning.empty()) ctx.err() << "warning: " << r.warning << '\n';
    ctx.warn_broken();
  });
}

void add_sale_void(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("void", "mark a sale void: kept, but not counted");
  struct Options {
    std::string ref;
    std::string reason;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the sale: id or id prefix")->required();
  cmd->add_option("-m,--message", opts->reason, "why")->type_name("REASON");
  cmd->callback([&ctx, opts] {
    const auto sale = ops::void_sale(ctx.session(false), opts->ref, opts->reason);
    if (!ctx.quiet) ctx.err() << "voided " << model::id_of(sale) << '\n';
    ctx.warn_broken();
  });
}

void add_sale_refund(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("refund", "refund a sale (or some of its items) and print the refund's id");
  auto req = std::make_shared<ops::RefundRequest>();
  cmd->add_option("ID", req->sale, "the sale: id or id prefix")->required();
  cmd->add_option("--item", req->items, "\"PRODUCT x QTY\" going back (repeatable; default: all of it)")
      ->type_name("ITEM");
  cmd->add_option("--feedback", req->feedback, "the return or complaint it answers (default: a new return)")
      ->type_name("ID");
  cmd->add_option("--at", req->at, "when (default: now)")->type_name("WHEN");
  cmd->add_option("-m,--message", req->reason, "why it came back")->type_name("REASON");
  cmd->callback([&ctx, req] {
    const auto r = ops::refund_sale(ctx.session(false), *req);
    ctx.out() << r.refund_id << '\n';
    if (!ctx.quiet && r.feedback_added) ctx.err() << "feedback " << r.feedback_id << '\n';
    ctx.warn_broken();
  });
}

} // namespace

void set_sale_command(CLI::App& app, Context& ctx) {
  const auto& type = model::sale_type();
  auto* group = app.add_subcommand("sale", "record, list, void and refund sales");
  require_one_subcommand(*group, "crm sale");
  add_sale_record(*group, ctx);
  struct ListOptions {
    std::string status, paid_by;
  };
  auto opts = std::make_shared<ListOptions>();
  auto* list = add_list_subcommand(*group, ctx, type, [opts](index::ListQuery& q) {
    if (!opts->status.empty()) q.conditions.push_back({"status", "=", opts->status});
    if (!opts->paid_by.empty()) q.conditions.push_back({"paid_by", "=", opts->paid_by});
  });
  list->add_option("--status", opts->status, "only completed or void sales")->type_name("completed|void");
  list->add_option("--paid-by", opts->paid_by, "only sales paid this way")->type_name("METHOD");
  add_show_subcommand(*group, ctx, type, [](ops::Session& s, ops::ShownRecord& shown) { ops::add_sale_balance(s, shown); });
  add_sale_void(*group, ctx);
  add_sale_refund(*group, ctx);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
}

} // namespace crm::cli
