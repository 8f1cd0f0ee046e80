#pragma once
#include <cstddef>
#include <string>

namespace crm {

// Random lowercase token from an alphabet without look-alikes (no 0/o, 1/l),
// used as id suffixes so that two clones never mint the same id.
std::string random_token(std::size_t length);

} // namespace crm
