// `crm export csv|json|jsonl|yaml`: records out of the workspace for other
// programs, streamed, to stdout or atomically to a file (-o).

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "commands.hpp"
#include "format/export_stream.hpp"
#include "format/output.hpp"
#include "format/output_file.hpp"
#include "format/vcard.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "ops/exchange/export.hpp"

namespace crm::cli {
namespace {

void add_format_subcommand(CLI::App& group, Context& ctx, const std::string& name, format::Format kind,
                           const std::string& description) {
  auto* cmd = group.add_subcommand(name, description);
  struct Options {
    ops::ExportOptions records;
    format::OutputOptions output;
    std::string file;
  };
  auto opts = std::make_shared<Options>();
  opts->output.format = kind;
  cmd->add_option("--type", opts->records.type,
                  "the records: contacts (default), companies, activities, sales, payments, deals, feedback, "
                  "followups, products, campaigns, loyalty, segments")
      ->type_name("TYPE");
  cmd->add_option("--where", opts->records.where, "only those matching the filter (crm help filter TYPE)")
      ->type_name("EXPR");
  cmd->add_option("--fields", opts->records.fields,
                  kind == format::Format::csv
                      ? "columns, comma-separated (default: every field that fits a cell)"
                      : "keys to keep, comma-separated (default: whole records)")
      ->type_name("F,...");
  cmd->add_option("-o,--output", opts->file, "write FILE instead of stdout (all or nothing: replaced when done)")
      ->type_name("FILE");
  if (kind == format::Format::csv) {
    cmd->add_flag_callback(
        "--no-formula-guard", [opts] { opts->output.csv_formula_guard = false; },
        "keep cells starting with = + - @ as they are (no ' before them)");
  }
  cmd->callback([&ctx, opts] {
    format::ExportStream out(ctx.out(), opts->file, opts->output);
    ops::export_records(ctx.session(), opts->records, out);
    // Computed amounts (--fields revenue...) leave out sales without a rate: say so.
    for (const auto& w : ctx.session().index().missing_rates())
      ctx.err() << "warning: " << w << " (left out of computed amounts)\n";
    ctx.warn_broken();
  });
}

void set_vcard(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("vcard", "write contacts as vCards: one .vcf for address books and phones");
  struct Options {
    std::string version = "4.0";
    std::optional<std::string> where;
    std::string output;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("--version", opts->version, "vCard version: 4.0 (RFC 6350, default) or 3.0 (RFC 2426)")
      ->type_name("3.0|4.0")
      ->check(CLI::IsMember({"3.0", "4.0"}));
  cmd->add_option("--where", opts->where, "only the contacts matching the filter (crm help filter)")->type_name("EXPR");
  cmd->add_option("-o,--output", opts->output, "write FILE instead of stdout (all or nothing: replaced when done)")
      ->type_name("FILE");
  cmd->callback([&ctx, opts] {
    auto& session = ctx.session();
    // The filter is checked before -o creates anything.
    const index::SqlExpr where = opts->where ? session.where(model::contact_type(), *opts->where) : index::SqlExpr{};
    vcard::WriteOptions write_options;
    write_options.version = opts->version;
    format::write_output(opts->output, ctx.out(), [&](std::ostream& out) {
      ops::contact_cards(session, where, opts->version,
                         [&](const vcard::Card& card) { out << vcard::write_card(card, write_options); });
    });
    ctx.warn_broken();
  });
}

} // namespace

void set_export_command(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("export", "write records for other programs: csv, json, jsonl, yaml, vcard");
  require_one_subcommand(*group, "crm export");
  add_format_subcommand(*group, ctx, "csv", format::Format::csv,
                        "export records as CSV (RFC 4180) with a header row of field names");
  add_format_subcommand(*group, ctx, "json", format::Format::json, "export records as one JSON array");
  add_format_subcommand(*group, ctx, "jsonl", format::Format::jsonl, "export records as JSON, one object per line");
  add_format_subcommand(*group, ctx, "yaml", format::Format::yaml,
                        "export records as YAML documents, each as its file holds it");
  set_vcard(*group, ctx);
}

} // namespace crm::cli
