#include "ops/workspace/doctor.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ops/records/change_journal.hpp"
#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::ops {

namespace stdfs = std::filesystem;

std::vector<Finding> doctor(Session& session) {
  std::vector<Finding> out;
  const auto& root = session.workspace().root();
  std::map<std::string, std::set<std::string>> ids; // type -> ids seen
  // type -> id -> file, for files that do not parse: a record's id is its file's
  // name, so what points to it points to a broken file, not to nothing.
  std::map<std::string, std::map<std::string, std::string>> broken;
  struct Ref { std::string where, type, id, key; };
  auto at = [](const std::string& rel, const store::ParsedRecord& p, const std::string& key) {
    auto it = p.lines.find(key);
    return it == p.lines.end() ? rel : fmt::format("{}:{}", rel, it->second);
  };
  std::vector<Ref> refs;
  std::map<std::string, std::string> first_file_of_id;

  // A link could lead out of the workspace: crm neither reads nor writes through one.
  const auto link_finding = [&](const stdfs::path& p) {
    return Finding{p.lexically_relative(root).string(), // relative() would follow the link
                   "a symbolic link: crm does not read or write record files through links (replace it by what it points to)"};
  };
  for (const auto* type : model::all_types()) {
    const auto dir = root / std::string(type->plural);
    std::vector<stdfs::path> files;
    std::error_code ec;
    if (stdfs::is_symlink(dir, ec)) {
      out.push_back(link_finding(dir));
      continue;
    }
    for (auto it = stdfs::recursive_directory_iterator(dir, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec)) {
      const auto name = it->path().filename().string();
      if (it->is_symlink(ec)) {
        out.push_back(link_finding(it->path()));
        continue;
      }
      if (name.starts_with(fs::temp_prefix)) {
        out.push_back({stdfs::relative(it->path(), root).string(),
                       "temp file left by an interrupted write (the next command removes it)"});
        continue;
      }
      if (name.starts_with(".") || !it->is_regular_file(ec) || it->path().extension() != ".yaml") continue;
      files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string rel = stdfs::relative(path, root).string();
      try {
        const std::string text = store::read_yaml_text(path);
        // A merge's conflicts: each one named (parse_record names the first).
        if (const auto marks = store::conflict_marks(text); !marks.empty()) {
          for (const auto& m : marks) out.push_back({fmt::format("{}:{}", rel, m.line), store::conflict_message(m)});
          broken[std::string(type->name)].emplace(path.stem().string(), rel);
          continue;
        }
        auto parsed = store::parse_record(*type, text, rel);
        for (const auto& p : parsed.problems)
          out.push_back({p.line > 0 ? fmt::format("{}:{}", rel, p.line) : rel, p.message});
        const std::string id = model::id_of(parsed.record);
        if (!store::file_name_is_id(path.stem().string(), id))
          out.push_back({at(rel, parsed, "id"), fmt::format("id '{}' does not match the file name", id)});
        const std::string key = std::string(type->name) + "/" + id;
        if (auto [it, fresh] = first_file_of_id.emplace(key, rel); !fresh)
          out.push_back({at(rel, parsed, "id"), fmt::format("duplicate id '{}' (also in {})", id, it->second)});
        ids[std::string(type->name)].insert(id);
        for (const auto& f : type->fields)
          if (f.kind == model::FieldKind::ref && parsed.record.contains(std::string(f.key)) &&
              parsed.record[std::string(f.key)].is_string())
            refs.push_back({at(rel, parsed, std::string(f.key)), std::string(f.ref_type),
                            parsed.record[std::string(f.key)].get<std::string>(),
                            std::string(f.key)});
      } catch (const store::RecordFileError& e) {
        out.push_back({e.line() > 0 ? fmt::format("{}:{}", rel, e.line()) : rel, e.detail()});
        broken[std::string(type->name)].emplace(path.stem().string(), rel);
      }
    }
  }
  for (const auto& temp : session.temp_files())
    if (temp.starts_with(".crm/"))
      out.push_back({temp, "temp file left by an interrupted write (the next command removes it)"});
  for (const auto& c : interrupted_changes(session.workspace(), session.change_journal_path()))
    out.push_back({c.journal, fmt::format("'{}' was interrupted after {} of its files were noted: the next writing "
                                          "command takes them back ('crm doctor --fix' does it now)",
                                          c.command, c.files)});
  // The index is derived, but crm finds files through it: a row naming another
  // file is damage (or a plant), reported and then rebuilt away.
  if (const auto bad = session.index().untrusted_paths(); !bad.empty()) {
    for (const auto& b : bad)
      out.push_back({".crm/index.sqlite", fmt::format("the index says {}, not a file of that record (rebuilt from the files)", b)});
    session.lock_for_writing(false);
    session.index().rebuild();
  }
  for (const auto& r : refs) {
    if (ids[r.type].count(r.id)) continue;
    if (const auto file = broken[r.type].find(r.id); file != broken[r.type].end())
      out.push_back({r.where, fmt::format("{} '{}' is in a file that does not parse ({})", r.key, r.id, file->second)});
    else
      out.push_back({r.where, fmt::format("{} '{}' does not exist", r.key, r.id)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.where < b.where; });
  return out;
}

std::vector<std::string> repair(Session& session) {
  const auto temps = session.temp_files();
  session.journal_changes(false); // repairing writes no record of its own
  session.lock_for_writing(); // takes interrupted changes back, removes temp files
  auto done = session.take_warnings();
  for (const auto& t : temps) done.push_back(fmt::format("removed '{}', a temp file left by an interrupted write", t));
  return done;
}

std::vector<std::string> files_of(const std::vector<Finding>& findings) {
  std::vector<std::string> files;
  for (const auto& f : findings) {
    std::string file = f.where;
    // "contacts/x.yaml:3": the line goes; a name has no colon followed by digits alone.
    if (const auto colon = file.rfind(':'); colon != std::string::npos && colon + 1 < file.size() &&
                                            file.find_first_not_of("0123456789", colon + 1) == std::string::npos)
      file.resize(colon);
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(std::move(file));
  }
  return files;
}

} // namespace crm::ops
