#pragma once
// The add/show/list/set/edit/rm subcommands shared by every record type; the
// group files (contact.cpp, company.cpp) choose which ones their type has.

#include <functional>

#include <CLI/CLI.hpp>

#include "index/index.hpp"

#include "context.hpp"
#include "model/record_type.hpp"
#include "ops/records/records.hpp"

namespace crm::cli {

// The group command for a record type ("contact", "company") with all of the
// subcommands below.
CLI::App* add_record_group(CLI::App& app, Context& ctx, const model::RecordType& type, const std::string& description);

// `add NAME` with one flag per settable field (a list field takes its singular
// name and repeats: --email, --phone, --tag), plus --set KEY=VALUE.
void add_add_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type);
// `show REF`; `extend` (when given) adds to the shown record (a sale's balance).
void add_show_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type,
                         std::function<void(ops::Session&, ops::ShownRecord&)> extend = {});
// `list`, sorted by the type's default sort; `adjust` (when given) narrows the
// query from options the caller adds to the returned subcommand.
CLI::App* add_list_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type,
                              std::function<void(index::ListQuery&)> adjust = {});
// Prints the records `q` selects in the chosen format (--fields F,... picks the
// columns); returns how many there were.
std::size_t print_records(Context& ctx, const model::RecordType& type, const index::ListQuery& q,
                          const std::string& fields);
void add_set_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type);
void add_edit_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type);
void add_rm_subcommand(CLI::App& group, Context& ctx, const model::RecordType& type);

} // namespace crm::cli
