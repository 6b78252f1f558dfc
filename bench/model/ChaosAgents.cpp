#include "model/ChaosAgents.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace s2m::bench {

using Clock = std::chrono::steady_clock;

TmpfsDisk::TmpfsDisk(std::filesystem::path dir, std::size_t bytes)
    : dir_(std::move(dir)), filler_(dir_ / "chaos-filler") {
    std::filesystem::create_directories(dir_);
    std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
        throw std::runtime_error("cannot mount a tmpfs on " + dir_.string() + ": " +
                                 std::strerror(errno));
    }
}

TmpfsDisk::~TmpfsDisk() {
    // MNT_DETACH: a bridge still holding a file there does not keep the mount alive.
    ::umount2(dir_.c_str(), MNT_DETACH);
}

void TmpfsDisk::fill() {
    int fd = ::open(filler_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + filler_.string());
    std::string block(4096, 'x');
    // Until ENOSPC; the last partial block fills what a whole one could not.
    for (std::size_t size = block.size(); size > 0;) {
        if (::write(fd, block.data(), size) < 0) {
            if (errno != ENOSPC) break;
            size /= 2;
        }
    }
    ::close(fd);
    full_ = true;
}

void TmpfsDisk::free() {
    std::error_code ignored;
    std::filesystem::remove(filler_, ignored);
    full_ = false;
}

int PageAttackers::connect_page() const {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    // A bridge that stops reading must not hang the attacker for ever.
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

namespace {
bool send_all(int fd, const std::string& text) {
    for (std::size_t sent = 0; sent < text.size();) {
        ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}
}  // namespace

void PageAttackers::spawn(std::function<void()> work) {
    std::lock_guard lock(threads_mutex_);
    threads_.emplace_back(std::move(work));
}

void PageAttackers::slow_clients(int count, std::chrono::seconds every,
                                 std::chrono::seconds lasting) {
    for (int i = 0; i < count; ++i) {
        spawn([this, i, every, lasting] {
            int fd = connect_page();
            if (fd < 0) return;
            ++slow_opened_;
            auto until = Clock::now() + lasting;
            bool open = send_all(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (int line = 0; open && !stopping_ && Clock::now() < until; ++line) {
                // Sleep in small steps so stop() does not wait a whole `every`.
                auto next = Clock::now() + every;
                while (!stopping_ && Clock::now() < next)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                open = send_all(fd, "X-Slow-" + std::to_string(i) + "-" + std::to_string(line) +
                                        ": still typing\r\n");
            }
            ::close(fd);
        });
    }
}

void PageAttackers::header_flood(int headers, std::size_t header_bytes) {
    spawn([this, headers, header_bytes] {
        int fd = connect_page();
        if (fd < 0) return;
        ++floods_sent_;
        bool open = send_all(fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        std::string value(header_bytes, 'f');
        for (int i = 0; open && i < headers && !stopping_; ++i)
            open = send_all(fd, "X-Flood-" + std::to_string(i) + ": " + value + "\r\n");
        if (open) open = send_all(fd, "\r\n");
        if (!open) ++floods_cut_short_;
        // Read whatever the bridge answers (or until it closes), then hang up.
        char buffer[4096];
        timeval timeout{2, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        while (open && ::recv(fd, buffer, sizeof buffer, 0) > 0) {
        }
        ::close(fd);
    });
}

void PageAttackers::stop() {
    stopping_ = true;
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(threads_mutex_);
        threads.swap(threads_);
    }
    for (auto& thread : threads) thread.join();
    stopping_ = false;
}

}  // namespace s2m::bench
