// Paho C (1.3, Debian 12) leaves Nagle's algorithm on for its broker socket and offers no way
// to change that. With Nagle on, a state published right after the PUBACK of a command waits for
// the broker's delayed ACK: 40 ms on Linux, measured by bench/command_bench. This finds the
// connected TCP sockets of this process whose peer port is the broker's and sets TCP_NODELAY.
#pragma once

#include <string>

namespace s2m {

// The port of an mqtt://, mqtts://, tcp:// or ssl:// URL (1883 / 8883 when absent); 0 if unknown.
int broker_port(const std::string& url);

// Sets TCP_NODELAY on every connected TCP socket of this process whose peer port is `port`.
// Returns how many sockets were changed. Harmless when none match.
int set_tcp_nodelay_to_port(int port);

}  // namespace s2m
