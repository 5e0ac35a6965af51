// write_mesh: the writer the extension names.
#include "spectralbrain/mesh/write.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/mesh/gifti.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/ply.hpp"

namespace spectralbrain::mesh {

void write_mesh(const TriMesh& mesh, const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".off") return write_off(mesh, path);
  if (extension == ".ply") return write_ply(mesh, path);
  if (extension == ".gii") return write_gifti(mesh, path);
  throw core::InputError(
      path.string(), "",
      core::cat("cannot tell which format to write from the extension '", extension,
                "': use .off, .ply or .gii (e.g. lh.clean.surf.gii)"));
}

}  // namespace spectralbrain::mesh
