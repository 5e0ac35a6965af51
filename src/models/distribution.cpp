// Prior distributions: parsing "name(args)", checking arguments, log densities.
#include "spectralbrain/models/distribution.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

struct Entry {
  const char* name;
  DistributionKind kind;
  std::size_t min_args, max_args;
  const char* usage;
};

constexpr Entry entries[] = {
    {"flat", DistributionKind::flat, 0, 0, "flat()"},
    {"normal", DistributionKind::normal, 2, 2, "normal(mu, sigma)"},
    {"student_t", DistributionKind::student_t, 3, 3, "student_t(nu, mu, sigma)"},
    {"cauchy", DistributionKind::cauchy, 2, 2, "cauchy(mu, sigma)"},
    {"half_normal", DistributionKind::half_normal, 1, 2, "half_normal([mu,] sigma)"},
    {"half_cauchy", DistributionKind::half_cauchy, 1, 2, "half_cauchy([mu,] sigma)"},
    {"half_student_t", DistributionKind::half_student_t, 2, 3, "half_student_t(nu, [mu,] sigma)"},
    {"exponential", DistributionKind::exponential, 1, 1, "exponential(rate)"},
    {"gamma", DistributionKind::gamma, 2, 2, "gamma(shape, rate)"},
};

const Entry& entry(DistributionKind kind) {
  for (const auto& e : entries)
    if (e.kind == kind) return e;
  return entries[0];
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string format(double x) {
  std::ostringstream out;
  out.precision(6);
  out << x;
  return out.str();
}

}  // namespace

bool Distribution::positive_only() const {
  switch (kind) {
    case DistributionKind::half_normal:
    case DistributionKind::half_cauchy:
    case DistributionKind::half_student_t:
    case DistributionKind::exponential:
    case DistributionKind::gamma:
      return true;
    default:
      return false;
  }
}

double Distribution::log_density(double x, double& dx) const {
  switch (kind) {
    case DistributionKind::flat:
      dx = 0;
      return 0;
    case DistributionKind::normal:
    case DistributionKind::half_normal: {
      const double z = (x - args[0]) / args[1];
      dx = -z / args[1];
      return -0.5 * z * z;
    }
    case DistributionKind::student_t:
    case DistributionKind::half_student_t: {
      const double nu = args[0], d = x - args[1], s2 = args[2] * args[2];
      dx = -(nu + 1) * d / (nu * s2 + d * d);
      return -0.5 * (nu + 1) * std::log1p(d * d / (nu * s2));
    }
    case DistributionKind::cauchy:
    case DistributionKind::half_cauchy: {
      const double d = x - args[0], s2 = args[1] * args[1];
      dx = -2 * d / (s2 + d * d);
      return -std::log1p(d * d / s2);
    }
    case DistributionKind::exponential:
      dx = -args[0];
      return -args[0] * x;
    case DistributionKind::gamma:
      dx = (args[0] - 1) / x - args[1];
      return (args[0] - 1) * std::log(x) - args[1] * x;
  }
  dx = 0;
  return 0;
}

std::string Distribution::to_string() const {
  if (kind == DistributionKind::flat) return "flat";
  std::string s = cat(entry(kind).name, "(");
  for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + format(args[i]);
  return s + ")";
}

Distribution parse_distribution(std::string_view text, const std::string& where) {
  const std::string t = trim(text);
  const std::size_t open = t.find('(');
  const std::string name =
      trim(open == std::string::npos ? std::string_view(t) : std::string_view(t).substr(0, open));
  const Entry* e = nullptr;
  for (const auto& x : entries)
    if (name == x.name) e = &x;
  if (!e) {
    std::string known;
    for (const auto& x : entries) known += (known.empty() ? "" : ", ") + std::string(x.usage);
    throw InputError(where, "", cat("unknown distribution '", name, "' (known: ", known, ")"));
  }
  std::vector<double> args;
  if (open != std::string::npos) {
    if (t.back() != ')') throw InputError(where, "", cat("expected ')' at the end of '", t, "'"));
    const std::string inner = trim(std::string_view(t).substr(open + 1, t.size() - open - 2));
    std::size_t start = 0;
    while (!inner.empty()) {
      const std::size_t comma = inner.find(',', start);
      const std::string a = trim(std::string_view(inner).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      double v = 0;
      const char* first = a.data() + (!a.empty() && a[0] == '+' ? 1 : 0);
      const auto [ptr, ec] = std::from_chars(first, a.data() + a.size(), v);
      if (a.empty() || ec != std::errc() || ptr != a.data() + a.size() || !std::isfinite(v))
        throw InputError(
            where, "",
            cat("argument ", args.size() + 1, " of ", name, " is '", a, "', not a finite number"));
      args.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (e->kind != DistributionKind::flat) {
    throw InputError(where, "", cat("write ", e->usage, " with its arguments"));
  }
  if (args.size() < e->min_args || args.size() > e->max_args)
    throw InputError(where, "",
                     cat(name, " takes ", e->usage, ", but ", args.size(),
                         args.size() == 1 ? " argument was" : " arguments were", " given"));
  Distribution d{e->kind, args};
  // The full form: a location 0 where the short form leaves it out.
  if (e->kind == DistributionKind::half_normal || e->kind == DistributionKind::half_cauchy) {
    if (args.size() == 1) d.args = {0.0, args[0]};
  } else if (e->kind == DistributionKind::half_student_t && args.size() == 2) {
    d.args = {args[0], 0.0, args[1]};
  }
  auto positive = [&](std::size_t i, const char* what) {
    if (!(d.args[i] > 0))
      throw InputError(where, "",
                       cat("the ", what, " of ", name, " must be > 0, not ", format(d.args[i])));
  };
  switch (d.kind) {
    case DistributionKind::normal:
    case DistributionKind::half_normal:
    case DistributionKind::cauchy:
    case DistributionKind::half_cauchy:
      positive(1, "scale");
      break;
    case DistributionKind::student_t:
    case DistributionKind::half_student_t:
      positive(0, "degrees of freedom");
      positive(2, "scale");
      break;
    case DistributionKind::exponential:
      positive(0, "rate");
      break;
    case DistributionKind::gamma:
      positive(0, "shape");
      positive(1, "rate");
      break;
    case DistributionKind::flat:
      break;
  }
  return d;
}

double digamma(double x) {
  double result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const double r = 1 / (x * x);
  // ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k).
  const double series =
      r *
      (1.0 / 12 -
       r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132 - r * 691.0 / 32760)))));
  return result + std::log(x) - 0.5 / x - series;
}

}  // namespace spectralbrain::models
