#pragma once
// The command table: one set_<name>_command per file in cmd/, each registering
// its subcommands on the app. Callbacks make one call into libcrm and hand what
// it returns to lib/format.

#include <optional>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace crm::cli {

// For a command group ("crm contact"): run alone, it is a usage error with a
// hint to its help; followed by an unknown word, that word is named.
void require_one_subcommand(CLI::App& group, const std::string& path);

// Reads the workspace settings the command table shows (a contact's stages)
// and its aliases from the workspace -C DIR (or the current directory) names;
// quiet when there is none (or it is broken), the command reports that.
std::optional<store::Workspace> read_workspace_settings(int argc, char** argv);

// The days of an --upcoming window: "7d", "2w". Throws usage.
int upcoming_days(const std::string& text);

// Checks a count option (--limit): a whole number, 0 or more.
CLI::Validator count_validator();

// The workspace's aliases for help, one "  NAME  WORDS" line each (an alias
// named like a crm command marked as ignored).
std::string alias_lines(const CLI::App& app, const Context& ctx);

// One entry per top-level command, in the order `crm -h` lists them. main
// registers them all from here; `crm help`, `crm __commands` (completion) and
// the test that every command has help read the app built from it.
struct Command {
  std::string_view name; // the word after crm; its code is cmd/<name>.cpp
  void (*set)(CLI::App& app, Context& ctx);
};
std::span<const Command> command_table();

void set_init_command(CLI::App& app, Context& ctx);
void set_contact_command(CLI::App& app, Context& ctx);
void set_company_command(CLI::App& app, Context& ctx);
void set_index_command(CLI::App& app, Context& ctx);
void set_doctor_command(CLI::App& app, Context& ctx);
void set_log_command(CLI::App& app, Context& ctx);
void set_activity_command(CLI::App& app, Context& ctx);
void set_followup_command(CLI::App& app, Context& ctx);
void set_feedback_command(CLI::App& app, Context& ctx);
void set_due_command(CLI::App& app, Context& ctx);
void set_timeline_command(CLI::App& app, Context& ctx);
void set_search_command(CLI::App& app, Context& ctx);
void set_product_command(CLI::App& app, Context& ctx);
void set_sale_command(CLI::App& app, Context& ctx);
void set_payment_command(CLI::App& app, Context& ctx);
void set_loyalty_command(CLI::App& app, Context& ctx);
void set_deal_command(CLI::App& app, Context& ctx);
void set_campaign_command(CLI::App& app, Context& ctx);
void set_segment_command(CLI::App& app, Context& ctx);
void set_import_command(CLI::App& app, Context& ctx);
void set_report_command(CLI::App& app, Context& ctx);
void set_export_command(CLI::App& app, Context& ctx);
void set_sync_command(CLI::App& app, Context& ctx);
void set_history_command(CLI::App& app, Context& ctx);
void set_undo_command(CLI::App& app, Context& ctx);
void set_git_command(CLI::App& app, Context& ctx);
void set_trust_command(CLI::App& app, Context& ctx);
void set_config_command(CLI::App& app, Context& ctx);
void set_help_command(CLI::App& app, Context& ctx);
// Hidden: `crm __complete WORDS...`, for the completion scripts (cmd/complete.cpp).
void set_complete_command(CLI::App& app, Context& ctx);

} // namespace crm::cli
