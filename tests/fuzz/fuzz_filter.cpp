// libFuzzer target: the filter language (query/filter.hpp), from --where, segment
// files and lead_scoring rules, compiled to SQL for each record type and run on a
// small workspace's index; and the same text as a `crm search` query (FTS5). A bad
// filter is a crm::Error (exit 3); an SQL error, a crash or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>


#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "store/workspace.hpp"
#include "util/error.hpp"

namespace {

namespace stdfs = std::filesystem;

stdfs::path workspace_dir;
std::unique_ptr<crm::ops::Session> session;

void write(const stdfs::path& relpath, const std::string& text) {
  stdfs::create_directories((workspace_dir / relpath).parent_path());
  std::ofstream(workspace_dir / relpath) << text;
}

void remove_workspace() {
  session.reset();
  std::error_code ignored;
  stdfs::remove_all(workspace_dir, ignored);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string dir = (stdfs::temp_directory_path() / "crm-fuzz-filter-XXXXXX").string();
  if (!mkdtemp(dir.data())) std::abort();
  workspace_dir = dir;
  crm::store::Workspace::init(workspace_dir, {.currency = "EUR", .region = "RO", .git = false});
  write("contacts/ana-popescu-k7q2.yaml",
        "id: ana-popescu-k7q2\nname: Ana Popescu\nemails:\n  - address: ana@acme.ro\nstage: customer\n"
        "tags:\n  - vip\ncustom:\n  tier: gold\nbirthday: 1990-05-01\ncountry: RO\n");
  write("sales/2026/11/2026-11-20-sale-ana-popescu-aaaa.yaml",
        "id: 2026-11-20-sale-ana-popescu-aaaa\ncontact: ana-popescu-k7q2\nat: 2026-11-20T10:00:00+02:00\n"
        "status: completed\ncurrency: EUR\nitems:\n  - product: Thing\n    quantity: \"1\"\n    price: \"80.00\"\n"
        "    total: \"80.00\"\nsubtotal: \"80.00\"\ntotal: \"80.00\"\npaid_by: card\n");
  write("activities/2026/11/2026-11-24-call-ana-popescu-dddd.yaml",
        "id: 2026-11-24-call-ana-popescu-dddd\nkind: call\ncontact: ana-popescu-k7q2\n"
        "at: 2026-11-24T23:30:00-05:00\nsummary: late call about the offer\n");
  session = std::make_unique<crm::ops::Session>(workspace_dir, true);
  std::atexit(remove_workspace);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const crm::model::RecordType* type : crm::model::all_types()) {
    try {
      crm::index::ListQuery query;
      query.where = session->where(*type, text);
      session->index().each(*type, query, nullptr, [](std::string_view) {});
    } catch (const crm::Error& e) {
      if (e.kind() != crm::ErrorKind::invalid_data) __builtin_trap();
    }
  }
  try {
    (void)session->index().search(text, 5);
  } catch (const crm::Error& e) {
    if (e.kind() != crm::ErrorKind::invalid_data) __builtin_trap();
  }
  return 0;
}
