// The candidates for the word being completed. Which option or positional takes
// which kind of value is one small table (kRules) over the names the command
// table gives them, plus two rules for the rest: a type name listing its
// choices ("in|out") offers them, and FILE or DIR leaves the word to the shell.

#include "ops/completion/complete.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "format/output.hpp"
#include "index/completion.hpp"
#include "index/filter_sql.hpp"
#include "model/record_type.hpp"
#include "store/workspace.hpp"

namespace crm::ops::completion {
namespace {

using model::FieldKind;
using model::RecordType;

enum class Values {
  none,
  files,
  dirs,
  choices,         // the type name's: "in|out"
  formats,         // --format
  commands,        // crm help COMMAND...
  records,         // ids and names of `type` (of the group, when none is named)
  refs,            // REF: the group's records for show/set/edit/rm, else contacts
  tags,            // tags of the group's records (contacts when the group has none)
  contact_stages,  // config.yaml stages:
  deal_stages,     // config.yaml deals.stages (and won, lost for a list)
  record_types,    // export --type: every type's plural
  import_types,    // import --type
  activity_kinds,  // activity list --kind
  feedback_kinds,  // feedback --kind
  timeline_kinds,  // timeline --kind: a type or a kind
  fields,          // field names of `type` (contact merge --take)
  sort_fields,     // --sort: fields and computed fields, and -FIELD
  presets,         // import csv --preset
  paid_by,         // how a sale was paid
  methods,         // how a payment was made
  assignments,     // KEY=VALUE (set CHANGE..., add --set)
  batches,         // import batches (.crm/imports)
};

// One line of the table: in `group` (the word after crm; empty: any), the
// option `name` (long name without "--", or the letter of a short-only one)
// or the positional `name` ("REF") takes `what`.
struct Rule {
  std::string_view group;
  bool positional;
  std::string_view name;
  Values what;
  std::string_view type = {}; // for records: the record type's name
};

constexpr bool kOption = false, kPositional = true;

// First match wins: a group's own line comes before the line for any group.
constexpr Rule kRules[] = {
    {"", kOption, "format", Values::formats},
    {"", kOption, "tag", Values::tags},
    {"deal", kOption, "stage", Values::deal_stages},
    {"", kOption, "stage", Values::contact_stages},
    {"", kOption, "company", Values::records, "company"},
    {"", kOption, "contact", Values::records, "contact"},
    {"", kOption, "campaign", Values::records, "campaign"},
    {"", kOption, "product", Values::records, "product"},
    {"", kOption, "segment", Values::records, "segment"},
    {"", kOption, "sale", Values::records, "sale"},
    {"", kOption, "feedback", Values::records, "feedback"},
    {"import", kOption, "type", Values::import_types},
    {"", kOption, "type", Values::record_types},
    {"activity", kOption, "kind", Values::activity_kinds},
    {"feedback", kOption, "kind", Values::feedback_kinds},
    {"timeline", kOption, "kind", Values::timeline_kinds},
    {"", kOption, "sort", Values::sort_fields},
    {"contact", kOption, "take", Values::fields, "contact"},
    {"", kOption, "preset", Values::presets},
    {"", kOption, "paid-by", Values::paid_by},
    {"", kOption, "method", Values::methods},
    {"", kOption, "set", Values::assignments},
    {"help", kPositional, "COMMAND", Values::commands},
    {"", kPositional, "REF", Values::refs},
    {"", kPositional, "KEEP", Values::records, "contact"},
    {"", kPositional, "OTHER", Values::records, "contact"},
    {"", kPositional, "ID", Values::records},
    {"", kPositional, "SALE", Values::records, "sale"},
    {"", kPositional, "CAMPAIGN", Values::records, "campaign"},
    {"segment", kPositional, "NAME", Values::records, "segment"},
    {"deal", kPositional, "STAGE", Values::deal_stages},
    {"import", kPositional, "BATCH", Values::batches},
    {"", kPositional, "CHANGE", Values::assignments},
};

// The workspace and its index, found and opened on first use; absent when
// there is none (or it cannot be read): no live values then.
class Live {
public:
  Live(const CompleteOptions& options, std::string dir) : options_(options), dir_(std::move(dir)) {}

  const store::Workspace* workspace() {
    if (!tried_workspace_) {
      tried_workspace_ = true;
      try {
        const bool explicit_dir = !dir_.empty();
        // The shell leaves a typed "~/" as it is in the words it hands over.
        std::filesystem::path dir = dir_;
        if (const char* home = std::getenv("HOME"); home && (dir_ == "~" || dir_.starts_with("~/")))
          dir = std::filesystem::path(home) / dir_.substr(std::min<std::size_t>(2, dir_.size()));
        const auto start = explicit_dir ? options_.cwd / dir : options_.cwd;
        workspace_ = std::make_unique<store::Workspace>(store::Workspace::discover(start, explicit_dir));
      } catch (const std::exception&) {
      }
    }
    return workspace_.get();
  }

  const index::CompletionReader* reader() {
    if (!tried_reader_) {
      tried_reader_ = true;
      if (const auto* ws = workspace()) reader_ = index::CompletionReader::open(ws->index_path());
    }
    return reader_.get();
  }

  std::size_t limit() const { return options_.limit; }

private:
  const CompleteOptions& options_;
  std::string dir_;
  bool tried_workspace_ = false, tried_reader_ = false;
  std::unique_ptr<store::Workspace> workspace_;
  std::unique_ptr<index::CompletionReader> reader_;
};

// A description on one line.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  return out;
}

class Collector {
public:
  Collector(Completions& out, std::string head) : out_(out), head_(std::move(head)) {}

  // Adds `head + value` when value starts with `prefix` (or always, when
  // the caller already chose by a folded prefix: `filtered`).
  void add(std::string_view value, std::string_view description, std::string_view prefix, bool filtered = false) {
    if (!filtered && !value.starts_with(prefix)) return;
    std::string v = head_ + std::string(value);
    if (!seen_.insert(v).second) return;
    out_.candidates.push_back({std::move(v), one_line(description)});
  }

  template <class Range>
  void add_all(const Range& values, std::string_view prefix, std::string_view description = {}) {
    for (const auto& v : values) add(v, description, prefix);
  }

private:
  Completions& out_;
  std::string head_;
  std::set<std::string> seen_;
};

const RecordType& contact() { return model::contact_type(); }

// The record type a group command is about ("contact", "deal"); nullptr for
// the others ("log", "report").
const RecordType* group_type(const Analysis& a) {
  return a.path.size() > 1 ? model::find_type(a.path[1]->name) : nullptr;
}

// Records of `type` starting with `prefix`: for types named by a name or
// title, titles (described by their ids), then ids (described by their title).
// Names first: people type names. complete() keeps at most the limit of them.
void add_records(Collector& out, Live& live, const RecordType& type, const std::string& prefix) {
  const auto* reader = live.reader();
  if (!reader) return;
  if (type.title_key == "name" || type.title_key == "title") {
    // One candidate per name: two contacts of one name are one REF (ambiguous,
    // which the command then says), described by their ids.
    std::vector<std::pair<std::string, std::vector<std::string>>> names;
    for (auto& r : reader->names_with_prefix(type, prefix, live.limit())) {
      if (r.name.empty()) continue;
      if (names.empty() || names.back().first != r.name) names.emplace_back(std::move(r.name), std::vector<std::string>{});
      names.back().second.push_back(std::move(r.id));
    }
    for (const auto& [name, ids] : names) {
      std::string described;
      for (std::size_t i = 0; i < ids.size() && i < 3; ++i) described += (i ? ", " : "") + ids[i];
      if (ids.size() > 3) described += fmt::format(" and {} more", ids.size() - 3);
      out.add(name, described, prefix, true);
    }
  }
  for (const auto& r : reader->ids_with_prefix(type, prefix, live.limit()))
    out.add(r.id, r.name == r.id ? "" : r.name, prefix);
}

void add_tags(Collector& out, Live& live, const RecordType& type, const std::string& prefix) {
  if (const auto* reader = live.reader())
    for (const auto& t : reader->tags_with_prefix(type, prefix, live.limit())) out.add(t, "", prefix, true);
}

std::vector<std::string> contact_stages(Live& live) {
  if (const auto* ws = live.workspace()) return ws->config().contact_stages;
  return {model::contact_stages().begin(), model::contact_stages().end()};
}

void add_deal_stages(Collector& out, Live& live, const std::string& prefix, bool closed_too) {
  const store::Config defaults;
  const auto* ws = live.workspace();
  for (const auto& s : (ws ? ws->config() : defaults).deal_stages)
    out.add(s.name, std::to_string(s.probability) + "%", prefix);
  if (!closed_too) return;
  out.add("won", "closed: won", prefix);
  out.add("lost", "closed: lost", prefix);
}

void add_choices(Collector& out, const std::vector<std::string_view>& choices, const std::string& prefix) {
  for (auto c : choices) out.add(c, "", prefix);
}

// The fields a KEY=VALUE may set, or (after '=') the values of that field.
void add_assignments(Collector& out, Live& live, const RecordType& type, const std::string& prefix) {
  const auto eq = prefix.find('=');
  if (eq == std::string::npos) {
    // Maps (custom, social) are set a key at a time: custom.KEY=VALUE.
    for (const auto& f : type.fields)
      if (f.settable && f.kind != FieldKind::id && f.kind != FieldKind::map)
        out.add(std::string(f.key) + "=", f.help, prefix);
    return;
  }
  std::string key = prefix.substr(0, eq);
  if (!key.empty() && (key.back() == '+' || key.back() == '-')) key.pop_back();
  const auto* f = type.field(key);
  if (!f) return;
  const std::string head = prefix.substr(0, eq + 1), value = prefix.substr(eq + 1);
  // Values come out whole ("stage=customer"): the shell replaces the word.
  struct Prefixed {
    Collector& out;
    std::string head;
    void add(const std::string& v, std::string_view description, std::string_view typed, bool filtered = false) {
      out.add(head + v, description, head + std::string(typed), filtered);
    }
  } with_key{out, head};
  if (f->kind == FieldKind::choice) {
    for (auto c : f->choices) with_key.add(std::string(c), "", value);
  } else if (f->key == "tags") {
    if (const auto* reader = live.reader())
      for (const auto& t : reader->tags_with_prefix(type, value, live.limit())) with_key.add(t, "", value, true);
  } else if (f->kind == FieldKind::ref && !f->ref_type.empty()) {
    const auto* target = model::find_type(f->ref_type);
    const auto* reader = live.reader();
    if (!target || !reader) return;
    for (const auto& r : reader->names_with_prefix(*target, value, live.limit()))
      if (!r.name.empty()) with_key.add(r.name, r.id, value, true);
  }
}

void add_commands(Collector& out, const CommandSpec& root, const Analysis& a, const std::string& prefix) {
  // crm help filter [TYPE]
  if (!a.positionals.empty() && a.positionals[0] == "filter") {
    if (a.positionals.size() == 1)
      for (const auto* t : model::all_types()) out.add(t->plural, "", prefix);
    return;
  }
  const CommandSpec* at = &root;
  for (const auto& w : a.positionals)
    if (at = at->command(w); !at || at->hidden) return;
  for (const auto& c : at->commands)
    if (!c.hidden) out.add(c.name, c.description, prefix);
  if (a.positionals.empty()) out.add("filter", "the filter language of --where, segments and lead scoring", prefix);
}

void add_batches(Collector& out, Live& live, const std::string& prefix) {
  const auto* ws = live.workspace();
  if (!ws) return;
  std::vector<std::string> batches;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(ws->crm_dir() / "imports", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".jsonl") batches.push_back(it->path().stem().string());
  std::sort(batches.begin(), batches.end());
  out.add_all(batches, prefix);
}

// What the option or positional named `name` takes, in the command `a` reached.
Values values_for(const Analysis& a, bool positional, std::string_view name, std::string_view type_name,
                  const RecordType** type) {
  const std::string_view group = a.path.size() > 1 ? std::string_view(a.path[1]->name) : std::string_view();
  for (const auto& r : kRules) {
    if (r.positional != positional || r.name != name || (!r.group.empty() && r.group != group)) continue;
    if (!r.type.empty()) *type = model::find_type(r.type);
    return r.what;
  }
  if (type_name.find('|') != std::string_view::npos) return Values::choices;
  if (type_name == "FILE" || name == "FILE") return Values::files;
  if (type_name == "DIR" || name == "DIR") return Values::dirs;
  return Values::none;
}

// The choices a type name lists: "in|out", "[a|b]".
std::vector<std::string> split_choices(std::string_view type_name) {
  std::vector<std::string> out;
  std::string item;
  for (char c : type_name) {
    if (c == '[' || c == ']') continue;
    if (c == '|') {
      out.push_back(std::move(item));
      item.clear();
    } else {
      item += c;
    }
  }
  out.push_back(std::move(item));
  return out;
}

void add_values(Completions& result, Collector& out, Live& live, const CommandSpec& root, const Analysis& a,
                bool positional, std::string_view name, std::string_view type_name) {
  const RecordType* type = nullptr;
  const Values what = values_for(a, positional, name, type_name, &type);
  const RecordType* own = group_type(a);
  const std::string& prefix = a.prefix;
  const std::string_view sub = a.command().name;
  switch (what) {
  case Values::none:
    return;
  case Values::files:
    result.fallback = Fallback::files;
    return;
  case Values::dirs:
    result.fallback = Fallback::dirs;
    return;
  case Values::choices:
    out.add_all(split_choices(type_name), prefix);
    return;
  case Values::formats:
    add_choices(out, format::format_names(), prefix);
    return;
  case Values::commands:
    add_commands(out, root, a, prefix);
    return;
  case Values::refs: {
    const bool own_records = own && (sub == "show" || sub == "set" || sub == "edit" || sub == "rm");
    add_records(out, live, own_records ? *own : contact(), prefix);
    return;
  }
  case Values::records:
    // A name being created (segment create NAME) has nothing to complete.
    if (sub == "create" || sub == "add") {
      if (positional) return;
    }
    if (!type) type = own;
    if (type) add_records(out, live, *type, prefix);
    return;
  case Values::tags:
    add_tags(out, live, own && own->field("tags") ? *own : contact(), prefix);
    return;
  case Values::contact_stages:
    out.add_all(contact_stages(live), prefix);
    return;
  case Values::deal_stages:
    add_deal_stages(out, live, prefix, sub == "list");
    return;
  case Values::record_types:
    for (const auto* t : model::all_types()) out.add(t->plural, "", prefix);
    return;
  case Values::import_types:
    add_choices(out, {"contacts", "companies", "sales", "activities"}, prefix);
    return;
  case Values::activity_kinds:
    add_choices(out, model::activity_kinds(), prefix);
    return;
  case Values::feedback_kinds:
    add_choices(out, model::feedback_kinds(), prefix);
    return;
  case Values::timeline_kinds:
    for (const auto* t : model::all_types())
      if (t->field("contact")) out.add(t->name, "", prefix);
    add_choices(out, model::activity_kinds(), prefix);
    add_choices(out, model::feedback_kinds(), prefix);
    return;
  case Values::fields:
    if (type)
      for (const auto& f : type->fields)
        if (f.settable) out.add(f.key, f.help, prefix);
    return;
  case Values::sort_fields: {
    if (!own) return;
    const bool descending = prefix.starts_with("-");
    for (const auto& f : index::filter_fields(*own)) out.add((descending ? "-" : "") + f, "", prefix);
    return;
  }
  case Values::presets:
    add_choices(out, {"google", "outlook", "thunderbird", "yahoo", "wab"}, prefix);
    return;
  case Values::paid_by:
    if (const auto* f = model::sale_type().field("paid_by")) add_choices(out, f->choices, prefix);
    return;
  case Values::methods:
    add_choices(out, model::payment_methods(), prefix);
    return;
  case Values::assignments:
    add_assignments(out, live, own ? *own : contact(), prefix);
    return;
  case Values::batches:
    add_batches(out, live, prefix);
    return;
  }
}

// The name a rule knows an option by: its long name without "--", else the
// letter of its short name.
std::string rule_name(const OptionSpec& o) {
  for (const auto& n : o.names)
    if (n.starts_with("--")) return n.substr(2);
  return o.names.empty() ? std::string() : o.names.front().substr(1);
}

// Words that run something besides the command table's commands.
// TODO(aliases): when config.yaml's `alias:` map is read (store::Config), offer
// each alias here with what it expands to as the description, and complete
// the words after an alias as those of its expansion.
void add_extra_commands(Collector&, Live&, const std::string&) {}

} // namespace

Completions complete(const CommandSpec& root, const std::vector<std::string>& words, const CompleteOptions& options) {
  Completions result;
  const Analysis a = analyze(root, words);
  Live live(options, a.value_of("-C"));
  Collector out(result, a.inline_prefix);
  switch (a.slot) {
  case Slot::option_value:
    add_values(result, out, live, root, a, false, rule_name(*a.option), a.option->type_name);
    break;
  case Slot::option_name: {
    // The command's own options, then those of the commands above it (the
    // global ones: -C, --format...).
    for (auto it = a.path.rbegin(); it != a.path.rend(); ++it)
      for (const auto& o : (*it)->options)
        for (const auto& n : o.names) out.add(n, o.description, a.prefix);
    break;
  }
  case Slot::word:
    if (!a.after_dashes) {
      for (const auto& c : a.command().commands)
        if (!c.hidden) out.add(c.name, c.description, a.prefix);
      if (a.path.size() == 1) add_extra_commands(out, live, a.prefix);
    }
    if (a.positional) add_values(result, out, live, root, a, true, a.positional->name, a.positional->type_name);
    break;
  }
  // Values that start with the word as typed win: a shell replaces the word by
  // what its candidates have in common, and "Ana Popescu" next to
  // "ana-popescu-x7k2" have nothing in common, which would erase "an". Only
  // when none does are the folded matches offered ("stef" -> "Ștefan").
  const std::string typed = a.inline_prefix + a.prefix;
  const auto as_typed = [&](const Candidate& c) { return c.value.starts_with(typed); };
  if (std::any_of(result.candidates.begin(), result.candidates.end(), as_typed))
    std::erase_if(result.candidates, [&](const Candidate& c) { return !as_typed(c); });
  if (result.candidates.size() > options.limit) result.candidates.resize(options.limit);
  return result;
}

} // namespace crm::ops::completion
