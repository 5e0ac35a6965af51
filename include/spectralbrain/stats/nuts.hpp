// The No-U-Turn transition (Hoffman & Gelman 2014) in the form Stan uses (Betancourt 2017):
// multinomial sampling of a point of the trajectory — biased progressive sampling when a new
// subtree joins the trajectory, uniform progressive sampling inside a subtree — the
// generalised U-turn criterion on every merge plus the two checks across the halves of
// the merge, a divergence when the energy error exceeds a threshold, and a maximum depth.
#pragma once

#include <vector>

#include "spectralbrain/stats/integrator.hpp"
#include "spectralbrain/stats/metric.hpp"
#include "spectralbrain/stats/rng.hpp"

namespace spectralbrain::stats {

/// What one NUTS transition did (the per-draw sample statistics).
struct NutsStats {
  double lp = 0;               ///< log density at the new point
  double acceptance_rate = 0;  ///< mean Metropolis acceptance over all leapfrog steps
  double step_size = 0;        ///< step size used
  int tree_depth = 0;          ///< completed doublings
  int n_steps = 0;             ///< leapfrog steps (= gradient evaluations)
  bool diverging = false;      ///< some step's energy error exceeded the threshold
  double energy = 0;           ///< Hamiltonian at the new point
  double energy_error = 0;     ///< Hamiltonian at the new point minus at the start
  bool moved = false;          ///< the new point differs from the start
  long index = 0;              ///< leapfrog steps between the start and the new point (signed)
};

/// The NUTS transition kernel for a diagonal metric. Holds scratch space for one
/// dimension and maximum depth; one instance per chain.
class Nuts {
 public:
  /// @param n                 dimension of the model
  /// @param max_depth         maximum number of tree doublings (Stan: 10), >= 1
  /// @param max_energy_error  energy error that marks a divergence (Stan: 1000)
  Nuts(std::size_t n, int max_depth, double max_energy_error);

  /// One transition from `z` (its q, lp, grad must be current; its momentum is redrawn)
  /// with step size `eps`. On return z is the new point. Uses `rng` for the momentum,
  /// the direction of every doubling and the multinomial choices.
  NutsStats transition(Density& density, const DiagonalMetric& metric, double eps, Rng& rng,
                       PhasePoint& z);

  /// Maximum number of doublings.
  int max_depth() const { return max_depth_; }

 private:
  // Scratch of one recursion depth: the halves' summed momenta and inner ends, and the
  // far half's proposal.
  struct Level {
    explicit Level(std::size_t n)
        : z_final(n),
          rho_init(n),
          rho_final(n),
          p_init_end(n),
          ps_init_end(n),
          p_final_beg(n),
          ps_final_beg(n) {}
    PhasePoint z_final;
    std::vector<double> rho_init, rho_final, p_init_end, ps_init_end, p_final_beg, ps_final_beg;
  };
  struct Trajectory;
  bool build_tree(int depth, Trajectory& t, PhasePoint& z_propose, std::vector<double>& ps_beg,
                  std::vector<double>& ps_end, std::vector<double>& rho, std::vector<double>& p_beg,
                  std::vector<double>& p_end, double& log_sum_weight);
  bool leaf(Trajectory& t, PhasePoint& z_propose, std::vector<double>& ps_beg,
            std::vector<double>& ps_end, std::vector<double>& rho, std::vector<double>& p_beg,
            std::vector<double>& p_end, double& log_sum_weight);

  int max_depth_;
  double max_energy_error_;
  std::vector<Level> levels_;
  PhasePoint z_fwd_, z_bck_, z_sample_, z_propose_;
  std::vector<double> rho_, rho_fwd_, rho_bck_;
  std::vector<double> p_fwd_fwd_, p_fwd_bck_, p_bck_fwd_, p_bck_bck_;
  std::vector<double> ps_fwd_fwd_, ps_fwd_bck_, ps_bck_fwd_, ps_bck_bck_;
};

}  // namespace spectralbrain::stats
