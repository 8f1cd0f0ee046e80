#pragma once
// Feedback and support: complaints, returns, support requests, reviews,
// surveys and suggestions (feedback/YYYY/MM/<id>.yaml), and their resolution.

#include <optional>
#include <string>

#include "model/record_type.hpp"
#include "ops/records/session.hpp"
#include "util/time.hpp"

namespace crm::ops {

struct FeedbackRequest {
  std::string ref;  // the contact
  std::string kind; // complaint, return, support, review, survey, suggestion
  std::string text;
  std::optional<std::string> product, sale, channel, at;
  std::optional<int> rating, nps;
};

// Checks everything, then writes the record; returns its id.
std::string add_feedback(Session& session, const FeedbackRequest& request);

// The record add_feedback would write, at `at`, not written (for records written
// together with others). The caller holds the writer lock.
model::Record new_feedback(Session& session, const FeedbackRequest& request, const time::Timestamp& at);

struct ResolveResult {
  std::string feedback_id;
  long long minutes = 0;                  // from report to resolution
  std::optional<std::string> followup_id; // the satisfaction check, if one was added
};

// Marks it resolved now with `text`. A complaint or return gets a follow-up
// ("check satisfaction") after the workspace's feedback.check_after period
// unless `follow_up` is false. Error(conflict) when already resolved.
ResolveResult resolve_feedback(Session& session, const std::string& ref, const std::string& text, bool follow_up);

} // namespace crm::ops
