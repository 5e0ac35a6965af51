// P1 cotangent stiffness and mass matrices, assembled in parallel with PETSc's COO interface.
#include "spectralbrain/fem/operators.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <optional>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::fem {

namespace {

using Vec3 = std::array<double, 3>;

Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double cross_norm(const Vec3& a, const Vec3& b) {
  const Vec3 c = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  return std::sqrt(dot(c, c));
}

// Edge vectors of face f, e[i] opposite corner i (e0 = p2 - p1, e1 = p0 - p2, e2 = p1 - p0),
// and |e0 × e1| = twice the area.
struct Triangle {
  std::array<Vec3, 3> e;
  double twice_area;
  bool degenerate;
};

Triangle triangle(const mesh::TriMesh& m, const std::array<std::int32_t, 3>& f) {
  const Vec3 &p0 = m.vertices[f[0]], &p1 = m.vertices[f[1]], &p2 = m.vertices[f[2]];
  Triangle t{{sub(p2, p1), sub(p0, p2), sub(p1, p0)}, 0.0, false};
  t.twice_area = cross_norm(t.e[0], t.e[1]);
  const double longest2 = std::max({dot(t.e[0], t.e[0]), dot(t.e[1], t.e[1]), dot(t.e[2], t.e[2])});
  // The rule documented in operators.hpp: LaPy's absolute test, or collinear up to rounding.
  t.degenerate = t.twice_area < DBL_EPSILON / 2 || t.twice_area < 1e-12 * longest2;
  return t;
}

void check_mesh(const mesh::TriMesh& mesh) {
  const std::int64_t n = static_cast<std::int64_t>(mesh.n_vertices());
  if (mesh.faces.empty()) throw core::InputError("mesh", "", "it has no triangles");
  if (n > PETSC_MAX_INT)
    throw core::InputError("mesh", "",
                           core::cat(n, " vertices exceed this PETSc build's 32-bit indices"));
  std::vector<char> used(n, 0);
  for (std::size_t f = 0; f < mesh.faces.size(); ++f)
    for (std::int32_t v : mesh.faces[f]) {
      if (v < 0 || v >= n)
        throw core::InputError("mesh", core::cat("face ", f),
                               core::cat("vertex index ", v, " is outside 0..", n - 1));
      used[v] = 1;
    }
  const auto unused = std::find(used.begin(), used.end(), 0);
  if (unused != used.end())
    throw core::InputError(
        "mesh", core::cat("vertex ", unused - used.begin()),
        core::cat("it belongs to no triangle (", std::count(used.begin(), used.end(), 0),
                  " such vertices); remove unreferenced vertices before the eigen-solve"));
}

// A square AIJ matrix with the rows of `numbering` owned by this rank, filled from COO
// triplets (rows may belong to other ranks; repeated entries are summed).
core::PMat coo_matrix(MPI_Comm comm, const VertexNumbering& numbering, std::vector<PetscInt>& i,
                      std::vector<PetscInt>& j, const std::vector<PetscScalar>& v) {
  const int rank = core::rank(comm);
  core::PMat a;
  SB_PETSC(MatCreate(comm, a.out()));
  SB_PETSC(MatSetSizes(a.get(), numbering.n_owned(rank), numbering.n_owned(rank),
                       numbering.n_vertices(), numbering.n_vertices()));
  SB_PETSC(MatSetType(a.get(), MATAIJ));
  // May permute i and j in place (documented), which is why they are passed by reference.
  SB_PETSC(MatSetPreallocationCOO(a.get(), static_cast<PetscCount>(i.size()), i.data(), j.data()));
  SB_PETSC(MatSetValuesCOO(a.get(), v.data(), INSERT_VALUES));
  SB_PETSC(MatSetOption(a.get(), MAT_SYMMETRIC, PETSC_TRUE));
  SB_PETSC(MatSetOption(a.get(), MAT_SYMMETRY_ETERNAL, PETSC_TRUE));
  return a;
}

}  // namespace

Operators assemble(const mesh::TriMesh& mesh, MPI_Comm comm, const AssemblyOptions& options,
                   core::StageTimer* timer) {
  std::optional<core::StageTimer::Scope> stage;
  if (timer) stage.emplace(*timer, "assemble");
  check_mesh(mesh);

  // The stand-in for degenerate triangles needs the mean over all faces; the mesh is
  // replicated, so every rank computes it (and the area) over all faces, in the same order:
  // the results are identical on every rank and for every rank count.
  const std::int64_t n_faces = static_cast<std::int64_t>(mesh.n_faces());
  double sum_all = 0, sum_regular = 0;
  std::int64_t n_degenerate = 0;
  for (const auto& f : mesh.faces) {
    const Triangle t = triangle(mesh, f);
    sum_all += t.twice_area;
    if (t.degenerate)
      ++n_degenerate;
    else
      sum_regular += t.twice_area;
  }
  const double stand_in = 1e-4 * sum_all / static_cast<double>(n_faces);
  if (n_degenerate > 0 && !(stand_in > 0))
    throw core::InputError("mesh", "", "every triangle has zero area");

  Operators ops;
  ops.numbering = number_vertices(mesh, comm, options.partitioner);
  ops.area = 0.5 * (sum_regular + static_cast<double>(n_degenerate) * stand_in);
  ops.n_degenerate = n_degenerate;

  const int size = core::size(comm), rank = core::rank(comm);
  const auto faces = core::row_block(n_faces, rank, size);  // this rank's faces
  const std::int64_t f_begin = faces.begin;
  const auto n_local = static_cast<std::size_t>(faces.count);
  const auto& row = ops.numbering.petsc_of_input;

  // One 3×3 element block per face, rows/columns in PETSc numbering. The same pattern serves
  // L and the consistent M.
  std::vector<PetscInt> ii(9 * n_local), jj(9 * n_local);
  std::vector<PetscScalar> lv(9 * n_local), mv(9 * n_local);
  for (std::size_t l = 0; l < n_local; ++l) {
    const auto& f = mesh.faces[f_begin + l];
    const Triangle t = triangle(mesh, f);
    const double d = t.degenerate ? stand_in : t.twice_area;
    // Off-diagonal between corners a and b (opposite corner c): -½ cot(angle at c)
    // = (e_a · e_b) / (2 |cross|).
    std::array<std::array<double, 3>, 3> k{};
    for (int c = 0; c < 3; ++c) {
      const int a = (c + 1) % 3, b = (c + 2) % 3;
      k[a][b] = k[b][a] = dot(t.e[a], t.e[b]) / (2 * d);
    }
    for (int a = 0; a < 3; ++a) k[a][a] = -(k[a][(a + 1) % 3] + k[a][(a + 2) % 3]);
    const double area = d / 2;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) {
        const std::size_t s = 9 * l + 3 * a + b;
        ii[s] = row[f[a]];
        jj[s] = row[f[b]];
        lv[s] = k[a][b];
        mv[s] = area / (a == b ? 6.0 : 12.0);
      }
  }

  if (options.mass == MassMatrix::consistent) {
    std::vector<PetscInt> i2 = ii, j2 = jj;
    ops.stiffness = coo_matrix(comm, ops.numbering, i2, j2, lv);
    lv = {};
    ops.mass = coo_matrix(comm, ops.numbering, ii, jj, mv);
  } else {
    ops.stiffness = coo_matrix(comm, ops.numbering, ii, jj, lv);
    // Lumped: the row sums of the consistent element matrix (A/3) on the diagonal.
    ii.resize(3 * n_local);
    jj.resize(3 * n_local);
    mv.resize(3 * n_local);
    for (std::size_t l = 0; l < n_local; ++l) {
      const auto& f = mesh.faces[f_begin + l];
      const Triangle t = triangle(mesh, f);
      const double area = (t.degenerate ? stand_in : t.twice_area) / 2;
      for (int a = 0; a < 3; ++a) {
        ii[3 * l + a] = jj[3 * l + a] = row[f[a]];
        mv[3 * l + a] = area / 3;
      }
    }
    ops.mass = coo_matrix(comm, ops.numbering, ii, jj, mv);
  }
  SB_PETSC(MatSetOption(ops.mass.get(), MAT_SPD, PETSC_TRUE));
  SB_PETSC(MatSetOption(ops.mass.get(), MAT_SPD_ETERNAL, PETSC_TRUE));
  return ops;
}

}  // namespace spectralbrain::fem
