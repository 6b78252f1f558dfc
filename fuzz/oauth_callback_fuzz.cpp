// libFuzzer target for what reaches the OAuth callback (docs/linking.md): the query string Spotify
// (or anyone) sends to /callback and the address a person pastes into `link`. Besides "no crash,
// no exception, no sanitizer report" it checks that an accepted callback carries a state and
// either a code or an error, and that a rejection explains itself in a short sentence.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/Authorization.h"
#include "core/Encoding.h"
#include "fuzz_require.h"

using s2m::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto pairs = s2m::parse_query(text)) {
        for (const auto& [key, value] : *pairs) {
            require(key.size() <= text.size() && value.size() <= text.size(),
                    "decoding never makes a field longer than the query");
        }
    }
    auto callback = s2m::parse_callback(text);
    if (callback.ok()) {
        require(!callback->state.empty(), "an accepted callback has a state");
        require(!callback->code.empty() || !callback->error.empty(),
                "an accepted callback has a code or an error");
        if (!callback->error.empty())
            require(!s2m::describe_authorize_error(callback->error).empty(),
                    "an error is described");
    } else {
        const auto& message = callback.error().message;
        require(!message.empty() && message.size() < 600, "a short message");
    }
    return 0;
}
