// read_mesh: recognise, read, check.
#include "spectralbrain/mesh/read.hpp"

#include "spectralbrain/mesh/freesurfer.hpp"
#include "spectralbrain/mesh/freesurfer_ascii.hpp"
#include "spectralbrain/mesh/gifti.hpp"
#include "spectralbrain/mesh/mz3.hpp"
#include "spectralbrain/mesh/obj.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/ply.hpp"
#include "spectralbrain/mesh/validate.hpp"
#include "spectralbrain/mesh/vtk.hpp"

namespace spectralbrain::mesh {

TriMesh read_mesh_as(const std::filesystem::path& path, MeshFormat format) {
  TriMesh mesh;
  switch (format) {
    case MeshFormat::freesurfer:
      mesh = read_freesurfer(path);
      break;
    case MeshFormat::gifti:
      mesh = read_gifti(path);
      break;
    case MeshFormat::off:
      mesh = read_off(path);
      break;
    case MeshFormat::obj:
      mesh = read_obj(path);
      break;
    case MeshFormat::ply:
      mesh = read_ply(path);
      break;
    case MeshFormat::vtk:
      mesh = read_vtk(path);
      break;
    case MeshFormat::mz3:
      mesh = read_mz3(path);
      break;
    case MeshFormat::freesurfer_ascii:
      mesh = read_freesurfer_ascii(path);
      break;
  }
  validate_mesh(mesh, path.string());
  return mesh;
}

TriMesh read_mesh(const std::filesystem::path& path) {
  return read_mesh_as(path, detect_format(path));
}

}  // namespace spectralbrain::mesh
