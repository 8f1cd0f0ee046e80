#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/contacts/segment.hpp"
#include "ops/records/records.hpp"
#include "ops/sales/campaign.hpp"
#include "record_commands.hpp"
#include "util/error.hpp"

namespace crm::cli {

void set_campaign_command(CLI::App& app, Context& ctx) {
  auto* group = add_record_group(app, ctx, model::campaign_type(),
                                 "campaigns (email, sms, social, event, ad), their cost and audience");
  auto* cmd = group->add_subcommand("audience", "add contacts to a campaign's audience (or --remove them)");
  struct Options {
    std::string campaign;
    std::vector<std::string> refs;
    std::string segment;
    bool remove = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("CAMPAIGN", opts->campaign, "the campaign: id, id prefix or exact name")->required();
  cmd->add_option("REF", opts->refs, "contacts: id, id prefix, email, phone or exact name");
  cmd->add_option("--segment", opts->segment, "also every contact of this segment (as of now)")->type_name("NAME");
  cmd->add_flag("--remove", opts->remove, "take them out of the audience instead");
  cmd->callback([&ctx, opts] {
    auto refs = opts->refs;
    if (!opts->segment.empty()) {
      auto& session = ctx.session();
      const auto q = ops::segment_query(session, ops::find_segment(session, opts->segment));
      for (const auto& c : ops::list_records(session, model::contact_type(), q)) refs.push_back(model::id_of(c));
    }
    if (refs.empty() && opts->segment.empty())
      throw Error(ErrorKind::usage, "no contacts given", {"give contacts as REF..., or --segment NAME"});
    const auto change = ops::change_audience(ctx.session(false), opts->campaign, refs, opts->remove);
    if (!ctx.quiet)
      ctx.err() << fmt::format("{} {} {}; audience: {}\n", opts->remove ? "removed" : "added", change.changed,
                               change.changed == 1 ? "contact" : "contacts", change.size);
    ctx.warn_broken();
  });
}

} // namespace crm::cli
