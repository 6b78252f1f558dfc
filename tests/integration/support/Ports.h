#pragma once

#include <chrono>

namespace s2m::test {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close). Another
// process could take it before the caller binds it; callers that start servers retry on a clash.
int free_tcp_port();

// True when something accepts TCP connections on 127.0.0.1:port right now.
bool port_open(int port);

// Polls port_open() until it is true or the timeout passes. Connection attempts on loopback
// answer at once, so this needs no separate readiness signal from the server.
bool wait_port_open(int port, std::chrono::milliseconds timeout);

}  // namespace s2m::test
