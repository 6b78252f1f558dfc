#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace s2m::test {

struct ProcessOptions {
    // argv[0] is the program: a path, or a bare name looked up in $PATH.
    std::vector<std::string> argv;
    // Added to (or replacing entries of) the inherited environment.
    std::map<std::string, std::string> env;
    // Inherited variables starting with one of these are dropped, so a developer's own
    // SPOTIFY2MQTT__* settings cannot leak into a test's bridge. `env` is applied afterwards.
    std::vector<std::string> drop_env_prefixes{"SPOTIFY2MQTT"};
    // Empty: the test's working directory.
    std::filesystem::path working_dir;
    // stdout and stderr both go here, appended (a restarted server keeps one log). Required.
    std::filesystem::path log_file;
    // stdin: /dev/null, or (true) a socket the test writes to with write_stdin(), the way a
    // person types into a terminal.
    bool stdin_writable = false;
};

// A child process for integration tests. stdin is /dev/null unless stdin_writable. The child runs
// in its own process group (so killing it also kills anything it forked, e.g. from `sh -c`) and
// gets SIGKILL if the thread that spawned it dies (PR_SET_PDEATHSIG), so a crashed or killed test
// run leaves no daemons behind. The destructor SIGKILLs and reaps a child that is still running.
//
// Exit codes: the process's exit status, or 128 + signal number when a signal ended it (the shell
// convention: 137 = SIGKILL, 143 = SIGTERM). Not thread-safe: use from one test thread.
class Process {
  public:
    // Spawns the child; throws std::runtime_error (with the reason) if it cannot be executed.
    explicit Process(ProcessOptions options);
    ~Process();

    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }

    // False once the child has exited (it is reaped then, and exit_code() is set).
    bool running();

    // Sends `sig` to the child only (not its process group), e.g. SIGTERM to test shutdown.
    // Does nothing once the child has been reaped.
    void signal(int sig);

    // Waits up to `timeout` for the child to exit; its exit code, or nullopt if still running.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

    // SIGTERM, wait up to `timeout`, then SIGKILL the process group; returns the exit code.
    int terminate_and_wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // SIGKILL to the process group, then reap.
    void kill_hard();

    // Sends `text` to the child's stdin (stdin_writable only); false when it cannot be written
    // (e.g. the child has exited). close_stdin() is end of input (Ctrl-D).
    bool write_stdin(const std::string& text);
    void close_stdin();

    // Set once the child has been reaped.
    std::optional<int> exit_code() const { return exit_code_; }

    // Everything the child wrote to stdout/stderr so far, after a "=== spawn: ARGV ===" line per
    // spawn (so text that also appears in argv is in the log from the start).
    std::string log() const;
    const std::filesystem::path& log_path() const { return options_.log_file; }

  private:
    void spawn();
    bool try_reap(bool block);
    void kill_group(int sig);

    ProcessOptions options_;
    pid_t pid_ = -1;
    int pidfd_ = -1;     // readable when the child exits: lets wait_exit block without polling
    int stdin_fd_ = -1;  // our end of the child's stdin (stdin_writable)
    std::optional<int> exit_code_;
};

}  // namespace s2m::test
