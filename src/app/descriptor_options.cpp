// Descriptor and export options, shared by `eigen` and `descriptors`.
#include "descriptor_options.hpp"

#include <string>

namespace po = boost::program_options;

namespace spectralbrain::app {

po::options_description descriptor_options(const char* default_list) {
  po::options_description o("descriptors (stored under /descriptors; see docs/descriptors.md)");
  o.add_options()  //
      ("descriptors", po::value<std::string>()->default_value(default_list)->value_name("LIST"),
       "comma-separated: shapedna, hks, si-hks, wks, gps, or all")  //
      ("shapedna-normalization",
       po::value<std::string>()->default_value("surface")->value_name("N"),
       "ShapeDNA scale normalisation: none | surface (lambda*area) | volume "
       "(lambda*volume^(2/3), closed surfaces)")  //
      ("shapedna-reweighting", po::value<std::string>()->default_value("none")->value_name("R"),
       "ShapeDNA reweighting: none | lapy (lambda_i/(i+1)) | index (lambda_i/i, lambda_0 "
       "dropped)")  //
      ("hks-times", po::value<int>()->default_value(100)->value_name("T"),
       "number of HKS times, log-spaced")  //
      ("hks-tmin", po::value<double>()->value_name("T0"),
       "first HKS time (default 4 ln10 / lambda_max)")  //
      ("hks-tmax", po::value<double>()->value_name("T1"),
       "last HKS time (default 4 ln10 / lambda_1, the first nonzero eigenvalue)")  //
      ("hks-scaling", po::value<std::string>()->default_value("none")->value_name("S"),
       "HKS columns: none | heat-trace (divided by Z(t) = sum exp(-lambda t))")  //
      ("si-hks-alpha", po::value<double>()->default_value(2.0)->value_name("A"),
       "SI-HKS: base of the times t = A^tau")  //
      ("si-hks-tau-min", po::value<double>()->default_value(1.0)->value_name("X"),
       "SI-HKS: first tau")  //
      ("si-hks-tau-max", po::value<double>()->default_value(25.0)->value_name("X"),
       "SI-HKS: last tau")  //
      ("si-hks-tau-step", po::value<double>()->default_value(1.0 / 16, "1/16")->value_name("X"),
       "SI-HKS: tau increment")  //
      ("si-hks-frequencies", po::value<int>()->default_value(6)->value_name("F"),
       "SI-HKS: DFT moduli kept")  //
      ("wks-energies", po::value<int>()->default_value(100)->value_name("E"),
       "number of WKS log-energies")  //
      ("wks-variance-factor", po::value<double>()->default_value(7.0)->value_name("W"),
       "WKS width sigma = W * (log lambda_max - log lambda_1) / E")  //
      ("wks-sigma", po::value<double>()->value_name("S"),
       "WKS width in log-energy (overrides W)")  //
      ("wks-emin", po::value<double>()->value_name("E0"),
       "first WKS log-energy (default log lambda_1 + 2 sigma)")  //
      ("wks-emax", po::value<double>()->value_name("E1"),
       "last WKS log-energy (default log lambda_max - 2 sigma)")  //
      ("wks-normalization", po::value<std::string>()->default_value("paper")->value_name("N"),
       "WKS columns: paper (C_e: each column integrates to 1) | none")  //
      ("descriptor-block-rows",
       po::value<long long>()->default_value(descriptors::default_block_rows)->value_name("B"),
       "vertices per BLAS block: bounds the scratch memory to B*k doubles")  //
      ("export", po::value<std::string>()->default_value("")->value_name("LIST"),
       "viewer files beside the output: gifti (FreeView, Workbench) and/or vtk (ParaView)")  //
      ("export-modes", po::value<std::string>()->value_name("LIST"),
       "eigenfunctions to export, 0-based, e.g. 1-10,20 (default 1-10)");
  return o;
}

descriptors::DescriptorSettings descriptor_settings(const po::variables_map& vm) {
  namespace d = descriptors;
  d::DescriptorSettings s;
  s.which = d::parse_descriptor_list(vm["descriptors"].as<std::string>(), "--descriptors");
  s.shapedna.normalization = d::parse_normalization(vm["shapedna-normalization"].as<std::string>(),
                                                    "--shapedna-normalization");
  s.shapedna.reweighting =
      d::parse_reweighting(vm["shapedna-reweighting"].as<std::string>(), "--shapedna-reweighting");
  s.hks.n_times = vm["hks-times"].as<int>();
  if (vm.count("hks-tmin")) s.hks.t_min = vm["hks-tmin"].as<double>();
  if (vm.count("hks-tmax")) s.hks.t_max = vm["hks-tmax"].as<double>();
  s.hks.scaling = d::parse_hks_scaling(vm["hks-scaling"].as<std::string>(), "--hks-scaling");
  s.si_hks.alpha = vm["si-hks-alpha"].as<double>();
  s.si_hks.tau_min = vm["si-hks-tau-min"].as<double>();
  s.si_hks.tau_max = vm["si-hks-tau-max"].as<double>();
  s.si_hks.tau_step = vm["si-hks-tau-step"].as<double>();
  s.si_hks.n_frequencies = vm["si-hks-frequencies"].as<int>();
  s.wks.n_energies = vm["wks-energies"].as<int>();
  s.wks.variance_factor = vm["wks-variance-factor"].as<double>();
  if (vm.count("wks-sigma")) s.wks.sigma = vm["wks-sigma"].as<double>();
  if (vm.count("wks-emin")) s.wks.e_min = vm["wks-emin"].as<double>();
  if (vm.count("wks-emax")) s.wks.e_max = vm["wks-emax"].as<double>();
  s.wks.normalization =
      d::parse_wks_normalization(vm["wks-normalization"].as<std::string>(), "--wks-normalization");
  s.block_rows = vm["descriptor-block-rows"].as<long long>();
  return s;
}

exports::ExportSettings export_settings(const po::variables_map& vm) {
  exports::ExportSettings s;
  s.formats = exports::parse_export_formats(vm["export"].as<std::string>(), "--export");
  if (vm.count("export-modes"))
    s.modes = exports::parse_mode_list(vm["export-modes"].as<std::string>(), "--export-modes");
  return s;
}

}  // namespace spectralbrain::app
