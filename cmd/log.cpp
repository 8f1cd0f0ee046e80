#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/interactions/log.hpp"

namespace crm::cli {

void set_log_command(CLI::App& app, Context& ctx) {
  auto* log = app.add_subcommand("log", "log a call, email, meeting, text, note or chat with a contact");
  require_one_subcommand(*log, "crm log");
  for (auto kind : model::activity_kinds()) {
    if (kind == "stage") continue; // written by crm when a stage changes
    auto* cmd = log->add_subcommand(std::string(kind), fmt::format("log a {} and print the new activity id", kind));
    auto req = std::make_shared<ops::LogRequest>();
    auto message = std::make_shared<std::optional<std::string>>();
    req->kind = kind;
    cmd->add_option("REF", req->ref, "the contact: id, id prefix, email, phone or exact name")->required();
    cmd->add_option("-m,--message", *message, "what was said or done (else $EDITOR on a terminal, stdin on a pipe)")
        ->type_name("TEXT");
    cmd->add_option("--at", req->at, "when it happened (default: now)")->type_name("WHEN");
    cmd->add_option("--direction", req->direction, "in: they reached out; out: you did")->type_name("in|out");
    cmd->add_option("--duration", req->duration, "how long (15m, 1h30m)")->type_name("DURATION");
    cmd->add_option("--outcome", req->outcome, "how it went")->type_name("TEXT");
    cmd->add_option("--campaign", req->campaign, "the campaign it belongs to")->type_name("C");
    auto* follow = cmd->add_option("--follow-up", req->follow_up, "also add a follow-up due then")->type_name("WHEN");
    cmd->add_option("-M,--follow-up-message", req->follow_up_text, "the follow-up's text")
        ->type_name("TEXT")
        ->needs(follow);
    cmd->callback([&ctx, req, message] {
      auto r = *req;
      r.text = ctx.message(*message, fmt::format("what happened in the {}", r.kind));
      const auto result = ops::log_activity(ctx.session(false), r);
      ctx.out() << result.activity_id << '\n';
      if (result.followup_id && !ctx.quiet) ctx.err() << "follow-up " << *result.followup_id << '\n';
      ctx.warn_broken();
    });
  }
}

} // namespace crm::cli
