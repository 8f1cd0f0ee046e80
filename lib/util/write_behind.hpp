#pragma once
// Files written on a second thread, in the order they were queued, so that the
// file system's work (most of an import's time goes to creating files) overlaps
// the caller's parsing, matching and indexing. A job may first append a line to
// a log (the import journal, which must name a file before it is written), then
// writes one file atomically with deferred durability.

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "util/worker.hpp"

namespace crm::fs {

class WriteBehind {
public:
  struct Job {
    std::string log_line;           // appended to the log first, when not empty
    std::filesystem::path path;     // then written atomically, when not empty
    std::string content;
    std::string key;                // handed back by wait() with the file's stat
  };
  struct Done {
    std::string key;
    struct ::stat st;
  };

  // `append_log` writes one log line; it runs on the writer thread.
  explicit WriteBehind(std::function<void(const std::string&)> append_log, std::size_t depth = 256);
  // Finishes the queued jobs (their errors are lost: wait() reports them).
  ~WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Queues a job; blocks while `depth` jobs wait. Throws the error of an earlier
  // job that failed (the jobs after a failed one are not done).
  void submit(Job job);
  // Returns once every queued job is done, with the stats of the files written
  // since the last call. Throws the first error.
  std::vector<Done> wait();

private:
  std::function<void(const std::string&)> append_log_;
  std::vector<Done> done_; // filled on the worker thread, handed over by wait()
  Worker worker_;          // last: its thread stops before the members it uses go
};

} // namespace crm::fs
