#pragma once
// A workspace: the directory that holds .crm/ and the record folders.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.hpp"

namespace crm::store {

namespace stdfs = std::filesystem;

// A deal pipeline stage and the chance (percent) that a deal in it is won.
struct DealStage {
  std::string name;
  int probability = 0;
};

// One lead scoring rule: contacts matching the filter get the points.
struct LeadRule {
  std::string where;
  int points = 0;
  int line = 0; // in config.yaml, for messages
};

struct Config {
  std::string currency = "EUR"; // base currency, ISO 4217
  std::string region;           // default phone region, ISO 3166 ("RO"); empty = none
  std::string index_verify = "stat"; // "stat": every file; "dirs": directory mtimes only
  // Default cadences (how often to get in touch) for contacts without their own:
  // by stage and by tag ("30d", "2w"...).
  std::map<std::string, std::string> cadence_by_stage, cadence_by_tag;
  // After a complaint or return is resolved, a follow-up this long after ("7d");
  // empty = none.
  std::string feedback_check_after = "7d";
  // Open deal stages in pipeline order; "won" and "lost" close a deal.
  std::vector<DealStage> deal_stages = {{"lead", 10}, {"qualified", 25}, {"proposal", 50}, {"negotiation", 75}};
  // A contact's lifecycle stages, in order (config stages:); the model's
  // choices follow them (model::use_contact_stages).
  std::vector<std::string> contact_stages = model::default_contact_stages();
  // The stage a contact's first completed sale moves it to; empty (config
  // sales.first_sale_stage: off) = sales leave the stage alone.
  std::string first_sale_stage = "customer";
  // Loyalty points per whole unit of the base currency spent ("1", "0.5");
  // empty = no loyalty programme.
  std::string loyalty_points_per_unit;

  // RFM priority classes: A when the three scores (1-5 each) add up to at least
  // rfm_a, B from rfm_b, else C.
  int rfm_a = 12, rfm_b = 8;
  // Churn: a customer is slipping away when the days since their last purchase
  // exceed this many times their usual days between purchases (a decimal).
  std::string churn_factor = "2";
  std::vector<LeadRule> lead_scoring;
  // git.autocommit: each writing command commits the files it wrote, with a
  // message saying what it did. Off: crm never runs git.
  bool git_autocommit = false;
  // Aliases (alias: in config.yaml): a name and the words it stands for
  // ("overdue" -> "followup list --overdue").
  std::map<std::string, std::string> aliases;

  const DealStage* deal_stage(std::string_view name) const;
};

// Reads the text of config.yaml (`path` names it in messages): what the Workspace
// constructor does, and how `crm config set` checks a new text before writing it.
// Throws Error(invalid_data) "<path>:<line>: ..." for a bad setting. Sets the
// contact stages the model uses (model::use_contact_stages) to the text's.
Config parse_config(std::string_view text, const stdfs::path& path);

struct InitOptions {
  std::string currency = "EUR";
  std::string region;
  bool git = false;
};

class Workspace {
public:
  // Finds the workspace: $CRM_WORKSPACE (unless `explicit_start`, i.e. -C DIR was
  // given), else the first parent of `start` with a .crm/ directory. Throws
  // Error(usage) "not a crm workspace (or any parent): DIR".
  static Workspace discover(const stdfs::path& start, bool explicit_start = false);
  // The root discover() would open, found without reading its config.yaml.
  static stdfs::path find_root(const stdfs::path& start, bool explicit_start = false);

  // Creates a workspace in `dir` (created if needed). Throws Error(conflict) when
  // `dir` already is one. Returns the new workspace.
  static Workspace init(const stdfs::path& dir, const InitOptions& options);

  explicit Workspace(stdfs::path root); // reads .crm/config.yaml

  const stdfs::path& root() const { return root_; }
  const Config& config() const { return config_; }
  stdfs::path crm_dir() const { return root_ / ".crm"; }
  stdfs::path index_path() const { return crm_dir() / "index.sqlite"; }
  stdfs::path lock_path() const { return crm_dir() / "lock"; }
  stdfs::path config_path() const { return crm_dir() / "config.yaml"; }

  // Where a new record goes, relative to the root: "contacts/<id>.yaml", or for a
  // dated type "activities/YYYY/MM/<id>.yaml" (the id starts with its date).
  // Throws Error(invalid_data) for an id that cannot be a file name ("../x", "a/b").
  stdfs::path record_relpath(const model::RecordType& type, std::string_view id) const;

  // The absolute path of `relpath`, which must be a plain relative path (names
  // only: no root, no "." or ".." and no empty name), so that it lies inside the
  // workspace whatever a journal, the index or a record file says. Throws
  // Error(invalid_data) otherwise.
  stdfs::path absolute(const stdfs::path& relpath) const;

  // absolute() for a file crm is about to write, replace or remove: also refused
  // (Error(invalid_data)) when the file or a folder on its way from the root is a
  // symbolic link, which a write would follow out of the workspace. Folders found
  // plain are remembered for the rest of the process.
  stdfs::path writable(const stdfs::path& relpath) const;

private:
  stdfs::path root_;
  Config config_;
  mutable std::set<std::string> plain_dirs_; // relative folders checked by writable()
};

// Is `relpath` a plain relative path: names joined by '/', none empty, "." or "..".
bool is_plain_relpath(std::string_view relpath);

// Could `relpath` be the file of record `id` of `type`: a plain path in the
// type's folder (or a folder below it) named "<id>.yaml"? What the index or a
// journal says a record's path is must pass this before crm touches the file.
bool is_record_relpath(const model::RecordType& type, std::string_view id, std::string_view relpath);
// Is `stem` (a file name without ".yaml") the name of record `id`'s file: the id
// itself, or the id written in NFD.
bool file_name_is_id(std::string_view stem, std::string_view id);

// The folders `crm init` creates (DESIGN section 3), in order.
const std::vector<std::string>& record_folders();

} // namespace crm::store
