// `crm import csv|vcard|list|undo`: records from other programs' exports, as
// upserts in undoable batches.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "ops/exchange/import.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::cli {
namespace {

struct ImportArgs {
  std::string file, type = "contacts", preset, encoding, rejects, on_error;
  std::optional<std::string> delimiter; // nullopt: sniffed
  std::vector<std::string> maps;
  bool dry_run = false;
};

void add_common_options(CLI::App* cmd, ImportArgs& a) {
  cmd->add_option("FILE", a.file, "the file to read, or - for stdin")->required();
  cmd->add_flag("-n,--dry-run", a.dry_run, "print what would be created, updated and rejected; write nothing");
  cmd->add_option("--rejects", a.rejects, "write rejected rows (as read, with the reason) to FILE")->type_name("FILE");
  cmd->add_option("--on-error", a.on_error,
                  "abort: a bad row stops the import and nothing is written (the default); "
                  "skip: bad rows are reported and the others imported (the default with --rejects)")
      ->type_name("abort|skip")
      ->check(CLI::IsMember({"abort", "skip"}));
}

std::optional<char> delimiter_arg(const std::optional<std::string>& given) {
  if (!given) return std::nullopt;
  const std::string& text = *given;
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  throw Error(ErrorKind::usage, fmt::format("bad --delimiter '{}'", text), {"one character, or 'tab'"});
}

// A progress bar on stderr, for a terminal only, and only for an input worth
// one (a file of a megabyte or more, or stdin).
class Progress {
public:
  Progress(const Context& ctx, const std::string& file) : ctx_(ctx) {
    if (ctx.quiet || !fs::is_terminal(STDERR_FILENO)) return;
    struct stat st;
    if (file == "-") {
      on_ = true;
    } else if (::stat(file.c_str(), &st) == 0 && st.st_size >= (1 << 20)) {
      on_ = true;
      total_ = static_cast<std::uint64_t>(st.st_size);
    }
  }
  ~Progress() { clear(); }
  // Takes the bar off the line (before the summary, or an error, is printed).
  void clear() {
    if (drawn_) ctx_.err() << "\r\033[K" << std::flush;
    drawn_ = false;
  }
  void operator()(std::uint64_t bytes) {
    if (!on_) return;
    drawn_ = true;
    if (total_ == 0) {
      ctx_.err() << fmt::format("\rimporting: {} MB read", bytes >> 20) << std::flush;
      return;
    }
    const int width = 30;
    const auto done = static_cast<int>(std::min<std::uint64_t>(bytes, total_) * width / total_);
    ctx_.err() << fmt::format("\rimporting [{}{}] {:3}%", std::string(static_cast<std::size_t>(done), '#'),
                              std::string(static_cast<std::size_t>(width - done), ' '),
                              std::min<std::uint64_t>(bytes, total_) * 100 / total_)
               << std::flush;
  }
  bool on() const { return on_; }

private:
  const Context& ctx_;
  bool on_ = false, drawn_ = false;
  std::uint64_t total_ = 0;
};

std::string action_word(ops::ImportEvent::Action a) {
  switch (a) {
  case ops::ImportEvent::Action::create: return "create";
  case ops::ImportEvent::Action::update: return "update";
  case ops::ImportEvent::Action::unchanged: return "unchanged";
  case ops::ImportEvent::Action::reject: return "reject";
  }
  return "";
}

// Runs one import and prints it: each row in a dry run (or with -v), rejects on
// stderr, then one summary line. Exit 3 when a row was rejected.
void run_import(Context& ctx, const ImportArgs& a, bool vcard) {
  ops::ImportOptions o;
  o.type = a.type;
  o.preset = a.preset;
  o.delimiter = delimiter_arg(a.delimiter);
  o.encoding = a.encoding;
  o.dry_run = a.dry_run;
  o.source = a.file;
  o.on_error = a.on_error == "skip" || (a.on_error.empty() && !a.rejects.empty()) ? ops::OnError::skip
                                                                                   : ops::OnError::abort;
  for (const auto& m : a.maps) {
    const auto eq = m.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(ErrorKind::usage, fmt::format("bad --map '{}'", m), {"--map COLUMN=FIELD, e.g. --map 'Cell=phone'"});
    o.maps.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    file.open(a.file, std::ios::binary);
    if (!file)
      throw Error(ErrorKind::usage, fmt::format("cannot open '{}': {}", a.file, std::strerror(errno)));
    in = &file;
  }
  std::string rejects;
  if (!a.rejects.empty()) o.rejects = [&rejects](std::string_view text) { rejects += text; };
  Progress progress(ctx, a.file);
  if (progress.on()) o.progress = [&progress](std::uint64_t bytes) { progress(bytes); };
  auto& session = ctx.session();
  const bool each_row = a.dry_run || ctx.verbose;
  auto listener = [&](const ops::ImportEvent& e) {
    if (e.action == ops::ImportEvent::Action::reject) {
      progress.clear();
      ctx.err() << fmt::format("crm: {}: {}\n", e.location.empty() ? a.file : e.location, e.reason);
      return;
    }
    if (!each_row || (e.action == ops::ImportEvent::Action::unchanged && !ctx.verbose)) return;
    std::string line = fmt::format("{} {} {}", action_word(e.action), e.type, e.name);
    if (!e.id.empty()) line += fmt::format(" ({})", e.id);
    if (!e.fields.empty()) line += fmt::format(": {}", fmt::join(e.fields, ", "));
    ctx.out() << line << '\n';
  };
  const auto s = vcard ? ops::import_vcard(session, *in, o, listener) : ops::import_csv(session, *in, o, listener);
  progress.clear();
  if (!a.rejects.empty()) fs::write_file_atomic(a.rejects, rejects);
  for (const auto& w : s.warnings) ctx.err() << "warning: " << w << '\n';
  std::string counts = fmt::format("{} created, {} updated, {} unchanged, {} rejected", s.created, s.updated,
                                   s.unchanged, s.rejected);
  if (s.companies) counts += fmt::format(" ({} new {})", s.companies, s.companies == 1 ? "company" : "companies");
  if (ctx.format_given() && (ctx.format == "json" || ctx.format == "jsonl")) {
    nlohmann::ordered_json j = {{"batch", s.batch.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.batch)},
                                {"dry_run", a.dry_run}, {"rows", s.rows}, {"created", s.created},
                                {"updated", s.updated}, {"unchanged", s.unchanged}, {"rejected", s.rejected},
                                {"companies", s.companies}};
    ctx.out() << j.dump() << '\n';
  } else if (a.dry_run) {
    ctx.out() << "dry run: " << counts << '\n';
  } else if (!ctx.quiet) {
    ctx.out() << (s.batch.empty() ? fmt::format("nothing to import: {}\n", counts)
                                  : fmt::format("import {}: {}\n", s.batch, counts));
  }
  if (s.rejected) ctx.exit_code = exit_code_for(ErrorKind::invalid_data);
}

void set_csv(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("csv", "import records from CSV: new rows are created, known ones updated");
  auto a = std::make_shared<ImportArgs>();
  add_common_options(cmd, *a);
  cmd->add_option("--type", a->type, "what the rows are: contacts (default), companies, sales, activities")
      ->type_name("TYPE");
  cmd->add_option("--preset", a->preset, "read the columns as google, outlook, thunderbird, yahoo or wab (Windows Contacts) name them (default: detected)")
      ->type_name("NAME");
  cmd->add_option("--map", a->maps, "read COLUMN as FIELD (a field, custom.NAME, or skip); repeatable")
      ->type_name("COLUMN=FIELD");
  cmd->add_option("--delimiter", a->delimiter, "the cell separator (default: sniffed from , ; tab |)")->type_name("C");
  cmd->add_option("--encoding", a->encoding, "the file's encoding when not UTF-8 (windows-1252, shift_jis...)")
      ->type_name("NAME");
  cmd->callback([&ctx, a] { run_import(ctx, *a, false); });
}

void set_vcard(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("vcard", "import contacts from vCards (2.1, 3.0, 4.0): new ones created, known ones updated");
  auto a = std::make_shared<ImportArgs>();
  add_common_options(cmd, *a);
  cmd->callback([&ctx, a] { run_import(ctx, *a, true); });
}

void set_list(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("list", "list import batches, oldest first");
  cmd->callback([&ctx] {
    const auto batches = ops::list_imports(ctx.session());
    const std::vector<std::string> columns = {"batch", "at", "source", "type", "created", "updated", "status"};
    auto opts = ctx.output();
    opts.id_field = "batch"; // --format ids: the batch ids, for `crm import undo`
    format::RecordStream stream(ctx.out(), columns, opts);
    for (const auto& b : batches) {
      const std::string status = !b.undone.empty() ? "undone" : b.complete ? "done" : "incomplete";
      stream.add({{"batch", b.id}, {"at", b.at}, {"source", b.source}, {"type", b.type},
                  {"created", b.created}, {"updated", b.updated}, {"status", status}});
    }
    stream.finish();
    if (batches.empty()) ctx.exit_code = 1;
  });
}

void set_undo(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("undo", "revert an import batch: remove what it created, restore what it changed");
  struct Options {
    std::string batch;
    bool force = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("BATCH", opts->batch, "the batch id (crm import list)")->required();
  cmd->add_flag("--force", opts->force, "revert records changed since the import too (losing those changes)");
  cmd->callback([&ctx, opts] {
    const auto r = ops::undo_import(ctx.session(), opts->batch, opts->force);
    if (!ctx.quiet)
      ctx.out() << fmt::format("undid import {}: {} removed, {} restored\n", opts->batch, r.removed, r.restored);
  });
}

} // namespace

void set_import_command(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("import", "import contacts and more from CSV and vCard files, in undoable batches");
  require_one_subcommand(*group, "crm import");
  set_csv(*group, ctx);
  set_vcard(*group, ctx);
  set_list(*group, ctx);
  set_undo(*group, ctx);
}

} // namespace crm::cli
