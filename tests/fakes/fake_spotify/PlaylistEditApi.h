// The Web API's playlist writes and the items read (paths and shapes from the reference's 2026
// operations): get-playlists-items, add-items-to-playlist, remove-items-playlist (all under
// /v1/playlists/{id}/items) and create-playlist (POST /v1/me/playlists). Like Spotify, a playlist
// the user neither owns nor collaborates on answers 403 and stays as it was; adding an item that
// is already there adds it again.
#pragma once

#include <functional>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

class PlaylistEditApi {
  public:
    explicit PlaylistEditApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    void items(Call& call);
    void add_items(Call& call);
    void add(const Call& call, Context& playlist, const json& body);
    void remove_items(Call& call);
    void create(Call& call);
    void change(Call& call, int status, const std::function<void(Context&, const json&)>& apply);
    // The playlist of the route for `user` to read or change, or 404 / 403 as Spotify answers.
    Context editable(const User& user, const Call& call);

    World& world_;
    int created_ = 0;  // for the new playlists' ids
};

}  // namespace fake_spotify
