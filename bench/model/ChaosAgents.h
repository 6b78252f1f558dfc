// The misbehaviour chaos_bench throws at a running bridge from outside: a disk that fills up
// under the token store, and clients of the account page that are slow or send header floods.
// (Hanging accounts, hostile token answers and broker restarts are the fake's and the broker's
// own controls.)
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace s2m::bench {

// A small tmpfs mounted on a directory (needs root or CAP_SYS_ADMIN), so the bridge's writes
// there really fail with ENOSPC once fill() has taken the free space. Unmounted when destroyed.
class TmpfsDisk {
  public:
    // Throws std::runtime_error with the reason when the mount is refused.
    TmpfsDisk(std::filesystem::path dir, std::size_t bytes);
    ~TmpfsDisk();
    TmpfsDisk(const TmpfsDisk&) = delete;
    TmpfsDisk& operator=(const TmpfsDisk&) = delete;

    void fill();  // a filler file takes every free byte
    void free();  // and is removed again
    bool full() const { return full_; }

  private:
    std::filesystem::path dir_;
    std::filesystem::path filler_;
    bool full_ = false;
};

// Raw sockets to the bridge's page, each kind on threads of its own until stop().
class PageAttackers {
  public:
    explicit PageAttackers(int port) : port_(port) {}
    ~PageAttackers() { stop(); }
    PageAttackers(const PageAttackers&) = delete;
    PageAttackers& operator=(const PageAttackers&) = delete;

    // `count` connections that each send a request line, then one header line every
    // `every`, for `lasting` (or until the bridge closes them).
    void slow_clients(int count, std::chrono::seconds every, std::chrono::seconds lasting);
    // One connection sending `headers` headers of `header_bytes` each, as fast as the bridge
    // reads them (it may close the connection early: counted as refused).
    void header_flood(int headers, std::size_t header_bytes);
    void stop();

    long slow_opened() const { return slow_opened_; }
    long floods_sent() const { return floods_sent_; }
    long floods_cut_short() const { return floods_cut_short_; }

  private:
    int connect_page() const;
    void spawn(std::function<void()> work);

    int port_;
    std::atomic<bool> stopping_{false};
    std::mutex threads_mutex_;
    std::vector<std::thread> threads_;
    std::atomic<long> slow_opened_{0};
    std::atomic<long> floods_sent_{0};
    std::atomic<long> floods_cut_short_{0};
};

}  // namespace s2m::bench
