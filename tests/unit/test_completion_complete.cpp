// ops completion complete: the candidates for a word from the command tree and
// from the index as it is (ids and folded names by prefix, tags), never
// refreshing or creating the index.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ops/completion/complete.hpp"
#include "ops/records/session.hpp"
#include "test_support.hpp"

using namespace crm::ops::completion;
using Words = std::vector<std::string>;
using Strings = std::vector<std::string>;

namespace {

// crm [-C DIR] [--format FMT] contact {show REF | list [--tag T] | add NAME [--stage a|b]}, init [DIR]
CommandSpec tree() {
  CommandSpec root{.name = "crm"};
  root.options = {{{"-C"}, "run in DIR", "DIR", true}, {{"--format"}, "output format", "FMT", true}};
  CommandSpec contact{.name = "contact", .description = "contacts"};
  CommandSpec show{.name = "show", .description = "show one"};
  show.positionals = {{"REF", "the contact", "", false}};
  CommandSpec list{.name = "list", .description = "list them"};
  list.options = {{{"--tag"}, "only this tag", "", true}, {{"--direction"}, "which way", "in|out", true}};
  CommandSpec add{.name = "add", .description = "add one"};
  add.positionals = {{"NAME", "the name", "", false}};
  contact.commands = {show, list, add};
  CommandSpec init{.name = "init", .description = "make one"};
  init.positionals = {{"DIR", "where", "", false}};
  root.commands = {contact, init, CommandSpec{.name = "__complete", .hidden = true}};
  return root;
}

Strings values(const Completions& c) {
  Strings out;
  for (const auto& x : c.candidates) out.push_back(x.value + (x.description.empty() ? "" : " | " + x.description));
  return out;
}

struct Fixture : crm_test::PinnedWorkspace {
  CompleteOptions options() const {
    CompleteOptions o;
    o.cwd = dir.path();
    return o;
  }
  void contact(const std::string& id, const std::string& name, const std::string& tags = "") const {
    file("contacts/" + id + ".yaml", "id: " + id + "\nname: " + name + "\n" + tags);
  }
  void index() const { crm::ops::Session session(dir.path(), true, true); }
};

} // namespace

TEST_CASE("completion complete: commands, options and fixed choices need no workspace") {
  crm_test::TempDir empty;
  CompleteOptions o;
  o.cwd = empty.path();
  const auto root = tree();
  CHECK(values(complete(root, Words{""}, o)) == Strings{"contact | contacts", "init | make one"});
  CHECK(values(complete(root, Words{"contact", "l"}, o)) == Strings{"list | list them"});
  CHECK(values(complete(root, Words{"contact", "list", "--"}, o)) ==
        Strings{"--tag | only this tag", "--direction | which way", "--format | output format"});
  CHECK(values(complete(root, Words{"--format", "js"}, o)) == Strings{"json", "jsonl"});
  CHECK(values(complete(root, Words{"contact", "list", "--format=y"}, o)) == Strings{"--format=yaml"});
  CHECK(values(complete(root, Words{"contact", "list", "--direction", ""}, o)) == Strings{"in", "out"});
  CHECK(complete(root, Words{"init", ""}, o).fallback == Fallback::dirs);
  CHECK(complete(root, Words{"-C", "x"}, o).fallback == Fallback::dirs);
  // No workspace: no live values, and no error.
  CHECK(complete(root, Words{"contact", "show", ""}, o).candidates.empty());
  // A new name has nothing to complete.
  CHECK(complete(root, Words{"contact", "add", ""}, o).candidates.empty());
}

TEST_CASE("completion complete: without an index there are no live values, and none is made") {
  Fixture f;
  f.contact("ana-popescu-x7k2", "Ana Popescu");
  CHECK(complete(tree(), Words{"contact", "show", "a"}, f.options()).candidates.empty());
  CHECK_FALSE(std::filesystem::exists(f.dir / ".crm/index.sqlite"));
}

TEST_CASE("completion complete: contacts by id prefix and by folded name, tags, from the index as it is") {
  Fixture f;
  f.contact("ana-popescu-x7k2", "Ana Popescu", "tags: [VIP, wholesale]\n");
  f.contact("ana-popescu-b3c4", "Ana Popescu");
  f.contact("stefan-ionescu-p2q3", "Ștefan Ionescu", "tags: [vip, retail]\n");
  f.contact("oana-m-k2k2", "Oana M");
  f.index();
  const auto root = tree();

  // Names (once, with every id they name), then ids, by a prefix folded like
  // names; those that start with the word as typed win over folded matches.
  CHECK(values(complete(root, Words{"contact", "show", ""}, f.options())) ==
        Strings{"Ana Popescu | ana-popescu-b3c4, ana-popescu-x7k2", "Oana M | oana-m-k2k2",
                "Ștefan Ionescu | stefan-ionescu-p2q3", "ana-popescu-b3c4 | Ana Popescu",
                "ana-popescu-x7k2 | Ana Popescu", "oana-m-k2k2 | Oana M", "stefan-ionescu-p2q3 | Ștefan Ionescu"});
  CHECK(values(complete(root, Words{"contact", "show", "ANA"}, f.options())) ==
        Strings{"Ana Popescu | ana-popescu-b3c4, ana-popescu-x7k2"});
  CHECK(values(complete(root, Words{"contact", "show", "ana"}, f.options())) ==
        Strings{"ana-popescu-b3c4 | Ana Popescu", "ana-popescu-x7k2 | Ana Popescu"});
  CHECK(values(complete(root, Words{"contact", "show", "Ana"}, f.options())) ==
        Strings{"Ana Popescu | ana-popescu-b3c4, ana-popescu-x7k2"});
  CHECK(values(complete(root, Words{"contact", "show", "STEF"}, f.options())) ==
        Strings{"Ștefan Ionescu | stefan-ionescu-p2q3"});
  CHECK(values(complete(root, Words{"contact", "show", "stefan-"}, f.options())) ==
        Strings{"stefan-ionescu-p2q3 | Ștefan Ionescu"});

  // Tags as the index keeps them (folded), each once.
  CHECK(values(complete(root, Words{"contact", "list", "--tag", ""}, f.options())) ==
        Strings{"retail", "vip", "wholesale"});
  CHECK(values(complete(root, Words{"contact", "list", "--tag", "V"}, f.options())) == Strings{"vip"});

  // The limit caps live values.
  auto o = f.options();
  o.limit = 2;
  CHECK(complete(root, Words{"contact", "show", ""}, o).candidates.size() == 2);

  // A change since the last refresh is not seen: completion never refreshes.
  f.contact("anabel-k-m3m3", "Anabel K");
  CHECK(values(complete(root, Words{"contact", "show", "anab"}, f.options())).empty());

  // -C DIR typed on the line names the workspace.
  crm_test::TempDir elsewhere;
  o = f.options();
  o.cwd = elsewhere.path();
  CHECK(complete(root, Words{"contact", "show", "oa"}, o).candidates.empty());
  CHECK(values(complete(root, Words{"-C", f.dir.path().string(), "contact", "show", "oa"}, o)) ==
        Strings{"oana-m-k2k2 | Oana M"});
}
