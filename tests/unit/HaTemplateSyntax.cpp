#include "HaTemplateSyntax.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace s2m::test::jinja {

namespace {

void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

}  // namespace

std::vector<Token> Lexer::tokens() {
    std::vector<Token> out;
    int depth = 0;
    while (true) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
        if (pos >= text.size()) throw TemplateError("a block is not closed with " + close);
        if (depth == 0 && text.compare(pos, close.size(), close) == 0) {
            pos += close.size();
            break;
        }
        if (depth == 0 && text[pos] == '-' && text.compare(pos + 1, close.size(), close) == 0) {
            pos += 1 + close.size();
            strip_after = true;
            break;
        }
        char c = text[pos];
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t start = pos;
            while (pos < text.size() &&
                   (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_'))
                ++pos;
            out.push_back({Tok::Name, text.substr(start, pos - start), json()});
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            out.push_back(number());
        } else if (c == '"' || c == '\'') {
            out.push_back({Tok::String, string_literal(), json()});
        } else {
            std::string two = text.substr(pos, 2);
            std::string op = (two == "==" || two == "!=" || two == "<=" || two == ">=")
                                 ? two
                                 : std::string(1, c);
            if (op.size() == 1 && std::string(".,:()[]{}|<>=+-~*/%").find(c) == std::string::npos)
                throw TemplateError(std::string("unexpected character '") + c + "'");
            if (op == "(" || op == "[" || op == "{") ++depth;
            if (op == ")" || op == "]" || op == "}") --depth;
            pos += op.size();
            out.push_back({Tok::Op, op, json()});
        }
    }
    out.push_back({Tok::End, "end of block", json()});
    return out;
}

Token Lexer::number() {
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    bool fraction = pos + 1 < text.size() && text[pos] == '.' &&
                    std::isdigit(static_cast<unsigned char>(text[pos + 1]));
    if (fraction) {
        ++pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    }
    std::string digits = text.substr(start, pos - start);
    json value = fraction ? json(std::stod(digits)) : json(std::stoll(digits));
    return {Tok::Number, digits, value};
}

std::string Lexer::string_literal() {
    char quote = text[pos++];
    std::string out;
    while (true) {
        if (pos >= text.size()) throw TemplateError("a string literal is not closed");
        char c = text[pos++];
        if (c == quote) return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (pos >= text.size()) throw TemplateError("a string literal ends in a backslash");
        char e = text[pos++];
        switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case '\\':
            case '\'':
            case '"':
                out += e;
                break;
            case 'u':
            case 'x': {
                size_t digits = e == 'u' ? 4 : 2;
                if (pos + digits > text.size())
                    throw TemplateError("a bad \\" + std::string(1, e) + " escape");
                append_utf8(
                    out, static_cast<uint32_t>(std::stoul(text.substr(pos, digits), nullptr, 16)));
                pos += digits;
                break;
            }
            default:
                out += '\\';
                out += e;  // Python keeps unknown escapes as written
        }
    }
}

NodePtr make(Kind kind, std::string name) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->name = std::move(name);
    return node;
}

NodePtr Parser::expression() {
    NodePtr value = or_expression();
    if (!is_name("if")) return value;
    next();
    auto node = make(Kind::Cond);
    node->kids.push_back(std::move(value));
    node->kids.push_back(or_expression());
    if (is_name("else")) {
        next();
        node->kids.push_back(expression());
    } else {
        node->kids.push_back(nullptr);
    }
    return node;
}

const Token& Parser::peek(size_t ahead) const {
    return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
}

void Parser::expect_op(const char* op) {
    if (!is_op(op))
        throw TemplateError(std::string("expected '") + op + "', found '" + peek().text + "'");
    next();
}

void Parser::expect_end() const {
    if (peek().kind != Tok::End) throw TemplateError("unexpected '" + peek().text + "'");
}

NodePtr Parser::binary(Kind kind, const char* word, NodePtr (Parser::*operand)()) {
    NodePtr left = (this->*operand)();
    while (is_name(word)) {
        next();
        auto node = make(kind);
        node->kids.push_back(std::move(left));
        node->kids.push_back((this->*operand)());
        left = std::move(node);
    }
    return left;
}

NodePtr Parser::not_expression() {
    if (!is_name("not")) return comparison();
    next();
    auto node = make(Kind::Not);
    node->kids.push_back(not_expression());
    return node;
}

NodePtr Parser::comparison() {
    NodePtr left = unary();
    std::string op;
    if (peek().kind == Tok::Op &&
        (is_op("==") || is_op("!=") || is_op("<") || is_op(">") || is_op("<=") || is_op(">="))) {
        op = next().text;
    } else if (is_name("in")) {
        op = next().text;
    } else if (is_name("not") && peek(1).kind == Tok::Name && peek(1).text == "in") {
        next();
        next();
        op = "not in";
    } else {
        return left;
    }
    auto node = make(Kind::Compare, op);
    node->kids.push_back(std::move(left));
    node->kids.push_back(unary());
    if (is_op("==") || is_op("!=") || is_name("in"))
        throw TemplateError("chained comparisons are not supported");
    return node;
}

NodePtr Parser::unary() {
    if (is_op("-")) {
        next();
        auto node = make(Kind::Neg);
        node->kids.push_back(unary());
        return node;
    }
    NodePtr value = postfix(primary());
    while (is_op("|")) {
        next();
        Token filter = next();
        if (filter.kind != Tok::Name) throw TemplateError("a filter name must follow '|'");
        auto node = make(Kind::Filter, filter.text);
        node->kids.push_back(std::move(value));
        if (is_op("(")) arguments(*node);
        value = postfix(std::move(node));
    }
    if (peek().kind == Tok::Op && std::string("+~*/%").find(peek().text) != std::string::npos)
        throw TemplateError("the operator '" + peek().text + "' is not supported");
    if (is_name("is")) throw TemplateError("Jinja tests ('is') are not supported");
    return value;
}

NodePtr Parser::postfix(NodePtr value) {
    while (true) {
        if (is_op(".")) {
            next();
            Token attribute = next();
            if (attribute.kind != Tok::Name) throw TemplateError("a name must follow '.'");
            if (is_op("(")) {
                auto call = make(Kind::Call, attribute.text);
                call->kids.push_back(std::move(value));
                arguments(*call);
                value = std::move(call);
            } else {
                auto node = make(Kind::Attr, attribute.text);
                node->kids.push_back(std::move(value));
                value = std::move(node);
            }
        } else if (is_op("[")) {
            next();
            auto node = make(Kind::Item);
            node->kids.push_back(std::move(value));
            node->kids.push_back(expression());
            expect_op("]");
            value = std::move(node);
        } else if (is_op("(")) {
            throw TemplateError("calling anything but dict.get() is not supported");
        } else {
            return value;
        }
    }
}

void Parser::arguments(Node& node) {
    expect_op("(");
    while (!is_op(")")) {
        if (peek().kind == Tok::Name && peek(1).kind == Tok::Op && peek(1).text == "=")
            throw TemplateError("keyword arguments are not supported");
        node.kids.push_back(expression());
        if (!is_op(")")) expect_op(",");
    }
    next();
}

NodePtr Parser::primary() {
    Token token = next();
    if (token.kind == Tok::String) {
        std::string text = token.text;
        while (peek().kind == Tok::String) text += next().text;  // "a" "b" is "ab"
        auto node = make(Kind::Literal);
        node->literal = text;
        return node;
    }
    if (token.kind == Tok::Number) {
        auto node = make(Kind::Literal);
        node->literal = token.number;
        return node;
    }
    if (token.kind == Tok::Name) {
        static const std::map<std::string, json> constants = {{"none", nullptr}, {"None", nullptr},
                                                              {"true", true},    {"True", true},
                                                              {"false", false},  {"False", false}};
        auto constant = constants.find(token.text);
        if (constant == constants.end()) return make(Kind::Name, token.text);
        auto node = make(Kind::Literal);
        node->literal = constant->second;
        return node;
    }
    if (token.kind == Tok::Op && token.text == "(") {
        NodePtr inner = expression();
        expect_op(")");
        return inner;
    }
    if (token.kind == Tok::Op && (token.text == "[" || token.text == "{")) {
        bool dict = token.text == "{";
        auto node = make(dict ? Kind::Dict : Kind::List);
        const char* close = dict ? "}" : "]";
        while (!is_op(close)) {
            node->kids.push_back(expression());
            if (dict) {
                expect_op(":");
                node->kids.push_back(expression());
            }
            if (!is_op(close)) expect_op(",");
        }
        next();
        return node;
    }
    throw TemplateError("unexpected '" + token.text + "'");
}

}  // namespace s2m::test::jinja
