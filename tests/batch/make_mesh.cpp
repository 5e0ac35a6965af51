// batch_make_mesh: writes a generated surface as an OFF file, for batch tests and benchmarks
// that need meshes of a chosen size.
//   batch_make_mesh icosphere LEVEL OUT.off      (10·4^LEVEL + 2 vertices, closed)
//   batch_make_mesh rectangle A B NX NY OUT.off  (open sheet)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "spectralbrain/mesh/primitives.hpp"

int main(int argc, char** argv) {
  namespace mesh = spectralbrain::mesh;
  mesh::TriMesh m;
  const char* out = nullptr;
  if (argc == 4 && std::strcmp(argv[1], "icosphere") == 0) {
    m = mesh::icosphere(std::atoi(argv[2]));
    out = argv[3];
  } else if (argc == 7 && std::strcmp(argv[1], "rectangle") == 0) {
    m = mesh::rectangle(std::atof(argv[2]), std::atof(argv[3]), std::atoi(argv[4]),
                        std::atoi(argv[5]));
    out = argv[6];
  } else {
    std::fprintf(stderr, "usage: %s icosphere LEVEL OUT.off | rectangle A B NX NY OUT.off\n",
                 argv[0]);
    return 2;
  }
  std::ofstream f(out);
  f << "OFF\n" << m.n_vertices() << ' ' << m.n_faces() << " 0\n";
  f.precision(17);
  for (const auto& v : m.vertices) f << v[0] << ' ' << v[1] << ' ' << v[2] << '\n';
  for (const auto& t : m.faces) f << "3 " << t[0] << ' ' << t[1] << ' ' << t[2] << '\n';
  return f ? 0 : 1;
}
