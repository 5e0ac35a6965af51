// Subject files: layout (checked by the C++ reader and independently by h5py), identical
// contents at any rank count, atomic publication, refusal of incomplete files, bad paths.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <string>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/io/subject_reader.hpp"
#include "spectralbrain/io/subject_writer.hpp"
#include "spectralbrain/mesh/primitives.hpp"

namespace fs = std::filesystem;
namespace io = spectralbrain::io;
namespace core = spectralbrain::core;
namespace mesh = spectralbrain::mesh;
namespace spectral = spectralbrain::spectral;

namespace {

// The synthetic subject (check_subject.py knows the same numbers).
constexpr std::int64_t n_vertices = 42, n_faces = 80, k = 6;  // icosphere(1)
double vector_entry(std::int64_t i, std::int64_t j) { return 1000.0 * i + j + 0.25; }

int rank(MPI_Comm comm = MPI_COMM_WORLD) { return core::rank(comm); }
int size(MPI_Comm comm = MPI_COMM_WORLD) { return core::size(comm); }

// A folder every rank sees, made by rank 0 and removed at the end of the test.
class SharedDir {
 public:
  SharedDir() {
    std::string name;
    if (rank() == 0) {
      static int counter = 0;
      path_ = fs::temp_directory_path() /
              ("sb-io-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
      fs::remove_all(path_);
      fs::create_directories(path_);
      name = path_.string();
    }
    long n = static_cast<long>(name.size());
    MPI_Bcast(&n, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    name.resize(static_cast<std::size_t>(n));
    MPI_Bcast(name.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
    path_ = name;
  }
  ~SharedDir() {
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() == 0) fs::remove_all(path_);
  }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  // Names of the entries, sorted. Collective: no rank goes on until every rank has looked.
  // Without the barrier, rank 0 can leave a writer's collective first and create the next
  // writer's temporary file (rank 0 makes it before the constructor's first synchronising
  // call) while another rank is still listing: that rank then sees an unexpected
  // "*.tmp-*" entry and fails alone.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    MPI_Barrier(MPI_COMM_WORLD);
    return names;
  }

 private:
  fs::path path_;
};

io::SubjectInfo info(io::Precision precision = io::Precision::float64) {
  io::SubjectInfo i;
  i.subject = "sub-01_lh.white";
  i.source_mesh = "/data/sub-01/surf/lh.white";
  for (int n = 0; n < 32; ++n) i.sha256 += "ab";
  i.sigma = -0.01;
  i.mass = "lumped";
  i.petsc_options = "-eps_tol 1e-10 -st_type sinvert";
  i.precision = precision;
  return i;
}

// Rows of an N-row matrix held by `r` of `p` ranks: near-equal blocks, or (lopsided) all
// rows on the last rank so that the other ranks write empty blocks.
std::pair<std::int64_t, std::int64_t> rows_of(std::int64_t n, int r, int p, bool lopsided) {
  if (lopsided)
    return r == p - 1 ? std::pair<std::int64_t, std::int64_t>{0, n}
                      : std::pair<std::int64_t, std::int64_t>{0, 0};
  const std::int64_t base = n / p, extra = n % p;
  return {r * base + std::min<std::int64_t>(r, extra), base + (r < extra ? 1 : 0)};
}

spectral::Eigenpairs eigenpairs(MPI_Comm comm, bool lopsided = false) {
  spectral::Eigenpairs e;
  for (std::int64_t j = 0; j < k; ++j) {
    e.values.push_back(static_cast<double>(j * (j + 1)));
    e.residuals.push_back(1e-12 * static_cast<double>(j + 1));
  }
  e.n_rows_global = n_vertices;
  std::tie(e.row_begin, e.n_rows_local) = rows_of(n_vertices, rank(comm), size(comm), lopsided);
  for (std::int64_t i = e.row_begin; i < e.row_begin + e.n_rows_local; ++i)
    for (std::int64_t j = 0; j < k; ++j) e.vectors.push_back(vector_entry(i, j));
  return e;
}

// Writes the whole synthetic subject (mesh, eigenpairs, two descriptors) and commits.
void write_subject(MPI_Comm comm, const fs::path& out, io::Precision precision,
                   bool lopsided = false) {
  io::SubjectWriter w(comm, out, info(precision));
  w.write_mesh(mesh::icosphere(1));
  w.write_eigenpairs(eigenpairs(comm, lopsided));

  const auto [begin, count] = rows_of(n_vertices, rank(comm), size(comm), lopsided);
  std::vector<double> hks;
  for (std::int64_t i = begin; i < begin + count; ++i)
    for (std::int64_t j = 0; j < 3; ++j) hks.push_back(-vector_entry(i, j));
  w.write_rows("/descriptors/hks", {n_vertices, begin, count, 3, hks});
  w.write_replicated("/descriptors/hks_times", std::vector<double>{0.1, 1.0, 10.0});
  w.set_attribute("/descriptors/hks", "units", std::string("mm^2"));
  w.set_attribute("/descriptors/hks", "scales", std::vector<double>{1.0, 2.0});

  const double s = 1.5 + rank(comm);  // the file keeps the slowest rank's time
  w.set_wall_seconds({{"read", s}, {"assemble", s}, {"solve", s}});
  w.commit();
}

// Runs check_subject.py on rank 0; true on the other ranks.
bool python_check(const std::string& args) {
  if (rank() != 0) return true;
  const std::string command =
      std::string(SB_PYTHON3) + " " + SB_CHECK_SUBJECT_PY + " " + args + " 1>&2";
  return std::system(command.c_str()) == 0;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Serial HDF5 surgery on rank 0 (then a barrier): simulates damaged or unfinished files.
template <class Edit>
void edit_copy(const fs::path& from, const fs::path& to, Edit edit) {
  if (rank() == 0) {
    fs::copy_file(from, to);
    core::H5File f(SB_HDF5(H5Fopen(to.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)));
    edit(f.get());
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

template <class F>
std::string input_error_of(F f) {
  try {
    f();
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "no InputError";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

class SubjectLayout : public ::testing::TestWithParam<io::Precision> {};

TEST_P(SubjectLayout, ReaderAndH5pySeeTheDesignLayout) {
  SharedDir dir;
  const fs::path out = dir / "sub-01.h5";
  const io::Precision precision = GetParam();
  write_subject(MPI_COMM_WORLD, out, precision);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"sub-01.h5"});  // no temp left
  EXPECT_TRUE(io::subject_file_complete(out));

  io::SubjectReader in(out);
  const io::SubjectAttributes& a = in.attributes();
  EXPECT_EQ(a.format_version, 1);
  EXPECT_FALSE(a.spectralbrain_version.empty());
  EXPECT_EQ(a.info.subject, "sub-01_lh.white");
  EXPECT_EQ(a.info.source_mesh, "/data/sub-01/surf/lh.white");
  EXPECT_EQ(a.info.sha256, info().sha256);
  EXPECT_EQ(a.info.mass, "lumped");
  EXPECT_EQ(a.info.sigma, -0.01);
  EXPECT_EQ(a.info.petsc_options, "-eps_tol 1e-10 -st_type sinvert");
  EXPECT_EQ(a.info.precision, precision);
  EXPECT_EQ(a.n_vertices, n_vertices);
  EXPECT_EQ(a.n_faces, n_faces);
  EXPECT_EQ(a.k, k);
  EXPECT_EQ(a.n_ranks, size());
  // icosphere(1) is inscribed in the unit sphere: a little less than its area.
  EXPECT_GT(a.area, 0.85 * 4 * std::numbers::pi);
  EXPECT_LT(a.area, 4 * std::numbers::pi);
  const std::vector<std::pair<std::string, double>> stages = {
      {"read", 1.5 + size() - 1}, {"assemble", 1.5 + size() - 1}, {"solve", 1.5 + size() - 1}};
  EXPECT_EQ(a.wall_seconds, stages);  // in stage order, the slowest rank's time

  // Every rank reads the whole matrix and, as a later descriptor stage would, its own rows.
  for (bool own_rows : {false, true}) {
    io::RowRange range;
    if (own_rows) std::tie(range.begin, range.count) = rows_of(n_vertices, rank(), size(), false);
    const spectral::Eigenpairs e = in.eigenpairs(range);
    const std::int64_t first = own_rows ? range.begin : 0;
    ASSERT_EQ(e.n_rows_global, n_vertices);
    ASSERT_EQ(e.row_begin, first);
    ASSERT_EQ(e.n_rows_local, own_rows ? range.count : n_vertices);
    ASSERT_EQ(e.vectors.size(), static_cast<std::size_t>(e.n_rows_local * k));
    for (std::int64_t j = 0; j < k; ++j) {
      EXPECT_EQ(e.values[j], static_cast<double>(j * (j + 1)));
      EXPECT_EQ(e.residuals[j], 1e-12 * static_cast<double>(j + 1));
    }
    for (std::int64_t i = 0; i < e.n_rows_local; ++i)
      for (std::int64_t j = 0; j < k; ++j)
        ASSERT_EQ(e.vectors[i * k + j], vector_entry(first + i, j)) << "row " << first + i;
  }

  const mesh::TriMesh m = in.mesh(), expected = mesh::icosphere(1);
  EXPECT_EQ(m.vertices, expected.vertices);
  EXPECT_EQ(m.faces, expected.faces);

  const io::Array hks = in.read("/descriptors/hks", {10, 5});
  EXPECT_EQ(hks.shape, (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(hks.data[0], -vector_entry(10, 0));
  EXPECT_EQ(hks.data[14], -vector_entry(14, 2));
  EXPECT_EQ(in.read("/descriptors/hks_times").data, (std::vector<double>{0.1, 1.0, 10.0}));
  EXPECT_EQ(std::get<std::string>(in.attribute("/descriptors/hks", "units")), "mm^2");
  EXPECT_EQ(std::get<std::vector<double>>(in.attribute("/descriptors/hks", "scales")),
            (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(std::get<std::int64_t>(in.attribute("/", "complete")), 1);
  EXPECT_TRUE(in.has("/descriptors"));
  EXPECT_FALSE(in.has("/descriptors/wks"));

  EXPECT_TRUE(python_check(
      core::cat("layout ", out.string(), " ", size(), " ", io::precision_name(precision))));
}

INSTANTIATE_TEST_SUITE_P(Precision, SubjectLayout,
                         ::testing::Values(io::Precision::float64, io::Precision::float32),
                         [](const auto& p) { return std::string(io::precision_name(p.param)); });

TEST(SubjectWriter, SameContentsAtOneRankAndAtAllRanks) {
  SharedDir dir;
  const fs::path all = dir / "all.h5", lopsided = dir / "lopsided.h5", one = dir / "one-0.h5";
  write_subject(MPI_COMM_WORLD, all, io::Precision::float64);
  write_subject(MPI_COMM_WORLD, lopsided, io::Precision::float64, /*lopsided=*/true);
  // As in batch mode: every rank its own one-rank group, all writing at once.
  {
    core::Comm group = core::Comm::split(MPI_COMM_WORLD, rank(), 0);
    write_subject(group.get(), dir / core::cat("one-", rank(), ".h5"), io::Precision::float64);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_TRUE(io::subject_file_complete(dir / core::cat("one-", size() - 1, ".h5")));

  const io::SubjectData a = io::read_subject(all), b = io::read_subject(lopsided),
                        c = io::read_subject(one);
  for (const io::SubjectData* other : {&b, &c}) {
    EXPECT_EQ(other->eigen.values, a.eigen.values);
    EXPECT_EQ(other->eigen.residuals, a.eigen.residuals);
    EXPECT_EQ(other->eigen.vectors, a.eigen.vectors);
    EXPECT_EQ(other->attributes.area, a.attributes.area);
  }
  EXPECT_EQ(c.attributes.n_ranks, 1);
  EXPECT_EQ(io::SubjectReader(one).mesh().vertices, io::SubjectReader(all).mesh().vertices);
  EXPECT_TRUE(python_check("same " + all.string() + " " + one.string()));
  EXPECT_TRUE(python_check("same " + lopsided.string() + " " + one.string()));
}

TEST(SubjectWriter, AbandonedWriterLeavesNoFile) {
  SharedDir dir;
  const fs::path out = dir / "sub.h5";
  fs::path temp;
  try {
    io::SubjectWriter w(MPI_COMM_WORLD, out, info());
    temp = w.temp_path();
    EXPECT_EQ(temp.parent_path(), dir.path());
    EXPECT_TRUE(temp.filename().string().starts_with("sub.h5.tmp-")) << temp;
    EXPECT_EQ(dir.entries(), std::vector<std::string>{temp.filename()});
    w.write_mesh(mesh::icosphere(1));
    w.write_eigenpairs(eigenpairs(MPI_COMM_WORLD));
    throw std::runtime_error("solver failed");  // every rank, as a collective error would
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(dir.entries().empty());
  EXPECT_FALSE(io::subject_file_complete(out));

  // A writer abandoned by its own error (inconsistent blocks) cleans up the same way.
  EXPECT_THROW(
      {
        io::SubjectWriter w(MPI_COMM_WORLD, out, info());
        spectral::Eigenpairs e = eigenpairs(MPI_COMM_WORLD);
        e.row_begin += 1;  // leaves a gap before every block
        w.write_eigenpairs(e);
      },
      core::Error);
  EXPECT_TRUE(dir.entries().empty());
}

// A rank that reaches the destructor late (as under heavy load) is waited for: the ranks
// close and remove the file together, and the next writer on the same ranks works. (A
// writer that gave up on it after a deadline went on alone while the late rank waited in a
// collective close that nobody else joined.)
TEST(SubjectWriter, AbandonWaitsForASlowRank) {
  SharedDir dir;
  try {
    io::SubjectWriter w(MPI_COMM_WORLD, dir / "slow.h5", info());
    w.write_mesh(mesh::icosphere(1));
    if (rank() == size() - 1) ::sleep(1);
    throw std::runtime_error("solver failed");  // every rank, the last one later
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(dir.entries().empty());
  write_subject(MPI_COMM_WORLD, dir / "next.h5", io::Precision::float64);
  EXPECT_TRUE(io::subject_file_complete(dir / "next.h5"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"next.h5"});
}

TEST(SubjectWriter, ExistingFileIsReplacedOnlyAtCommit) {
  SharedDir dir;
  const fs::path out = dir / "sub.h5";
  if (rank() == 0) std::ofstream(out) << "previous results";
  MPI_Barrier(MPI_COMM_WORLD);
  {
    io::SubjectWriter w(MPI_COMM_WORLD, out, info());
    w.write_mesh(mesh::icosphere(1));
    w.write_eigenpairs(eigenpairs(MPI_COMM_WORLD));
    EXPECT_EQ(slurp(out), "previous results");
    EXPECT_FALSE(io::subject_file_complete(out));
  }  // abandoned
  EXPECT_EQ(slurp(out), "previous results");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"sub.h5"});

  {
    io::SubjectWriter w(MPI_COMM_WORLD, out, info());
    w.write_mesh(mesh::icosphere(1));
    w.write_eigenpairs(eigenpairs(MPI_COMM_WORLD));
    EXPECT_EQ(slurp(out), "previous results");
    w.commit();
    EXPECT_FALSE(fs::exists(w.temp_path()));
  }
  EXPECT_TRUE(io::subject_file_complete(out));
  EXPECT_EQ(io::read_subject(out).attributes.k, k);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"sub.h5"});
}

TEST(SubjectReader, RefusesIncompleteFiles) {
  SharedDir dir;
  const fs::path good = dir / "good.h5", unfinished = dir / "unfinished.h5", zero = dir / "zero.h5",
                 text = dir / "text.h5";
  write_subject(MPI_COMM_WORLD, good, io::Precision::float64);
  edit_copy(good, unfinished, [](hid_t f) { SB_HDF5(H5Adelete(f, "complete")); });
  edit_copy(good, zero, [](hid_t f) {
    core::H5Attribute a(SB_HDF5(H5Aopen(f, "complete", H5P_DEFAULT)));
    const std::int64_t value = 0;
    SB_HDF5(H5Awrite(a.get(), H5T_NATIVE_INT64, &value));
  });
  if (rank() == 0) std::ofstream(text) << "not hdf5";
  MPI_Barrier(MPI_COMM_WORLD);

  EXPECT_TRUE(io::subject_file_complete(good));
  for (const fs::path& bad : {unfinished, zero}) {
    EXPECT_FALSE(io::subject_file_complete(bad));
    const std::string what = input_error_of([&] { io::SubjectReader r(bad); });
    EXPECT_TRUE(contains(what, bad.string())) << what;
    EXPECT_TRUE(contains(what, "complete=1")) << what;
  }
  EXPECT_FALSE(io::subject_file_complete(text));
  EXPECT_TRUE(contains(input_error_of([&] { io::read_subject(text); }), "not an HDF5 file"));
  EXPECT_FALSE(io::subject_file_complete(dir / "missing.h5"));
  EXPECT_TRUE(contains(input_error_of([&] { io::read_subject(dir / "missing.h5"); }),
                       "missing.h5: subject file not found"));
  EXPECT_FALSE(io::subject_file_complete(dir.path()));
}

TEST(SubjectReader, ReportsMissingDatasetsAndBadRanges) {
  SharedDir dir;
  const fs::path good = dir / "good.h5", damaged = dir / "damaged.h5";
  write_subject(MPI_COMM_WORLD, good, io::Precision::float64);
  edit_copy(good, damaged, [](hid_t f) { SB_HDF5(H5Ldelete(f, "/eigen/residuals", H5P_DEFAULT)); });

  io::SubjectReader r(damaged);  // attributes are intact
  const std::string what = input_error_of([&] { r.eigenpairs(); });
  EXPECT_TRUE(contains(what, damaged.string() + ": /eigen/residuals: dataset missing")) << what;
  EXPECT_TRUE(contains(input_error_of([&] { r.read("/descriptors/wks"); }),
                       "/descriptors/wks: dataset missing"));
  EXPECT_TRUE(contains(input_error_of([&] { r.attribute("/descriptors/hks", "nope"); }),
                       "/descriptors/hks attribute nope: missing"));

  io::SubjectReader g(good);
  EXPECT_TRUE(contains(input_error_of([&] { g.eigenpairs({40, 5}); }), "outside the 42 rows"));
  EXPECT_TRUE(contains(input_error_of([&] { g.eigenpairs({-1, 2}); }), "outside the 42 rows"));
  EXPECT_EQ(g.eigenpairs({42, 0}).n_rows_local, 0);
  EXPECT_EQ(g.eigenpairs({30}).n_rows_local, 12);
}

TEST(SubjectWriter, BadOutputPathsNameThePath) {
  SharedDir dir;
  // A folder that does not exist is not created.
  const fs::path missing = dir / "no-such-folder" / "sub.h5";
  std::string what = input_error_of([&] { io::SubjectWriter(MPI_COMM_WORLD, missing, info()); });
  EXPECT_TRUE(contains(what, missing.string())) << what;
  EXPECT_TRUE(contains(what, "does not exist (create it first)")) << what;
  EXPECT_FALSE(fs::exists(missing.parent_path()));

  // A "folder" that is a file.
  const fs::path file = dir / "plain-file";
  if (rank() == 0) std::ofstream(file) << "x";
  MPI_Barrier(MPI_COMM_WORLD);
  what = input_error_of([&] { io::SubjectWriter(MPI_COMM_WORLD, file / "sub.h5", info()); });
  EXPECT_TRUE(contains(what, "is not a folder")) << what;

  // A folder nobody may create files in, even root: /proc.
  what = input_error_of([&] { io::SubjectWriter(MPI_COMM_WORLD, "/proc/sub.h5", info()); });
  EXPECT_TRUE(contains(what, "/proc/sub.h5: cannot create a file in folder \"/proc\"")) << what;

  // Permissions, where they apply (not to root).
  if (::geteuid() != 0) {
    const fs::path locked = dir / "locked";
    if (rank() == 0) {
      fs::create_directory(locked);
      fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    what = input_error_of([&] { io::SubjectWriter(MPI_COMM_WORLD, locked / "s.h5", info()); });
    EXPECT_TRUE(contains(what, "Permission denied")) << what;
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() == 0) fs::permissions(locked, fs::perms::owner_all);
  }
  what = input_error_of([&] { io::SubjectWriter(MPI_COMM_WORLD, dir.path(), info()); });
  EXPECT_TRUE(contains(what, "existing folder") || contains(what, "file name")) << what;
  EXPECT_TRUE(dir.entries() == std::vector<std::string>{"plain-file"});
}

TEST(SubjectWriter, MisuseIsReportedOnEveryRank) {
  SharedDir dir;
  const fs::path out = dir / "sub.h5";
  io::SubjectInfo bad = info();
  bad.mass = "heavy";
  EXPECT_THROW(io::SubjectWriter(MPI_COMM_WORLD, out, bad), core::InputError);

  io::SubjectWriter w(MPI_COMM_WORLD, out, info());
  EXPECT_THROW(w.commit(), core::Error);  // nothing written yet
  w.write_mesh(mesh::icosphere(1));
  EXPECT_THROW(w.write_mesh(mesh::icosphere(1)), core::Error);
  spectral::Eigenpairs wrong_n = eigenpairs(MPI_COMM_WORLD);
  wrong_n.n_rows_global += 1;
  if (rank() == size() - 1) {  // the last block runs one row past the mesh
    wrong_n.n_rows_local += 1;
    wrong_n.vectors.resize(wrong_n.vectors.size() + k);
  }
  EXPECT_THROW(w.write_eigenpairs(wrong_n), core::Error);  // 43 rows, 42 vertices
  spectral::Eigenpairs short_block = eigenpairs(MPI_COMM_WORLD);
  if (rank() == 0) short_block.vectors.pop_back();  // only rank 0 is wrong
  EXPECT_THROW(w.write_eigenpairs(short_block), core::Error);
  w.write_eigenpairs(eigenpairs(MPI_COMM_WORLD));
  EXPECT_THROW(w.set_attribute("/", "k", std::int64_t{3}), core::Error);
  EXPECT_THROW(w.set_attribute("/", "wall_seconds_x", 1.0), core::Error);
  EXPECT_THROW(w.set_attribute("/nowhere", "x", 1.0), core::Error);
  EXPECT_THROW(w.write_replicated("/eigen/values", std::vector<double>{1.0}), core::Error);
  EXPECT_THROW(w.write_replicated("relative", std::vector<double>{1.0}), core::Error);
  EXPECT_THROW(w.write_replicated("/d/x", std::vector<double>{1.0, 2.0}, {3}), core::Error);
  w.set_attribute("/", "hemisphere", std::string("lh"));  // a free root attribute is fine
  w.set_wall_seconds({{"bad name", 1.0}});
  EXPECT_THROW(w.commit(), core::Error);
  w.set_wall_seconds({{"solve", 2.0}});
  w.commit();
  EXPECT_THROW(w.commit(), core::Error);
  EXPECT_THROW(w.write_replicated("/d/y", std::vector<double>{1.0}), core::Error);
  EXPECT_EQ(std::get<std::string>(io::SubjectReader(out).attribute("/", "hemisphere")), "lh");
}
