#include "core/CommandPlaylistEdit.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "spotify/Endpoints.h"

namespace s2m {

bool may_change_playlist(const Playlist& playlist, const std::string& user_id) {
    return playlist.collaborative || (playlist.owner_id && *playlist.owner_id == user_id);
}

namespace command_values {

namespace {

using endpoint::quoted;

constexpr size_t kMaxDescriptionBytes = 300;  // Spotify's own limit for a description

// The members an object form understands, for the unknown-key message.
Status only_keys(const std::string& name, const Json& object,
                 const std::vector<std::string>& keys) {
    for (const auto& [key, member] : object.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return CommandError(reason::kUnknownKey, "unknown key " + quote(name + "." + key) +
                                                         "; " + name + " understands " +
                                                         join(keys, ", "));
        }
    }
    return ok_status();
}

// A playlist reference, or {"playlist":…, "uri":…} with an item.
Result<PlaylistEdit> edit_of(const std::string& name, const Json& value) {
    PlaylistEdit edit;
    if (!value.is_object()) {
        auto ref = playlist_ref_of(name, value);
        if (!ref) return ref.error();
        edit.playlist = std::move(ref.value());
        return edit;
    }
    if (auto read = only_keys(name, value, {"playlist", "uri"}); !read) return read.error();
    if (!value.contains("playlist")) {
        return invalid(name +
                       " needs \"playlist\": a playlist name, URI or link (\"uri\" is the "
                       "item, the current one when left out)");
    }
    auto ref = playlist_ref_of(name + ".playlist", value.at("playlist"));
    if (!ref) return ref.error();
    edit.playlist = std::move(ref.value());
    if (value.contains("uri")) {
        auto item = item_of(name + ".uri", value.at("uri"));
        if (!item) return item.error();
        edit.item = std::move(item.value());
    }
    return edit;
}

// The playlist to change, from the account's list (a fresh one before saying it is not there),
// if the user may change it.
bool changeable_playlist(const PlaylistRef& ref, Planning& p, const Playlist*& out) {
    const AccountKnowledge& k = p.known();
    if (ref.name) {
        if (!p.find_playlist_entry(*ref.name, out)) return false;
    } else {
        if (k.playlists) {
            for (const Playlist& playlist : *k.playlists)
                if (!out && playlist.uri == *ref.uri) out = &playlist;
        }
        if (!out) {
            if (!k.fresh_playlists) return p.stop(Refresh::Playlists);
            // Spotify lists every playlist the user owns or follows: one not there is someone
            // else's, and the bridge will not change it.
            return p.stop(CommandError{
                reason::kNotAllowed,
                quoted(*ref.uri) + " is not one of this account's playlists; only playlists it "
                                   "owns or collaborates on can be changed."});
        }
    }
    if (out->collaborative) return true;
    if (!k.user_id) return p.stop(Refresh::Profile);
    if (may_change_playlist(*out, *k.user_id)) return true;
    return p.stop(CommandError{
        reason::kNotAllowed,
        "The playlist " + quoted(out->name) + " belongs to " +
            quoted(out->owner.value_or(out->owner_id.value_or("someone else"))) +
            "; only playlists this account owns or that are collaborative can be changed."});
}

// The item named in the message, else what plays now (from a fresh look when nothing is known).
bool item_to_change(const PlaylistEdit& edit, Planning& p, const std::string& verb,
                    std::string& out) {
    if (edit.item) {
        out = *edit.item;
        return true;
    }
    const AccountKnowledge& k = p.known();
    if (k.state && k.state->state != PlayerState::Idle && k.state->track &&
        !k.state->track->uri.empty()) {
        out = k.state->track->uri;
        return true;
    }
    if (!k.fresh_state) return p.stop(Refresh::State);
    return p.stop(
        CommandError{reason::kNothingPlaying,
                     "Nothing is playing, so there is no current item to " + verb +
                         "; name one with {\"playlist\":…, \"uri\":\"spotify:track:…\"}."});
}

std::string id_of_playlist(const Playlist& playlist) {
    return playlist.uri.substr(playlist.uri.rfind(':') + 1);
}

}  // namespace

Status parse_add_to_playlist(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.add_to_playlist, edit_of(name, value));
}

Status parse_remove_from_playlist(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.remove_from_playlist, edit_of(name, value));
}

Status parse_create_playlist(const std::string& name, const Json& value, CommandSet& out) {
    NewPlaylist created;
    const Json* name_value = &value;
    if (value.is_object()) {
        if (auto read = only_keys(name, value, {"name", "public", "description"}); !read)
            return read;
        if (!value.contains("name"))
            return invalid(name + " needs \"name\", the new playlist's name");
        name_value = &value.at("name");
        if (value.contains("public")) {
            auto is_public = boolean_of(name + ".public", value.at("public"));
            if (!is_public) return is_public.error();
            created.is_public = is_public.value();
        }
        if (value.contains("description")) {
            auto text = text_of(name + ".description", "text", value.at("description"));
            if (!text) return text.error();
            if (text->size() > kMaxDescriptionBytes) {
                return invalid(name + ".description is too long: " + std::to_string(text->size()) +
                               " bytes (at most " + std::to_string(kMaxDescriptionBytes) + ")");
            }
            created.description = std::string(text.value());
        }
    }
    auto playlist_name = name_of(name, "a playlist name", *name_value);
    if (!playlist_name) return playlist_name.error();
    created.name = std::move(playlist_name.value());
    out.create_playlist = std::move(created);
    return ok_status();
}

bool plan_add_to_playlist(const CommandSet& c, Planning& p) {
    const Playlist* playlist = nullptr;
    std::string item;
    if (!changeable_playlist(c.add_to_playlist->playlist, p, playlist)) return false;
    if (!item_to_change(*c.add_to_playlist, p, "add", item)) return false;
    p.plan().duplicate_check = CommandPlan::DuplicateCheck{id_of_playlist(*playlist), item};
    p.plan().data["playlist"] = playlist->uri;
    p.plan().data["uri"] = item;
    p.add(endpoint::add_items_to_playlist(id_of_playlist(*playlist), item, playlist->name));
    return true;
}

bool plan_remove_from_playlist(const CommandSet& c, Planning& p) {
    const Playlist* playlist = nullptr;
    std::string item;
    if (!changeable_playlist(c.remove_from_playlist->playlist, p, playlist)) return false;
    if (!item_to_change(*c.remove_from_playlist, p, "remove", item)) return false;
    p.plan().data["playlist"] = playlist->uri;
    p.plan().data["uri"] = item;
    p.add(endpoint::remove_items_playlist(id_of_playlist(*playlist), item, playlist->name));
    return true;
}

bool plan_create_playlist(const CommandSet& c, Planning& p) {
    const NewPlaylist& created = *c.create_playlist;
    p.plan().creating_call = p.plan().calls.size();
    p.add(endpoint::create_playlist(created.name, created.is_public, created.description));
    return true;
}

}  // namespace command_values

}  // namespace s2m
