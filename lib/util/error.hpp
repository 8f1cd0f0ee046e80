#pragma once
// The few error types the library throws. main() catches crm::Error once and maps
// its kind to an exit code (see docs/exit-codes in README.md and DESIGN section 5).

#include <stdexcept>
#include <string>
#include <vector>

namespace crm {

enum class ErrorKind {
  usage,        // bad command line or no workspace        -> exit 2
  not_found,    // a REF or file that does not exist         -> exit 1
  ambiguous,    // a REF that matches several records        -> exit 4
  invalid_data, // bad file, bad input value, bad filter     -> exit 3
  conflict,     // lock held too long, already exists        -> exit 4
  io,           // I/O or internal error                     -> exit 5
};

class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, std::string message, std::vector<std::string> hints = {})
      : std::runtime_error(std::move(message)), kind_(kind), hints_(std::move(hints)) {}

  ErrorKind kind() const { return kind_; }
  const std::vector<std::string>& hints() const { return hints_; }
  Error& hint(std::string h) { hints_.push_back(std::move(h)); return *this; }

private:
  ErrorKind kind_;
  std::vector<std::string> hints_;
};

// Exit code for an error kind (DESIGN section 5).
int exit_code_for(ErrorKind kind);

} // namespace crm
