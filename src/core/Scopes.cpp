#include "core/Scopes.h"

#include "core/Authorization.h"
#include "core/CommandKeys.h"
#include "core/Encoding.h"

namespace s2m {

const std::vector<FeatureScopes>& feature_scope_table() {
    static const std::vector<FeatureScopes> table{
        {Feature::LibraryChanges, "library_changes", "liking", {"user-library-modify"}},
        {Feature::PlaylistChanges,
         "playlist_changes",
         "playlist changes",
         {"playlist-modify-private", "playlist-modify-public"}},
        {Feature::Recent, "recent", "recently played", {"user-read-recently-played"}},
        {Feature::Top, "top", "top items", {"user-top-read"}},
        {Feature::LibraryArtists, "library_artists", "followed artists", {"user-follow-read"}},
        {Feature::Library, "library", "the saved library", {"user-library-read"}},
    };
    return table;
}

const FeatureScopes& scopes_of(Feature feature) {
    for (const FeatureScopes& row : feature_scope_table())
        if (row.feature == feature) return row;
    return feature_scope_table().front();  // unreachable: every Feature has a row
}

const std::vector<KeyFeature>& key_feature_table() {
    static const std::vector<KeyFeature> table{
        {"like", Feature::LibraryChanges},
        {"add_to_playlist", Feature::PlaylistChanges},
        {"remove_from_playlist", Feature::PlaylistChanges},
        {"create_playlist", Feature::PlaylistChanges},
    };
    return table;
}

std::set<std::string> parse_scopes(std::string_view text) {
    std::set<std::string> scopes;
    for (std::string_view word : split(text, ' ')) {
        if (!word.empty()) scopes.emplace(word);
    }
    return scopes;
}

const std::set<std::string>& scopes_before_2026_12() {
    static const std::set<std::string> scopes{
        "user-read-playback-state",    "user-modify-playback-state",
        "user-read-currently-playing", "playlist-read-private",
        "playlist-read-collaborative", "user-library-read",
        "user-library-modify",         "user-read-private"};
    return scopes;
}

std::set<std::string> granted_scopes(std::string_view stored) {
    std::set<std::string> granted = parse_scopes(stored);
    return granted.empty() ? scopes_before_2026_12() : granted;
}

bool may_use(Feature feature, const std::set<std::string>& granted) {
    for (const char* scope : scopes_of(feature).scopes)
        if (!granted.contains(scope)) return false;
    return true;
}

std::vector<std::string> missing_scopes(const std::set<std::string>& granted) {
    std::vector<std::string> missing;
    for (const ScopeNeed& need : requested_scopes())
        if (!granted.contains(need.scope)) missing.emplace_back(need.scope);
    return missing;
}

std::vector<Feature> missing_features(const std::set<std::string>& granted) {
    std::vector<Feature> missing;
    for (const FeatureScopes& row : feature_scope_table())
        if (!may_use(row.feature, granted)) missing.push_back(row.feature);
    return missing;
}

std::optional<CommandError> missing_scope_refusal(const CommandSet& commands,
                                                  const std::set<std::string>& granted) {
    return missing_scope_refusal(commands, granted, key_feature_table());
}

CommandError missing_scope_error(const std::string& what, const std::string& scopes,
                                 const std::string& account) {
    return CommandError{reason::kMissingScope,
                        "Not carried out: " + what +
                            " needs a permission this account did not grant when it was linked (" +
                            scopes +
                            "). Link the account again (\"Link again\" on the bridge's web page, "
                            "or `spotify2mqtt link --account " +
                            account + "`): it keeps its name, topics and Home Assistant device."};
}

std::optional<CommandError> missing_scope_refusal(const CommandSet& commands,
                                                  const std::set<std::string>& granted,
                                                  const std::vector<KeyFeature>& keys) {
    for (const KeyFeature& row : keys) {
        // By name: a row whose key is not (yet) in the key table asks for nothing.
        const CommandKey* key = find_command_key(row.key);
        if (!key || !key->asked || !key->asked(commands) || may_use(row.feature, granted)) continue;
        std::string scopes;
        for (const char* scope : scopes_of(row.feature).scopes)
            if (!granted.contains(scope))
                scopes += (scopes.empty() ? "" : ", ") + std::string(scope);
        return missing_scope_error(row.key, scopes, "<name>");
    }
    return std::nullopt;
}

}  // namespace s2m
