// The hostile-input files, generated in code: every reader and every way a file goes wrong.
// Shared by hostile_test.cpp (error messages) and allocation_test.cpp (memory bounds).
#pragma once

#include <zlib.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mesh_test_util.hpp"

namespace spectralbrain::mesh::testing {

// Little- and big-endian encodings of 32-bit values.
inline std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (8 * i));
  return s;
}
inline std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}
inline std::string lef(float x) { return le32(std::bit_cast<std::uint32_t>(x)); }
inline std::string bef(float x) { return be32(std::bit_cast<std::uint32_t>(x)); }

inline std::string gzip(const std::string& raw) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, raw.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline const float nan_f = std::numeric_limits<float>::quiet_NaN();
inline const float inf_f = std::numeric_limits<float>::infinity();

// MZ3: header (attributes, F, N, skip), faces, vertices.
inline std::string mz3(std::uint16_t attr, std::uint32_t n_faces, std::uint32_t n_vertices,
                       const std::vector<std::int32_t>& faces, const std::vector<float>& xyz) {
  std::string b = {'M', 'Z', static_cast<char>(attr & 0xFF), static_cast<char>(attr >> 8)};
  b += le32(n_faces) + le32(n_vertices) + le32(0);
  for (const auto i : faces) b += le32(static_cast<std::uint32_t>(i));
  for (const float x : xyz) b += lef(x);
  return b;
}
inline const std::vector<float> tri_xyz = {0, 0, 0, 1, 0, 0, 0, 1, 0};

// FreeSurfer binary: magic, creator line, counts, data.
inline std::string fs_surf(std::int32_t n_vertices, std::int32_t n_faces,
                           const std::vector<float>& xyz, const std::vector<std::int32_t>& faces) {
  std::string b =
      "\xFF\xFF\xFE"
      "created by hostile_test\n\n";
  b += be32(static_cast<std::uint32_t>(n_vertices)) + be32(static_cast<std::uint32_t>(n_faces));
  for (const float x : xyz) b += bef(x);
  for (const auto i : faces) b += be32(static_cast<std::uint32_t>(i));
  return b;
}

inline const std::string ply_le_header =
    "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\n"
    "property float y\nproperty float z\nelement face 1\n"
    "property list uchar int vertex_indices\nend_header\n";
inline std::string ply_le_body(float x0, std::int32_t i0) {
  std::string b;
  b += lef(x0) + lef(0) + lef(0) + lef(1) + lef(0) + lef(0) + lef(0) + lef(1) + lef(0);
  b += std::string(1, '\3') + le32(static_cast<std::uint32_t>(i0)) + le32(1) + le32(2);
  return b;
}
inline const std::string ply_ascii_header =
    "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
    "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n";

inline const std::string vtk_head =
    "# vtk DataFile Version 3.0\nhostile\nASCII\nDATASET POLYDATA\n";
inline const std::string vtk_points = "POINTS 3 float\n0 0 0 1 0 0 0 1 0\n";

inline const std::string obj_tri = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";

struct Case {
  std::string name;                // file name (its extension matters when the content is junk)
  std::string bytes;               // content
  std::vector<std::string> words;  // must all appear in the message
};

inline std::vector<Case> hostile_cases() {
  const std::string junk("\x00\x13\x37\xFE\x80\x01\x02\x7F garbage \xC3\x28", 20);
  const std::string good_mz3 = mz3(3, 1, 3, {0, 1, 2}, tri_xyz);
  const std::string good_gz = gzip(good_mz3);
  return {
      // OBJ
      {"truncated_face.obj", obj_tri + "f 1 2", {"line 4", "face 0", "a face needs at least 3"}},
      {"relative_before_first.obj",
       obj_tri + "f -1 -2 -5\n",
       {"line 4", "relative vertex index -5", "only 3 vertices are defined"}},
      {"index_past_end.obj",
       obj_tri + "f 1 2 4\n",
       {"line 4", "vertex index 4 is out of range", "defines 3 vertices"}},
      {"zero_index.obj", obj_tri + "f 0 1 2\n", {"line 4", "vertex index 0 is invalid"}},
      {"huge_index.obj", obj_tri + "f 1 2 99999999999\n", {"line 4", "is out of range"}},
      {"nan.obj",
       "v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n",
       {"vertex 0", "coordinate x is not finite"}},
      {"inf.obj",
       "v 0 0 0\nv 1 1e999 0\nv 0 1 0\nf 1 2 3\n",
       {"vertex 1", "coordinate y is not finite"}},
      {"repeated.obj", obj_tri + "f 1 2 1\n", {"line 4", "repeats vertex 1"}},
      {"no_faces.obj", obj_tri, {"header", "the mesh has no faces"}},
      {"junk.obj", junk, {"unknown OBJ statement"}},
      {"letters.obj", "v 0 zero 0\n", {"line 1", "'zero' is not a number"}},
      // PLY
      {"truncated.ply",
       ply_le_header + ply_le_body(0, 0).substr(0, 30),
       {"'vertex' records", "the file is truncated or the count is wrong"}},
      {"truncated_face.ply",
       ply_le_header + ply_le_body(0, 0).substr(0, 40),
       {"face 0", "file is truncated or corrupt"}},
      {"count_2_31.ply",
       "ply\nformat ascii 1.0\nelement vertex 2147483648\nend_header\n",
       {"line 3", "count '2147483648' is not an integer in [0, 2^31-1]"}},
      {"count_2_31_minus_1.ply",
       "ply\nformat binary_little_endian 1.0\nelement vertex 2147483647\nproperty float x\n"
       "property float y\nproperty float z\nelement face 0\n"
       "property list uchar int vertex_indices\nend_header\n" +
           std::string(64, '\0'),
       {"2147483647 'vertex' records", "truncated"}},
      {"negative_index.ply",
       ply_le_header + ply_le_body(0, -1),
       {"face 0", "vertex index -1 is out of range [0, 3)"}},
      {"index_past_end.ply",
       ply_ascii_header + "0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n",
       {"line 13", "face 0", "vertex index 3 is out of range"}},
      {"nan.ply", ply_le_header + ply_le_body(nan_f, 0), {"vertex 0", "not finite"}},
      {"no_end_header.ply", "ply\nformat ascii 1.0\nelement vertex 3\n", {"no 'end_header'"}},
      {"middle_endian.ply",
       "ply\nformat binary_middle_endian 1.0\nend_header\n",
       {"line 2", "unknown PLY format"}},
      {"point_cloud.ply",
       "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nend_header\n0\n",
       {"no 'face' element", "point cloud"}},
      {"huge_list.ply",
       "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\n"
       "property float y\nproperty float z\nelement face 1\n"
       "property list int int vertex_indices\nend_header\n" +
           ply_le_body(0, 0).substr(0, 36) + le32(1u << 30) + le32(0),
       {"face 0", "declares 1073741824 items", "truncated or corrupt"}},
      {"repeated.ply", ply_ascii_header + "0 0 0\n1 0 0\n0 1 0\n3 0 1 0\n", {"repeats vertex 0"}},
      {"no_z.ply",
       "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
       "element face 0\nproperty list uchar int vertex_indices\nend_header\n0 0\n",
       {"line 3", "has no 'z' property"}},
      {"junk.ply", junk, {"not a PLY file"}},
      // legacy VTK
      {"junk.vtk", junk, {"line 1", "not a legacy VTK file"}},
      {"grid.vtk",
       "# vtk DataFile Version 3.0\nx\nASCII\nDATASET UNSTRUCTURED_GRID\n",
       {"line 4", "UNSTRUCTURED_GRID", "only POLYDATA"}},
      {"truncated_points.vtk",
       vtk_head + "POINTS 3 float\n0 0 0 1 0 0",
       {"POINTS declares 9 values", "truncated"}},
      {"count_2_31.vtk",
       vtk_head + "POINTS 2147483648 float\n",
       {"line 5", "'2147483648' is not an integer in [0, 2^31-1]"}},
      {"index_past_end.vtk",
       vtk_head + vtk_points + "POLYGONS 1 4\n3 0 1 5\n",
       {"POLYGONS cell 0", "vertex index 5 is out of range [0, 3)"}},
      {"negative_index.vtk",
       vtk_head + vtk_points + "POLYGONS 1 4\n3 0 -1 2\n",
       {"POLYGONS cell 0", "vertex index -1 is out of range"}},
      {"cell_size.vtk",
       vtk_head + vtk_points + "POLYGONS 1 5\n3 0 1 2\n",
       {"POLYGONS", "truncated"}},
      {"cell_overflow.vtk",
       vtk_head + vtk_points + "POLYGONS 1 4\n9 0 1 2\n",
       {"its vertex count 9 does not fit in the declared size 4"}},
      {"truncated_binary.vtk",
       "# vtk DataFile Version 3.0\nx\nBINARY\nDATASET POLYDATA\nPOINTS 3 float\n" +
           std::string(20, '\0'),
       {"POINTS", "truncated"}},
      {"nan.vtk",
       vtk_head + "POINTS 3 float\nnan 0 0 1 0 0 0 1 0\nPOLYGONS 1 4\n3 0 1 2\n",
       {"vertex 0", "not finite"}},
      {"no_polygons.vtk", vtk_head + vtk_points + "LINES 1 3\n2 0 1\n", {"no POLYGONS section"}},
      {"repeated.vtk",
       vtk_head + vtk_points + "POLYGONS 1 4\n3 0 1 1\n",
       {"POLYGONS cell 0", "repeats vertex 1"}},
      // MZ3
      {"truncated_header.mz3", good_mz3.substr(0, 10), {"header", "16-byte header"}},
      {"truncated_data.mz3",
       good_mz3.substr(0, 40),
       {"header", "truncated or the header is corrupt"}},
      {"count_2_31.mz3",
       mz3(3, 1, 0x80000000u, {0, 1, 2}, tri_xyz),
       {"header", "2147483648 vertices", "corrupt"}},
      {"bomb.mz3",
       gzip(mz3(3, 1, 100000000, {0, 1, 2}, tri_xyz)),
       {"header", "100000000 vertices", "cannot hold that much"}},
      {"corrupt_gzip.mz3", std::string("\x1F\x8B\x08\x00", 4) + junk, {"gzip stream", "corrupt"}},
      {"truncated_gzip.mz3", good_gz.substr(0, good_gz.size() / 2), {"gzip stream", "truncated"}},
      {"overlay.mz3", mz3(8, 0, 3, {}, {}), {"header", "holds no faces", "overlay"}},
      {"index_past_end.mz3",
       mz3(3, 1, 3, {0, 1, 7}, tri_xyz),
       {"face 0", "vertex index 7 is out of range [0, 3)"}},
      {"negative_index.mz3",
       mz3(3, 1, 3, {0, -2, 1}, tri_xyz),
       {"face 0", "vertex index -2 is out of range"}},
      {"inf.mz3",
       mz3(3, 1, 3, {0, 1, 2}, {0, 0, inf_f, 1, 0, 0, 0, 1, 0}),
       {"vertex 0", "coordinate z is not finite"}},
      {"future.mz3", mz3(200, 1, 3, {0, 1, 2}, tri_xyz), {"newer MZ3 version"}},
      {"repeated.mz3", mz3(3, 1, 3, {2, 1, 2}, tri_xyz), {"face 0", "repeats a vertex"}},
      {"junk.mz3", junk, {"wrong magic"}},
      // FreeSurfer ASCII
      {"truncated.asc",
       "#!ascii\n3 1\n0 0 0 0\n1 0 0 0\n",
       {"line 2", "the counts declare 3 vertices and 1 faces", "truncated"}},
      {"cut.asc",
       "#!ascii\n3 1\n0.000000 0.000000 0.000000 0\n1.000000 0.000000 0.000000 0\n",
       {"end of file", "ends after 2 of 3 vertex lines"}},
      {"count_2_31.asc", "#!ascii\n2147483648 1\n", {"line 2", "not an integer in [0, 2^31-1]"}},
      {"huge_count.asc",
       "#!ascii\n2147483647 1\n0 0 0 0\n",
       {"line 2", "truncated or the counts are wrong"}},
      {"negative_index.asc",
       "#!ascii\n3 1\n0 0 0 0\n1 0 0 0\n0 1 0 0\n0 -1 2 0\n",
       {"line 6", "vertex index -1 is out of range"}},
      {"inf.asc",
       "#!ascii\n3 1\n0 0 inf 0\n1 0 0 0\n0 1 0 0\n0 1 2 0\n",
       {"vertex 0", "not finite"}},
      {"repeated.asc",
       "#!ascii\n3 1\n0 0 0 0\n1 0 0 0\n0 1 0 0\n0 1 1 0\n",
       {"face 0", "repeats a vertex"}},
      {"quad.asc",
       "#!ascii\n4 1\n0 0 0 0\n1 0 0 0\n0 1 0 0\n1 1 0 0\n0 1 2 3 0\n",
       {"line 7", "triangles only"}},
      // FreeSurfer binary, GIFTI, OFF, and files no reader claims
      {"lh.huge",
       fs_surf(0x7FFFFFFF, 1, tri_xyz, {0, 1, 2}),
       {"header", "2147483647 vertices", "truncated or its header is corrupt"}},
      {"lh.negative",
       fs_surf(3, 1, tri_xyz, {0, -1, 2}),
       {"face 0", "vertex index -1 is out of range"}},
      {"lh.nan",
       fs_surf(3, 1, {0, nan_f, 0, 1, 0, 0, 0, 1, 0}, {0, 1, 2}),
       {"vertex 0", "coordinate y is not finite"}},
      {"junk.gii", junk, {"not a GIFTI file"}},
      {"truncated.surf.gii",
       read_bytes(mesh_data("fsaverage5/lh.white.surf.gii")).substr(0, 5000),
       {"not a readable GIFTI file", "XML is not well-formed", "probably truncated"}},
      {"empty_mesh.off", "OFF\n0 0 0\n", {"header", "the mesh has no vertices"}},
      {"vertices_only.off", "OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n", {"the mesh has no faces"}},
      {"mesh.dat", junk, {"unrecognised mesh format", "supported formats", "MZ3", "PLY"}},
      {"empty.ply", "", {"file is empty (0 bytes)"}},
      {"mesh.vtp",
       "<?xml version=\"1.0\"?><VTKFile type=\"PolyData\"/>",
       {"XML file but not GIFTI"}},
  };
}

}  // namespace spectralbrain::mesh::testing
