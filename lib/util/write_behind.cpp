#include "util/write_behind.hpp"

#include <utility>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::fs {

WriteBehind::WriteBehind(std::function<void(const std::string&)> append_log, std::size_t depth)
    : append_log_(std::move(append_log)), worker_(depth) {}

WriteBehind::~WriteBehind() = default;

void WriteBehind::submit(Job job) {
  worker_.submit([this, job = std::move(job)] {
    if (!job.log_line.empty()) append_log_(job.log_line);
    if (job.path.empty()) return;
    write_file_atomic(job.path, job.content, Durability::deferred);
    Done done{job.key, {}};
    if (::stat(job.path.c_str(), &done.st) != 0) throw Error(ErrorKind::io, "cannot stat '" + job.path.string() + "'");
    done_.push_back(std::move(done));
  });
}

std::vector<WriteBehind::Done> WriteBehind::wait() {
  worker_.wait();
  return std::exchange(done_, {});
}

} // namespace crm::fs
