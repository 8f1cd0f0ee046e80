#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/sales/deal.hpp"
#include "record_commands.hpp"

namespace crm::cli {
namespace {

void add_deal_add(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("add", "open a deal and print its new id");
  auto req = std::make_shared<ops::DealRequest>();
  cmd->add_option("REF", req->ref, "the contact: id, id prefix, email, phone or exact name")->required();
  cmd->add_option("--title", req->title, "what the deal is")->type_name("T")->required();
  cmd->add_option("--value", req->value, "expected value")->type_name("AMOUNT");
  cmd->add_option("--currency", req->currency, "ISO 4217 code (default: the workspace's)")->type_name("C");
  cmd->add_option("--stage", req->stage, "pipeline stage (default: the first in config.yaml)")->type_name("S");
  cmd->add_option("--close", req->close, "expected close date")->type_name("WHEN");
  cmd->add_option("--probability", req->probability, "chance to win in percent (default: the stage's)")
      ->type_name("P");
  cmd->add_option("--product", req->product, "what it sells: a product's id, name or SKU (the sale names it)")
      ->type_name("P");
  cmd->callback([&ctx, req] {
    ctx.out() << ops::add_deal(ctx.session(false), *req) << '\n';
    ctx.warn_broken();
  });
}

void add_deal_move(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("move", "move an open deal to another stage");
  struct Options {
    std::string ref, stage;
    std::optional<std::string> probability;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the deal: id, id prefix or exact title")->required();
  cmd->add_option("STAGE", opts->stage, "the new stage")->required();
  cmd->add_option("--probability", opts->probability, "chance to win in percent (default: the stage's)")
      ->type_name("P");
  cmd->callback([&ctx, opts] {
    const auto deal = ops::move_deal(ctx.session(false), opts->ref, opts->stage, opts->probability);
    if (!ctx.quiet) {
      const auto& moves = deal["moves"];
      ctx.err() << fmt::format("{}: {} -> {}\n", model::id_of(deal),
                               moves.back().value("from", ""), moves.back().value("to", ""));
    }
    ctx.warn_broken();
  });
}

void add_deal_won(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("won", "mark a deal won");
  struct Options {
    std::string ref;
    bool record_sale = false;
    std::optional<std::string> paid_by;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the deal: id, id prefix or exact title")->required();
  auto* rs = cmd->add_flag("--record-sale", opts->record_sale, "also record a sale of the deal's value; prints its id");
  cmd->add_option("--paid-by", opts->paid_by, "for the sale: how it was paid")->type_name("METHOD")->needs(rs);
  cmd->callback([&ctx, opts] {
    const auto won = ops::win_deal(ctx.session(false), opts->ref, opts->record_sale, opts->paid_by);
    if (won.sale_id) ctx.out() << *won.sale_id << '\n';
    if (!ctx.quiet) ctx.err() << "won " << model::id_of(won.deal) << '\n';
    ctx.warn_broken();
  });
}

void add_deal_lost(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("lost", "mark a deal lost, saying why");
  struct Options {
    std::string ref, reason;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the deal: id, id prefix or exact title")->required();
  cmd->add_option("--reason", opts->reason, "why it was lost")->type_name("R")->required();
  cmd->callback([&ctx, opts] {
    const auto deal = ops::lose_deal(ctx.session(false), opts->ref, opts->reason);
    if (!ctx.quiet) ctx.err() << "lost " << model::id_of(deal) << '\n';
    ctx.warn_broken();
  });
}

} // namespace

void set_deal_command(CLI::App& app, Context& ctx) {
  const auto& type = model::deal_type();
  auto* group = app.add_subcommand("deal", "the sales pipeline: deals, their stages, won and lost");
  require_one_subcommand(*group, "crm deal");
  add_deal_add(*group, ctx);
  add_deal_move(*group, ctx);
  add_deal_won(*group, ctx);
  add_deal_lost(*group, ctx);
  struct ListOptions {
    bool open = false;
  };
  auto opts = std::make_shared<ListOptions>();
  auto* list = add_list_subcommand(*group, ctx, type, [opts](index::ListQuery& q) {
    if (opts->open) {
      q.conditions.push_back({"stage", "!=", "won"});
      q.conditions.push_back({"stage", "!=", "lost"});
    }
  });
  list->add_flag("--open", opts->open, "only open deals (not won or lost)");
  add_show_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
