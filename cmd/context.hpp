#pragma once
// State shared by the command files: the global options and, once a command
// needs it, the session on the workspace. Commands print through here.

#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/output.hpp"
#include "model/record_type.hpp"
#include "ops/records/session.hpp"

namespace crm::cli {

struct Context {
  // Global options.
  std::string chdir;                 // -C DIR
  std::optional<std::string> format; // --format
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
  bool keep_temp_files = false; // doctor: report a killed writer's temp files, leave them


  int exit_code = 0; // set by a command for a normal "no" (1)

  // The workspace's aliases (config.yaml alias:), read before the command line
  // is parsed; for help.
  std::map<std::string, std::string> aliases;

  // The root of the workspace found from -C DIR or the current directory,
  // without opening it (its config.yaml is not read): for `crm config`.
  std::filesystem::path workspace_root() const;

  // The workspace session, opened on first use (after -C is applied). Prints a
  // warning for each record file the index could not read.
  ops::Session& session(bool refresh = true);
  // A warning on stderr for each record file the index could not read, then
  // the session's own warnings (ops::Session::warn).
  void warn_broken();

  // The command ended well: what it wrote stays (ops::Session::commit: hooks,
  // git.autocommit). `command_path` is "crm contact add"; what the steps after
  // the write say goes to stderr.
  void commit(const std::string& command_path);
  // What the steps after a command had to say (a hook's output, a failed
  // autocommit or hook): on stderr, warnings left out with -q.
  void print_notices(const std::vector<ops::Notice>& notices) const;
  // The command failed: what it wrote is taken back; returns what could not be,
  // for the error's hints.
  std::vector<std::string> revert();

  // Output settings: the chosen format, or table on a terminal and tsv on a pipe.
  format::OutputOptions output(format::Format default_on_terminal = format::Format::table) const;
  bool format_given() const { return format.has_value(); }
  bool color_on_stdout() const;

  std::ostream& out() const;
  std::ostream& err() const;

  // The text for -m: `given` when set; else, on a terminal, what the user writes
  // in $EDITOR (lines starting with '#' dropped, `what` says what it is for);
  // on a pipe, all of stdin. Throws usage when it comes out empty.
  std::string message(const std::optional<std::string>& given, const std::string& what);


private:
  std::unique_ptr<ops::Session> session_;
};

// Runs $VISUAL, else $EDITOR, else vi on `path`; returns its exit status.
int run_editor(const std::string& path);

// Asks a yes/no question on the terminal (stderr prompt, stdin answer).
bool ask_yes_no(const std::string& question, bool default_yes);

} // namespace crm::cli
