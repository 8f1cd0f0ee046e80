#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "format/ics.hpp"
#include "ops/reports/due.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::cli {
namespace {

std::string what_text(const ops::DueItem& item) {
  if (item.group == "overdue") return fmt::format("{} ({} day{} late)", item.summary, item.days, item.days == 1 ? "" : "s");
  return item.summary;
}

// The table: one heading per group, rows aligned by display width.
void write_grouped(std::ostream& out, const std::vector<ops::DueItem>& items, bool color) {
  std::size_t w_due = 0, w_name = 0, w_what = 0;
  for (const auto& i : items) {
    w_due = std::max(w_due, text::display_width(i.due));
    w_name = std::max(w_name, text::display_width(i.name));
    w_what = std::max(w_what, text::display_width(what_text(i)));
  }
  std::string group;
  for (const auto& i : items) {
    if (i.group != group) {
      group = i.group;
      out << (color ? fmt::format("\x1b[1m{}\x1b[0m", group) : group) << '\n';
    }
    out << "  " << text::pad_right(i.due, w_due) << "  " << text::pad_right(i.name, w_name) << "  "
        << text::pad_right(what_text(i), w_what) << "  " << i.id << '\n';
  }
}

std::string utc_stamp(const time::Timestamp& now) {
  const std::string utc = time::format_timestamp({now.unix_seconds, 0});
  return fmt::format("{}{}{}T{}{}{}Z", utc.substr(0, 4), utc.substr(5, 2), utc.substr(8, 2), utc.substr(11, 2),
                     utc.substr(14, 2), utc.substr(17, 2));
}

void write_calendar(std::ostream& out, const std::vector<ops::DueItem>& items) {
  const auto now = time::now();
  const std::string today = time::format_date(time::date_of(now));
  std::vector<format::CalendarEvent> events;
  for (const auto& i : items) {
    format::CalendarEvent e;
    // Stable UIDs: a snoozed follow-up moves its event instead of adding one.
    if (i.kind == "followup") e.uid = fmt::format("followup-{}@crm", i.id);
    else e.uid = fmt::format("{}-{}-{}@crm", i.kind, i.id, i.due);
    // Items due before today (overdue follow-ups, lapsed cadences) are shown
    // today, where they still need doing.
    if (i.due < today) e.date = today;
    else if (!i.time.empty()) e.start = i.time;
    else e.date = i.due;
    e.summary = fmt::format("{}: {}", i.name, what_text(i));
    e.description = fmt::format("{} for {} ({})\ndue {}\n{}", i.kind, i.name, i.contact, i.due, i.id);
    e.categories = {i.group};
    e.alarm = i.kind == "followup";
    events.push_back(std::move(e));
  }
  format::write_ics(out, events, "crm: due", utc_stamp(now));
}

} // namespace

void set_due_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "due", "what needs attention today (exit 0 if anything, 1 if nothing; --format ics for a calendar)");
  auto upcoming = std::make_shared<std::optional<std::string>>();
  cmd->add_option("--upcoming", *upcoming, "also what falls in the next N days")->type_name("Nd");
  cmd->callback([&ctx, upcoming] {
    ops::DueOptions o;
    if (*upcoming) o.upcoming_days = upcoming_days(**upcoming);
    const bool ics = ctx.format && *ctx.format == "ics";
    const auto out_opts = ics ? format::OutputOptions{} : ctx.output();
    const auto items = ops::due_items(ctx.session(), o);
    ctx.exit_code = items.empty() ? 1 : 0;
    if (ctx.quiet && !ics) return;
    if (ics) return write_calendar(ctx.out(), items);
    if (out_opts.format == format::Format::table) return write_grouped(ctx.out(), items, out_opts.color);
    std::vector<format::Record> rows;
    for (const auto& i : items) {
      format::Record r = {{"group", i.group}, {"kind", i.kind}, {"due", i.due}};
      if (!i.time.empty()) r["time"] = i.time;
      r["contact"] = i.contact;
      r["name"] = i.name;
      r["summary"] = i.summary;
      r["id"] = i.id;
      r["days"] = i.days;
      rows.push_back(std::move(r));
    }
    format::write_records(ctx.out(), rows, {"group", "due", "name", "summary", "id"}, out_opts);
  });
}

} // namespace crm::cli
