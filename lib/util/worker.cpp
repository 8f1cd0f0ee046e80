#include "util/worker.hpp"

#include <algorithm>

namespace crm {

Worker::Worker(std::size_t depth)
    : depth_(depth == 0 ? 1 : depth), batch_(std::max<std::size_t>(1, depth_ / 4)), thread_([this] { run(); }) {}

Worker::~Worker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  has_work_.notify_one();
  thread_.join();
}

void Worker::submit(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return queue_.size() < depth_ || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(job));
  const bool wake = queue_.size() == batch_;
  lock.unlock();
  if (wake) has_work_.notify_one();
}

void Worker::wait() {
  std::unique_lock lock(mutex_);
  flush_ = true;
  has_work_.notify_one();
  has_room_.wait(lock, [&] { return (queue_.empty() && !busy_) || error_; });
  flush_ = false;
  if (error_) std::rethrow_exception(error_);
}

void Worker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Work when a batch is queued, when wait() asks, or to finish at the end.
    has_work_.wait(lock, [&] { return queue_.size() >= batch_ || (flush_ && !queue_.empty()) || stop_; });
    if (queue_.empty()) return; // stopped, nothing left
    while (!queue_.empty()) {
      auto job = std::move(queue_.front());
      queue_.pop_front();
      if (error_) continue; // nothing after a failed job runs
      busy_ = true;
      lock.unlock();
      std::exception_ptr failed;
      try {
        job();
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      busy_ = false;
      if (failed) error_ = failed;
      // Free of charge when nobody waits (submit() waits only on a full queue).
      if (queue_.size() + batch_ <= depth_ || error_) has_room_.notify_all();
    }
    has_room_.notify_all(); // wait() is waiting for the empty queue
  }
}

} // namespace crm
