// The formula parser: a tokenizer and a recursive-descent parser over the grammar in
// formula.hpp, expanding a*b and a/b, then removing and ordering terms as R does.
#include "spectralbrain/models/formula.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace spectralbrain::models {

using core::cat;

namespace {

enum class Tok {
  name,
  number,
  tilde,
  plus,
  minus,
  colon,
  star,
  bar,
  double_bar,
  lparen,
  rparen,
  comma,
  slash,
  equals,
  end
};

struct Token {
  Tok kind = Tok::end;
  std::string text;  // a name (without backquotes) or a number
  std::size_t position = 0;
  bool quoted = false;  // a `backquoted` name
};

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::name:
      return cat("'", t.text, "'");
    case Tok::number:
      return cat("the number ", t.text);
    case Tok::end:
      return "the end of the formula";
    default:
      return cat("'", t.text, "'");
  }
}

bool name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.position = i;
    if (name_start(c) && !(c == '.' && i + 1 < s.size() && std::isdigit(s[i + 1]))) {
      std::size_t j = i;
      while (j < s.size() && name_char(s[j])) ++j;
      t.kind = Tok::name;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '`') {
      const std::size_t close = s.find('`', i + 1);
      if (close == std::string_view::npos)
        throw formula_error(s, i, "a `backquoted` name is never closed");
      if (close == i + 1) throw formula_error(s, i, "an empty `backquoted` name");
      t.kind = Tok::name;
      t.quoted = true;
      t.text = std::string(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      std::size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      t.kind = Tok::number;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else {
      t.text = std::string(1, c);
      ++i;
      switch (c) {
        case '~':
          t.kind = Tok::tilde;
          break;
        case '+':
          t.kind = Tok::plus;
          break;
        case '-':
          t.kind = Tok::minus;
          break;
        case ':':
          t.kind = Tok::colon;
          break;
        case '*':
          t.kind = Tok::star;
          break;
        case '(':
          t.kind = Tok::lparen;
          break;
        case ')':
          t.kind = Tok::rparen;
          break;
        case ',':
          t.kind = Tok::comma;
          break;
        case '/':
          t.kind = Tok::slash;
          break;
        case '=':
          t.kind = Tok::equals;
          break;
        case '|':
          t.kind = Tok::bar;
          if (i < s.size() && s[i] == '|') {
            t.kind = Tok::double_bar;
            t.text = "||";
            ++i;
          }
          break;
        default:
          throw formula_error(s, t.position,
                              cat("unexpected character '", c,
                                  "' (a formula uses names, 0, 1, ~ + - : * | ( ) and /)"));
      }
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::end;
  end.position = s.size();
  out.push_back(end);
  return out;
}

// A term as the parser builds it: variables by name; equality ignores order (x:sex = sex:x).
struct RawTerm {
  FormulaTerm term;
  std::set<std::string> key() const {
    std::set<std::string> k;
    for (const auto& v : term.variables) k.insert(v.name);
    return k;
  }
};

// The union of two terms' variables (first's order, then the second's new ones).
FormulaTerm join(const FormulaTerm& a, const FormulaTerm& b) {
  FormulaTerm t = a;
  for (const auto& v : b.variables) {
    const bool dup = std::any_of(t.variables.begin(), t.variables.end(),
                                 [&](const FormulaVariable& w) { return w.name == v.name; });
    if (!dup) t.variables.push_back(v);
  }
  return t;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), tokens_(tokenize(text)) {}

  Formula parse() {
    Formula f;
    f.text = std::string(text_);
    if (peek().kind == Tok::tilde)
      throw error(peek(), "a formula starts with the response column, as in 'y ~ x'");
    f.response = variable_name("the response column before '~'");
    if (peek().kind == Tok::bar) {
      next();
      addition(f);
    }
    if (peek().kind != Tok::tilde)
      throw error(peek(), cat("expected '~' after the response, found ", describe(peek())));
    next();
    if (peek().kind == Tok::end)
      throw error(peek(), "nothing after '~' (write 'y ~ 1' for an intercept only)");
    f.population = terms(/*top=*/true, &f.groups);
    if (peek().kind != Tok::end) {
      if (peek().kind == Tok::bar || peek().kind == Tok::double_bar)
        throw error(peek(), "'|' outside parentheses: write a group term as (1 | g)");
      if (peek().kind == Tok::rparen) throw error(peek(), "a ')' without its '('");
      throw error(peek(), cat("expected '+' or '-' between terms, found ", describe(peek())));
    }
    return f;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  core::InputError error(const Token& at, const std::string& problem) const {
    return formula_error(text_, at.position, problem);
  }

  FormulaVariable variable_name(const std::string& what) {
    const Token& t = peek();
    if (t.kind != Tok::name) throw error(t, cat("expected ", what, ", found ", describe(t)));
    next();
    return FormulaVariable{t.text, false, t.position};
  }

  // "se(s [, sigma = TRUE])" after "response |".
  void addition(Formula& f) {
    const Token& t = peek();
    if (t.kind != Tok::name || t.quoted || t.text != "se" || peek(1).kind != Tok::lparen)
      throw error(t, cat("expected se(column) after 'response |', found ", describe(t),
                         " (of brms's addition terms only se() is supported)"));
    next();
    next();
    f.se = variable_name("the column of standard errors in se()");
    if (peek().kind == Tok::comma) {
      next();
      const Token& key = peek();
      if (key.kind != Tok::name || key.text != "sigma")
        throw error(key,
                    cat("se() takes one more argument, sigma = TRUE|FALSE; found ", describe(key)));
      next();
      if (peek().kind != Tok::equals) throw error(peek(), "expected '=' after 'sigma'");
      next();
      const Token& value = peek();
      if (value.kind == Tok::name && (value.text == "TRUE" || value.text == "true"))
        f.se_sigma = true;
      else if (value.kind == Tok::name && (value.text == "FALSE" || value.text == "false"))
        f.se_sigma = false;
      else
        throw error(value, cat("expected TRUE or FALSE, found ", describe(value)));
      next();
    }
    if (peek().kind != Tok::rparen)
      throw error(peek(), cat("expected ')' to close se(, found ", describe(peek())));
    next();
  }

  // terms := ["+"|"-"] summand {("+"|"-") summand}; stops at '|', '||', ')' or the end.
  TermList terms(bool top, std::vector<GroupSpec>* groups) {
    TermList list;
    std::vector<RawTerm> added, removed;
    bool sign_plus = true;
    if (peek().kind == Tok::plus || peek().kind == Tok::minus) sign_plus = next().kind == Tok::plus;
    for (;;) {
      summand(top, sign_plus, list, added, removed, groups);
      if (peek().kind != Tok::plus && peek().kind != Tok::minus) break;
      sign_plus = next().kind == Tok::plus;
    }
    // Distinct terms, minus the removed ones, ordered by degree then as written.
    std::vector<std::set<std::string>> seen;
    for (const auto& r : added) {
      const auto k = r.key();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) continue;
      const bool gone = std::any_of(removed.begin(), removed.end(),
                                    [&](const RawTerm& x) { return x.key() == k; });
      seen.push_back(k);
      if (!gone) list.terms.push_back(r.term);
    }
    std::stable_sort(
        list.terms.begin(), list.terms.end(),
        [](const FormulaTerm& a, const FormulaTerm& b) { return a.degree() < b.degree(); });
    return list;
  }

  void summand(bool top, bool plus, TermList& list, std::vector<RawTerm>& added,
               std::vector<RawTerm>& removed, std::vector<GroupSpec>* groups) {
    const Token& t = peek();
    if (t.kind == Tok::number) {
      next();
      if (t.text == "1")
        list.intercept = plus;
      else if (t.text == "0")
        list.intercept = !plus;
      else
        throw error(t,
                    cat("a number in a formula can only be 0 or 1 (the intercept), not ", t.text));
      return;
    }
    if (t.kind == Tok::lparen) {
      if (!top)
        throw error(t,
                    "a group term cannot be nested in another, and parentheses only "
                    "make group terms such as (1 | g)");
      if (!plus) throw error(t, "a group term cannot be removed with '-'");
      group(*groups);
      return;
    }
    if (t.kind != Tok::name)
      throw error(
          t, cat("expected a term (a column name, 0, 1 or a group term), found ", describe(t)));
    for (auto& term : product()) (plus ? added : removed).push_back(RawTerm{std::move(term)});
  }

  // product := interaction {"*" interaction}: every non-empty subset, in R's order.
  std::vector<FormulaTerm> product() {
    std::vector<FormulaTerm> factors{interaction()};
    while (peek().kind == Tok::star) {
      next();
      factors.push_back(interaction());
    }
    // a*b*c = a + b + a:b + c + a:c + b:c + a:b:c (each factor times the terms so far).
    std::vector<FormulaTerm> out;
    for (const auto& f : factors) {
      const std::size_t n = out.size();
      out.push_back(f);
      for (std::size_t i = 0; i < n; ++i) out.push_back(join(out[i], f));
    }
    return out;
  }

  FormulaTerm interaction() {
    FormulaTerm term;
    term.position = peek().position;
    term = join(term, FormulaTerm{{variable()}, term.position});
    while (peek().kind == Tok::colon) {
      next();
      term = join(term, FormulaTerm{{variable()}, term.position});
    }
    return term;
  }

  FormulaVariable variable() {
    const Token& t = peek();
    if (t.kind == Tok::number)
      throw error(t, "0 and 1 (the intercept) cannot be part of an interaction or product");
    if (t.kind != Tok::name) throw error(t, cat("expected a column name, found ", describe(t)));
    next();
    if (peek().kind != Tok::lparen || t.quoted) return FormulaVariable{t.text, false, t.position};
    if (t.text != "factor")
      throw error(t, cat("function '", t.text,
                         "' is not supported (only factor(x)); add a column "
                         "with the transformed values to the CSV instead"));
    next();
    FormulaVariable v = variable_name("a column name in factor()");
    v.as_factor = true;
    if (peek().kind != Tok::rparen)
      throw error(peek(), cat("expected ')' to close factor(, found ", describe(peek())));
    next();
    return v;
  }

  // group := "(" terms ("|" | "||") grouping ")"; a/b/c adds a, a:b and a:b:c.
  void group(std::vector<GroupSpec>& groups) {
    const Token& open = next();
    if (peek().kind == Tok::bar || peek().kind == Tok::double_bar)
      throw error(peek(),
                  "nothing before '|' in a group term (write (1 | g) for a varying intercept)");
    TermList inner = terms(/*top=*/false, nullptr);
    if (peek().kind != Tok::bar && peek().kind != Tok::double_bar) {
      if (peek().kind == Tok::rparen)
        throw error(peek(), "a group term needs '| grouping', as in (1 | site)");
      throw error(peek(),
                  cat("expected '+', '-' or '|' in the group term, found ", describe(peek())));
    }
    const bool double_bar = next().kind == Tok::double_bar;
    std::vector<FormulaVariable> factors;
    std::vector<std::vector<FormulaVariable>> nested;
    for (;;) {
      FormulaVariable v = variable_name("a grouping column after '|'");
      factors.push_back(v);
      if (peek().kind == Tok::colon) {
        next();
        continue;
      }
      nested.push_back(factors);
      if (peek().kind == Tok::slash) {
        next();
        continue;
      }
      break;
    }
    if (peek().kind != Tok::rparen)
      throw error(peek(), cat("expected ')' to close the group term opened at position ",
                              open.position + 1, ", found ", describe(peek())));
    next();
    for (auto& f : nested) {
      GroupSpec g;
      g.terms = inner;
      g.factors = std::move(f);
      g.double_bar = double_bar;
      g.position = open.position;
      groups.push_back(std::move(g));
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string FormulaTerm::label() const {
  std::string s;
  for (const auto& v : variables) s += (s.empty() ? "" : ":") + v.name;
  return s;
}

std::string GroupSpec::name() const {
  std::string s;
  for (const auto& v : factors) s += (s.empty() ? "" : ":") + v.name;
  return s;
}

core::InputError formula_error(std::string_view text, std::size_t at, const std::string& problem) {
  at = std::min(at, text.size());
  return core::InputError("--formula", cat("position ", at + 1),
                          cat(problem, "\n    ", text, "\n    ", std::string(at, ' '), "^"));
}

Formula parse_formula(std::string_view text) { return Parser(text).parse(); }

}  // namespace spectralbrain::models
