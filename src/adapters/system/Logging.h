// Log output: spdlog on stderr, one line per event, at the configured level.
#pragma once

#include <string>

namespace s2m {

// `level`: trace, debug, info, warning or error. `journal`: stderr goes to journald (systemd
// sets $JOURNAL_STREAM): no timestamp (journald stamps each line) and a "<N>" syslog priority
// prefix on every line, so `journalctl -p warning` and the colours there follow our levels.
void setup_logging(const std::string& level, bool journal);

}  // namespace s2m
