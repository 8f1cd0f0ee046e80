#include "ops/exchange/import.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "format/vcard.hpp"
#include "index/index.hpp"
#include "model/record_type.hpp"
#include "ops/exchange/contact_vcard.hpp"
#include "ops/exchange/import_columns.hpp"
#include "ops/exchange/import_journal.hpp"
#include "ops/exchange/importer.hpp"
#include "util/contact_point.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace crm::ops {
using namespace import_impl;

namespace {

const RecordType& import_type(const std::string& name) {
  const RecordType* t = model::find_type(name);
  if (!t || (t->name != "contact" && t->name != "company" && t->name != "sale" && t->name != "activity"))
    throw Error(ErrorKind::usage, fmt::format("cannot import '{}'", name),
                {"--type contacts, companies, sales or activities"});
  return *t;
}

Json journal_header(const ImportOptions& o, const RecordType& type, std::string_view format) {
  return {{"source", o.source}, {"format", format}, {"type", type.plural}};
}

// A row's key for sales and activities: the same cells give the same key.
std::string row_key(const std::vector<std::string>& cells) {
  std::string joined;
  for (const auto& c : cells) {
    joined += text::trim(c);
    joined += '\x1f';
  }
  return content_hash(joined);
}

// CSV rows read ahead of the importer, a batch at a time on a second thread:
// their parse, their column mapping and their phone numbers' E.164 forms (a
// tenth of a row's cost, in libphonenumber) are ready when the importer, which
// is what a run waits for, takes them. One batch is read while one is imported.
class RowsAhead {
public:
  struct Row {
    csv::Row row;
    std::size_t bytes_read = 0; // of the input, once this row was read
    RowChanges changes;
    std::exception_ptr error; // row_changes' error, for a row it rejects
    std::optional<std::string> unreadable; // the input ends here: why (an unbalanced quote)
    std::vector<std::pair<std::string, std::optional<std::string>>> e164s; // number -> to_e164
  };
  struct Batch {
    std::vector<Row> rows;
    bool last = false;
  };

  // `region`: work out phone numbers in this region (none: leave them alone).
  // `first`: a row read already, taken before the reader's (a file without a header line).
  RowsAhead(csv::Reader& reader, std::optional<csv::Row> first, const RecordType& type,
            const std::vector<ColumnRole>& roles, std::optional<std::string> region)
      : reader_(reader), first_(std::move(first)), type_(type), roles_(roles), region_(std::move(region)) {
    next_ = std::async(std::launch::async, [this] { return read(); });
  }
  // Waits for the batch being read (its reader and columns outlive it).
  ~RowsAhead() {
    if (next_.valid()) next_.wait();
  }
  RowsAhead(const RowsAhead&) = delete;
  RowsAhead& operator=(const RowsAhead&) = delete;

  // The next batch; the one after it starts being read.
  Batch take() {
    Batch batch = next_.get();
    if (!batch.last) next_ = std::async(std::launch::async, [this] { return read(); });
    return batch;
  }

private:
  static constexpr std::size_t batch_rows = 256;

  Batch read() {
    Batch batch;
    batch.rows.reserve(batch_rows);
    while (batch.rows.size() < batch_rows) {
      Row& r = batch.rows.emplace_back();
      try {
        if (first_) {
          r.row = std::move(*first_);
          first_.reset();
        } else if (!reader_.next(r.row)) {
          batch.rows.pop_back();
          batch.last = true;
          break;
        }
      } catch (const Error& e) {
        r.unreadable = e.what();
        batch.last = true;
        break;
      }
      r.bytes_read = reader_.bytes_read();
      if (!r.row.problem.empty()) continue;
      try {
        r.changes = row_changes(type_, roles_, r.row.cells);
        if (region_)
          for (const auto& phone : r.changes.phones) {
            std::string number = text::trim(phone);
            auto e164 = contact_point::to_e164(number, *region_);
            r.e164s.emplace_back(std::move(number), std::move(e164));
          }
      } catch (...) {
        r.error = std::current_exception();
      }
    }
    return batch;
  }

  csv::Reader& reader_;
  std::optional<csv::Row> first_;
  const RecordType& type_;
  const std::vector<ColumnRole>& roles_;
  const std::optional<std::string> region_;
  std::future<Batch> next_;
};

// Turns one error into the reason a row is rejected.
template <typename F>
void per_row(Importer& importer, std::size_t row, const std::string& where, std::string_view raw, F&& body) {
  try {
    body();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::io) throw;
    importer.reject(row, where, e.what(), raw);
  }
}

} // namespace

ImportSummary import_csv(Session& session, std::istream& in, const ImportOptions& options, const ImportListener& on_event) {
  const RecordType& type = import_type(options.type);
  csv::ReadOptions ro;
  ro.delimiter = options.delimiter;
  ro.encoding = options.encoding;
  // Rows missing trailing cells read as empty ones (German Outlook 2013 drops the
  // last three); extra non-empty cells are still an error.
  ro.pad_short_rows = true;
  csv::Reader reader(in, ro);
  csv::Row header;
  bool has_header = false;
  try {
    has_header = reader.next(header);
  } catch (const Error& e) { // a header past a limit: said with the file, like any row
    if (e.kind() != ErrorKind::invalid_data) throw;
    throw Error(e.kind(), fmt::format("{}: {}", options.source, e.what()), e.hints());
  }
  if (!has_header)
    throw Error(ErrorKind::invalid_data, fmt::format("{}: empty file", options.source), {"the first row must name the columns"});
  if (!header.problem.empty())
    throw Error(ErrorKind::invalid_data, fmt::format("{}: row 1 column {}: {}", options.source, header.problem_column, header.problem));
  // Old Thunderbird versions wrote no header line: their first row is a person.
  std::optional<csv::Row> first_row;
  std::string preset = options.preset;
  std::vector<std::string> columns;
  std::string warning;
  if (const auto column = data_column_in_header(header.cells)) {
    auto tb = preset.empty() || preset == "thunderbird" ? thunderbird_columns(header.cells) : std::nullopt;
    if (!tb)
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{}: row 1 column {}: '{}' is not a column name", options.source, column, header.cells[column - 1]),
                  {"the first row must name the columns (a headerless Thunderbird export of 36 or 37 columns is read as one)"});
    columns = std::move(*tb);
    preset = "thunderbird";
    warning = fmt::format("{}: no header line: read in the column order of a Thunderbird export ({}, {}, {}, ...)",
                          options.source, columns[0], columns[1], columns[2]);
    first_row = std::move(header);
  } else {
    columns = header.cells;
  }
  const auto roles = map_columns(type, columns, preset, options.maps);
  if (options.rejects) {
    if (first_row) {
      std::string names = csv::format_row(columns, reader.delimiter());
      names.pop_back();
      options.rejects(names);
    } else {
      options.rejects(header.raw);
    }
    options.rejects(std::string(1, reader.delimiter()) + "reject_reason\n");
  }
  Importer importer(session, options, type, on_event, journal_header(options, type, "csv"));
  try {
    if (!warning.empty()) importer.summary().warnings.push_back(warning);
    const bool person = type.kind == model::RecordKind::contact || type.kind == model::RecordKind::company;
    RowsAhead ahead(reader, std::move(first_row), type, roles,
                    person ? session.workspace().config().region : std::optional<std::string>());
    for (;;) {
      RowsAhead::Batch batch = ahead.take();
      for (auto& [row, bytes_read, rc, row_error, unreadable, e164s] : batch.rows) {
        if (unreadable) {
          // An unbalanced quote: nothing after it can be read.
          importer.reject(row.number, "", *unreadable, ""); // the reader numbered the row it could not end
          break;
        }
        ++importer.summary().rows;
        if (options.progress && importer.summary().rows % 256 == 0) options.progress(bytes_read);
        const std::string where =
            row.problem_column ? fmt::format("row {} column {}", row.number, row.problem_column) : fmt::format("row {}", row.number);
        // The row as it came, with the reason as one more column.
        auto raw_with_reason = [&, &raw = row.raw](const std::string& reason) {
          std::string cell = csv::format_row({reason}, reader.delimiter());
          cell.pop_back();
          return fmt::format("{}{}{}", raw, reader.delimiter(), cell);
        };
        if (!row.problem.empty()) {
          importer.reject(row.number, where, row.problem, raw_with_reason(where + ": " + row.problem));
          continue;
        }
        const std::string row_where = fmt::format("row {}", row.number);
        try {
          if (row_error) std::rethrow_exception(row_error);
          for (const auto& w : rc.warnings)
            importer.summary().warnings.push_back(fmt::format("{}: {}: {}", options.source, row_where, w));
          for (auto& [number, e164] : e164s)
            contact_point::remember_e164(number, session.workspace().config().region, std::move(e164));
          if (person) importer.upsert(row.number, rc);
          else importer.add_event(row.number, rc.changes, row_key(row.cells));
        } catch (const Error& e) {
          if (e.kind() == ErrorKind::io) throw;
          importer.reject(row.number, row_where, e.what(), raw_with_reason(row_where + ": " + e.what()));
        }
      }
      if (batch.last) break;
    }
    if (options.progress) options.progress(reader.bytes_read());
    importer.finish();
  } catch (const Error& e) {
    importer.on_error(e);
    throw;
  } catch (const std::exception& e) {
    // The index failed under the import: an I/O error too.
    if (index::failure_of(e)) importer.on_error(Error(ErrorKind::io, fmt::format("index error: {}", e.what())));
    throw;
  }
  return importer.summary();
}

namespace {

// "SOURCE:10: reason" -> {"SOURCE:10", "reason"}; {"", message} when the message
// does not start with a place in `source`.
std::pair<std::string, std::string> split_location(std::string_view source, std::string_view message) {
  if (message.substr(0, source.size()) == source && message.substr(source.size(), 1) == ":") {
    std::size_t k = source.size() + 1;
    const std::size_t digits = k;
    while (k < message.size() && std::isdigit(static_cast<unsigned char>(message[k]))) ++k;
    if (k > digits && message.substr(k, 2) == ": ")
      return {std::string(message.substr(0, k)), std::string(message.substr(k + 2))};
  }
  return {"", std::string(message)};
}

// A rejected card for the --rejects file: whole, as it was read (VERSION too),
// with the reason in one more property; nothing for text that was not a card.
std::string rejected_card(const vcard::Card& card, std::string_view reason) {
  if (card.line == 0) return "";
  std::string out = "BEGIN:VCARD\r\n";
  if (!card.version.empty()) out += "VERSION:" + card.version + "\r\n";
  for (const auto& p : card.properties) out += p.raw + "\r\n";
  out += fmt::format("{}:{}\r\n", ops::kRejectReasonProperty, vcard::escape(reason));
  return out + "END:VCARD\r\n";
}

} // namespace

ImportSummary import_vcard(Session& session, std::istream& in, const ImportOptions& options, const ImportListener& on_event) {
  const RecordType& type = model::contact_type();
  Importer importer(session, options, type, on_event, journal_header(options, type, "vcard"));
  try {
    vcard::Reader reader(in, options.source);
    vcard::Card card;
    const auto reject = [&](const std::string& message) {
      auto [location, reason] = split_location(options.source, message);
      if (location.empty()) location = fmt::format("{}:{}", options.source, card.line);
      importer.reject_at(card.line, location, reason, rejected_card(card, reason));
    };
    for (;;) {
      bool more = false;
      try {
        more = reader.next(card);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::io) throw;
        reject(e.what()); // the reader goes on after the card it could not read
        continue;
      }
      if (!more) break;
      ++importer.summary().rows;
      try {
        auto from = contact_from_card(card, options.source);
        // "line 4: ..." from the reader and the mapper: said as "FILE:4: ...".
        for (const auto& w : from.warnings) {
          std::size_t k = 5;
          while (k < w.size() && std::isdigit(static_cast<unsigned char>(w[k]))) ++k;
          const bool has_line = w.rfind("line ", 0) == 0 && k > 5 && w.compare(k, 2, ": ") == 0;
          importer.summary().warnings.push_back(
              has_line ? fmt::format("{}:{}: {}", options.source, w.substr(5, k - 5), w.substr(k + 2))
                       : fmt::format("{}:{}: {}", options.source, card.line, w));
        }
        const Record& c = from.contact;
        RowChanges rc;
        rc.name = text_of(c, "name");
        rc.company = text_of(c, "company");
        rc.notes = text_of(c, "notes");
        rc.vcard_extra = text_of(c, "vcard_extra");
        for (const auto& [key, value] : c.items()) {
          if (key == "id" || key == "name" || key == "company" || key == "notes" || key == "vcard_extra") continue;
          if (key == "emails") {
            for (const auto& e : value) {
              rc.emails.push_back(e.value("address", ""));
              const std::string label = e.value("label", "");
              rc.changes.push_back({"emails", '+', label.empty() ? rc.emails.back() : label + ":" + rc.emails.back()});
            }
          } else if (key == "phones") {
            for (const auto& p : value) {
              rc.phones.push_back(p.value("number", ""));
              const std::string label = p.value("label", "");
              rc.changes.push_back({"phones", '+', label.empty() ? rc.phones.back() : label + ":" + rc.phones.back()});
            }
          } else if (value.is_object()) {
            for (const auto& [sub, v] : value.items())
              rc.changes.push_back({key + "." + sub, '=', v.is_string() ? v.get<std::string>() : v.dump()});
          } else if (value.is_array()) {
            for (const auto& v : value) rc.changes.push_back({key, '+', v.is_string() ? v.get<std::string>() : v.dump()});
          } else {
            rc.changes.push_back({key, '=', value.is_string() ? value.get<std::string>() : value.dump()});
          }
        }
        importer.upsert(card.line, rc, from.photo);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::io) throw;
        reject(e.what());
      }
    }
    // As for a CSV file with no header: an input with nothing to read is a mistake
    // (the wrong file, an export that failed), not a successful import of nothing.
    if (importer.summary().rows == 0 && importer.summary().rejected == 0)
      throw Error(ErrorKind::invalid_data, fmt::format("{}: no vCard in the file", options.source),
                  {"a vCard starts with a BEGIN:VCARD line"});
    importer.finish();
  } catch (const Error& e) {
    importer.on_error(e);
    throw;
  } catch (const std::exception& e) {
    // The index failed under the import: an I/O error too.
    if (index::failure_of(e)) importer.on_error(Error(ErrorKind::io, fmt::format("index error: {}", e.what())));
    throw;
  }
  return importer.summary();
}

} // namespace crm::ops
