#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/sales/loyalty.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_loyalty_command(CLI::App& app, Context& ctx) {
  const auto& type = model::loyalty_type();
  auto* group = app.add_subcommand("loyalty", "loyalty points: redeem them, list what was redeemed");
  require_one_subcommand(*group, "crm loyalty");
  struct Options {
    std::string ref, points, reason;
  };
  auto opts = std::make_shared<Options>();
  auto* redeem = group->add_subcommand("redeem", "spend a contact's points and print the record's id");
  redeem->add_option("REF", opts->ref, "the contact: id, id prefix, email, phone or exact name")->required();
  redeem->add_option("POINTS", opts->points, "how many")->required();
  redeem->add_option("-m,--message", opts->reason, "what for")->type_name("REASON");
  redeem->callback([&ctx, opts] {
    const auto r = ops::redeem_points(ctx.session(false), opts->ref, opts->points, opts->reason);
    ctx.out() << r.id << '\n';
    if (!ctx.quiet) ctx.err() << fmt::format("{} points left\n", r.balance);
    ctx.warn_broken();
  });
  add_list_subcommand(*group, ctx, type);
  add_show_subcommand(*group, ctx, type);
}

} // namespace crm::cli
