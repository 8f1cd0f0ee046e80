#include "context.hpp"

#include "commands.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/process.hpp"
#include "util/time.hpp"

namespace crm::cli {

std::optional<store::Workspace> read_workspace_settings(int argc, char** argv) {
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "-C" && i + 1 < argc) dir = argv[++i];
    else if (arg.starts_with("-C") && arg.size() > 2) dir = std::string(arg.substr(2));
  }
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return ops::read_workspace_settings(
      dir.empty() ? std::filesystem::current_path(ec) : std::filesystem::absolute(dir, ec), !dir.empty());
}

namespace {

// Where crm starts looking for the workspace: -C DIR, else the current directory.
std::filesystem::path start_dir(const std::string& chdir) {
  if (chdir.empty()) return std::filesystem::current_path();
  if (std::error_code ec; !std::filesystem::is_directory(chdir, ec))
    throw Error(ErrorKind::usage, fmt::format("cannot change to '{}': no such directory", chdir));
  return std::filesystem::absolute(chdir);
}

} // namespace

std::filesystem::path Context::workspace_root() const {
  return store::Workspace::find_root(start_dir(chdir), !chdir.empty());
}

ops::Session& Context::session(bool refresh) {
  if (!session_) {
    session_ = std::make_unique<ops::Session>(start_dir(chdir), !chdir.empty(), refresh);
    if (refresh && !keep_temp_files) session_->remove_stale_temps();
    if (refresh) warn_broken();
  }
  return *session_;
}

void Context::commit(const std::string& command_path) {
  if (!session_) return;
  std::string_view command = command_path;
  if (command.starts_with("crm ")) command.remove_prefix(4);
  const auto notices = session_->commit(command);
  // Warnings no command printed yet (an interrupted command taken back).
  for (const auto& w : session_->take_warnings())
    if (!quiet) err() << "warning: " << w << '\n';
  print_notices(notices);
}

void Context::print_notices(const std::vector<ops::Notice>& notices) const {
  for (const auto& n : notices) {
    if (n.kind == ops::Notice::Kind::output) { // a hook's own words, as it printed them
      err() << n.text << (n.text.ends_with('\n') ? "" : "\n");
      continue;
    }
    if (quiet) continue;
    err() << "warning: " << n.text << '\n';
    for (const auto& h : n.hints) err() << "hint: " << h << '\n';
  }
}

std::vector<std::string> Context::revert() {
  if (!session_) return {};
  for (const auto& w : session_->take_warnings())
    if (!quiet) err() << "warning: " << w << '\n';
  std::vector<std::string> hints;
  for (auto& p : session_->revert_changes()) hints.push_back("not taken back: " + p);
  return hints;
}

void Context::warn_broken() {
  if (!session_) return;
  auto warnings = session_->take_warnings();
  if (quiet) return;
  for (const auto& b : session_->index().broken_files()) err() << "warning: skipping " << b.message << '\n';
  for (const auto& w : warnings) err() << "warning: " << w << '\n';
}

bool Context::color_on_stdout() const {
  const char* no_color_env = std::getenv("NO_COLOR");
  return !no_color && !(no_color_env && *no_color_env) && fs::is_terminal(STDOUT_FILENO);
}

format::OutputOptions Context::output(format::Format default_on_terminal) const {
  format::OutputOptions o;
  const bool tty = fs::is_terminal(STDOUT_FILENO);
  o.format = format ? format::parse_format(*format) : (tty ? default_on_terminal : format::Format::tsv);
  o.color = o.format == format::Format::table && color_on_stdout();
  if (tty) {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) o.width = ws.ws_col;
  }
  return o;
}

std::ostream& Context::out() const { return std::cout; }
std::ostream& Context::err() const { return std::cerr; }

int upcoming_days(const std::string& text) {
  const auto p = time::parse_period(text);
  if (!p || (p->unit != 'd' && p->unit != 'w'))
    throw Error(ErrorKind::usage, fmt::format("bad --upcoming '{}'", text), {"use days or weeks: 7d, 2w"});
  return p->unit == 'w' ? p->count * 7 : p->count;
}

CLI::Validator count_validator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        const bool digits = !value.empty() && value.size() < 19 &&
                            std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        return digits ? "" : fmt::format("bad value '{}' (expected a whole number, 0 or more)", value);
      },
      ""); // no description: CLI11 would append it to the type name ("N:N")
}

void require_one_subcommand(CLI::App& group, const std::string& path) {
  // require_subcommand(1) would be checked before an unknown word is seen, so
  // "crm contact nosuch" would only say that a subcommand is required.
  group.require_subcommand(0, 1);
  group.callback([&group, path] {
    if (group.get_subcommands().empty())
      throw Error(ErrorKind::usage, fmt::format("'{}' needs a subcommand", path), {fmt::format("see '{} -h'", path)});
  });
}

int run_editor(const std::string& path) {
  const char* editor = std::getenv("VISUAL");
  if (!editor || !*editor) editor = std::getenv("EDITOR");
  return process::run_shell(editor && *editor ? editor : "vi", path);
}

std::string Context::message(const std::optional<std::string>& given, const std::string& what) {
  std::string text;
  if (given) {
    if (given->find_first_not_of(" \t\r\n") == std::string::npos)
      throw Error(ErrorKind::usage, "empty message; nothing was written", {fmt::format("-m TEXT gives {}", what)});
    return *given;
  }
  if (fs::is_terminal(STDIN_FILENO)) {
    const auto draft = session(false).workspace().crm_dir() / fmt::format("MESSAGE-{}", ::getpid());
    fs::write_file_atomic(draft, fmt::format("\n# Write {} above. Lines starting with '#' are left out;\n"
                                             "# an empty message stops here, nothing is written.\n",
                                             what));
    struct DraftGuard {
      std::filesystem::path p;
      ~DraftGuard() { std::error_code ec; std::filesystem::remove(p, ec); }
    } guard{draft};
    if (const int rc = run_editor(draft.string()); rc != 0)
      throw Error(ErrorKind::io, fmt::format("the editor exited with status {}; nothing was written", rc));
    std::istringstream in(fs::read_file(draft));
    for (std::string line; std::getline(in, line);)
      if (!line.starts_with("#")) text += line + "\n";
  } else {
    std::ostringstream all;
    all << std::cin.rdbuf();
    text = all.str();
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    throw Error(ErrorKind::usage, "empty message; nothing was written", {fmt::format("-m TEXT gives {}", what)});
  return text.substr(first);
}

bool ask_yes_no(const std::string& question, bool default_yes) {
  std::cerr << question << (default_yes ? " [Y/n] " : " [y/N] ") << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  if (answer.empty()) return default_yes;
  return answer[0] == 'y' || answer[0] == 'Y';
}

} // namespace crm::cli
