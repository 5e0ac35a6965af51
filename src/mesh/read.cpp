// read_mesh: recognise, read, check.
#include "spectralbrain/mesh/read.hpp"

#include "spectralbrain/mesh/freesurfer.hpp"
#include "spectralbrain/mesh/gifti.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/validate.hpp"

namespace spectralbrain::mesh {

TriMesh read_mesh(const std::filesystem::path& path) {
  TriMesh mesh;
  switch (detect_format(path)) {
    case MeshFormat::freesurfer:
      mesh = read_freesurfer(path);
      break;
    case MeshFormat::gifti:
      mesh = read_gifti(path);
      break;
    case MeshFormat::off:
      mesh = read_off(path);
      break;
  }
  validate_mesh(mesh, path.string());
  return mesh;
}

}  // namespace spectralbrain::mesh
