// Writes the example posterior (example_posterior.hpp) to argv[1]; used by the Python and
// command-line tests. Optional argv[2], argv[3]: number of chains and draws.
#include <cstdlib>
#include <exception>
#include <iostream>

#include "example_posterior.hpp"
#include "spectralbrain/io/posterior_file.hpp"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: write_example_posterior FILE.h5 [N_CHAINS N_DRAWS]\n";
    return 2;
  }
  try {
    auto draws = argc == 4
                     ? spectralbrain::test::example_posterior(std::strtoul(argv[2], nullptr, 10),
                                                              std::strtoul(argv[3], nullptr, 10))
                     : spectralbrain::test::example_posterior();
    spectralbrain::io::write_posterior(argv[1], draws);
  } catch (const std::exception& e) {
    std::cerr << "write_example_posterior: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
