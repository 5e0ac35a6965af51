#!/usr/bin/env Rscript
# Makes the reference fixtures for tests/diagnostics/diagnostics_test.cpp: draws of a few
# hand-picked chains (iid, autocorrelated, not mixed, heavy-tailed, tied, tiny, constant) and
# the convergence diagnostics that R's posterior package computes for them.
#
# Run from the repository root:  Rscript tests/diagnostics/make_fixtures.R
# Writes tests/data/diagnostics/draws_<case>.csv (one column per chain, one row per draw)
# and tests/data/diagnostics/reference.csv (one row per case). Values are printed with 17
# significant digits so that the C++ test reads exactly the numbers R used.
suppressPackageStartupMessages(library(posterior))

out_dir <- file.path("tests", "data", "diagnostics")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240601)

ar1 <- function(n_draws, n_chains, rho, mean = 0) {
  sapply(seq_len(n_chains), function(c) {
    x <- numeric(n_draws)
    x[1] <- rnorm(1) / sqrt(1 - rho^2)
    for (i in 2:n_draws) x[i] <- rho * x[i - 1] + rnorm(1)
    x + mean
  })
}

cases <- list(
  iid_normal     = matrix(rnorm(4 * 1000), 1000, 4),
  ar1_rho09      = ar1(1000, 4, 0.9),
  antithetic     = ar1(1000, 4, -0.9),               # ESS above n: the log10 cap applies
  shifted_means  = sweep(matrix(rnorm(4 * 500), 500, 4), 2, c(0, 0.5, 1, 1.5), "+"),
  heavy_tails    = matrix(rcauchy(4 * 1000), 1000, 4),
  odd_draws      = ar1(301, 3, 0.5),                 # split drops the middle draw
  single_chain   = ar1(1000, 1, 0.7),
  ties_poisson   = matrix(as.numeric(rpois(4 * 500, 3)), 500, 4),
  tiny           = matrix(rnorm(2 * 7), 7, 2),       # 3 draws per split chain
  constant       = matrix(1.5, 100, 4)               # every diagnostic is NA
)

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- list()
for (name in names(cases)) {
  x <- cases[[name]]
  colnames(x) <- paste0("chain_", seq_len(ncol(x)))
  body <- apply(x, 1, function(r) paste(fmt(r), collapse = ","))
  writeLines(c(paste(colnames(x), collapse = ","), body),
             file.path(out_dir, paste0("draws_", name, ".csv")))
  q <- suppressWarnings(ess_quantile(x, probs = c(0.05, 0.95)))
  res <- suppressWarnings(c(
    rhat = rhat(x), rhat_basic = rhat_basic(x), ess_bulk = ess_bulk(x),
    ess_tail = ess_tail(x), ess_basic = ess_basic(x), ess_mean = ess_mean(x),
    ess_sd = ess_sd(x), ess_q05 = unname(q[1]), ess_q95 = unname(q[2]),
    mcse_mean = mcse_mean(x), mcse_sd = mcse_sd(x)))
  rows[[name]] <- c(case = name, n_chains = ncol(x), n_draws = nrow(x), fmt(res))
}
table <- do.call(rbind, rows)
colnames(table) <- c("case", "n_chains", "n_draws", names(res))
writeLines(c(paste(colnames(table), collapse = ","),
             apply(table, 1, paste, collapse = ",")),
           file.path(out_dir, "reference.csv"))
cat("posterior", as.character(packageVersion("posterior")), "on", R.version.string, "\n")
