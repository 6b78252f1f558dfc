// The page's Spotify app section: the first-run form while no app is set up, then which app is in
// use and where it comes from (config and environment read only, the page's own changeable).
// Pure, like Pages.h; the secret is never passed in, only whether there is one.
#pragma once

#include <string>

#include "ports/LinkPort.h"

namespace s2m {

// The form field clients on other machines fill in to change anything (README "Linking");
// empty when the client needs none.
std::string setup_code_field(bool needed);

// base_path: what every form's address starts with ("" or the ingress prefix, Pages.h).
std::string render_app_section(const AppView& app, bool needs_setup_code,
                               const std::string& redirect_uri, const std::string& base_path = "");

}  // namespace s2m
