#include "core/JsonFields.h"

namespace s2m {

const char* json_type_name(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::string:
            return "a string";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "an integer";
        case Json::value_t::number_float:
            return "a number";
        default:
            return "something else";
    }
}

namespace {
[[noreturn]] void wrong_type(const std::string& path, const char* expected, const Json& got) {
    throw FieldError(path + ": expected " + expected + ", got " + json_type_name(got));
}
std::string join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
}
}  // namespace

const Json* field(const Json& object, const char* key, const std::string& path) {
    if (!object.is_object()) wrong_type(path.empty() ? "(body)" : path, "an object", object);
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<std::string> opt_string(const Json& object, const char* key,
                                      const std::string& path) {
    const Json* value = field(object, key, path);
    if (!value) return std::nullopt;
    if (!value->is_string()) wrong_type(join(path, key), "a string", *value);
    return value->get<std::string>();
}

std::optional<int64_t> opt_int(const Json& object, const char* key, const std::string& path) {
    const Json* value = field(object, key, path);
    if (!value) return std::nullopt;
    if (value->is_number_integer()) return value->get<int64_t>();
    // Some Spotify answers carry integral values as 12.0; anything else is not an integer.
    if (value->is_number_float()) {
        double d = value->get<double>();
        // The range first: converting a double outside int64's range is undefined behaviour.
        if (d > -9e15 && d < 9e15 && d == static_cast<double>(static_cast<int64_t>(d))) {
            return static_cast<int64_t>(d);
        }
    }
    wrong_type(join(path, key), "an integer", *value);
}

std::optional<bool> opt_bool(const Json& object, const char* key, const std::string& path) {
    const Json* value = field(object, key, path);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) wrong_type(join(path, key), "a boolean", *value);
    return value->get<bool>();
}

const Json* opt_object(const Json& object, const char* key, const std::string& path) {
    const Json* value = field(object, key, path);
    if (value && !value->is_object()) wrong_type(join(path, key), "an object", *value);
    return value;
}

const Json* opt_array(const Json& object, const char* key, const std::string& path) {
    const Json* value = field(object, key, path);
    if (value && !value->is_array()) wrong_type(join(path, key), "an array", *value);
    return value;
}

}  // namespace s2m
