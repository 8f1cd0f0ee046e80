#include <memory>

#include "commands.hpp"
#include "format/rows.hpp"
#include "format/summary.hpp"
#include "ops/contacts/dupes.hpp"
#include "ops/contacts/merge.hpp"
#include "record_commands.hpp"

namespace crm::cli {
namespace {

void add_dupes_subcommand(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand(
      "dupes", "list pairs of contacts that are probably one person, with why and a score (exit 1: none)");
  cmd->footer("Scores: email 95, phone 90, same name 80, close or swapped name 60; +5 for each further reason, "
              "at most 100.\n--format ids prints \"KEEP OTHER\" a line (KEEP: the older contact):\n"
              "  crm contact dupes --format ids | while read keep other; do crm contact merge \"$keep\" \"$other\"; "
              "done");
  cmd->callback([&ctx] {
    const auto pairs = ops::find_duplicates(ctx.session());
    format::write_rows(ctx.out(), ops::duplicate_rows(pairs), ctx.output());
    if (pairs.empty()) ctx.exit_code = 1;
    ctx.warn_broken();
  });
}

void add_merge_subcommand(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("merge", "merge contact OTHER into KEEP: their details, and everything that "
                                            "points to OTHER; OTHER's id then names KEEP");
  struct Options {
    std::string keep, other;
    bool dry_run = false;
    std::string prefer = "keep";
    std::vector<std::string> take;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("KEEP", opts->keep, "the contact that stays: id, id prefix, email, phone or exact name")->required();
  cmd->add_option("OTHER", opts->other, "the contact merged into it, then removed")->required();
  cmd->add_flag("-n,--dry-run", opts->dry_run, "print what would happen; write nothing");
  cmd->add_option("--prefer", opts->prefer, "whose value wins when both have one (default keep)")
      ->check(CLI::IsMember({"keep", "other"}))
      ->type_name("keep|other");
  cmd->add_option("--take", opts->take, "take OTHER's value of this field on a conflict (repeatable; custom.KEY)")
      ->type_name("FIELD");
  cmd->callback([&ctx, opts] {
    ops::MergeOptions o{opts->dry_run, opts->prefer == "other" ? ops::Prefer::other : ops::Prefer::keep, opts->take};
    // A dry run only reads: it refreshes like a reader; a merge refreshes under the lock.
    const auto report = ops::merge_contacts(ctx.session(opts->dry_run), opts->keep, opts->other, o);
    format::write_summary(ctx.out(), ops::merge_summary(report), ctx.output());
    ctx.warn_broken();
  });
}

} // namespace

void set_contact_command(CLI::App& app, Context& ctx) {
  auto* group = add_record_group(app, ctx, model::contact_type(), "add, find and change contacts (people)");
  add_dupes_subcommand(*group, ctx);
  add_merge_subcommand(*group, ctx);
}

} // namespace crm::cli
