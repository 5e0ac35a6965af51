// Viewer files of one subject file, written by rank 0 from the file in row chunks.
#include "spectralbrain/export/subject_export.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/export/gifti_writer.hpp"
#include "spectralbrain/export/vtk_writer.hpp"
#include "spectralbrain/io/subject_reader.hpp"

namespace spectralbrain::exports {

namespace fs = std::filesystem;
using core::cat;

namespace {

// Values read per chunk (2^22 doubles = 32 MiB).
constexpr std::int64_t chunk_values = std::int64_t{1} << 22;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string format_g(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

// A per-vertex descriptor the file may hold, and how its columns are named.
struct VertexDataset {
  const char* short_name;  // file and array name part
  const char* dataset;     // HDF5 path
  std::function<std::string(const io::SubjectReader&, std::int64_t)> column_name;
};

std::vector<VertexDataset> vertex_datasets(const io::SubjectReader& reader) {
  std::vector<double> times, energies;
  if (reader.has("/descriptors/hks_times")) times = reader.read("/descriptors/hks_times").data;
  if (reader.has("/descriptors/wks_energies"))
    energies = reader.read("/descriptors/wks_energies").data;
  std::int64_t first_mode = 0;
  if (reader.has("/descriptors/gps")) {
    const auto v = reader.attribute("/descriptors/gps", "first_mode");
    if (const auto* i = std::get_if<std::int64_t>(&v)) first_mode = *i;
  }
  const auto indexed = [](std::vector<double> grid, std::string prefix) {
    return [grid = std::move(grid), prefix](const io::SubjectReader&, std::int64_t j) {
      return j < static_cast<std::int64_t>(grid.size())
                 ? prefix + format_g(grid[static_cast<std::size_t>(j)])
                 : prefix + "#" + std::to_string(j);
    };
  };
  std::vector<VertexDataset> all = {
      {"hks", "/descriptors/hks", indexed(times, "hks t=")},
      {"si_hks", "/descriptors/si_hks",
       [](const io::SubjectReader&, std::int64_t j) { return cat("si_hks f=", j); }},
      {"wks", "/descriptors/wks", indexed(energies, "wks e=")},
      {"gps", "/descriptors/gps",
       [first_mode](const io::SubjectReader&, std::int64_t j) {
         return cat("gps mode=", first_mode + j);
       }},
  };
  std::vector<VertexDataset> present;
  for (auto& d : all)
    if (reader.has(d.dataset)) present.push_back(std::move(d));
  return present;
}

// Calls `consume(first_row, rows)` for consecutive row chunks of a (N, C) dataset.
void for_each_chunk(const io::SubjectReader& reader, const char* dataset, std::int64_t n_rows,
                    std::int64_t n_cols,
                    const std::function<void(std::int64_t, const io::Array&)>& consume) {
  const std::int64_t step =
      std::max<std::int64_t>(1, chunk_values / std::max<std::int64_t>(n_cols, 1));
  for (std::int64_t r = 0; r < n_rows; r += step) {
    const io::Array chunk = reader.read(dataset, {r, std::min(step, n_rows - r)});
    consume(r, chunk);
  }
}

std::vector<GiftiColumn> read_columns(const io::SubjectReader& reader, const VertexDataset& d,
                                      std::int64_t n) {
  const io::Array head = reader.read(d.dataset, {0, 0});
  const std::int64_t c = head.shape.size() == 2 ? head.shape[1] : 1;
  std::vector<GiftiColumn> columns(static_cast<std::size_t>(c));
  for (std::int64_t j = 0; j < c; ++j) {
    columns[static_cast<std::size_t>(j)].name = d.column_name(reader, j);
    columns[static_cast<std::size_t>(j)].values.resize(static_cast<std::size_t>(n));
  }
  for_each_chunk(reader, d.dataset, n, c, [&](std::int64_t first, const io::Array& chunk) {
    for (std::int64_t r = 0; r < chunk.shape[0]; ++r)
      for (std::int64_t j = 0; j < c; ++j)
        columns[static_cast<std::size_t>(j)].values[static_cast<std::size_t>(first + r)] =
            static_cast<float>(chunk.data[static_cast<std::size_t>(r * c + j)]);
  });
  return columns;
}

// The chosen eigenfunctions as columns, read once in row chunks of /eigen/vectors.
std::vector<GiftiColumn> read_modes(const io::SubjectReader& reader,
                                    const std::vector<std::int64_t>& modes) {
  const std::int64_t n = reader.attributes().n_vertices, k = reader.attributes().k;
  const std::vector<double> values = reader.read("/eigen/values").data;
  std::vector<GiftiColumn> columns(modes.size());
  for (std::size_t m = 0; m < modes.size(); ++m) {
    columns[m].name = cat("phi_", modes[m], " lambda=", format_g(values[modes[m]]));
    columns[m].values.resize(static_cast<std::size_t>(n));
  }
  for_each_chunk(reader, "/eigen/vectors", n, k, [&](std::int64_t first, const io::Array& chunk) {
    for (std::int64_t r = 0; r < chunk.shape[0]; ++r)
      for (std::size_t m = 0; m < modes.size(); ++m)
        columns[m].values[static_cast<std::size_t>(first + r)] =
            static_cast<float>(chunk.data[static_cast<std::size_t>(r * k + modes[m])]);
  });
  return columns;
}

GiftiMetadata file_metadata(const io::SubjectReader& reader) {
  GiftiMetadata meta;
  const std::string name = fs::path(reader.attributes().info.source_mesh).filename().string();
  if (name.starts_with("lh.")) meta.emplace_back("AnatomicalStructurePrimary", "CortexLeft");
  if (name.starts_with("rh.")) meta.emplace_back("AnatomicalStructurePrimary", "CortexRight");
  meta.emplace_back("Subject", reader.attributes().info.subject);
  meta.emplace_back("SourceSubjectFile", reader.file().string());
  return meta;
}

std::vector<fs::path> export_files(const fs::path& subject_file, const ExportSettings& settings) {
  const io::SubjectReader reader(subject_file);
  const std::int64_t n = reader.attributes().n_vertices, k = reader.attributes().k;
  ExportSettings s = settings;
  if (s.modes.empty())
    for (std::int64_t j = std::min<std::int64_t>(1, k - 1); j <= std::min<std::int64_t>(10, k - 1);
         ++j)
      s.modes.push_back(j);
  validate(s, k);
  const mesh::TriMesh mesh = reader.mesh();
  const fs::path stem = export_stem(subject_file);
  const auto with = [&](const std::string& suffix) {
    fs::path p = stem;
    p += suffix;
    return p;
  };
  const GiftiMetadata meta = file_metadata(reader);
  const std::vector<VertexDataset> datasets = vertex_datasets(reader);
  std::vector<GiftiColumn> modes = read_modes(reader, s.modes);
  std::vector<fs::path> written;

  if (std::find(s.formats.begin(), s.formats.end(), ExportFormat::gifti) != s.formats.end()) {
    written.push_back(with(".surf.gii"));
    write_gifti_surface(written.back(), mesh, meta);
    written.push_back(with(".eigenfunctions.func.gii"));
    write_gifti_columns(written.back(), modes, GiftiIntent::none, meta);
    for (const VertexDataset& d : datasets) {
      written.push_back(with(cat(".", d.short_name, ".shape.gii")));
      write_gifti_columns(written.back(), read_columns(reader, d, n), GiftiIntent::shape, meta);
    }
  }
  if (std::find(s.formats.begin(), s.formats.end(), ExportFormat::vtk) != s.formats.end()) {
    written.push_back(with(".vtk"));
    VtkPolyDataWriter vtk(
        written.back(), mesh,
        cat("SpectralBrain subject ", reader.attributes().info.subject, " (k=", k, ")"),
        static_cast<int>(modes.size() + datasets.size()));
    for (std::size_t m = 0; m < modes.size(); ++m) {
      vtk.begin_array(cat("phi_", s.modes[m]), 1);
      const std::vector<double> column(modes[m].values.begin(), modes[m].values.end());
      vtk.append_rows(column);
      vtk.end_array();
    }
    for (const VertexDataset& d : datasets) {
      const io::Array head = reader.read(d.dataset, {0, 0});
      const std::int64_t c = head.shape.size() == 2 ? head.shape[1] : 1;
      vtk.begin_array(d.short_name, c);
      for_each_chunk(reader, d.dataset, n, c,
                     [&](std::int64_t, const io::Array& chunk) { vtk.append_rows(chunk.data); });
      vtk.end_array();
    }
    vtk.commit();
  }
  return written;
}

}  // namespace

std::vector<ExportFormat> parse_export_formats(std::string_view list, std::string_view option) {
  bool gifti = false, vtk = false;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string word = trim(list.substr(start, end - start));
    start = end + 1;
    if (word.empty() || word == "none") continue;
    if (word == "gifti")
      gifti = true;
    else if (word == "vtk")
      vtk = true;
    else
      throw core::InputError("command line", std::string(option),
                             cat("unknown export format '", word, "' (known: gifti, vtk)"));
  }
  std::vector<ExportFormat> formats;
  if (gifti) formats.push_back(ExportFormat::gifti);
  if (vtk) formats.push_back(ExportFormat::vtk);
  return formats;
}

std::vector<std::int64_t> parse_mode_list(std::string_view list, std::string_view option) {
  const auto number = [&](const std::string& word) {
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(word, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (word.empty() || used != word.size() || v < 0)
      throw core::InputError("command line", std::string(option),
                             cat("'", word, "' is not a mode index (0, 1, 2, ...)"));
    return static_cast<std::int64_t>(v);
  };
  std::vector<std::int64_t> modes;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string item = trim(list.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const std::size_t dash = item.find('-', 1);
    if (dash == std::string::npos) {
      modes.push_back(number(item));
      continue;
    }
    const std::int64_t a = number(trim(item.substr(0, dash))),
                       b = number(trim(item.substr(dash + 1)));
    if (b < a)
      throw core::InputError("command line", std::string(option),
                             cat("range '", item, "' runs backwards"));
    if (b - a > 100000)
      throw core::InputError("command line", std::string(option),
                             cat("range '", item, "' is too long"));
    for (std::int64_t j = a; j <= b; ++j) modes.push_back(j);
  }
  return modes;
}

void validate(const ExportSettings& settings, std::int64_t k) {
  for (std::int64_t m : settings.modes)
    if (m < 0 || m >= k)
      throw core::InputError("command line", "--export-modes",
                             cat("mode ", m, " does not exist: the file has k = ", k,
                                 " eigenpairs (modes 0..", k - 1, ")"));
}

fs::path export_stem(const fs::path& subject_file) {
  return subject_file.parent_path() / subject_file.stem();
}

std::vector<fs::path> export_subject(MPI_Comm comm, const fs::path& subject_file,
                                     const ExportSettings& settings) {
  if (settings.empty()) return {};
  std::vector<fs::path> written;
  std::string problem, list;
  if (core::rank(comm) == 0) {
    try {
      written = export_files(subject_file, settings);
      for (const fs::path& p : written) list += p.string() + '\n';
    } catch (const std::exception& e) {
      problem = e.what();
      if (problem.empty()) problem = "export failed";
    }
  }
  // Rank 0's outcome on every rank: its problem, or the list of files it wrote.
  for (std::string* text : {&problem, &list}) {
    long long length = static_cast<long long>(text->size());
    SB_MPI(MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, comm));
    text->resize(static_cast<std::size_t>(length));
    if (length > 0) SB_MPI(MPI_Bcast(text->data(), static_cast<int>(length), MPI_CHAR, 0, comm));
  }
  if (!problem.empty()) throw core::Error(problem);
  written.clear();
  for (std::size_t start = 0; start < list.size();) {
    const std::size_t end = list.find('\n', start);
    written.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return written;
}

}  // namespace spectralbrain::exports
