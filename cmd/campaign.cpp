#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/campaigns.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_campaign_command(CLI::App& app, Context& ctx) {
  auto* group = add_record_group(app, ctx, model::campaign_type(),
                                 "campaigns (email, sms, social, event, ad), their cost and audience");
  auto* cmd = group->add_subcommand("audience", "add contacts to a campaign's audience (or --remove them)");
  struct Options {
    std::string campaign;
    std::vector<std::string> refs;
    bool remove = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("CAMPAIGN", opts->campaign, "the campaign: id, id prefix or exact name")->required();
  cmd->add_option("REF", opts->refs, "contacts: id, id prefix, email, phone or exact name")->required();
  cmd->add_flag("--remove", opts->remove, "take them out of the audience instead");
  cmd->callback([&ctx, opts] {
    const auto change = ops::change_audience(ctx.session(false), opts->campaign, opts->refs, opts->remove);
    if (!ctx.quiet)
      ctx.err() << fmt::format("{} {} {}; audience: {}\n", opts->remove ? "removed" : "added", change.changed,
                               change.changed == 1 ? "contact" : "contacts", change.size);
    ctx.warn_broken();
  });
}

} // namespace crm::cli
