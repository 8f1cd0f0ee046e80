#include "util/error.hpp"

namespace crm {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::not_found: return 1;
  case ErrorKind::usage: return 2;
  case ErrorKind::invalid_data: return 3;
  case ErrorKind::ambiguous:
  case ErrorKind::conflict: return 4;
  case ErrorKind::io: return 5;
  }
  return 5;
}

} // namespace crm
