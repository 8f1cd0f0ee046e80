// A probe for layers.private_index_probe: an operation that writes SQL and
// includes SQLiteCpp, which check_private_index.py must refuse. Never compiled.
#include <SQLiteCpp/SQLiteCpp.h>

const char* const revenue = "SELECT sum(total) FROM sales WHERE day >= ?";
