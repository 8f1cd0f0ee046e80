#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/interactions/followup.hpp"
#include "record_commands.hpp"
#include "util/error.hpp"

namespace crm::cli {
namespace {

void add_followup_add(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("add", "add a follow-up for a contact and print its id");
  struct Options {
    std::string ref, due;
    std::optional<std::string> message;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("REF", opts->ref, "the contact: id, id prefix, email, phone or exact name")->required();
  cmd->add_option("--due", opts->due, "when (tomorrow, +3d, next monday, 2026-12-01...)")->type_name("WHEN")->required();
  cmd->add_option("-m,--message", opts->message, "what to do")->type_name("TEXT");
  cmd->callback([&ctx, opts] {
    const std::string text = ctx.message(opts->message, "the follow-up");
    ctx.out() << ops::add_followup(ctx.session(false), opts->ref, opts->due, text) << '\n';
    ctx.warn_broken();
  });
}

void add_followup_list(CLI::App& group, Context& ctx) {
  struct Options {
    bool due = false, overdue = false, done = false;
    std::optional<std::string> upcoming;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = add_list_subcommand(group, ctx, model::followup_type(), [opts](index::ListQuery& q) {
    auto window = ops::FollowupWindow::all_open;
    int days = 7;
    if (opts->due) window = ops::FollowupWindow::due;
    if (opts->overdue) window = ops::FollowupWindow::overdue;
    if (opts->done) window = ops::FollowupWindow::done;
    if (opts->upcoming) {
      window = ops::FollowupWindow::upcoming;
      // A bare --upcoming is the default window.
      days = upcoming_days(opts->upcoming->empty() ? "7d" : *opts->upcoming);
    }
    const auto tags = q.tags;
    q = ops::followup_query(window, days);
    q.tags = tags;
  });
  cmd->description("list open follow-ups by due date");
  auto* due = cmd->add_flag("--due", opts->due, "only those due today or before");
  auto* overdue = cmd->add_flag("--overdue", opts->overdue, "only those due before today");
  auto* upcoming = cmd->add_option("--upcoming", opts->upcoming, "only those due from today to N days ahead")
                       ->type_name("Nd")
                       ->expected(0, 1)
                       ->default_str("7d");
  auto* done = cmd->add_flag("--done", opts->done, "the ones done, latest first");
  due->excludes(overdue)->excludes(upcoming)->excludes(done);
  overdue->excludes(upcoming)->excludes(done);
  upcoming->excludes(done);
}

void add_followup_done(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("done", "mark a follow-up done (also logs an activity)");
  struct Options {
    std::string ref, kind = "note";
    std::string note;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the follow-up: id or id prefix")->required();
  cmd->add_option("-m,--message", opts->note, "how it went")->type_name("TEXT");
  cmd->add_option("--as", opts->kind, "log it as this kind of activity (default: note)")
      ->type_name("call|email|meeting|text|note|chat")
      ->check(CLI::IsMember({"call", "email", "meeting", "text", "note", "chat"}));
  cmd->callback([&ctx, opts] {
    const auto r = ops::finish_followup(ctx.session(false), opts->ref, opts->note, opts->kind);
    if (!ctx.quiet) ctx.err() << fmt::format("done {} (logged {})\n", r.followup_id, r.activity_id);
    ctx.warn_broken();
  });
}

void add_followup_snooze(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("snooze", "put a follow-up off until WHEN");
  struct Options {
    std::string ref, when;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("ID", opts->ref, "the follow-up: id or id prefix")->required();
  cmd->add_option("WHEN", opts->when, "the new due date (+3d, next monday, 2026-12-01...)")->required();
  cmd->callback([&ctx, opts] {
    const auto due = ops::snooze_followup(ctx.session(false), opts->ref, opts->when);
    if (!ctx.quiet) ctx.err() << fmt::format("due {}\n", due);
    ctx.warn_broken();
  });
}

} // namespace

void set_followup_command(CLI::App& app, Context& ctx) {
  const auto& type = model::followup_type();
  auto* group = app.add_subcommand("followup", "things to do for a contact by a date");
  require_one_subcommand(*group, "crm followup");
  add_followup_add(*group, ctx);
  add_followup_list(*group, ctx);
  add_followup_done(*group, ctx);
  add_followup_snooze(*group, ctx);
  add_show_subcommand(*group, ctx, type);
  add_set_subcommand(*group, ctx, type);
  add_edit_subcommand(*group, ctx, type);
  add_rm_subcommand(*group, ctx, type);
}

} // namespace crm::cli
