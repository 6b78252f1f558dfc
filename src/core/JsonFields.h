// Type-checked reads of optional JSON fields. A field that is missing or null reads as nullopt;
// a field of the wrong type throws FieldError, which the mappers turn into a BadResponse error
// naming the field (so a malformed Spotify answer is explained, not crashed on).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace s2m {

struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using Json = nlohmann::json;

const char* json_type_name(const Json& value);

// The member `key` of `object` if present and not null; throws when `object` is not an object.
const Json* field(const Json& object, const char* key, const std::string& path);

std::optional<std::string> opt_string(const Json& object, const char* key, const std::string& path);
std::optional<int64_t> opt_int(const Json& object, const char* key, const std::string& path);
std::optional<bool> opt_bool(const Json& object, const char* key, const std::string& path);
// Present, not null and an object / array (else nullptr); wrong type throws.
const Json* opt_object(const Json& object, const char* key, const std::string& path);
const Json* opt_array(const Json& object, const char* key, const std::string& path);

}  // namespace s2m
