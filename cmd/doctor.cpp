#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/workspace/doctor.hpp"

namespace crm::cli {

void set_doctor_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("doctor", "check every record file; exit 1 when something is wrong");
  auto fix = std::make_shared<bool>(false);
  cmd->add_flag("--fix", *fix,
                "first put right what a killed command left (take its half-done change back, remove temp files)");
  cmd->callback([&ctx, fix] {
    bool quiet = ctx.quiet;
    ctx.quiet = true; // doctor lists broken files itself, with the rest
    ctx.keep_temp_files = true;
    auto& session = ctx.session();
    ctx.quiet = quiet;
    if (*fix)
      for (const auto& done : ops::repair(session))
        if (!ctx.quiet) ctx.err() << "fixed: " << done << '\n';
    const auto findings = ops::doctor(session);
    const auto opts = ctx.output(format::Format::table);
    if (opts.format == format::Format::ids) {
      // The files with problems, each once, for a script to open or move.
      for (const auto& file : ops::files_of(findings)) ctx.out() << file << '\n';
    } else if (ctx.format_given() && opts.format != format::Format::table && opts.format != format::Format::tsv) {
      std::vector<format::Record> rows;
      for (const auto& f : findings) rows.push_back({{"where", f.where}, {"problem", f.message}});
      format::write_records(ctx.out(), rows, {"where", "problem"}, opts);
    } else if (!ctx.quiet) {
      for (const auto& f : findings) ctx.out() << fmt::format("{}: {}\n", f.where, f.message);
      if (findings.empty()) ctx.out() << "no problems found\n";
      else ctx.out() << fmt::format("{} problem{} found\n", findings.size(), findings.size() == 1 ? "" : "s");
    }
    if (!findings.empty()) ctx.exit_code = 1;
  });
}

} // namespace crm::cli
