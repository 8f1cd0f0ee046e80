#include "store/workspace.hpp"

#include <sys/stat.h>

#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "store/record_file.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/money.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::store {
namespace {

bool is_workspace(const stdfs::path& dir) {
  std::error_code ec;
  return stdfs::is_directory(dir / ".crm", ec) && stdfs::exists(dir / ".crm" / "config.yaml", ec);
}

std::string config_text(const InitOptions& o) {
  return fmt::format(
      "# crm workspace settings: see crm-workspace(5)\n"
      "currency: {}\n"
      "region: {}\n"
      "index:\n"
      "  # stat: check every record file (sees in-place edits); dirs: directory mtimes only\n"
      "  verify: stat\n"
      "# a contact's lifecycle stages, in order (a business may add awareness or onboarding)\n"
      "stages: [lead, prospect, customer, inactive, lost]\n"
      "# how often to get in touch with contacts that have no cadence of their own\n"
      "# cadence:\n"
      "#   stage: {{customer: 30d, prospect: 14d}}\n"
      "#   tag: {{vip: 14d}}\n"
      "feedback:\n"
      "  # a follow-up this long after a complaint or return is resolved (off: none)\n"
      "  check_after: 7d\n"
      "deals:\n"
      "  # open pipeline stages in order, each with the chance (percent) to win a deal in it\n"
      "  stages: {{lead: 10, qualified: 25, proposal: 50, negotiation: 75}}\n"
      "sales:\n"
      "  # the stage a contact's first completed sale moves it to (off: sales leave the stage alone)\n"
      "  first_sale_stage: customer\n"
      "loyalty:\n"
      "  # points per whole unit of the base currency spent (0: no loyalty programme)\n"
      "  points_per_unit: 0\n"
      "rfm:\n"
      "  # priority class by the sum of the recency, frequency and monetary scores (3-15)\n"
      "  a: 12\n"
      "  b: 8\n"
      "churn:\n"
      "  # slipping away: days since the last purchase above this many times their usual interval\n"
      "  factor: 2\n"
      "# lead scoring: points for each filter a lead matches (crm report leads)\n"
      "# lead_scoring:\n"
      "#   - {{where: \"has:email\", points: 10}}\n"
      "#   - {{where: \"source = referral\", points: 25}}\n"
      "{}",
      o.currency, o.region.empty() ? std::string("\"\"") : o.region,
      o.git ? "git:\n"
              "  # every writing command commits the files it wrote, saying what it did (false: crm never runs git)\n"
              "  autocommit: true\n"
            : "");
}

constexpr std::string_view gitignore_text =
    "# crm: the index, the lock and an interrupted command's journal are per clone\n"
    ".crm/index.sqlite\n"
    ".crm/index.sqlite-*\n"
    ".crm/lock\n"
    ".crm/changes/\n";

bool is_currency(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

bool is_region(std::string_view r) {
  return r.empty() ||
         (r.size() == 2 && std::all_of(r.begin(), r.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }));
}

// Absolute, normalized, and without the trailing '/' that "." leaves.
stdfs::path clean_path(const stdfs::path& p) {
  stdfs::path out = p.lexically_normal();
  if (!out.has_filename() && out.has_parent_path() && out != out.root_path()) out = out.parent_path();
  return out;
}

} // namespace

const std::vector<std::string>& record_folders() {
  static const std::vector<std::string> folders = {
      "contacts", "companies", "products", "campaigns", "segments", "activities", "sales",
      "payments", "deals", "feedback", "followups", "loyalty", "vouchers", "files"};
  return folders;
}

Workspace::Workspace(stdfs::path root) : root_(std::move(root)) {
  const auto path = config_path();
  config_ = parse_config(read_yaml_text(path), path);
}

Config parse_config(std::string_view text, const stdfs::path& path) {
  Config config_;
  model::use_contact_stages(config_.contact_stages); // the defaults, unless the config names others
  YAML::Node node;
  // config.yaml may come from a shared remote too: the limits of a record file.
  check_yaml_text(text, path.string(), "config.yaml");
  try {
    node = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("{}:{}: {}", path.string(), e.mark.line + 1, e.msg));
  }
  if (!node.IsDefined() || node.IsNull()) return config_;
  if (!node.IsMap())
    throw Error(ErrorKind::invalid_data, fmt::format("{}: expected key: value settings", path.string()));
  auto scalar = [&](const YAML::Node& n, std::string& into, auto valid, std::string_view key) {
    if (!n || n.IsNull()) return;
    if (!n.IsScalar() || !valid(n.Scalar()))
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{}:{}: bad {} '{}'", path.string(), n.Mark().line + 1, key,
                              n.IsScalar() ? n.Scalar() : std::string("...")));
    into = n.Scalar();
  };
  scalar(node["currency"], config_.currency, is_currency, "currency");
  scalar(node["region"], config_.region, is_region, "region");
  if (const auto st = node["stages"]; st && !st.IsNull()) {
    if (!st.IsSequence() || st.size() == 0)
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{}:{}: stages must be a list of stage names", path.string(), st.Mark().line + 1),
                  {"stages: [lead, prospect, customer, inactive, lost]"});
    std::vector<std::string> names;
    for (const auto& n : st) {
      const std::string name = n.IsScalar() ? n.Scalar() : std::string();
      const bool word = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
      if (!word || std::find(names.begin(), names.end(), name) != names.end())
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: {} stage '{}'", path.string(), n.Mark().line + 1, word ? "duplicate" : "bad",
                                n.IsScalar() ? name : std::string("...")),
                    {"a stage is one lowercase word (letters, digits, - or _), named once"});
      names.push_back(name);
    }
    config_.contact_stages = std::move(names);
    model::use_contact_stages(config_.contact_stages);
  }
  auto periods = [&](const YAML::Node& n, std::map<std::string, std::string>& into, std::string_view what) {
    if (!n || n.IsNull()) return;
    if (!n.IsMap())
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: {} must be NAME: PERIOD pairs", path.string(),
                                                       n.Mark().line + 1, what));
    for (const auto& kv : n) {
      std::string v;
      scalar(kv.second, v, [](const std::string& p) { return time::parse_period(p).has_value(); }, what);
      into[kv.first.Scalar()] = v;
    }
  };
  if (const auto c = node["cadence"]; c && c.IsMap()) {
    periods(c["stage"], config_.cadence_by_stage, "cadence.stage");
    periods(c["tag"], config_.cadence_by_tag, "cadence.tag");
  }
  if (const auto f = node["feedback"]; f && f.IsMap() && f["check_after"]) {
    scalar(f["check_after"], config_.feedback_check_after,
           [](const std::string& p) { return p == "off" || time::parse_period(p).has_value(); },
           "feedback.check_after");
    if (config_.feedback_check_after == "off") config_.feedback_check_after.clear();
  }
  if (const auto d = node["deals"]; d && d.IsMap() && d["stages"] && !d["stages"].IsNull()) {
    const auto stages = d["stages"];
    if (!stages.IsMap() || stages.size() == 0)
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: deals.stages must be STAGE: PERCENT pairs",
                                                       path.string(), stages.Mark().line + 1));
    config_.deal_stages.clear();
    for (const auto& kv : stages) {
      const std::string name = kv.first.Scalar();
      if (name == "won" || name == "lost" || name.empty() || name.find_first_of(" ,") != std::string::npos)
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: bad deal stage '{}'", path.string(), kv.first.Mark().line + 1, name),
                    {"stage names are single words; won and lost are always there"});
      std::string pct;
      if (!kv.second || kv.second.IsNull())
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: deal stage '{}' needs a percent from 0 to 100", path.string(),
                                kv.first.Mark().line + 1, name));
      scalar(kv.second, pct, [](const std::string& v) {
        return !v.empty() && v.size() <= 3 && std::all_of(v.begin(), v.end(), ::isdigit) && std::stoi(v) <= 100;
      }, "deals.stages." + name + " (expected a percent from 0 to 100)");
      config_.deal_stages.push_back({name, std::stoi(pct)});
    }
  }
  if (const auto sl = node["sales"]; sl && sl.IsMap() && sl["first_sale_stage"]) {
    const auto& stages = config_.contact_stages;
    scalar(sl["first_sale_stage"], config_.first_sale_stage, [&](const std::string& v) {
      return v == "off" || std::find(stages.begin(), stages.end(), v) != stages.end();
    }, fmt::format("sales.first_sale_stage (expected off or one of: {})",
                   model::choice_list(*model::contact_type().field("stage"))));
    if (config_.first_sale_stage == "off") config_.first_sale_stage.clear();
  } else if (std::find(config_.contact_stages.begin(), config_.contact_stages.end(), config_.first_sale_stage) ==
             config_.contact_stages.end()) {
    config_.first_sale_stage.clear(); // stages of its own without "customer": sales leave the stage alone
  }
  if (const auto l = node["loyalty"]; l && l.IsMap() && l["points_per_unit"]) {
    scalar(l["points_per_unit"], config_.loyalty_points_per_unit, [](const std::string& v) {
      const auto d = money::parse_decimal(v);
      return d && d->units >= 0;
    }, "loyalty.points_per_unit");
    if (const auto d = money::parse_decimal(config_.loyalty_points_per_unit); d && d->units == 0)
      config_.loyalty_points_per_unit.clear();
  }
  auto whole = [&](const YAML::Node& n, int& into, int low, int high, const std::string& key) {
    std::string v;
    scalar(n, v, [&](const std::string& t) {
      if (t.empty() || t.size() > 6 || !std::all_of(t.begin(), t.end(), ::isdigit)) return false;
      const int x = std::stoi(t);
      return x >= low && x <= high;
    }, fmt::format("{} (expected a whole number from {} to {})", key, low, high));
    if (!v.empty()) into = std::stoi(v);
  };
  if (const auto r = node["rfm"]; r && r.IsMap()) {
    whole(r["a"], config_.rfm_a, 3, 15, "rfm.a");
    whole(r["b"], config_.rfm_b, 3, 15, "rfm.b");
    if (config_.rfm_b > config_.rfm_a)
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: rfm.b ({}) is above rfm.a ({})", path.string(),
                                                       r.Mark().line + 1, config_.rfm_b, config_.rfm_a));
  }
  if (const auto c = node["churn"]; c && c.IsMap())
    scalar(c["factor"], config_.churn_factor, [](const std::string& v) {
      const auto d = money::parse_decimal(v);
      return d && d->units > 0;
    }, "churn.factor (expected a number above 0)");
  if (const auto l = node["lead_scoring"]; l && !l.IsNull()) {
    if (!l.IsSequence())
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: lead_scoring must be a list of {{where: FILTER, points: N}}",
                                                       path.string(), l.Mark().line + 1));
    for (const auto& rule : l) {
      const int line = rule.Mark().line + 1;
      if (!rule.IsMap() || !rule["where"] || !rule["where"].IsScalar() || !rule["points"] ||
          !rule["points"].IsScalar())
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: a lead_scoring rule needs where: FILTER and points: N", path.string(), line));
      const std::string pts = rule["points"].Scalar();
      const bool negative = !pts.empty() && pts[0] == '-';
      const std::string digits = negative ? pts.substr(1) : pts;
      if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: bad lead_scoring points '{}' (expected a whole number)", path.string(),
                                rule["points"].Mark().line + 1, pts));
      config_.lead_scoring.push_back({rule["where"].Scalar(), std::stoi(pts), line});
    }
  }
  if (const auto g = node["git"]; g && !g.IsNull()) {
    if (!g.IsMap())
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{}:{}: git must be KEY: VALUE settings", path.string(), g.Mark().line + 1),
                  {"for example: git: {autocommit: true}"});
    std::string autocommit;
    scalar(g["autocommit"], autocommit, [](const std::string& v) { return v == "true" || v == "false"; },
           "git.autocommit (expected true or false)");
    if (!autocommit.empty()) config_.git_autocommit = autocommit == "true";
  }
  if (const auto a = node["alias"]; a && !a.IsNull()) {
    if (!a.IsMap())
      throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: alias must be NAME: COMMAND pairs", path.string(),
                                                       a.Mark().line + 1),
                  {"alias: {overdue: \"followup list --overdue\"}"});
    for (const auto& kv : a) {
      const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      const bool word = !name.empty() && name[0] != '-' && std::none_of(name.begin(), name.end(), [](unsigned char c) {
        return c <= ' ' || c == '/' || c == '\'' || c == '"' || c == 0x7f;
      });
      if (!word)
        throw Error(ErrorKind::invalid_data,
                    fmt::format("{}:{}: bad alias name '{}'", path.string(), kv.first.Mark().line + 1, name),
                    {"an alias is one word, not starting with '-'"});
      if (!kv.second.IsScalar() || text::trim(kv.second.Scalar()).empty())
        throw Error(ErrorKind::invalid_data, fmt::format("{}:{}: alias '{}' needs the command it stands for",
                                                         path.string(), kv.first.Mark().line + 1, name));
      config_.aliases[name] = kv.second.Scalar();
    }
  }
  if (node["index"] && node["index"].IsMap())
    scalar(node["index"]["verify"], config_.index_verify,
           [](const std::string& v) { return v == "stat" || v == "dirs"; }, "index.verify");
  return config_;
}

const DealStage* Config::deal_stage(std::string_view name) const {
  for (const auto& s : deal_stages)
    if (s.name == name) return &s;
  return nullptr;
}

Workspace Workspace::discover(const stdfs::path& start, bool explicit_start) {
  return Workspace(find_root(start, explicit_start));
}

stdfs::path Workspace::find_root(const stdfs::path& start, bool explicit_start) {
  if (const char* env = std::getenv("CRM_WORKSPACE"); env && *env && !explicit_start) {
    stdfs::path dir = stdfs::absolute(env);
    if (!is_workspace(dir))
      throw Error(ErrorKind::usage, fmt::format("not a crm workspace: '{}' (from CRM_WORKSPACE)", dir.string()),
                  {"run 'crm init' there to create one"});
    return clean_path(dir);
  }
  if (std::error_code ec; !stdfs::is_directory(start, ec))
    throw Error(ErrorKind::usage, fmt::format("cannot change to '{}': no such directory", start.string()));
  stdfs::path dir = clean_path(stdfs::absolute(start));
  for (stdfs::path d = dir;; d = d.parent_path()) {
    if (is_workspace(d)) return d;
    if (d == d.parent_path()) break;
  }
  throw Error(ErrorKind::usage, fmt::format("not a crm workspace (or any parent): {}", dir.string()),
              {"run 'crm init' to create one here, or use -C DIR"});
}

Workspace Workspace::init(const stdfs::path& dir_arg, const InitOptions& options) {
  if (!is_currency(options.currency))
    throw Error(ErrorKind::usage, fmt::format("bad currency '{}'", options.currency),
                {"use an ISO 4217 code in capitals, such as EUR, GBP, RON, UAH"});
  if (!is_region(options.region))
    throw Error(ErrorKind::usage, fmt::format("bad region '{}'", options.region),
                {"use an ISO 3166 country code in capitals, such as RO, GB, UA"});
  const stdfs::path dir = clean_path(stdfs::absolute(dir_arg));
  if (is_workspace(dir))
    throw Error(ErrorKind::conflict, fmt::format("'{}' is already a crm workspace", dir.string()),
                {"nothing was changed; remove its .crm/ folder first to start over"});
  std::error_code ec;
  stdfs::create_directories(dir / ".crm", ec);
  if (ec)
    throw Error(ErrorKind::io, fmt::format("cannot create '{}': {}", (dir / ".crm").string(), ec.message()));
  for (const auto& folder : record_folders()) {
    stdfs::create_directories(dir / folder, ec);
    if (ec) throw Error(ErrorKind::io, fmt::format("cannot create '{}': {}", (dir / folder).string(), ec.message()));
    // Empty folders vanish in git; a .keep file keeps the layout in every clone.
    fs::write_file_atomic(dir / folder / ".keep", "");
  }
  if (!stdfs::exists(dir / ".gitignore")) fs::write_file_atomic(dir / ".gitignore", gitignore_text);
  // The config goes last: a workspace exists only once it is complete.
  fs::write_file_atomic(dir / ".crm" / "config.yaml", config_text(options));
  return Workspace(dir);
}

stdfs::path Workspace::record_relpath(const model::RecordType& type, std::string_view id) const {
  if (id.empty() || id.find('/') != std::string_view::npos || id.find('\0') != std::string_view::npos ||
      id == "." || id == "..")
    throw Error(ErrorKind::invalid_data, fmt::format("'{}' cannot be a {} id: an id is a file name", id, type.name));
  // Dated types: "activities/2026/11/<id>.yaml" from the date the id starts with.
  if (type.dated && id.size() > 10 && time::is_valid_date(id.substr(0, 10)))
    return stdfs::path(std::string(type.plural)) / std::string(id.substr(0, 4)) / std::string(id.substr(5, 2)) /
           (std::string(id) + ".yaml");
  return stdfs::path(std::string(type.plural)) / (std::string(id) + ".yaml");
}

bool is_plain_relpath(std::string_view relpath) {
  if (relpath.empty() || relpath.find('\0') != std::string_view::npos) return false;
  std::size_t start = 0;
  for (;;) {
    const auto slash = relpath.find('/', start);
    const auto name = relpath.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (name.empty() || name == "." || name == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

bool is_record_relpath(const model::RecordType& type, std::string_view id, std::string_view relpath) {
  if (!is_plain_relpath(relpath) || id.empty()) return false;
  const auto slash = relpath.find('/');
  if (slash == std::string_view::npos || relpath.substr(0, slash) != type.plural) return false;
  const auto last = relpath.rfind('/');
  const auto name = relpath.substr(last + 1);
  if (!name.ends_with(".yaml")) return false;
  return file_name_is_id(name.substr(0, name.size() - 5), id);
}

bool file_name_is_id(std::string_view stem, std::string_view id) {
  if (stem == id) return true;
  // A file named in NFD (as macOS may write names) holds its id in NFC: crm reads
  // and writes text in NFC.
  return text::is_valid_utf8(stem) && text::nfc(stem) == id;
}

namespace {

Error outside_workspace(const stdfs::path& relpath) {
  return Error(ErrorKind::invalid_data, fmt::format("'{}' is not a path inside the workspace", relpath.string()),
               {"a journal or the index naming it is damaged: 'crm index rebuild' recreates the index"});
}

} // namespace

stdfs::path Workspace::absolute(const stdfs::path& relpath) const {
  if (!is_plain_relpath(relpath.native())) throw outside_workspace(relpath);
  return root_ / relpath;
}

stdfs::path Workspace::writable(const stdfs::path& relpath) const {
  auto abs = absolute(relpath);
  const std::string& rel = relpath.native();
  for (std::size_t end = rel.find('/');; end = rel.find('/', end + 1)) {
    const std::string part = rel.substr(0, end);
    const bool is_dir = end != std::string::npos;
    if (!is_dir || !plain_dirs_.count(part)) {
      struct stat st;
      if (::lstat((root_ / part).c_str(), &st) != 0) break; // not there yet: created as a plain folder or file
      if (S_ISLNK(st.st_mode))
        throw Error(ErrorKind::invalid_data,
                    fmt::format("'{}' is a symbolic link: crm does not write through links in a workspace", part),
                    {fmt::format("replace the link by the {} it points to", is_dir ? "folder" : "file")});
      if (is_dir) plain_dirs_.insert(part);
    }
    if (!is_dir) break;
  }
  return abs;
}

} // namespace crm::store
