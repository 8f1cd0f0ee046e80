#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"
#include "util/worker.hpp"

using crm::ErrorKind;
using crm::Worker;
using crm_test::error_from;

TEST_SUITE_BEGIN("util");

TEST_CASE("util: Worker runs the jobs in order on another thread") {
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  Worker worker(3); // a short queue: submit() has to wait
  for (int i = 0; i < 100; ++i)
    worker.submit([&, i] {
      ran.push_back(i);
      threads.push_back(std::this_thread::get_id());
    });
  worker.wait();
  REQUIRE(ran.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(ran[static_cast<std::size_t>(i)] == i);
  for (const auto& id : threads) CHECK(id != std::this_thread::get_id());
  worker.wait(); // nothing queued: returns at once
  worker.submit([&] { ran.push_back(100); });
  worker.wait();
  CHECK(ran.back() == 100);
}

TEST_CASE("util: Worker stops at a failed job and reports it from submit and wait") {
  std::vector<int> ran;
  Worker worker;
  worker.submit([&] { ran.push_back(1); });
  worker.submit([] { throw crm::Error(ErrorKind::io, "disk full"); });
  worker.submit([&] { ran.push_back(3); });
  const auto e = error_from([&] { worker.wait(); });
  CHECK(e.kind() == ErrorKind::io);
  CHECK(std::string(e.what()) == "disk full");
  CHECK(ran == std::vector<int>{1});
  CHECK(error_from([&] { worker.submit([&] { ran.push_back(4); }); }).kind() == ErrorKind::io);
  CHECK(error_from([&] { worker.wait(); }).kind() == ErrorKind::io);
  CHECK(ran == std::vector<int>{1});
}

TEST_CASE("util: Worker finishes the queued jobs when it is destroyed") {
  std::atomic<int> ran{0};
  {
    Worker worker;
    for (int i = 0; i < 20; ++i) worker.submit([&] { ++ran; }); // fewer than a batch: not woken yet
  }
  CHECK(ran == 20);
}
