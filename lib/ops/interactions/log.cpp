#include "ops/interactions/log.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ops/interactions/followup.hpp"
#include "ops/records/records.hpp"
#include "ops/records/stage.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Record;

} // namespace

LogResult log_activity(Session& session, const LogRequest& req) {
  const auto& kinds = model::activity_kinds();
  if (req.kind == "stage" || std::find(kinds.begin(), kinds.end(), req.kind) == kinds.end())
    throw Error(ErrorKind::usage, fmt::format("bad activity kind '{}'", req.kind),
                {"use call, email, meeting, text, note or chat"});
  session.lock_for_writing();
  const Record contact = find_contact(session, req.ref);
  const auto at = req.at ? parse_when_arg(*req.at, "--at").at : time::now();
  Record rec = new_activity(session, req.kind, contact, at);
  if (req.direction) {
    const std::string d = text::ascii_lower(text::trim(*req.direction));
    if (d != "in" && d != "out")
      throw Error(ErrorKind::invalid_data, fmt::format("bad --direction '{}'", *req.direction),
                  {"in: they reached out; out: you did"});
    rec["direction"] = d;
  }
  if (req.duration) {
    const auto minutes = time::parse_duration_minutes(text::trim(*req.duration));
    if (!minutes)
      throw Error(ErrorKind::invalid_data, fmt::format("bad --duration '{}'", *req.duration),
                  {"use minutes or hours: 15m, 1h, 1h30m, 90"});
    rec["duration"] = time::format_duration(*minutes);
  }
  if (req.outcome && !text::trim(*req.outcome).empty()) rec["outcome"] = text::nfc(text::trim(*req.outcome));
  if (req.campaign && !text::trim(*req.campaign).empty()) rec["campaign"] = campaign_value(session, *req.campaign);
  const std::string summary = multiline_text(req.text);
  if (!summary.empty()) rec["summary"] = summary;

  LogResult result;
  result.activity_id = model::id_of(rec);
  std::optional<Record> followup;
  if (req.follow_up) {
    std::string what = req.follow_up_text ? text::trim(*req.follow_up_text) : "";
    if (what.empty()) {
      // The first line of the summary says what the follow-up is about.
      const std::string first = summary.substr(0, summary.find('\n'));
      what = first.empty() ? fmt::format("follow up on the {}", req.kind) : fmt::format("follow up: {}", first);
    }
    followup = new_followup(session, contact, parse_when_arg(*req.follow_up, "--follow-up"), what);
    (*followup)["source"] = result.activity_id;
    rec["followup"] = (*followup)["id"];
    result.followup_id = model::id_of(*followup);
  }
  for (const auto& [key, value] : req.custom) rec["custom"][key] = value;
  // Both are checked before either is written.
  validate_record(model::activity_type(), rec);
  if (req.check_only) return result;
  if (followup) save_record(session, model::followup_type(), *followup, req.log);
  save_record(session, model::activity_type(), rec, req.log);
  return result;
}

} // namespace crm::ops
