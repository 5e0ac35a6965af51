// ShapeDNA distance between two subject files.
#include "spectralbrain/descriptors/compare.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/io/subject_reader.hpp"

namespace spectralbrain::descriptors {

namespace fs = std::filesystem;
using core::cat;

namespace {

constexpr const char* stored_path = "/descriptors/shapedna";

std::string text_attribute(const io::SubjectReader& r, const char* object, const char* name) {
  const io::AttributeValue v = r.attribute(object, name);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw core::InputError(r.file().string(), cat(object, " attribute ", name), "is not text");
}

ShapeDnaConvention stored_convention(const io::SubjectReader& r) {
  const std::string where = cat(r.file().string(), ": ", stored_path);
  return {parse_normalization(text_attribute(r, stored_path, "normalization"), where),
          parse_reweighting(text_attribute(r, stored_path, "reweighting"), where)};
}

std::string describe(const ShapeDnaConvention& c) {
  return cat("normalization ", name(c.normalization), ", reweighting ", name(c.reweighting));
}

// Length of a ShapeDNA vector over the first k eigenpairs.
std::int64_t shapedna_length(std::int64_t k, ShapeDnaReweighting r) {
  return r == ShapeDnaReweighting::index ? k - 1 : k;
}

std::vector<double> recomputed(const io::SubjectReader& r, std::int64_t k,
                               const ShapeDnaConvention& convention) {
  io::Array values = r.read("/eigen/values", {0, k});
  double volume = 0;
  if (convention.normalization == ShapeDnaNormalization::volume)
    volume = enclosed_volume(r.mesh(), r.file().string());
  try {
    return shapedna(values.data, r.attributes().area, volume, convention);
  } catch (const core::InputError& e) {
    throw core::InputError(r.file().string(), "/eigen/values",
                           cat("ShapeDNA with ", describe(convention), ": ", e.problem()));
  }
}

std::vector<double> stored(const io::SubjectReader& r, std::int64_t k,
                           const ShapeDnaConvention& convention) {
  const std::int64_t n = shapedna_length(r.attributes().k, convention.reweighting);
  io::Array a = r.read(stored_path);
  if (a.shape.size() != 1 || a.shape[0] != n)
    throw core::InputError(r.file().string(), stored_path,
                           cat("holds ", a.data.size(), " values; ", describe(convention),
                               " over k = ", r.attributes().k, " gives ", n));
  a.data.resize(static_cast<std::size_t>(shapedna_length(k, convention.reweighting)));
  return a.data;
}

}  // namespace

ShapeDnaComparison compare_shapedna(const fs::path& a, const fs::path& b,
                                    const CompareOptions& options) {
  const io::SubjectReader ra(a), rb(b);
  const io::SubjectAttributes &aa = ra.attributes(), &ab = rb.attributes();
  const std::string both = cat(a.string(), " and ", b.string());
  if (aa.info.mass != ab.info.mass)
    throw core::InputError(
        both, "attribute mass",
        cat(a.string(), " was solved with the ", aa.info.mass, " mass matrix, ", b.string(),
            " with the ", ab.info.mass, ": their eigenvalues are not comparable"));
  std::int64_t k = aa.k;
  if (options.k) {
    k = *options.k;
    for (const auto* r : {&ra, &rb})
      if (k < 1 || k > r->attributes().k)
        throw core::InputError(r->file().string(), "--k",
                               cat("k = ", k, " but the file holds ", r->attributes().k,
                                   " eigenpairs (choose 1..", std::min(aa.k, ab.k), ")"));
  } else if (aa.k != ab.k) {
    throw core::InputError(both, "attribute k",
                           cat("different numbers of eigenpairs: ", aa.k, " in ", a.string(), ", ",
                               ab.k, " in ", b.string(), "; pass --k ", std::min(aa.k, ab.k),
                               " to compare the first ", std::min(aa.k, ab.k)));
  }

  ShapeDnaComparison out;
  out.k = k;
  out.stored =
      !options.normalization && !options.reweighting && ra.has(stored_path) && rb.has(stored_path);
  if (out.stored) {
    const ShapeDnaConvention ca = stored_convention(ra), cb = stored_convention(rb);
    if (ca.normalization != cb.normalization || ca.reweighting != cb.reweighting)
      throw core::InputError(both, stored_path,
                             cat("stored with different conventions (", describe(ca), " in ",
                                 a.string(), "; ", describe(cb), " in ", b.string(),
                                 "): pass --normalization and --reweighting to recompute both "
                                 "from /eigen/values"));
    out.convention = ca;
    if (ca.reweighting == ShapeDnaReweighting::index && k < 2)
      throw core::InputError(both, "--k", "index reweighting needs k >= 2");
    out.a = stored(ra, k, ca);
    out.b = stored(rb, k, cb);
  } else {
    if (options.normalization) out.convention.normalization = *options.normalization;
    if (options.reweighting) out.convention.reweighting = *options.reweighting;
    out.a = recomputed(ra, k, out.convention);
    out.b = recomputed(rb, k, out.convention);
  }
  const std::int64_t first = out.convention.reweighting == ShapeDnaReweighting::index ? 1 : 0;
  double sum = 0;
  for (std::size_t i = 0; i < out.a.size(); ++i) {
    out.mode.push_back(first + static_cast<std::int64_t>(i));
    out.difference.push_back(out.a[i] - out.b[i]);
    sum += out.difference.back() * out.difference.back();
  }
  out.distance = std::sqrt(sum);
  return out;
}

}  // namespace spectralbrain::descriptors
