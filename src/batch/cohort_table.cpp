// Cohort table from subject files, built in parallel, written atomically on rank 0.
#include "spectralbrain/batch/cohort_table.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "spectralbrain/core/atomic_file.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/parallel.hpp"
#include "spectralbrain/io/subject_reader.hpp"
#include "spectralbrain/mesh/volume.hpp"

namespace spectralbrain::batch {

namespace fs = std::filesystem;

bool closed_and_oriented(const mesh::TriMesh& mesh) {
  // Directed edges a→b: each must occur once, and its reverse once.
  std::vector<std::uint64_t> edges;
  edges.reserve(3 * mesh.n_faces());
  auto key = [](std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
           static_cast<std::uint32_t>(b);
  };
  for (const auto& f : mesh.faces)
    for (int j = 0; j < 3; ++j) edges.push_back(key(f[j], f[(j + 1) % 3]));
  std::sort(edges.begin(), edges.end());
  if (std::adjacent_find(edges.begin(), edges.end()) != edges.end()) return false;
  for (std::uint64_t e : edges) {
    const std::uint64_t reverse = (e << 32) | (e >> 32);
    if (!std::binary_search(edges.begin(), edges.end(), reverse)) return false;
  }
  return !edges.empty();
}

namespace {
std::string number(double v) {
  if (std::isnan(v)) return "";
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

CohortTableResult write_cohort_table(MPI_Comm comm, const Manifest& manifest,
                                     const fs::path& output_dir, const RunParameters& run,
                                     const descriptors::ShapeDnaConvention& convention,
                                     const fs::path& table) {
  const auto n_rows = static_cast<std::int64_t>(manifest.entries.size());
  const bool index_reweighting = convention.reweighting == descriptors::ShapeDnaReweighting::index;
  const std::int64_t n_values = std::max(0, run.k - (index_reweighting ? 1 : 0));
  // Columns: status (1 usable, 0 not, 2 usable but no ShapeDNA), n_vertices, area, volume,
  // values.
  const std::int64_t n_cols = 4 + n_values;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> all =
      core::parallel_batch(comm, n_rows, n_cols, 32, [&](core::Block rows, std::span<double> out) {
        std::fill(out.begin(), out.end(), nan);
        for (std::int64_t j = 0; j < rows.count; ++j) {
          double* row = out.data() + j * n_cols;
          row[0] = 0;
          const ManifestEntry& e = manifest.entries[static_cast<std::size_t>(rows.begin + j)];
          const fs::path file = output_dir / e.output_name();
          if (check_output(file, run).state != OutputState::complete) continue;
          try {
            io::SubjectReader reader(file);
            const auto& a = reader.attributes();
            const auto eigen = reader.eigenpairs(io::RowRange{0, 0});
            const mesh::TriMesh m = reader.mesh();
            double volume = nan;
            if (closed_and_oriented(m)) volume = std::abs(mesh::signed_volume(m));
            row[0] = 1;
            row[1] = static_cast<double>(a.n_vertices);
            row[2] = a.area;
            row[3] = volume;
            try {
              const auto dna = descriptors::shapedna(eigen.values, a.area,
                                                     std::isnan(volume) ? 0.0 : volume, convention);
              std::copy_n(dna.begin(), std::min<std::size_t>(dna.size(), n_values), row + 4);
            } catch (const core::InputError&) {
              row[0] = 2;  // e.g. volume normalisation of an open surface
            }
          } catch (const std::exception&) {
            row[0] = 0;
          }
        }
      });

  CohortTableResult result;
  std::string error;
  if (core::rank(comm) == 0) {
    fs::path temp;
    error = core::create_temporary_sibling(table, temp);
    if (error.empty()) {
      std::ofstream out(temp);
      out << "subject,structure,n_vertices,area,volume";
      for (std::int64_t i = 0; i < n_values; ++i)
        out << ",ev_" << (i + (index_reweighting ? 1 : 0));
      out << '\n';
      for (std::int64_t r = 0; r < n_rows; ++r) {
        const double* row = all.data() + r * n_cols;
        const ManifestEntry& e = manifest.entries[static_cast<std::size_t>(r)];
        if (row[0] == 0) {
          ++result.n_missing;
          continue;
        }
        if (row[0] == 2)
          result.warnings.push_back(
              core::cat(e.key(), ": no ShapeDNA with normalisation '",
                        descriptors::name(convention.normalization), "' (",
                        std::isnan(row[3]) ? "the surface is not closed" : "bad area/volume", ")"));
        ++result.n_rows;
        out << csv_field(e.subject) << ',' << csv_field(e.structure) << ','
            << static_cast<std::int64_t>(row[1]) << ',' << number(row[2]) << ',' << number(row[3]);
        for (std::int64_t i = 0; i < n_values; ++i) out << ',' << number(row[4 + i]);
        out << '\n';
      }
      out.flush();
      if (!out) error = core::cat("cannot write ", temp.string());
    }
    if (error.empty()) error = core::publish_file(temp, table);
    std::error_code ignored;
    if (!error.empty() && !temp.empty()) fs::remove(temp, ignored);
  }
  int length = static_cast<int>(error.size());
  SB_MPI(MPI_Bcast(&length, 1, MPI_INT, 0, comm));
  if (length > 0) {
    error.resize(static_cast<std::size_t>(length));
    SB_MPI(MPI_Bcast(error.data(), length, MPI_CHAR, 0, comm));
    throw core::InputError(table.string(), "", error);
  }
  return result;
}

}  // namespace spectralbrain::batch
