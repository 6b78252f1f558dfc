// Blocking HTTP work off the loop thread, in lanes: the bridge's ports/JobRunner.h. A lane is one
// account's polls, or its commands, or its cover downloads (the caller names them): it runs one
// job at a time, in the order submitted, and a lane with work never waits for a thread — an idle
// thread takes it, or a new one starts. So an account whose calls hang until their timeout holds
// only the threads of its own lanes, and no number of such accounts delays another account's
// command or poll. The thread count follows the busy lanes, not the accounts: a thread idle for
// `idle_timeout` ends (all but `warm_threads`) and hands what its jobs allocated back to the
// system; the most recently idle thread is used first, so the others run out their idle time.
//
// Jobs must not touch bridge state: they compute a result and post it to the loop. Each thread
// has its own HttpClient (libcurl easy handles are not shareable). submit() is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ports/HttpClient.h"
#include "ports/JobRunner.h"

namespace s2m {

class WorkerPool : public JobRunner {
  public:
    using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;

    struct Options {
        // Short, so the threads of a burst (the first polls of every account, hanging accounts)
        // do not stay; the warm ones serve steady polling and a command next to a poll, and
        // keep their connections to Spotify open.
        std::chrono::milliseconds idle_timeout{10000};
        size_t warm_threads = 2;
    };

    explicit WorkerPool(ClientFactory make_client)
        : WorkerPool(std::move(make_client), Options{}) {}
    WorkerPool(ClientFactory make_client, Options options);
    ~WorkerPool() override;  // finishes running jobs, drops waiting ones
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(const std::string& lane, Job job) override;
    size_t threads() const;  // running or idle

  private:
    struct Task {
        std::string lane;
        Job job;
    };
    struct Worker {
        std::condition_variable wake;
        std::optional<Task> task;  // handed over by submit(), or the lane's next job
        std::unique_ptr<HttpClient> client;
        std::thread thread;
    };

    enum class Next { Task, Stop, Retired };

    void assign(Task task);  // with mutex_ held
    void work(Worker& self);
    // With mutex_ held, after a task: the lane's next job, else wait idle for one. Stop: the
    // pool is going; Retired: idle too long, `self` is gone.
    Next next_task(std::unique_lock<std::mutex>& lock, Worker& self, const std::string& lane);
    void retire(Worker& self);  // with mutex_ held; destroys `self`

    ClientFactory make_client_;
    Options options_;
    mutable std::mutex mutex_;
    // Busy lanes → the jobs waiting behind the running one.
    std::map<std::string, std::deque<Job>> busy_lanes_;
    std::list<Worker> workers_;
    std::vector<Worker*> idle_;         // the most recently idle last
    std::deque<Task> unstaffed_;        // no thread could be started for these (yet)
    std::vector<std::thread> retired_;  // ended threads, joined by the next submit()
    bool stopping_ = false;
};

}  // namespace s2m
