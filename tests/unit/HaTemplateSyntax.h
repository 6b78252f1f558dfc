// The syntax half of the template renderer (HaTemplate.h): the tokens of one {{ }} or {% %} block
// and the expression tree Jinja parses from them. Internal to HaTemplate.cpp and
// HaTemplateSyntax.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "HaTemplate.h"

namespace s2m::test::jinja {

using json = nlohmann::json;

// Lexer: the tokens of one {{ … }} or {% … %} block. Like Jinja's, it ends the block only at a
// closing mark outside brackets, so a dict literal's "}}" does not end it.

enum class Tok { Name, String, Number, Op, End };

struct Token {
    Tok kind;
    std::string text;
    json number;
};

struct Lexer {
    const std::string& text;
    size_t pos;
    std::string close;         // "}}" or "%}"
    bool strip_after = false;  // the block ended "-}}": strip the whitespace after it

    // The block's tokens, then Tok::End; `pos` is left just past the block.
    std::vector<Token> tokens();

  private:
    Token number();
    // Python's escapes, as Jinja's lexer decodes them ("unicode-escape").
    std::string string_literal();
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
enum class Kind {
    Literal,
    Name,
    Attr,
    Item,
    Call,
    Filter,
    Cond,
    And,
    Or,
    Not,
    Compare,
    List,
    Dict,
    Neg
};
struct Node {
    Kind kind;
    json literal;               // Literal
    std::string name;           // Name, Attr, Call (the method), Filter, Compare (the operator)
    std::vector<NodePtr> kids;  // operands in order; Cond: value, test, otherwise (may be null)
};

NodePtr make(Kind kind, std::string name = "");

// Jinja's precedence: conditional < or < and < not < comparison < filters and postfix.
class Parser {
  public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    NodePtr expression();

    const Token& peek(size_t ahead = 0) const;
    Token next() { return tokens_[index_ < tokens_.size() - 1 ? index_++ : index_]; }
    bool is_name(const char* word) const { return peek().kind == Tok::Name && peek().text == word; }
    bool is_op(const char* op) const { return peek().kind == Tok::Op && peek().text == op; }
    void expect_op(const char* op);
    void expect_end() const;

  private:
    NodePtr binary(Kind kind, const char* word, NodePtr (Parser::*operand)());
    NodePtr or_expression() { return binary(Kind::Or, "or", &Parser::and_expression); }
    NodePtr and_expression() { return binary(Kind::And, "and", &Parser::not_expression); }
    NodePtr not_expression();
    NodePtr comparison();
    NodePtr unary();
    NodePtr postfix(NodePtr value);
    void arguments(Node& node);
    NodePtr primary();

    std::vector<Token> tokens_;
    size_t index_ = 0;
};

}  // namespace s2m::test::jinja
