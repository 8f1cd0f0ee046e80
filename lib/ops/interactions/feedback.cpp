#include "ops/interactions/feedback.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ops/interactions/followup.hpp"
#include "ops/records/records.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace crm::ops {
namespace {

using model::Record;

std::string optional_text(const std::optional<std::string>& v) { return v ? text::nfc(text::trim(*v)) : ""; }

void check_range(const char* option, const std::optional<int>& v, int lo, int hi) {
  if (v && (*v < lo || *v > hi))
    throw Error(ErrorKind::invalid_data, fmt::format("bad {} '{}' (expected {} to {})", option, *v, lo, hi));
}

} // namespace

Record new_feedback(Session& session, const FeedbackRequest& req, const time::Timestamp& at) {
  const auto& kinds = model::feedback_kinds();
  if (std::find(kinds.begin(), kinds.end(), req.kind) == kinds.end())
    throw Error(ErrorKind::invalid_data, fmt::format("bad --kind '{}'", req.kind),
                {"use complaint, return, support, review, survey or suggestion"});
  check_range("--rating", req.rating, 1, 5);
  check_range("--nps", req.nps, 0, 10);
  const std::string summary = multiline_text(req.text);
  if (summary.empty()) throw Error(ErrorKind::usage, "feedback needs a text", {"give it with -m TEXT"});
  const Record contact = find_contact(session, req.ref);
  Record rec = Record::object();
  const std::string stamp = time::format_timestamp(time::now());
  rec["id"] = new_record_id(session, model::feedback_type(), time::format_timestamp(at).substr(0, 10) + "-" + req.kind + "-",
                            contact.value("name", ""));
  rec["kind"] = req.kind;
  rec["contact"] = contact["id"];
  rec["at"] = time::format_timestamp(at);
  if (auto p = optional_text(req.product); !p.empty()) rec["product"] = p;
  if (auto s = optional_text(req.sale); !s.empty()) rec["sale"] = s;
  if (req.rating) rec["rating"] = *req.rating;
  if (req.nps) rec["nps"] = *req.nps;
  if (auto c = optional_text(req.channel); !c.empty()) rec["channel"] = c;
  rec["summary"] = summary;
  rec["status"] = "open";
  rec["created"] = stamp;
  rec["updated"] = stamp;
  return rec;
}

std::string add_feedback(Session& session, const FeedbackRequest& req) {
  const auto at = req.at ? parse_when_arg(*req.at, "--at").at : time::now();
  session.lock_for_writing();
  const Record rec = new_feedback(session, req, at);
  save_record(session, model::feedback_type(), rec);
  return model::id_of(rec);
}

ResolveResult resolve_feedback(Session& session, const std::string& ref, const std::string& text, bool follow_up) {
  const std::string resolution = multiline_text(text);
  if (resolution.empty()) throw Error(ErrorKind::usage, "say how it was resolved", {"give it with -m TEXT"});
  session.lock_for_writing();
  const auto& type = model::feedback_type();
  const std::string id = model::id_of(find_record(session, type, ref));
  Record rec = load_record(session, type, id);
  if (rec.value("status", "") == "resolved")
    throw Error(ErrorKind::conflict, fmt::format("feedback '{}' is already resolved", id),
                {fmt::format("it was resolved on {}", rec.value("resolved_at", "?"))});
  const auto now = time::now();
  ResolveResult result{id, 0, std::nullopt};
  if (auto reported = time::parse_timestamp(rec.value("at", "")))
    result.minutes = std::max<long long>(0, (now.unix_seconds - reported->unix_seconds) / 60);
  rec["status"] = "resolved";
  rec["resolved_at"] = time::format_timestamp(now);
  rec["resolution_minutes"] = result.minutes;
  rec["resolution"] = resolution;
  rec["updated"] = time::format_timestamp(now);
  const std::string kind = rec.value("kind", "");
  const std::string& after = session.workspace().config().feedback_check_after;
  std::optional<Record> followup;
  if (follow_up && !after.empty() && (kind == "complaint" || kind == "return")) {
    const Record contact = find_contact(session, rec.value("contact", ""));
    time::When when;
    when.date = time::add_period(time::date_of(now), *time::parse_period(after));
    when.at = time::at_time(when.date, 12, 0, now.offset_minutes);
    followup = new_followup(session, contact, when, fmt::format("check satisfaction after the {}", kind));
    (*followup)["source"] = id;
    rec["followup"] = (*followup)["id"];
    result.followup_id = model::id_of(*followup);
  }
  // Both are checked before either is written.
  validate_record(type, rec);
  if (followup) save_record(session, model::followup_type(), *followup);
  save_record(session, type, rec);
  return result;
}

} // namespace crm::ops
