// Requested descriptors: parsing, early validation, computing and writing under /descriptors.
#include "spectralbrain/descriptors/descriptor_set.hpp"

#include <algorithm>
#include <array>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/gps.hpp"
#include "spectralbrain/descriptors/spectrum.hpp"
#include "spectralbrain/mesh/volume.hpp"

namespace spectralbrain::descriptors {

using core::cat;

namespace {

constexpr std::array all_descriptors = {Descriptor::shapedna, Descriptor::hks, Descriptor::si_hks,
                                        Descriptor::wks, Descriptor::gps};

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

// Writes this rank's rows as /descriptors/<name> and frees them.
void write_vertex_data(io::SubjectWriter& writer, const spectral::Eigenpairs& eigen,
                       const std::string& dataset, std::vector<double>&& rows, std::int64_t n_cols,
                       io::Precision precision) {
  io::RowBlock block;
  block.n_rows_global = eigen.n_rows_global;
  block.row_begin = eigen.row_begin;
  block.n_rows_local = eigen.n_rows_local;
  block.n_cols = n_cols;
  block.data = rows;
  writer.write_rows(dataset, block, precision);
  std::vector<double>().swap(rows);
}

}  // namespace

bool DescriptorSettings::has(Descriptor d) const noexcept {
  return std::find(which.begin(), which.end(), d) != which.end();
}

std::string_view name(Descriptor d) noexcept {
  switch (d) {
    case Descriptor::shapedna:
      return "shapedna";
    case Descriptor::hks:
      return "hks";
    case Descriptor::si_hks:
      return "si-hks";
    case Descriptor::wks:
      return "wks";
    case Descriptor::gps:
      return "gps";
  }
  return "?";
}

std::vector<Descriptor> parse_descriptor_list(std::string_view list, std::string_view option) {
  std::vector<bool> wanted(all_descriptors.size(), false);
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string word = trim(list.substr(start, end - start));
    start = end + 1;
    if (word.empty() || word == "none") continue;
    if (word == "all") {
      std::fill(wanted.begin(), wanted.end(), true);
      continue;
    }
    bool known = false;
    for (std::size_t i = 0; i < all_descriptors.size(); ++i)
      if (word == name(all_descriptors[i])) wanted[i] = known = true;
    if (!known)
      throw core::InputError(
          "command line", std::string(option),
          cat("unknown descriptor '", word, "' (known: shapedna, hks, si-hks, wks, gps, all)"));
  }
  std::vector<Descriptor> which;
  for (std::size_t i = 0; i < all_descriptors.size(); ++i)
    if (wanted[i]) which.push_back(all_descriptors[i]);
  return which;
}

std::string descriptor_list(const std::vector<Descriptor>& which) {
  std::string out;
  for (Descriptor d : which) out += (out.empty() ? "" : ",") + std::string(name(d));
  return out;
}

void validate(const DescriptorSettings& s) {
  if (s.block_rows < 1)
    throw core::InputError("command line", "--descriptor-block-rows",
                           cat(s.block_rows, ": at least 1 row per block"));
  // The default ranges are ratios of eigenvalues, so a stand-in spectrum finds every
  // option error that a real one would (e.g. the WKS window is empty iff E < 4w).
  const std::array<double, 3> stand_in = {0.0, 1.0, 2.0};
  if (s.has(Descriptor::hks)) (void)hks_times(stand_in, s.hks);
  if (s.has(Descriptor::wks)) (void)wks_grid(stand_in, s.wks);
  if (s.has(Descriptor::si_hks)) (void)si_hks_taus(s.si_hks);
}

bool needs_volume(const DescriptorSettings& s) noexcept {
  return s.has(Descriptor::shapedna) && s.shapedna.normalization == ShapeDnaNormalization::volume;
}

double enclosed_volume(const mesh::TriMesh& mesh, const std::string& source) {
  std::vector<std::pair<std::int32_t, std::int32_t>> edges;
  edges.reserve(3 * mesh.n_faces());
  for (const auto& f : mesh.faces)
    for (int j = 0; j < 3; ++j)
      edges.emplace_back(std::min(f[j], f[(j + 1) % 3]), std::max(f[j], f[(j + 1) % 3]));
  std::sort(edges.begin(), edges.end());
  std::size_t open_edges = 0;
  for (std::size_t i = 0; i < edges.size();) {
    std::size_t j = i;
    while (j < edges.size() && edges[j] == edges[i]) ++j;
    if (j - i != 2) ++open_edges;
    i = j;
  }
  if (open_edges > 0)
    throw core::InputError(source, "volume normalisation",
                           cat(open_edges,
                               " edges do not have exactly two faces: the surface is "
                               "not closed, so it encloses no volume"));
  const double volume = mesh::signed_volume(mesh);
  if (!(volume > 0))
    throw core::InputError(source, "volume normalisation",
                           cat("the signed enclosed volume is ", volume,
                               ": the faces are oriented inward (or the surface is degenerate)"));
  return volume;
}

void write_descriptors(io::SubjectWriter& writer, const spectral::Eigenpairs& eigen,
                       const SurfaceMeasures& measures, const DescriptorSettings& s,
                       io::Precision precision) {
  if (s.empty()) return;
  const std::string group = "/descriptors/";
  const auto z = static_cast<std::int64_t>(count_zero_modes(eigen.values));
  const std::string units_h = "1/mesh_units^2";

  if (s.has(Descriptor::shapedna)) {
    const std::vector<double> values =
        shapedna(eigen.values, measures.area, measures.volume, s.shapedna);
    const std::string d = group + "shapedna";
    writer.write_replicated(d, values);
    writer.set_attribute(d, "normalization", std::string(name(s.shapedna.normalization)));
    writer.set_attribute(d, "reweighting", std::string(name(s.shapedna.reweighting)));
    writer.set_attribute(d, "area", measures.area);
    if (s.shapedna.normalization == ShapeDnaNormalization::volume)
      writer.set_attribute(d, "volume", measures.volume);
    writer.set_attribute(
        d, "convention",
        cat("ShapeDNA (Reuter 2006): normalization=", name(s.shapedna.normalization),
            " (none: lambda; surface: lambda*area; volume: lambda*volume^(2/3)), "
            "reweighting=",
            name(s.shapedna.reweighting),
            " (none; lapy: lambda_i/(i+1), i from 0; index: lambda_i/i, i >= 1, "
            "lambda_0 dropped)"));
  }

  if (s.has(Descriptor::hks)) {
    const std::vector<double> times = hks_times(eigen.values, s.hks);
    const auto n_times = static_cast<std::int64_t>(times.size());
    write_vertex_data(writer, eigen, group + "hks", hks(eigen, times, s.hks.scaling, s.block_rows),
                      n_times, precision);
    writer.write_replicated(group + "hks_times", times);
    writer.write_replicated(group + "heat_trace", heat_trace(eigen.values, times));
    const std::string d = group + "hks";
    writer.set_attribute(d, "convention",
                         "Sun, Ovsjanikov, Guibas 2009: h(x,t) = sum_i exp(-lambda_i t) "
                         "phi_i(x)^2 over all k modes (zero modes included), phi M-orthonormal");
    writer.set_attribute(d, "scaling", std::string(name(s.hks.scaling)));
    writer.set_attribute(d, "n_times", n_times);
    writer.set_attribute(d, "t_min", times.front());
    writer.set_attribute(d, "t_max", times.back());
    writer.set_attribute(
        d, "time_rule",
        cat("log-spaced; t_min ", s.hks.t_min ? "given" : "= 4 ln10 / lambda_max", ", t_max ",
            s.hks.t_max ? "given" : "= 4 ln10 / lambda_first_nonzero"));
    writer.set_attribute(d, "units",
                         s.hks.scaling == HksScaling::none ? units_h
                                                           : "1/mesh_units^2 "
                                                             "per heat trace");
    writer.set_attribute(group + "hks_times", "units", std::string("mesh_units^2"));
    writer.set_attribute(group + "heat_trace", "convention",
                         std::string("Z(t) = sum_i exp(-lambda_i t) over all k eigenvalues, at "
                                     "hks_times"));
  }

  if (s.has(Descriptor::si_hks)) {
    const std::vector<double> taus = si_hks_taus(s.si_hks);
    write_vertex_data(writer, eigen, group + "si_hks", si_hks(eigen, s.si_hks, s.block_rows),
                      s.si_hks.n_frequencies, precision);
    const std::string d = group + "si_hks";
    writer.set_attribute(d, "convention",
                         "Bronstein & Kokkinos 2010: |DFT over tau| of d log h(x, alpha^tau) / "
                         "d tau (exact derivative), first n_frequencies moduli (unnormalised DFT)");
    writer.set_attribute(d, "alpha", s.si_hks.alpha);
    writer.set_attribute(d, "tau_min", taus.front());
    writer.set_attribute(d, "tau_max", taus.back());
    writer.set_attribute(d, "tau_step", s.si_hks.tau_step);
    writer.set_attribute(d, "n_tau", static_cast<std::int64_t>(taus.size()));
    writer.set_attribute(d, "n_frequencies", std::int64_t{s.si_hks.n_frequencies});
  }

  if (s.has(Descriptor::wks)) {
    const WksGrid grid = wks_grid(eigen.values, s.wks);
    const auto n_energies = static_cast<std::int64_t>(grid.energies.size());
    write_vertex_data(writer, eigen, group + "wks",
                      wks(eigen, grid, s.wks.normalization, s.block_rows), n_energies, precision);
    writer.write_replicated(group + "wks_energies", grid.energies);
    const std::string d = group + "wks";
    writer.set_attribute(d, "convention",
                         "Aubry, Schlickewei, Cremers 2011: WKS(x,e) = C_e sum_{i nonzero} "
                         "phi_i(x)^2 exp(-(e - log lambda_i)^2 / (2 sigma^2))");
    writer.set_attribute(d, "normalization",
                         std::string(s.wks.normalization == WksNormalization::paper
                                         ? "paper: C_e = 1 / sum_i exp(-(e - log lambda_i)^2 / "
                                           "(2 sigma^2)), columns integrate to 1"
                                         : "none: C_e = 1"));
    writer.set_attribute(d, "sigma", grid.sigma);
    writer.set_attribute(d, "variance_factor", s.wks.variance_factor);
    writer.set_attribute(d, "n_energies", n_energies);
    writer.set_attribute(d, "e_min", grid.energies.front());
    writer.set_attribute(d, "e_max", grid.energies.back());
    writer.set_attribute(
        d, "energy_rule",
        cat("evenly spaced log-energies; sigma ",
            s.wks.sigma ? "given"
                        : "= variance_factor * (log lambda_max - log "
                          "lambda_first_nonzero) / n_energies",
            "; e_min ", s.wks.e_min ? "given" : "= log lambda_first_nonzero + 2 sigma", "; e_max ",
            s.wks.e_max ? "given" : "= log lambda_max - 2 sigma"));
  }

  if (s.has(Descriptor::gps)) {
    const auto n_cols = eigen.k() - z;
    write_vertex_data(writer, eigen, group + "gps", gps(eigen), n_cols, precision);
    const std::string d = group + "gps";
    writer.set_attribute(d, "convention",
                         "Rustamov 2007: GPS(x) = (phi_i(x) / sqrt(lambda_i)) for the nonzero "
                         "modes i = first_mode .. k-1");
    writer.set_attribute(d, "first_mode", z);
  }

  writer.set_attribute("/descriptors", "computed", descriptor_list(s.which));
  writer.set_attribute("/descriptors", "zero_tolerance", zero_tolerance);
  writer.set_attribute("/descriptors", "n_zero_modes", z);
  writer.set_attribute("/descriptors", "zero_rule",
                       std::string("|lambda| <= zero_tolerance * max |lambda| counts as zero"));
}

}  // namespace spectralbrain::descriptors
