#pragma once
// `crm import`: CSV and vCard files into records, as upserts. A row matches an
// existing contact by email (any case), else by phone (E.164 in the workspace
// region), else by name + company (folded); a match is updated with what changed,
// anything else is created, so importing a file twice changes nothing the second
// time. Each import is a batch with a journal (.crm/imports/BATCH.jsonl) that
// `crm import undo BATCH` reverts.

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "ops/records/session.hpp"

namespace crm::ops {

enum class OnError { abort, skip };

struct ImportOptions {
  std::string type = "contacts"; // contacts, companies, sales, activities
  std::string preset;            // google, outlook, thunderbird ("" = detected)
  std::vector<std::pair<std::string, std::string>> maps; // --map COLUMN=FIELD
  std::optional<char> delimiter;                          // "" = sniffed
  std::string encoding;                                   // "" = UTF-8 (BOMs honoured)
  bool dry_run = false;
  OnError on_error = OnError::abort;
  std::string source = "-";          // the file as named on the command line
  // The text of a rejects file, piece by piece: the header, then each rejected row
  // as read, with the reason. The caller decides where it goes (--rejects FILE).
  std::function<void(std::string_view text)> rejects;
  std::function<void(std::uint64_t bytes_read)> progress; // called now and then
};

struct ImportEvent {
  enum class Action { create, update, unchanged, reject };
  Action action = Action::create;
  std::size_t row = 0;             // CSV row (the header is row 1) or vCard line
  std::string type;                // "contact", "company", ...
  std::string id;                  // "" for a reject (or a create in a dry run)
  std::string name;
  std::vector<std::string> fields; // an update's changed fields
  std::string reason;              // a reject's reason
  std::string location;            // "FILE:10" when the reason does not say where (vCard)
};

struct ImportSummary {
  std::string batch; // "" for a dry run or when nothing was written
  std::size_t rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0;
  std::size_t companies = 0; // companies created for contacts' company names
  std::vector<std::string> warnings;
};

using ImportListener = std::function<void(const ImportEvent&)>;

// Both throw Error(invalid_data) "SOURCE: row N column M: ..." on the first bad
// row when options.on_error is abort, after taking back what the import wrote:
// the workspace is as it was.
ImportSummary import_csv(Session& session, std::istream& in, const ImportOptions& options,
                         const ImportListener& on_event);
ImportSummary import_vcard(Session& session, std::istream& in, const ImportOptions& options,
                           const ImportListener& on_event);

struct ImportBatch {
  std::string id, at, source, type;
  std::size_t created = 0, updated = 0;
  bool complete = false; // the run finished (a killed run leaves an incomplete batch)
  std::string undone;    // when it was undone, "" if not
};

std::vector<ImportBatch> list_imports(Session& session);

struct UndoResult {
  std::size_t removed = 0, restored = 0;
};

// Reverts a batch: removes the records it created and puts back the files it
// changed. A record changed since (by hand or by crm) is a conflict (exit 4),
// listed, and nothing is reverted unless `force`.
UndoResult undo_import(Session& session, const std::string& batch, bool force);

} // namespace crm::ops
