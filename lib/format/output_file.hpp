#pragma once
// Where a command's output goes: stdout, or a file (-o FILE) written whole or
// not at all.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace crm::format {

// The output `path` names: `out` itself when it is empty or "-"; otherwise a temp
// file beside `path` (fs::AtomicFile) that replaces it only at commit(), so that
// a failure half way (an exception, a full disk) leaves `path` as it was, or
// absent. Throws Error(io) when `path` is a directory or its folder does not
// exist.
class OutputFile {
public:
  OutputFile(const std::string& path, std::ostream& out);
  ~OutputFile(); // a file not committed is removed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  // Flushes; a file is checked for a failed write (Error(io)) and replaces `path`.
  void commit();

private:
  struct File;
  std::ostream& out_;
  std::unique_ptr<File> file_; // none: `out`
};

// Runs `write` on the output `path` names (OutputFile) and commits it.
void write_output(const std::string& path, std::ostream& out, const std::function<void(std::ostream&)>& write);

} // namespace crm::format
