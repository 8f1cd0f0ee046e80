#include "commands.hpp"
#include "record_commands.hpp"

namespace crm::cli {

void set_product_command(CLI::App& app, Context& ctx) {
  add_record_group(app, ctx, model::product_type(), "the products and services you sell, with price and cost");
}

} // namespace crm::cli
