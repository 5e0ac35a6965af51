// Mesh checks shared by every reader.
#include "spectralbrain/mesh/validate.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
// " (4 more faces have the same problem)" when a problem recurs.
std::string more(std::size_t count, const char* one, const char* many) {
  if (count < 2) return "";
  return core::cat(" (", count - 1, " more ", count == 2 ? one : many,
                   count == 2 ? " has" : " have", " the same problem)");
}
}  // namespace

void validate_mesh(const TriMesh& mesh, const std::string& source) {
  const std::size_t n = mesh.n_vertices();
  if (n == 0) throw core::InputError(source, "header", "the mesh has no vertices");
  if (mesh.n_faces() == 0) throw core::InputError(source, "header", "the mesh has no faces");
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw core::InputError(
        source, "header",
        core::cat("the mesh has ", n, " vertices, more than int32 indices can address"));

  std::size_t n_bad = 0, first = 0;
  int axis = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < 3; ++j)
      if (!std::isfinite(mesh.vertices[i][j])) {
        if (n_bad++ == 0) first = i, axis = j;
        break;
      }
  if (n_bad > 0)
    throw core::InputError(
        source, core::cat("vertex ", first),
        core::cat("coordinate ", "xyz"[axis], " is not finite (", mesh.vertices[first][axis], ")",
                  more(n_bad, "vertex", "vertices")));

  const auto n_signed = static_cast<std::int64_t>(n);
  std::size_t n_out = 0, first_out = 0, n_repeat = 0, first_repeat = 0;
  std::int32_t bad_index = 0;
  for (std::size_t f = 0; f < mesh.n_faces(); ++f) {
    const auto& t = mesh.faces[f];
    bool out = false;
    for (const std::int32_t i : t)
      if (i < 0 || i >= n_signed) {
        if (n_out == 0) first_out = f, bad_index = i;
        out = true;
        break;
      }
    if (out) {
      ++n_out;
    } else if (t[0] == t[1] || t[1] == t[2] || t[0] == t[2]) {
      if (n_repeat++ == 0) first_repeat = f;
    }
  }
  if (n_out > 0)
    throw core::InputError(
        source, core::cat("face ", first_out),
        core::cat("vertex index ", bad_index, " is out of range [0, ", n, "): the mesh has ", n,
                  " vertices", more(n_out, "face", "faces")));
  if (n_repeat > 0) {
    const auto& t = mesh.faces[first_repeat];
    throw core::InputError(
        source, core::cat("face ", first_repeat),
        core::cat("repeats a vertex (indices ", t[0], " ", t[1], " ", t[2],
                  "): a triangle needs three distinct vertices", more(n_repeat, "face", "faces")));
  }
}

}  // namespace spectralbrain::mesh
