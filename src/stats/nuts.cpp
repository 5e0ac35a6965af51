// The NUTS transition: trajectory doubling, multinomial sampling and U-turn checks.
//
// Notation follows Betancourt (2017): ρ is the summed momentum of a (sub)trajectory, p♯ =
// M⁻¹p the velocity at an end. A (sub)trajectory keeps going while p♯₋·ρ > 0 and p♯₊·ρ > 0.
// Every merge of two halves also checks each half extended by the first point of the other,
// which catches U-turns that happen between the halves (Stan ≥ 2.21).
#include "spectralbrain/stats/nuts.hpp"

#include <cmath>
#include <limits>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::stats {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double log_sum_exp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double m = a > b ? a : b;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// The generalised no-U-turn criterion for the trajectory with end velocities ps_minus,
// ps_plus and summed momentum rho_a + rho_b (summed here to avoid a temporary).
bool no_u_turn(const std::vector<double>& ps_minus, const std::vector<double>& ps_plus,
               const std::vector<double>& rho_a, const std::vector<double>& rho_b) {
  double minus = 0, plus = 0;
  for (std::size_t i = 0; i < rho_a.size(); ++i) {
    const double rho = rho_a[i] + rho_b[i];
    minus += ps_minus[i] * rho;
    plus += ps_plus[i] * rho;
  }
  return minus > 0 && plus > 0;
}

void set_zero(std::vector<double>& v) { std::fill(v.begin(), v.end(), 0.0); }

}  // namespace

// What every leaf of one transition shares.
struct Nuts::Trajectory {
  Density& density;
  const DiagonalMetric& metric;
  Rng& rng;
  double eps;     // signed step size of the subtree being built
  double h0;      // Hamiltonian at the start
  PhasePoint* z;  // the end being extended
  int n_leapfrog = 0;
  double sum_metro_prob = 0;
  bool divergent = false;
};

Nuts::Nuts(std::size_t n, int max_depth, double max_energy_error)
    : max_depth_(max_depth),
      max_energy_error_(max_energy_error),
      z_fwd_(n),
      z_bck_(n),
      z_sample_(n),
      z_propose_(n),
      rho_(n),
      rho_fwd_(n),
      rho_bck_(n),
      p_fwd_fwd_(n),
      p_fwd_bck_(n),
      p_bck_fwd_(n),
      p_bck_bck_(n),
      ps_fwd_fwd_(n),
      ps_fwd_bck_(n),
      ps_bck_fwd_(n),
      ps_bck_bck_(n) {
  if (max_depth < 1) throw core::InputError("max_treedepth", "", "must be at least 1");
  levels_.reserve(max_depth);
  for (int d = 0; d < max_depth; ++d) levels_.emplace_back(n);
}

bool Nuts::leaf(Trajectory& t, PhasePoint& z_propose, std::vector<double>& ps_beg,
                std::vector<double>& ps_end, std::vector<double>& rho, std::vector<double>& p_beg,
                std::vector<double>& p_end, double& log_sum_weight) {
  PhasePoint& z = *t.z;
  leapfrog(t.density, t.metric, z, t.eps);
  ++t.n_leapfrog;
  const double h = hamiltonian(z, t.metric);  // +inf for NaN or infinite parts
  if (h - t.h0 > max_energy_error_) t.divergent = true;
  log_sum_weight = log_sum_exp(log_sum_weight, t.h0 - h);
  t.sum_metro_prob += t.h0 - h > 0 ? 1.0 : std::exp(t.h0 - h);
  z_propose = z;
  t.metric.velocity(z.p, ps_beg);
  ps_end = ps_beg;
  for (std::size_t i = 0; i < rho.size(); ++i) rho[i] += z.p[i];
  p_beg = z.p;
  p_end = z.p;
  return !t.divergent;
}

bool Nuts::build_tree(int depth, Trajectory& t, PhasePoint& z_propose, std::vector<double>& ps_beg,
                      std::vector<double>& ps_end, std::vector<double>& rho,
                      std::vector<double>& p_beg, std::vector<double>& p_end,
                      double& log_sum_weight) {
  if (depth == 0) return leaf(t, z_propose, ps_beg, ps_end, rho, p_beg, p_end, log_sum_weight);

  Level& L = levels_[depth];
  // The half nearer the start; its proposal goes straight into z_propose.
  double lsw_init = -kInf;
  set_zero(L.rho_init);
  if (!build_tree(depth - 1, t, z_propose, ps_beg, L.ps_init_end, L.rho_init, p_beg, L.p_init_end,
                  lsw_init))
    return false;
  // The far half.
  double lsw_final = -kInf;
  set_zero(L.rho_final);
  if (!build_tree(depth - 1, t, L.z_final, L.ps_final_beg, ps_end, L.rho_final, L.p_final_beg,
                  p_end, lsw_final))
    return false;

  // Uniform progressive sampling inside a subtree: keep the far half's proposal with
  // probability w_final / (w_init + w_final).
  const double lsw_subtree = log_sum_exp(lsw_init, lsw_final);
  log_sum_weight = log_sum_exp(log_sum_weight, lsw_subtree);
  if (lsw_final > lsw_subtree || uniform01(t.rng) < std::exp(lsw_final - lsw_subtree))
    z_propose = L.z_final;

  for (std::size_t i = 0; i < rho.size(); ++i) rho[i] += L.rho_init[i] + L.rho_final[i];

  // The merged subtree, and each half extended by the first point of the other.
  return no_u_turn(ps_beg, ps_end, L.rho_init, L.rho_final) &&
         no_u_turn(ps_beg, L.ps_final_beg, L.rho_init, L.p_final_beg) &&
         no_u_turn(L.ps_init_end, ps_end, L.rho_final, L.p_init_end);
}

NutsStats Nuts::transition(Density& density, const DiagonalMetric& metric, double eps, Rng& rng,
                           PhasePoint& z) {
  metric.sample_momentum(rng, z.p);
  z.index = 0;
  const double h0 = hamiltonian(z, metric);

  z_fwd_ = z;
  z_bck_ = z;
  z_sample_ = z;
  rho_ = z.p;
  p_fwd_fwd_ = p_fwd_bck_ = p_bck_fwd_ = p_bck_bck_ = z.p;
  metric.velocity(z.p, ps_fwd_fwd_);
  ps_fwd_bck_ = ps_bck_fwd_ = ps_bck_bck_ = ps_fwd_fwd_;

  Trajectory t{density, metric, rng, eps, h0, nullptr};
  double log_sum_weight = 0;  // the start's weight exp(H0 - H0)
  int depth = 0;
  while (depth < max_depth_) {
    double lsw_subtree = -kInf;
    bool valid = false;
    if (uniform01(rng) > 0.5) {
      // Forward: the trajectory so far becomes the backward half of the merge; its inner
      // end is the current forward end.
      rho_bck_ = rho_;
      p_bck_fwd_ = p_fwd_fwd_;
      ps_bck_fwd_ = ps_fwd_fwd_;
      set_zero(rho_fwd_);
      t.eps = eps;
      t.z = &z_fwd_;
      valid = build_tree(depth, t, z_propose_, ps_fwd_bck_, ps_fwd_fwd_, rho_fwd_, p_fwd_bck_,
                         p_fwd_fwd_, lsw_subtree);
    } else {
      rho_fwd_ = rho_;
      p_fwd_bck_ = p_bck_bck_;
      ps_fwd_bck_ = ps_bck_bck_;
      set_zero(rho_bck_);
      t.eps = -eps;
      t.z = &z_bck_;
      valid = build_tree(depth, t, z_propose_, ps_bck_fwd_, ps_bck_bck_, rho_bck_, p_bck_fwd_,
                         p_bck_bck_, lsw_subtree);
    }
    if (!valid) break;
    ++depth;

    // Biased progressive sampling at the top: prefer the new subtree.
    if (lsw_subtree > log_sum_weight || uniform01(rng) < std::exp(lsw_subtree - log_sum_weight))
      z_sample_ = z_propose_;
    log_sum_weight = log_sum_exp(log_sum_weight, lsw_subtree);

    for (std::size_t i = 0; i < rho_.size(); ++i) rho_[i] = rho_bck_[i] + rho_fwd_[i];
    const bool persist = no_u_turn(ps_bck_bck_, ps_fwd_fwd_, rho_bck_, rho_fwd_) &&
                         no_u_turn(ps_bck_bck_, ps_fwd_bck_, rho_bck_, p_fwd_bck_) &&
                         no_u_turn(ps_bck_fwd_, ps_fwd_fwd_, rho_fwd_, p_bck_fwd_);
    if (!persist) break;
  }

  z = z_sample_;
  NutsStats s;
  s.lp = z.lp;
  s.acceptance_rate = t.sum_metro_prob / t.n_leapfrog;
  s.step_size = eps;
  s.tree_depth = depth;
  s.n_steps = t.n_leapfrog;
  s.diverging = t.divergent;
  s.energy = hamiltonian(z, metric);
  s.energy_error = s.energy - h0;
  s.index = z.index;
  s.moved = z.index != 0;
  return s;
}

}  // namespace spectralbrain::stats
