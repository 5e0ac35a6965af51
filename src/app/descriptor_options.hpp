// Command-line options shared by `eigen` and `descriptors`: which descriptors, their
// parameters, and the viewer exports.
#pragma once

#include <boost/program_options.hpp>

#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/export/subject_export.hpp"

namespace spectralbrain::app {

/// The descriptor and export options as a group for --help.
/// @param default_list  default of --descriptors ("" for none)
boost::program_options::options_description descriptor_options(const char* default_list);

/// The DescriptorSettings the parsed options ask for (parameters checked by
/// descriptors::validate later, here only the words).
/// @throws core::InputError naming the option for an unknown word
descriptors::DescriptorSettings descriptor_settings(
    const boost::program_options::variables_map& vm);

/// The ExportSettings the parsed options ask for.
/// @throws core::InputError naming the option for an unknown format or a malformed mode list
exports::ExportSettings export_settings(const boost::program_options::variables_map& vm);

}  // namespace spectralbrain::app
