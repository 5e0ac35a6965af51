// Stan CSV writer: CmdStan's per-chain sample files.
#include "spectralbrain/io/stan_csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/version.hpp"

namespace spectralbrain::io {

namespace fs = std::filesystem;
using core::cat;
using core::InputError;
using stats::PosteriorDraws;
using stats::Variable;

namespace {

std::string stan_stat_name(const std::string& name) {
  static const std::map<std::string, std::string> names = {{"lp", "lp__"},
                                                           {"acceptance_rate", "accept_stat__"},
                                                           {"step_size", "stepsize__"},
                                                           {"tree_depth", "treedepth__"},
                                                           {"n_steps", "n_leapfrog__"},
                                                           {"diverging", "divergent__"},
                                                           {"energy", "energy__"}};
  auto it = names.find(name);
  return it != names.end() ? it->second : name + "__";
}

std::string number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, end);
}

/// One CSV column: which variable and which flat (row-major) element of a draw.
struct Column {
  std::string name;
  const Variable* variable;
  std::size_t element;
  std::size_t per_draw;
};

/// Stan lists array elements column-major (first index fastest) with 1-based indices.
void add_columns(const Variable& v, std::vector<Column>& columns) {
  std::size_t per_draw = 1;
  for (std::size_t s : v.shape) per_draw *= s;
  std::vector<std::size_t> index(v.shape.size(), 0);
  for (std::size_t k = 0; k < per_draw; ++k) {
    std::string name = v.name;
    std::size_t flat = 0;
    for (std::size_t d = 0; d < v.shape.size(); ++d) {
      name += "." + std::to_string(index[d] + 1);
      flat = flat * v.shape[d] + index[d];
    }
    columns.push_back({name, &v, flat, per_draw});
    for (std::size_t d = 0; d < index.size(); ++d) {  // advance, first index fastest
      if (++index[d] < v.shape[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

std::vector<fs::path> write_stan_csv(const fs::path& prefix, const PosteriorDraws& draws) {
  const std::size_t n = draws.n_chains * draws.n_draws;
  std::vector<Column> columns;
  for (const auto& v : draws.sample_stats) {
    if (!v.shape.empty() || v.values.size() != n)
      throw InputError(prefix.string(), "sample_stats/" + v.name,
                       "Stan CSV needs one value per draw for every sampler statistic");
    columns.push_back({stan_stat_name(v.name), &v, 0, 1});
  }
  for (const auto& v : draws.posterior) {
    std::size_t before = columns.size();
    add_columns(v, columns);
    const std::size_t per_draw = columns.size() - before;
    if (v.values.size() != n * per_draw)
      throw InputError(prefix.string(), "posterior/" + v.name,
                       cat(v.values.size(), " values, expected ", n * per_draw));
  }

  std::vector<fs::path> written;
  for (std::size_t chain = 0; chain < draws.n_chains; ++chain) {
    const fs::path path = prefix.string() + "_" + std::to_string(chain + 1) + ".csv";
    const fs::path tmp = path.string() + ".tmp";
    {
      std::ofstream out(tmp);
      if (!out) throw InputError(path.string(), "", "cannot be opened for writing");
      out << "# written by spectralbrain " << core::version << "\n# method = sample\n"
          << "# chain_id = " << chain + 1 << "\n# num_samples = " << draws.n_draws << '\n';
      for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << columns[c].name;
      out << '\n';
      for (std::size_t d = 0; d < draws.n_draws; ++d) {
        const std::size_t sample = chain * draws.n_draws + d;
        for (std::size_t c = 0; c < columns.size(); ++c) {
          const Column& col = columns[c];
          out << (c ? "," : "")
              << number(col.variable->values[sample * col.per_draw + col.element]);
        }
        out << '\n';
      }
      out.close();
      if (!out) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw InputError(path.string(), "", "writing failed");
      }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw InputError(path.string(), "", "cannot rename into place: " + ec.message());
    written.push_back(path);
  }
  return written;
}

}  // namespace spectralbrain::io
