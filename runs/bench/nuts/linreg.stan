// Linear regression benchmark model: y ~ normal(alpha + X beta, sigma).
// Priors match the C++ model in linreg_model.hpp exactly (same log density up to a constant).
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ normal(0, 10);
  y ~ normal(alpha + X * beta, sigma);
}
