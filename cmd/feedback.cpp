#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/interactions/feedback.hpp"
#include "record_commands.hpp"
#include "util/time.hpp"

namespace crm::cli {
namespace {

void add_feedback_add(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("add", "record a complaint, return, support request, review, survey or suggestion");
  struct Options {
    ops::FeedbackRequest req;
    std::optional<std::string> message;
  };
  auto opts = std::make_shared<Options>();
  auto& r = opts->req;
  cmd->add_option("REF", r.ref, "the contact: id, id prefix, email, phone or exact name")->required();
  cmd->add_option("--kind", r.kind, "what kind of feedback")
      ->type_name("complaint|return|support|review|survey|suggestion")
      ->required();
  cmd->add_option("-m,--message", opts->message, "what they said (else $EDITOR on a terminal, stdin on a pipe)")
      ->type_name("TEXT");
  cmd->add_option("--product", r.product, "the product it is about")->type_name("P");
  cmd->add_option("--sale", r.sale, "the sale it is about (its id)")->type_name("SALE");
  cmd->add_option("--rating", r.rating, "rating from 1 to 5")->type_name("1-5");
  cmd->add_option("--nps", r.nps, "would recommend us, 0 to 10")->type_name("0-10");
  cmd->add_option("--channel", r.channel, "how it reached you (email, phone, web...)")->type_name("C");
  cmd->add_option("--at", r.at, "when it came in (default: now)")->type_name("WHEN");
  cmd->callback([&ctx, opts] {
    auto req = opts->req;
    req.text = ctx.message(opts->message, "the feedback");
    ctx.out() << ops::add_feedback(ctx.session(false), req) << '\n';
    ctx.warn_broken();
  });
}

std::string minutes_text(long long minutes) {
  if (minutes < 60) return fmt::format("{}m", minutes);
  if (minutes < 24 * 60) return fmt::format("{}h{:02}m", minutes / 60, minutes % 60);
  return fmt::format("{}d{}h", minutes / (24 * 60), (minutes / 60) % 24);
}

void add_feedback_resolve(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("resolve", "mark feedback resolved, saying how");
  struct Options {
    std::string ref;
    std::optional<std::string> message;
    bool no_follow_up = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the feedback: id or id prefix")->required();
  cmd->add_option("-m,--message", opts->message, "what was done")->type_name("TEXT");
  cmd->add_flag("--no-follow-up", opts->no_follow_up,
                "no satisfaction check (complaints and returns get one after feedback.check_after)");
  cmd->callback([&ctx, opts] {
    const std::string text = ctx.message(opts->message, "how it was resolved");
    const auto r = ops::resolve_feedback(ctx.session(false), opts->ref, text, !opts->no_follow_up);
    if (!ctx.quiet) {
      ctx.err() << fmt::format("resolved {} after {}\n", r.feedback_id, minutes_text(r.minutes));
      if (r.followup_id) ctx.err() << fmt::format("follow-up {}\n", *r.followup_id);
    }
    ctx.warn_broken();
  });
}

} // namespace

void set_feedback_command(CLI::App& app, Context& ctx) {
  const auto& type = model::feedback_type();
  auto* group = app.add_subcommand("feedback", "complaints, returns, support, reviews, surveys, suggestions");
  require_one_subcommand(*group, "crm feedback");
  add_feedback_add(*group, ctx);
  add_feedback_resolve(*group, ctx);
  struct ListOptions {
    bool open = false;
    std::string kind;
  };
  auto opts = std::make_shared<ListOptions>();
  auto* list = add_list_subcommand(*group, ctx, type, [opts](index::ListQuery& q) {
    if (opts->open) q.conditions.push_back({"status", "=", "open"});
    if (!opts->kind.empty()) q.conditions.push_back({"kind", "=", opts->kind});
  });
  list->add_flag("--open", opts->open, "only the open ones");
  list->add_option("--kind", opts->kind, "only this kind (complaint, return...)");
  add_show_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
