// Memory estimate of one subject and header peeks of mesh files.
#include "spectralbrain/batch/memory_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace spectralbrain::batch {

namespace fs = std::filesystem;

namespace {

std::int64_t read_be32(const unsigned char* p) {
  return static_cast<std::int32_t>((std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                                   (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]));
}

// FreeSurfer triangle file: FF FF FE, "created by ...\n\n", int32 BE vnum, fnum.
bool peek_freesurfer(std::ifstream& in, MeshSize& size) {
  std::array<unsigned char, 3> magic{};
  in.read(reinterpret_cast<char*>(magic.data()), 3);
  if (!in || magic != std::array<unsigned char, 3>{0xFF, 0xFF, 0xFE}) return false;
  std::string text;
  char c = 0;
  while (text.size() < 4096 && in.get(c)) {
    text += c;
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\n\n") == 0) break;
  }
  unsigned char counts[8];
  if (!in.read(reinterpret_cast<char*>(counts), 8)) return false;
  size.n_vertices = read_be32(counts);
  size.n_faces = read_be32(counts + 4);
  return size.n_vertices > 0 && size.n_faces > 0;
}

// Value of attribute `name` inside one XML start tag.
std::string attribute(const std::string& tag, const std::string& name) {
  std::size_t at = 0;
  while ((at = tag.find(name, at)) != std::string::npos) {
    std::size_t p = at + name.size();
    const bool starts = at == 0 || std::isspace(static_cast<unsigned char>(tag[at - 1]));
    while (p < tag.size() && std::isspace(static_cast<unsigned char>(tag[p]))) ++p;
    if (starts && p < tag.size() && tag[p] == '=') {
      ++p;
      while (p < tag.size() && std::isspace(static_cast<unsigned char>(tag[p]))) ++p;
      if (p < tag.size() && (tag[p] == '"' || tag[p] == '\'')) {
        const char q = tag[p];
        const auto end = tag.find(q, p + 1);
        if (end != std::string::npos) return tag.substr(p + 1, end - p - 1);
      }
    }
    at += name.size();
  }
  return {};
}

bool peek_gifti(const fs::path& mesh, MeshSize& size) {
  std::ifstream in(mesh, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.find("<GIFTI") == std::string::npos) return false;
  std::size_t at = 0;
  while ((at = text.find("<DataArray", at)) != std::string::npos) {
    const auto end = text.find('>', at);
    if (end == std::string::npos) break;
    const std::string tag = text.substr(at, end - at);
    const std::string intent = attribute(tag, "Intent");
    const long long dim0 = std::atoll(attribute(tag, "Dim0").c_str());
    if (intent == "NIFTI_INTENT_POINTSET") size.n_vertices = dim0;
    if (intent == "NIFTI_INTENT_TRIANGLE") size.n_faces = dim0;
    at = end;
  }
  return size.n_vertices > 0;
}

bool peek_off(std::ifstream& in, MeshSize& size) {
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    if (!header) {
      if (line.compare(b, 3, "OFF") != 0) return false;
      header = true;
      std::string rest = line.substr(b + 3);
      if (rest.find_first_not_of(" \t\r") == std::string::npos) continue;
      line = rest;
    }
    long long n = 0, f = 0;
    if (std::sscanf(line.c_str(), "%lld %lld", &n, &f) != 2) return false;
    size.n_vertices = n;
    size.n_faces = f;
    return n > 0;
  }
  return false;
}

}  // namespace

MeshSize peek_mesh_size(const fs::path& mesh) noexcept {
  MeshSize size;
  try {
    std::error_code ec;
    const auto bytes = fs::file_size(mesh, ec);
    if (ec) return size;
    size.file_bytes = bytes;
    {
      std::ifstream in(mesh, std::ios::binary);
      if (!in) return size;
      if (peek_freesurfer(in, size)) return size;
    }
    size = MeshSize{0, 0, bytes};
    if (peek_gifti(mesh, size)) return size;
    size = MeshSize{0, 0, bytes};
    std::ifstream in(mesh);
    if (peek_off(in, size)) return size;
    size = MeshSize{0, 0, bytes};
  } catch (...) {
    size.n_vertices = size.n_faces = 0;
  }
  return size;
}

MemoryEstimate estimate_subject_memory(const MeshSize& size, int k, int ncv, int n_ranks,
                                       io::Precision precision) {
  const double n = static_cast<double>(std::max<std::int64_t>(size.n_vertices, 1));
  const double f = size.n_faces > 0 ? static_cast<double>(size.n_faces) : 2 * n;
  const double p = std::max(n_ranks, 1);
  const double kk = std::max(k, 1);
  const double basis = ncv > 0 ? ncv : std::max(2 * kk, kk + 15);
  MemoryEstimate e;
  auto add = [&](const char* name, double bytes) {
    e.parts.emplace_back(name, static_cast<std::uint64_t>(std::ceil(bytes)));
  };
  add("mesh", 2 * (24 * n + 12 * f));
  add("operators", 3 * 12 * (n + 3 * f) / p);
  add("factor", 2 * 1.2 * 8 * kFillPerNLogN * n * std::log2(std::max(n, 2.0)) / p);
  add("krylov", 8 * n * (basis + 1) / p);
  add("eigenvectors",
      (8 * n * kk * 2 + (precision == io::Precision::float32 ? 4 * n * kk : 0)) / p);
  // spectral::solve's residual/input-order pass: five work vectors per pair of a block of 8.
  add("collect", 8 * n * 5 * std::min(kk, 8.0) / p);
  double total = 0;
  for (const auto& part : e.parts) total += static_cast<double>(part.second);
  e.per_rank = static_cast<std::uint64_t>(std::ceil(1.25 * total));
  return e;
}

}  // namespace spectralbrain::batch
