#include "support/Process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

#include "support/TempDir.h"

extern char** environ;

namespace s2m::test {
namespace {

std::string errno_text(int err) {
    return std::strerror(err);
}

// Resolved before fork(): after fork() in a multi-threaded test (Paho runs threads) the child may
// only call async-signal-safe functions, so no allocation and no PATH search there.
std::string resolve_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path_env = std::getenv("PATH");
    std::string_view path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
    while (!path.empty()) {
        const auto colon = path.find(':');
        std::string dir(path.substr(0, colon));
        path = colon == std::string_view::npos ? std::string_view{} : path.substr(colon + 1);
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    throw std::runtime_error("program not found in PATH: " + name);
}

std::vector<std::string> build_environment(const ProcessOptions& options) {
    std::vector<std::string> result;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view var(*entry);
        std::string_view key = var.substr(0, var.find('='));
        bool drop = options.env.count(std::string(key)) != 0;
        for (const auto& prefix : options.drop_env_prefixes) {
            drop = drop || key.starts_with(prefix);
        }
        if (!drop) result.emplace_back(var);
    }
    for (const auto& [key, value] : options.env) result.push_back(key + "=" + value);
    return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

[[noreturn]] void report_child_failure(int error_fd) {
    const int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    ::_exit(127);
}

// Runs in the child between fork() and exec(): async-signal-safe calls only. Reports a failure
// as an errno on `error_fd` (close-on-exec, so a successful exec closes it with nothing written).
[[noreturn]] void exec_child(pid_t parent, int log_fd, int null_fd, int error_fd,
                             const char* working_dir, const char* program, char** argv,
                             char** envp) {
    ::setpgid(0, 0);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) report_child_failure(error_fd);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    // Signal state survives exec: undo whatever the test process (or its threads) set up.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    if (working_dir != nullptr && ::chdir(working_dir) != 0) report_child_failure(error_fd);
    if (::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(log_fd, STDOUT_FILENO) < 0 ||
        ::dup2(log_fd, STDERR_FILENO) < 0) {
        report_child_failure(error_fd);
    }
    // Sockets the test opened without CLOEXEC (e.g. by libraries) must not leak into daemons.
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execve(program, argv, envp);
    report_child_failure(error_fd);
}

}  // namespace

Process::Process(ProcessOptions options) : options_(std::move(options)) {
    if (options_.argv.empty()) throw std::invalid_argument("Process: empty argv");
    if (options_.log_file.empty()) throw std::invalid_argument("Process: no log_file");
    spawn();
}

Process::~Process() {
    if (pid_ > 0 && !exit_code_) {
        kill_group(SIGKILL);
        try_reap(true);
    }
    if (pidfd_ >= 0) ::close(pidfd_);
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
}

bool Process::write_stdin(const std::string& text) {
    size_t sent = 0;
    while (stdin_fd_ >= 0 && sent < text.size()) {
        ssize_t n = ::send(stdin_fd_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return stdin_fd_ >= 0;
}

void Process::close_stdin() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = -1;
}

void Process::spawn() {
    const std::string program = resolve_program(options_.argv.front());
    std::vector<std::string> argv_storage = options_.argv;
    std::vector<std::string> env_storage = build_environment(options_);
    std::vector<char*> argv = c_strings(argv_storage);
    std::vector<char*> envp = c_strings(env_storage);
    const std::string working_dir = options_.working_dir.string();

    const int log_fd =
        ::open(options_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw std::runtime_error("cannot open log " + options_.log_file.string() + ": " +
                                 errno_text(errno));
    }
    // A header per spawn: a restarted server's log then shows where each run begins.
    std::ostringstream header;
    header << "=== spawn:";
    for (const auto& arg : options_.argv) header << ' ' << arg;
    header << " ===\n";
    const std::string header_text = header.str();
    (void)!::write(log_fd, header_text.data(), header_text.size());

    // A socket rather than a pipe: send(MSG_NOSIGNAL) to a child that has gone raises no SIGPIPE.
    int stdin_pair[2] = {-1, -1};
    if (options_.stdin_writable &&
        ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, stdin_pair) != 0) {
        const int err = errno;
        ::close(log_fd);
        throw std::runtime_error("Process: " + errno_text(err));
    }
    const int null_fd =
        options_.stdin_writable ? stdin_pair[1] : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int error_pipe[2];
    if (null_fd < 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) {
        const int err = errno;
        ::close(log_fd);
        if (null_fd >= 0) ::close(null_fd);
        if (stdin_pair[0] >= 0) ::close(stdin_pair[0]);
        throw std::runtime_error("Process: " + errno_text(err));
    }

    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child == 0) {
        exec_child(parent, log_fd, null_fd, error_pipe[1],
                   working_dir.empty() ? nullptr : working_dir.c_str(), program.c_str(),
                   argv.data(), envp.data());
    }
    const int fork_errno = errno;
    ::close(log_fd);
    ::close(null_fd);
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = stdin_pair[0];
    ::close(error_pipe[1]);
    if (child < 0) {
        ::close(error_pipe[0]);
        throw std::runtime_error("fork: " + errno_text(fork_errno));
    }
    pid_ = child;

    int child_errno = 0;
    ssize_t got;
    do {
        got = ::read(error_pipe[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    ::close(error_pipe[0]);
    if (got > 0) {
        try_reap(true);
        throw std::runtime_error("cannot start " + program + ": " + errno_text(child_errno));
    }
    // Also set the group from this side: a signal sent right after spawn() must not race the
    // child's own setpgid (EACCES after exec is harmless: the child already did it).
    ::setpgid(child, child);
    // Via syscall(): Debian 12's <sys/pidfd.h> lacks extern "C", so pidfd_open() does not link
    // from C++. -1 on old kernels: wait_exit() then polls instead.
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
}

bool Process::try_reap(bool block) {
    if (exit_code_) return true;
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t got;
    do {
        got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    } while (got < 0 && errno == EINTR);
    if (got == pid_) {
        exit_code_ = decode_status(status);
        return true;
    }
    if (got < 0 && errno == ECHILD) {  // reaped elsewhere (should not happen): treat as gone
        exit_code_ = -1;
        return true;
    }
    return false;
}

bool Process::running() {
    return !try_reap(false);
}

void Process::signal(int sig) {
    if (pid_ > 0 && !exit_code_) ::kill(pid_, sig);
}

void Process::kill_group(int sig) {
    // The group id is the child's pid, which stays reserved until we reap it, so this cannot
    // hit an unrelated group.
    if (pid_ > 0 && !exit_code_) {
        if (::kill(-pid_, sig) != 0) ::kill(pid_, sig);
    }
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!try_reap(false)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        if (pidfd_ >= 0) {
            pollfd fd{pidfd_, POLLIN, 0};
            ::poll(&fd, 1, static_cast<int>(left.count()) + 1);
        } else {
            std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(5)));
        }
    }
    return exit_code_;
}

int Process::terminate_and_wait(std::chrono::milliseconds timeout) {
    signal(SIGTERM);
    if (auto code = wait_exit(timeout)) return *code;
    kill_hard();
    return exit_code_.value_or(-1);
}

void Process::kill_hard() {
    kill_group(SIGKILL);
    try_reap(true);
}

std::string Process::log() const {
    return read_file(options_.log_file);
}

}  // namespace s2m::test
