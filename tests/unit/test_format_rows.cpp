// format::write_rows (format/rows.cpp): the rows an operation returns, in each
// output format; --format ids prints the id columns of each row.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "format/rows.hpp"

using crm::format::Format;
using crm::format::OutputOptions;
using crm::format::Record;
using crm::format::Rows;

namespace {

Rows pairs() {
  Rows r;
  r.columns = {"score", "keep", "other"};
  r.rows = {Record{{"score", 95}, {"keep", "ana-k7q2"}, {"other", "ana-p3x9"}},
            Record{{"score", 60}, {"keep", "ion-a1b2"}, {"other", "ion-c3d4"}}};
  r.id_columns = {"keep", "other"};
  return r;
}

std::string render(const Rows& rows, Format format) {
  OutputOptions o;
  o.format = format;
  std::ostringstream out;
  crm::format::write_rows(out, rows, o);
  return out.str();
}

} // namespace

TEST_CASE("format: write_rows prints the id columns of each row with --format ids") {
  CHECK(render(pairs(), Format::ids) == "ana-k7q2 ana-p3x9\nion-a1b2 ion-c3d4\n");
}

TEST_CASE("format: write_rows writes the columns in their order as TSV and whole rows, keys in their order, as JSON lines") {
  CHECK(render(pairs(), Format::tsv) == "score\tkeep\tother\n95\tana-k7q2\tana-p3x9\n60\tion-a1b2\tion-c3d4\n");
  CHECK(render(pairs(), Format::jsonl) ==
        "{\"score\":95,\"keep\":\"ana-k7q2\",\"other\":\"ana-p3x9\"}\n"
        "{\"score\":60,\"keep\":\"ion-a1b2\",\"other\":\"ion-c3d4\"}\n");
}
