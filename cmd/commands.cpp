#include "commands.hpp"

#include <array>

namespace crm::cli {

std::span<const Command> command_table() {
  static constexpr std::array table{
      Command{"init", set_init_command},
      Command{"contact", set_contact_command},
      Command{"company", set_company_command},
      Command{"log", set_log_command},
      Command{"activity", set_activity_command},
      Command{"followup", set_followup_command},
      Command{"feedback", set_feedback_command},
      Command{"due", set_due_command},
      Command{"timeline", set_timeline_command},
      Command{"search", set_search_command},
      Command{"product", set_product_command},
      Command{"sale", set_sale_command},
      Command{"payment", set_payment_command},
      Command{"loyalty", set_loyalty_command},
      Command{"deal", set_deal_command},
      Command{"campaign", set_campaign_command},
      Command{"segment", set_segment_command},
      Command{"import", set_import_command},
      Command{"report", set_report_command},
      Command{"export", set_export_command},
      Command{"index", set_index_command},
      Command{"doctor", set_doctor_command},
      Command{"sync", set_sync_command},
      Command{"history", set_history_command},
      Command{"undo", set_undo_command},
      Command{"git", set_git_command},
      Command{"trust", set_trust_command},
      Command{"config", set_config_command},
      Command{"help", set_help_command},
      Command{"__complete", set_complete_command}, // hidden, for completions/
  };
  return table;
}

} // namespace crm::cli
