// The posterior summary table and its warnings.
#include "spectralbrain/stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace spectralbrain::stats {

namespace {

std::string format(const char* spec, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

/// "theta[2]", "r_site[Oxford]", "x[0, 1]": ArviZ's names of array entries.
std::string entry_name(const Variable& v, std::size_t flat) {
  if (v.shape.empty()) return v.name;
  std::vector<std::size_t> index(v.shape.size());
  for (std::size_t d = v.shape.size(); d-- > 0;) {
    index[d] = flat % v.shape[d];
    flat /= v.shape[d];
  }
  std::string out = v.name + "[";
  for (std::size_t d = 0; d < index.size(); ++d) {
    if (d > 0) out += ", ";
    if (v.shape.size() == 1 && v.coords.size() == v.shape[0])
      out += v.coords[index[d]];
    else
      out += std::to_string(index[d]);
  }
  return out + "]";
}

double mean_of(const std::vector<double>& x) {
  long double s = 0;
  for (double v : x) s += v;
  return static_cast<double>(s / static_cast<long double>(x.size()));
}

double sd_of(const std::vector<double>& x, double mean) {
  if (x.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  long double s = 0;
  for (double v : x) s += static_cast<long double>(v - mean) * (v - mean);
  return std::sqrt(static_cast<double>(s / static_cast<long double>(x.size() - 1)));
}

SummaryRow summarize_entry(std::string name, const std::vector<double>& x, std::size_t n_chains,
                           double hdi_prob) {
  SummaryRow row;
  row.name = std::move(name);
  row.mean = mean_of(x);
  row.sd = sd_of(x, row.mean);
  try {
    const Interval interval = hdi(x, hdi_prob);
    row.hdi_low = interval.low;
    row.hdi_high = interval.high;
  } catch (const std::invalid_argument&) {
    // Too few draws for the interval: the rest of the row is still worth showing.
    row.hdi_low = row.hdi_high = std::numeric_limits<double>::quiet_NaN();
  }
  row.mcse_mean = mcse_mean(x, n_chains);
  row.mcse_sd = mcse_sd(x, n_chains);
  row.ess_bulk = ess_bulk(x, n_chains);
  row.ess_tail = ess_tail(x, n_chains);
  row.r_hat = rhat(x, n_chains);
  return row;
}

std::string percent(std::size_t part, std::size_t whole) {
  return format("%.1f%%", whole ? 100.0 * static_cast<double>(part) / whole : 0.0);
}

/// "a (1.05), b (1.02) and 3 more" for the first few offending rows.
std::string list_rows(const std::vector<std::pair<std::string, double>>& rows, const char* spec) {
  constexpr std::size_t shown = 8;
  std::string out;
  for (std::size_t i = 0; i < rows.size() && i < shown; ++i) {
    if (i > 0) out += ", ";
    out += rows[i].first + " (" + format(spec, rows[i].second) + ")";
  }
  if (rows.size() > shown) out += " and " + std::to_string(rows.size() - shown) + " more";
  return out;
}

std::vector<std::string> make_warnings(const Summary& s, const SummaryOptions& o) {
  std::vector<std::string> out;
  const auto& c = s.checks;
  if (c.n_divergent > 0)
    out.push_back(std::to_string(c.n_divergent) + " of " + std::to_string(c.n_transitions) +
                  " transitions (" + percent(c.n_divergent, c.n_transitions) +
                  ") ended with a divergence: the posterior may be biased; raise "
                  "--target-accept or reparameterise the model.");
  if (c.n_max_tree_depth > 0)
    out.push_back(std::to_string(c.n_max_tree_depth) + " of " + std::to_string(c.n_transitions) +
                  " transitions (" + percent(c.n_max_tree_depth, c.n_transitions) +
                  ") reached the maximum tree depth (" + std::to_string(o.max_tree_depth) +
                  "): sampling is inefficient.");
  for (std::size_t chain = 0; chain < c.ebfmi.size(); ++chain)
    if (c.ebfmi[chain] < o.min_ebfmi)
      out.push_back("chain " + std::to_string(chain) + ": E-BFMI " +
                    format("%.3f", c.ebfmi[chain]) + " is below " + format("%g", o.min_ebfmi) +
                    ": the sampler may not explore the tails of the posterior.");

  std::vector<std::pair<std::string, double>> high_rhat, low_bulk, low_tail;
  for (const auto& row : s.rows) {
    if (row.r_hat > o.max_rhat) high_rhat.emplace_back(row.name, row.r_hat);
    if (row.ess_bulk < o.min_ess) low_bulk.emplace_back(row.name, row.ess_bulk);
    if (row.ess_tail < o.min_ess) low_tail.emplace_back(row.name, row.ess_tail);
  }
  if (!high_rhat.empty())
    out.push_back("R-hat above " + format("%g", o.max_rhat) + " for " +
                  std::to_string(high_rhat.size()) + " of " + std::to_string(s.rows.size()) +
                  " quantities: " + list_rows(high_rhat, "%.3f") +
                  ": the chains have not mixed; run longer or reparameterise.");
  if (!low_bulk.empty())
    out.push_back("bulk ESS below " + format("%g", o.min_ess) + " for " +
                  std::to_string(low_bulk.size()) + " of " + std::to_string(s.rows.size()) +
                  " quantities: " + list_rows(low_bulk, "%.0f") +
                  ": posterior means and sds are unreliable.");
  if (!low_tail.empty())
    out.push_back("tail ESS below " + format("%g", o.min_ess) + " for " +
                  std::to_string(low_tail.size()) + " of " + std::to_string(s.rows.size()) +
                  " quantities: " + list_rows(low_tail, "%.0f") +
                  ": posterior intervals are unreliable.");
  return out;
}

/// Numbers for people: 3 decimals, scientific when that would hide the value.
std::string human(double v, const char* fixed = "%.3f") {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const double a = std::abs(v);
  if (a != 0.0 && (a < 1e-2 || a >= 1e7)) return format("%.2e", v);
  return format(fixed, v);
}

std::string machine(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return format("%.17g", v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::vector<std::string> header(const Summary& s) {
  auto hdi_names = hdi_column_names(s.hdi_prob);
  return {"mean",    "sd",       hdi_names[0], hdi_names[1], "mcse_mean",
          "mcse_sd", "ess_bulk", "ess_tail",   "r_hat"};
}

}  // namespace

std::vector<std::string> hdi_column_names(double prob) {
  const double alpha = 1.0 - prob;
  return {"hdi_" + format("%g", 100.0 * alpha / 2.0) + "%",
          "hdi_" + format("%g", 100.0 * (1.0 - alpha / 2.0)) + "%"};
}

Summary summarize(const PosteriorDraws& draws, const SummaryOptions& options) {
  Summary out;
  out.hdi_prob = options.hdi_prob;
  out.n_chains = draws.n_chains;
  out.n_draws = draws.n_draws;

  std::vector<const Variable*> selected;
  if (options.var_names.empty()) {
    for (const auto& v : draws.posterior) selected.push_back(&v);
  } else {
    for (const auto& name : options.var_names) {
      auto it = std::find_if(draws.posterior.begin(), draws.posterior.end(),
                             [&](const Variable& v) { return v.name == name; });
      if (it == draws.posterior.end()) {
        std::string known;
        for (const auto& v : draws.posterior) known += (known.empty() ? "" : ", ") + v.name;
        throw std::invalid_argument("no posterior variable '" + name + "' (the posterior has: " +
                                    (known.empty() ? "none" : known) + ")");
      }
      selected.push_back(&*it);
    }
  }

  const std::size_t n_samples = draws.n_chains * draws.n_draws;
  std::vector<double> x(n_samples);
  for (const Variable* v : selected) {
    std::size_t per_draw = 1;
    for (std::size_t s : v->shape) per_draw *= s;
    if (v->values.size() != n_samples * per_draw)
      throw std::invalid_argument("posterior/" + v->name + ": " + std::to_string(v->values.size()) +
                                  " values, expected " + std::to_string(n_samples * per_draw));
    for (std::size_t j = 0; j < per_draw; ++j) {
      for (std::size_t i = 0; i < n_samples; ++i) x[i] = v->values[i * per_draw + j];
      out.rows.push_back(summarize_entry(entry_name(*v, j), x, draws.n_chains, options.hdi_prob));
    }
  }
  out.checks = sampler_checks(draws, options.max_tree_depth);
  out.warnings = make_warnings(out, options);
  return out;
}

void print_table(std::ostream& out, const Summary& summary) {
  const auto columns = header(summary);
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : summary.rows)
    cells.push_back({r.name, human(r.mean), human(r.sd), human(r.hdi_low), human(r.hdi_high),
                     human(r.mcse_mean), human(r.mcse_sd), human(r.ess_bulk, "%.0f"),
                     human(r.ess_tail, "%.0f"), human(r.r_hat, "%.3f")});
  std::vector<std::size_t> width(columns.size() + 1, 0);
  for (std::size_t c = 0; c < columns.size(); ++c) width[c + 1] = columns[c].size();
  for (const auto& row : cells)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());

  out << std::string(width[0], ' ');
  for (std::size_t c = 0; c < columns.size(); ++c)
    out << "  " << std::string(width[c + 1] - columns[c].size(), ' ') << columns[c];
  out << '\n';
  for (const auto& row : cells) {
    out << row[0] << std::string(width[0] - row[0].size(), ' ');
    for (std::size_t c = 1; c < row.size(); ++c)
      out << "  " << std::string(width[c] - row[c].size(), ' ') << row[c];
    out << '\n';
  }
  out << '\n' << summary.n_chains << " chains × " << summary.n_draws << " draws";
  if (!summary.checks.ebfmi.empty()) {
    out << "; E-BFMI per chain:";
    for (double e : summary.checks.ebfmi) out << ' ' << human(e, "%.2f");
  }
  out << '\n';
  for (const auto& w : summary.warnings) out << "warning: " << w << '\n';
}

void write_csv(std::ostream& out, const Summary& summary) {
  out << "variable";
  for (const auto& c : header(summary)) out << ',' << c;
  out << '\n';
  for (const auto& r : summary.rows) {
    out << csv_field(r.name);
    for (double v : {r.mean, r.sd, r.hdi_low, r.hdi_high, r.mcse_mean, r.mcse_sd, r.ess_bulk,
                     r.ess_tail, r.r_hat})
      out << ',' << machine(v);
    out << '\n';
  }
}

}  // namespace spectralbrain::stats
