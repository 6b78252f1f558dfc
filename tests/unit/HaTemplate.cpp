#include "HaTemplate.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "HaTemplateSyntax.h"

// Named (not only anonymous): the unity build puts several test files into one translation unit.
namespace s2m::test::jinja {

namespace {

using json = nlohmann::json;

// A Jinja value: JSON data, or Jinja's undefined (a missing key or attribute).
struct Value {
    json data;
    bool undefined = false;
};
const Value kUndefined{json(), true};

// ---------------------------------------------------------------------------------------------
// Evaluation with Python's semantics.

using Scope = std::map<std::string, Value>;

bool truthy(const Value& v) {
    if (v.undefined || v.data.is_null()) return false;
    if (v.data.is_boolean()) return v.data.get<bool>();
    if (v.data.is_number()) return v.data.get<double>() != 0;
    if (v.data.is_string()) return !v.data.get_ref<const std::string&>().empty();
    return !v.data.empty();  // list, dict
}

std::string python_float(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    if (d == std::floor(d) && std::fabs(d) < 1e16)
        return std::to_string(static_cast<int64_t>(d)) + ".0";
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
    return std::string(buffer, result.ptr);
}

std::string python_repr(const json& v);

// Python's str(): what {{ }} prints.
std::string python_str(const json& v) {
    if (v.is_null()) return "None";
    if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
    if (v.is_number_float()) return python_float(v.get<double>());
    if (v.is_number()) return v.dump();
    if (v.is_string()) return v.get<std::string>();
    return python_repr(v);
}

// Python's repr() (dict keys in JSON key order, which sorts them; Python keeps the payload's).
std::string python_repr(const json& v) {
    if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        char quote =
            s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
        std::string out(1, quote);
        for (char c : s) {
            if (c == '\\' || c == quote) out += '\\';
            if (c == '\n')
                out += "\\n";
            else if (c == '\t')
                out += "\\t";
            else if (c == '\r')
                out += "\\r";
            else
                out += c;
        }
        return out + quote;
    }
    if (v.is_array() || v.is_object()) {
        std::string out = v.is_array() ? "[" : "{";
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!first) out += ", ";
            first = false;
            if (v.is_object()) out += python_repr(json(it.key())) + ": ";
            out += python_repr(*it);
        }
        return out + (v.is_array() ? "]" : "}");
    }
    return python_str(v);
}

std::string text_of(const Value& v) {
    return v.undefined ? "" : python_str(v.data);
}

// Python's json.dumps (Jinja's tojson): ", " and ": " between items.
std::string python_json(const json& v) {
    if (!v.is_array() && !v.is_object()) return v.dump();
    std::string out = v.is_array() ? "[" : "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        if (v.is_object()) out += json(it.key()).dump() + ": ";
        out += python_json(*it);
    }
    return out + (v.is_array() ? "]" : "}");
}

bool equal(const Value& a, const Value& b) {
    if (a.undefined || b.undefined) return a.undefined && b.undefined;
    return a.data == b.data;
}

bool contains(const Value& item, const Value& container) {
    if (container.undefined) return false;  // iterating undefined gives nothing
    const json& c = container.data;
    if (c.is_array()) {
        for (const json& element : c)
            if (equal(item, Value{element})) return true;
        return false;
    }
    if (c.is_object())
        return !item.undefined && item.data.is_string() && c.contains(item.data.get<std::string>());
    if (c.is_string()) {
        if (item.undefined || !item.data.is_string())
            throw TemplateError("'in <string>' needs a string on the left, got " + text_of(item));
        return c.get_ref<const std::string&>().find(item.data.get<std::string>()) !=
               std::string::npos;
    }
    throw TemplateError("'in' needs a list, dict or string on the right, got " +
                        text_of(container));
}

Value evaluate(const Node& node, const Scope& scope);

Value attribute(const Value& object, const std::string& name) {
    if (object.undefined) throw TemplateError("taking ." + name + " of an undefined value");
    if (object.data.is_object()) {
        // Jinja tries Python's attribute first: on a dict these names are its methods.
        static const std::vector<std::string> methods = {"get", "items",  "keys", "values",
                                                         "pop", "update", "copy", "setdefault"};
        if (std::find(methods.begin(), methods.end(), name) != methods.end())
            throw TemplateError("." + name + " of a dict is its method in Jinja, not the key");
        auto it = object.data.find(name);
        return it == object.data.end() ? kUndefined : Value{*it};
    }
    return kUndefined;  // None.name, "text".name, …: undefined, as in Jinja
}

Value call_filter(const Node& node, const Scope& scope) {
    Value input = evaluate(*node.kids[0], scope);
    std::vector<Value> args;
    for (size_t i = 1; i < node.kids.size(); ++i) args.push_back(evaluate(*node.kids[i], scope));
    const std::string& name = node.name;
    if (name == "default") {
        if (args.size() > 1) throw TemplateError("default(value, boolean) is not supported");
        return input.undefined ? (args.empty() ? Value{""} : args[0]) : input;
    }
    if (name == "lower" || name == "upper") {
        std::string text = text_of(input);
        for (char& c : text)
            c = static_cast<char>(name == "lower" ? std::tolower(c) : std::toupper(c));
        return Value{text};
    }
    if (name == "tojson") {
        if (input.undefined) throw TemplateError("tojson of an undefined value");
        return Value{python_json(input.data)};
    }
    if (name == "join") {
        std::string separator = args.empty() ? "" : text_of(args[0]);
        if (input.undefined) return Value{""};
        std::string out;
        if (input.data.is_string()) {  // Python joins a string's characters
            for (char c : input.data.get<std::string>()) out += (out.empty() ? "" : separator) + c;
            return Value{out};
        }
        if (!input.data.is_array()) throw TemplateError("join needs a list, got " + text_of(input));
        bool first = true;
        for (const json& item : input.data) {
            if (!first) out += separator;
            first = false;
            out += python_str(item);
        }
        return Value{out};
    }
    throw TemplateError("the filter '" + name + "' is not supported");
}

Value evaluate(const Node& node, const Scope& scope) {
    switch (node.kind) {
        case Kind::Literal:
            return Value{node.literal};
        case Kind::Name: {
            auto it = scope.find(node.name);
            return it == scope.end() ? kUndefined : it->second;
        }
        case Kind::Attr:
            return attribute(evaluate(*node.kids[0], scope), node.name);
        case Kind::Item: {
            Value object = evaluate(*node.kids[0], scope);
            Value key = evaluate(*node.kids[1], scope);
            if (object.undefined) throw TemplateError("indexing an undefined value");
            if (object.data.is_object() && key.data.is_string()) {
                auto it = object.data.find(key.data.get<std::string>());
                return it == object.data.end() ? kUndefined : Value{*it};
            }
            if (object.data.is_array() && key.data.is_number_integer()) {
                auto size = static_cast<int64_t>(object.data.size());
                int64_t i = key.data.get<int64_t>();
                if (i < 0) i += size;
                return i >= 0 && i < size ? Value{object.data[static_cast<size_t>(i)]} : kUndefined;
            }
            return kUndefined;
        }
        case Kind::Call: {
            Value object = evaluate(*node.kids[0], scope);
            if (node.name != "get" || object.undefined || !object.data.is_object())
                throw TemplateError(
                    "calling ." + node.name + "() on " +
                    (object.undefined ? "an undefined value" : python_repr(object.data)) +
                    " is not supported");
            if (node.kids.size() < 2 || node.kids.size() > 3)
                throw TemplateError("get() takes a key and a default");
            Value key = evaluate(*node.kids[1], scope);
            if (!key.undefined && key.data.is_string()) {
                auto it = object.data.find(key.data.get<std::string>());
                if (it != object.data.end()) return Value{*it};
            }
            return node.kids.size() == 3 ? evaluate(*node.kids[2], scope) : Value{nullptr};
        }
        case Kind::Filter:
            return call_filter(node, scope);
        case Kind::Cond:
            if (truthy(evaluate(*node.kids[1], scope))) return evaluate(*node.kids[0], scope);
            return node.kids[2] ? evaluate(*node.kids[2], scope) : kUndefined;
        case Kind::And: {
            Value left = evaluate(*node.kids[0], scope);
            return truthy(left) ? evaluate(*node.kids[1], scope) : left;
        }
        case Kind::Or: {
            Value left = evaluate(*node.kids[0], scope);
            return truthy(left) ? left : evaluate(*node.kids[1], scope);
        }
        case Kind::Not:
            return Value{!truthy(evaluate(*node.kids[0], scope))};
        case Kind::Neg: {
            Value v = evaluate(*node.kids[0], scope);
            if (v.undefined || !v.data.is_number()) throw TemplateError("'-' needs a number");
            return Value{v.data.is_number_float() ? json(-v.data.get<double>())
                                                  : json(-v.data.get<int64_t>())};
        }
        case Kind::Compare: {
            Value a = evaluate(*node.kids[0], scope);
            Value b = evaluate(*node.kids[1], scope);
            const std::string& op = node.name;
            if (op == "==") return Value{equal(a, b)};
            if (op == "!=") return Value{!equal(a, b)};
            if (op == "in") return Value{contains(a, b)};
            if (op == "not in") return Value{!contains(a, b)};
            bool numbers = !a.undefined && !b.undefined && a.data.is_number() && b.data.is_number();
            bool strings = !a.undefined && !b.undefined && a.data.is_string() && b.data.is_string();
            if (!numbers && !strings)
                throw TemplateError("'" + op + "' needs two numbers or two strings");
            int order = numbers ? (a.data.get<double>() < b.data.get<double>()   ? -1
                                   : a.data.get<double>() > b.data.get<double>() ? 1
                                                                                 : 0)
                                : a.data.get<std::string>().compare(b.data.get<std::string>());
            if (op == "<") return Value{order < 0};
            if (op == ">") return Value{order > 0};
            if (op == "<=") return Value{order <= 0};
            return Value{order >= 0};
        }
        case Kind::List: {
            json list = json::array();
            for (const auto& kid : node.kids) {
                Value v = evaluate(*kid, scope);
                if (v.undefined) throw TemplateError("an undefined value inside a list literal");
                list.push_back(v.data);
            }
            return Value{list};
        }
        case Kind::Dict: {
            json dict = json::object();
            for (size_t i = 0; i + 1 < node.kids.size(); i += 2) {
                Value key = evaluate(*node.kids[i], scope);
                Value v = evaluate(*node.kids[i + 1], scope);
                if (key.undefined || !key.data.is_string())
                    throw TemplateError("dict keys must be strings here");
                if (v.undefined) throw TemplateError("an undefined value inside a dict literal");
                dict[key.data.get<std::string>()] = v.data;
            }
            return Value{dict};
        }
    }
    throw TemplateError("unknown expression");
}

void strip_left(std::string& text) {
    size_t first = text.find_first_not_of(" \t\r\n");
    text.erase(0, first == std::string::npos ? text.size() : first);
}

void strip_right(std::string& text) {
    size_t last = text.find_last_not_of(" \t\r\n");
    text.erase(last == std::string::npos ? 0 : last + 1);
}

std::string render(const std::string& text, const std::string& payload) {
    Scope scope;
    scope["value"] = Value{payload};
    json parsed = json::parse(payload, nullptr, false);
    if (!parsed.is_discarded()) scope["value_json"] = Value{parsed};

    std::string out;
    size_t pos = 0;
    bool strip_next = false;
    while (true) {
        // The next "{{", "{%" or "{#".
        size_t open = text.find('{', pos);
        while (open != std::string::npos &&
               (open + 1 >= text.size() ||
                std::string("{%#").find(text[open + 1]) == std::string::npos))
            open = text.find('{', open + 1);
        std::string chunk =
            text.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
        if (strip_next) strip_left(chunk);
        bool strip_before =
            open != std::string::npos && open + 2 < text.size() && text[open + 2] == '-';
        if (strip_before) strip_right(chunk);
        out += chunk;
        if (open == std::string::npos) break;

        char kind = text[open + 1];
        size_t start = open + 2 + (strip_before ? 1 : 0);
        if (kind == '#') {
            size_t end = text.find("#}", start);
            if (end == std::string::npos) throw TemplateError("a comment is not closed with #}");
            strip_next = end > start && text[end - 1] == '-';
            pos = end + 2;
            continue;
        }
        Lexer lexer{text, start, kind == '{' ? "}}" : "%}"};
        Parser parser(lexer.tokens());
        pos = lexer.pos;
        strip_next = lexer.strip_after;
        if (kind == '{') {
            NodePtr expression = parser.expression();
            parser.expect_end();
            out += text_of(evaluate(*expression, scope));
            continue;
        }
        if (!parser.is_name("set"))
            throw TemplateError("{% " + parser.peek().text + " %} is not supported");
        parser.next();
        Token target = parser.next();
        if (target.kind != Tok::Name) throw TemplateError("{% set %} needs a name");
        parser.expect_op("=");
        NodePtr expression = parser.expression();
        parser.expect_end();
        scope[target.text] = evaluate(*expression, scope);
    }
    strip_left(out);
    strip_right(out);
    return out;
}

}  // namespace

}  // namespace s2m::test::jinja

namespace s2m::test {

std::string render_ha_template(const std::string& template_text, const std::string& payload) {
    return jinja::render(template_text, payload);
}

}  // namespace s2m::test
