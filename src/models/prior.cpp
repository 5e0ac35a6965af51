// Default priors scaled to the data, --prior parsing and the override rules.
#include "spectralbrain/models/prior.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

const char* const classes[] = {"Intercept", "b", "sd", "sigma", "nu"};

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

double median(std::vector<double> v) {
  const std::size_t n = v.size();
  std::sort(v.begin(), v.end());
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double sample_sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / (v.size() - 1));
}

// How specific a spec is: 2 a coefficient, 1 a grouping factor (sd:site), 0 the class.
int specificity(const PriorSpec& s, const ParameterPrior& p) {
  if (s.coef.empty()) return 0;
  if (p.cls == "sd" && s.coef == p.group) return 1;
  return 2;
}

bool matches(const PriorSpec& s, const ParameterPrior& p) {
  if (s.cls != p.cls) return false;
  if (s.coef.empty()) return true;
  if (p.cls == "sd") return s.coef == p.group || s.coef == p.group + "__" + p.coef;
  return s.coef == p.coef;
}

}  // namespace

PriorSpec parse_prior(std::string_view text) {
  PriorSpec spec;
  spec.text = trim(text);
  const std::size_t tilde = spec.text.find('~');
  if (tilde == std::string::npos)
    throw InputError("--prior", spec.text,
                     "expected 'class[:coef] ~ distribution', e.g. \"b ~ normal(0, 1)\"");
  const std::string target = trim(std::string_view(spec.text).substr(0, tilde));
  const std::size_t colon = target.find(':');
  spec.cls = trim(std::string_view(target).substr(0, colon));
  if (colon != std::string::npos) {
    spec.coef = trim(std::string_view(target).substr(colon + 1));
    if (spec.coef.empty())
      throw InputError("--prior", spec.text, cat("nothing after '", spec.cls, ":'"));
  }
  if (std::find(std::begin(classes), std::end(classes), spec.cls) == std::end(classes))
    throw InputError("--prior", spec.text,
                     cat("unknown class '", spec.cls, "' (classes: Intercept, b, sd, sigma, nu)"));
  if (!spec.coef.empty() && (spec.cls == "Intercept" || spec.cls == "sigma" || spec.cls == "nu"))
    throw InputError("--prior", spec.text, cat("class ", spec.cls, " has no coefficients"));
  spec.dist = parse_distribution(std::string_view(spec.text).substr(tilde + 1),
                                 cat("--prior: ", spec.text));
  return spec;
}

std::vector<ParameterPrior> default_priors(const Design& d, Family family) {
  const double med = median(d.y);
  std::vector<double> dev;
  for (double y : d.y) dev.push_back(std::abs(y - med));
  const double mad = 1.4826 * median(dev);
  const double scale = std::max(2.5, mad);
  double sd_y = sample_sd(d.y);
  if (!(sd_y > 0)) sd_y = 1;

  std::vector<ParameterPrior> out;
  if (d.intercept)
    out.push_back({"Intercept", "Intercept", "", "",
                   Distribution{DistributionKind::student_t, {3, med, scale}}, "default"});
  for (const auto& c : d.columns) {
    double sd_x = sample_sd(c.values);
    if (!(sd_x > 0)) {
      double ss = 0;
      for (double x : c.values) ss += x * x;
      sd_x = std::sqrt(ss / c.values.size());
    }
    out.push_back({"b_" + c.name, "b", c.name, "",
                   Distribution{DistributionKind::normal, {0, 2.5 * sd_y / sd_x}}, "default"});
  }
  for (const auto& g : d.groups)
    for (const auto& t : g.terms)
      out.push_back({cat("sd_", g.name, "__", t.name), "sd", t.name, g.name,
                     Distribution{DistributionKind::student_t, {3, 0, scale}}, "default"});
  if (d.se.empty() || d.se_sigma)
    out.push_back({"sigma", "sigma", "", "",
                   Distribution{DistributionKind::student_t, {3, 0, scale}}, "default"});
  if (family == Family::student_t)
    out.push_back({"nu", "nu", "", "", Distribution{DistributionKind::gamma, {2, 0.1}}, "default"});
  return out;
}

void apply_priors(std::vector<ParameterPrior>& priors, const std::vector<PriorSpec>& specs) {
  // Each spec must hit something, and no two specs may have the same target.
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const PriorSpec& s = specs[i];
    for (std::size_t j = 0; j < i; ++j)
      if (specs[j].cls == s.cls && specs[j].coef == s.coef)
        throw InputError("--prior", s.text,
                         cat("the same target as --prior \"", specs[j].text, "\""));
    const bool any = std::any_of(priors.begin(), priors.end(),
                                 [&](const ParameterPrior& p) { return matches(s, p); });
    if (!any) {
      std::string have;
      for (const auto& p : priors)
        if (p.cls == s.cls && !p.coef.empty())
          have += (have.empty() ? "" : ", ") + (p.cls == "sd" ? p.group + "__" + p.coef : p.coef);
      if (s.cls == "b" && s.coef == "Intercept")
        throw InputError("--prior", s.text,
                         "the intercept has its own class: write \"Intercept ~ ...\"");
      const bool has_class = std::any_of(priors.begin(), priors.end(),
                                         [&](const ParameterPrior& p) { return p.cls == s.cls; });
      if (!has_class && s.cls == "sigma")
        throw InputError("--prior", s.text,
                         "this model has no sigma (the response has known standard errors, "
                         "se(); write se(s, sigma = TRUE) to add one)");
      if (!has_class && s.cls == "nu")
        throw InputError("--prior", s.text, "only the student_t family has nu");
      if (!has_class)
        throw InputError("--prior", s.text, cat("this model has no parameter of class ", s.cls));
      if (s.cls == "sd") {
        std::vector<std::string> names;
        for (const auto& p : priors)
          if (p.cls == "sd" && std::find(names.begin(), names.end(), p.group) == names.end())
            names.push_back(p.group);
        std::string groups;
        for (const auto& g : names) groups += (groups.empty() ? "" : ", ") + g;
        throw InputError("--prior", s.text,
                         cat("no sd '", s.coef, "' (groups: ", groups, "; terms: ", have, ")"));
      }
      throw InputError("--prior", s.text,
                       cat("no coefficient '", s.coef, "' in class ", s.cls, " (", have, ")"));
    }
    if (s.dist.positive_only() && (s.cls == "b" || s.cls == "Intercept"))
      throw InputError("--prior", s.text,
                       cat(s.dist.to_string(), " is for positive parameters (sd, sigma, nu), and ",
                           s.cls, " is on the real line"));
  }
  for (auto& p : priors) {
    int best = -1;
    for (const auto& s : specs)
      if (matches(s, p) && specificity(s, p) > best) {
        best = specificity(s, p);
        p.dist = s.dist;
        p.source = s.text;
      }
  }
}

std::string format_priors(const std::vector<ParameterPrior>& priors) {
  std::vector<std::vector<std::string>> rows{{"prior", "class", "coef", "group", "source"}};
  for (const auto& p : priors) {
    std::string dist = p.dist.to_string();
    if ((p.cls == "sd" || p.cls == "sigma") && !p.dist.positive_only() &&
        p.dist.kind != DistributionKind::flat)
      dist += " [>0]";
    if (p.cls == "nu") dist += " [>=1]";
    rows.push_back({dist, p.cls, p.coef, p.group, p.source});
  }
  std::vector<std::size_t> width(5, 0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < 5; ++j) width[j] = std::max(width[j], r[j].size());
  std::ostringstream out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t j = 0; j < 5; ++j) {
      std::string cell = r[j];
      if (j + 1 < 5) cell.resize(width[j] + 2, ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
  return out.str();
}

}  // namespace spectralbrain::models
