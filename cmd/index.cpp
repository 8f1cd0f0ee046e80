#include <fmt/format.h>

#include "commands.hpp"
#include "ops/workspace/index.hpp"
#include "util/error.hpp"

namespace crm::cli {

void set_index_command(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("index", "the SQLite index beside the files (derived, rebuildable)");
  require_one_subcommand(*group, "crm index");

  auto* status = group->add_subcommand("status", "bring the index up to date and say what it holds");
  status->callback([&ctx] {
    const auto s = ops::index_status(ctx.session());
    const auto opts = ctx.output(format::Format::table);
    if (opts.format == format::Format::ids)
      throw Error(ErrorKind::usage, "index status has no ids: it describes the index, not records",
                  {"--format json or yaml gives its figures"});
    if (ctx.format_given() && opts.format != format::Format::table && opts.format != format::Format::tsv) {
      format::Record r = {{"path", s.path}, {"bytes", s.bytes}, {"files", s.files}, {"verify", s.verify}};
      for (const auto& c : s.counts) r[c.type] = c.records;
      r["broken"] = format::Record::array();
      for (const auto& b : s.broken) r["broken"].push_back({{"path", b.path}, {"message", b.message}});
      r["refreshed"] = {{"added", s.last_refresh.added}, {"changed", s.last_refresh.changed},
                        {"removed", s.last_refresh.removed}};
      format::write_record(ctx.out(), r, opts);
      return;
    }
    auto& out = ctx.out();
    out << fmt::format("index: {} ({} bytes)\n", s.path, s.bytes);
    out << fmt::format("verify: {}\n", s.verify);
    out << fmt::format("files: {} ({} broken)\n", s.files, s.broken.size());
    for (const auto& c : s.counts) out << fmt::format("{}: {}\n", c.type, c.records);
    out << fmt::format("refreshed: {} added, {} changed, {} removed\n", s.last_refresh.added,
                       s.last_refresh.changed, s.last_refresh.removed);
  });

  auto* rebuild = group->add_subcommand("rebuild", "forget the index and read every record file again");
  rebuild->callback([&ctx] {
    const auto stats = ops::rebuild_index(ctx.session(false));
    const auto broken = ctx.session().index().broken_files().size();
    ctx.warn_broken();
    if (!ctx.quiet) ctx.out() << fmt::format("indexed {} files ({} broken)\n", stats.scanned, broken);
  });
}

} // namespace crm::cli
