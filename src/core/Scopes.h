// Which features an account may use, given the scopes Spotify granted when it was linked
// (docs/linking.md#scopes). Spotify reports the granted scopes in its token answers (`scope`,
// space-separated); the token store keeps them. An account linked before a feature needed a new
// scope keeps everything else, and is told to link again (which keeps its name and topics).
//
// One table says what each feature needs; another maps command keys to features by NAME, so a
// key's row can exist before (or without) the key itself. Pure.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/Command.h"

namespace s2m {

enum class Feature {
    LibraryChanges,   // like / unlike (user-library-modify)
    PlaylistChanges,  // add_to_playlist, remove_from_playlist, create_playlist
    Recent,           // <account>/recent
    Top,              // <account>/top
    LibraryArtists,   // bridge/request/library with type "artists"
    Library,          // bridge/request/library with the saved lists (user-library-read)
};

struct FeatureScopes {
    Feature feature;
    const char* name;                 // as in docs and payloads: "playlist_changes"
    const char* what;                 // for sentences: "playlist changes"
    std::vector<const char*> scopes;  // all of them are needed
};
const std::vector<FeatureScopes>& feature_scope_table();
const FeatureScopes& scopes_of(Feature feature);

// A command key (by its name in the key table) that needs a feature.
struct KeyFeature {
    const char* key;
    Feature feature;
};
const std::vector<KeyFeature>& key_feature_table();

// The scope text of a token answer or of the token store → the set of scopes. Extra spaces are
// ignored.
std::set<std::string> parse_scopes(std::string_view text);

// What the bridge asked for before 2026-12 (before playlist changes and listening history). A
// stored record without scopes (written before they were recorded, or seeded from the config and
// not yet renewed) is taken to have exactly these: the features that need more stay off until
// Spotify says otherwise or the account links again.
const std::set<std::string>& scopes_before_2026_12();

// The granted set for a stored scope text: empty text means scopes_before_2026_12().
std::set<std::string> granted_scopes(std::string_view stored);

bool may_use(Feature feature, const std::set<std::string>& granted);
// The scopes the bridge asks for today (core/Authorization.h) that `granted` lacks, in the
// request's order.
std::vector<std::string> missing_scopes(const std::set<std::string>& granted);
// The features `granted` does not allow, in the table's order.
std::vector<Feature> missing_features(const std::set<std::string>& granted);

// The sentence the web page shows for an account that lacks scopes (docs/linking.md#scopes).
inline constexpr const char* kLinkAgainForScopes =
    "Link again to allow playlist changes and history";

// MISSING_SCOPE: "Not carried out: <what> needs a permission … (<scopes>). Link the account
// again …" with the command that links `account` again (docs/linking.md#scopes).
CommandError missing_scope_error(const std::string& what, const std::string& scopes,
                                 const std::string& account);

// MISSING_SCOPE when `commands` asks for a key whose feature `granted` does not allow, before any
// call; nullopt otherwise. `keys` defaults to key_feature_table() (tests pass their own).
std::optional<CommandError> missing_scope_refusal(const CommandSet& commands,
                                                  const std::set<std::string>& granted);
std::optional<CommandError> missing_scope_refusal(const CommandSet& commands,
                                                  const std::set<std::string>& granted,
                                                  const std::vector<KeyFeature>& keys);

}  // namespace s2m
