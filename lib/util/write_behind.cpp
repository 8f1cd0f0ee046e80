#include "util/write_behind.hpp"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace crm::fs {

WriteBehind::WriteBehind(std::function<void(const std::string&)> append_log, std::size_t depth)
    : append_log_(std::move(append_log)), depth_(depth == 0 ? 1 : depth), batch_(std::max<std::size_t>(1, depth_ / 4)),
      thread_([this] { run(); }) {}

WriteBehind::~WriteBehind() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  has_work_.notify_one();
  thread_.join();
}

void WriteBehind::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void WriteBehind::submit(Job job) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return queue_.size() < depth_ || error_; });
  rethrow_locked();
  queue_.push_back(std::move(job));
  const bool wake = queue_.size() == batch_;
  lock.unlock();
  if (wake) has_work_.notify_one();
}

std::vector<WriteBehind::Done> WriteBehind::wait() {
  std::unique_lock lock(mutex_);
  flush_ = true;
  has_work_.notify_one();
  has_room_.wait(lock, [&] { return (queue_.empty() && !busy_) || error_; });
  flush_ = false;
  rethrow_locked();
  return std::exchange(done_, {});
}

void WriteBehind::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Work when a batch is queued, when wait() asks, or to finish at the end.
    has_work_.wait(lock, [&] { return queue_.size() >= batch_ || (flush_ && !queue_.empty()) || stop_; });
    if (queue_.empty()) return; // stopped, nothing left
    while (!queue_.empty()) {
      Job job = std::move(queue_.front());
      queue_.pop_front();
      if (error_) continue; // nothing after a failed job is written
      busy_ = true;
      lock.unlock();
      std::exception_ptr failed;
      Done done{std::move(job.key), {}};
      try {
        if (!job.log_line.empty()) append_log_(job.log_line);
        if (!job.path.empty()) {
          write_file_atomic(job.path, job.content, Durability::deferred);
          if (::stat(job.path.c_str(), &done.st) != 0)
            throw Error(ErrorKind::io, "cannot stat '" + job.path.string() + "'");
        }
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      busy_ = false;
      if (failed) error_ = failed;
      else if (!job.path.empty()) done_.push_back(std::move(done));
      // Free of charge when nobody waits (submit() waits only on a full queue).
      if (queue_.size() + batch_ <= depth_ || error_) has_room_.notify_all();
    }
    has_room_.notify_all(); // wait() is waiting for the empty queue
  }
}

} // namespace crm::fs
