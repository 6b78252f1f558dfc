// The process's limit on open files (sockets included). Every Spotify call, the broker and each
// page connection takes one; when they run out, Spotify calls fail to connect.
#pragma once

namespace s2m {

// Raises the soft limit towards the hard one (up to 4096, far more than the bridge uses: the page
// takes at most 64 connections), then logs the limit in force so that a low one is visible at
// start.
void raise_open_file_limit();

}  // namespace s2m
