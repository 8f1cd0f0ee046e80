#pragma once
// Jobs run on one background thread, in the order they were queued, so that a
// long loop's slow steps (creating files, storing index rows) overlap the
// caller's own work. The first job that throws stops the rest: its error comes
// back from the next submit() or wait().

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace crm {

class Worker {
public:
  explicit Worker(std::size_t depth = 256);
  // Finishes the queued jobs (their errors are lost: wait() reports them).
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues a job; blocks while `depth` jobs wait. Throws the error of an earlier
  // job that failed (the jobs after a failed one are not run).
  void submit(std::function<void()> job);
  // Returns once every queued job has run. Throws the first error.
  void wait();

private:
  void run();

  std::size_t depth_;
  // The thread is woken for this many jobs at once (or by wait()): waking it for
  // each would cost two context switches per job.
  std::size_t batch_;
  bool flush_ = false;
  std::mutex mutex_;
  std::condition_variable has_work_, has_room_;
  std::deque<std::function<void()>> queue_;
  bool busy_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

} // namespace crm
