# Side-by-side table: posterior::ess_bulk of every parameter for each sampler's draws
# (computed the same way for all), summed per-chain seconds and gradient evaluations.
#   Rscript compare.R COST.txt nuts.csv nutpie.csv stan.csv
suppressPackageStartupMessages(library(posterior))
args <- commandArgs(trailingOnly = TRUE)
cost <- readLines(args[1])
field <- function(line, key) as.numeric(sub(paste0(".*", key, "=([^ ]+).*"), "\\1", line))
rows <- list()
for (f in args[-1]) {
  scheme <- sub("\\.csv$", "", basename(f))
  line <- grep(paste0("scheme=", scheme, " "), cost, value = TRUE)
  d <- read.csv(f, check.names = FALSE)
  pars <- setdiff(names(d), c("chain", "draw", "diverging"))
  n_chains <- max(d$chain)
  ess <- sapply(pars, function(p) ess_bulk(matrix(d[[p]], ncol = n_chains)))
  rows[[scheme]] <- data.frame(
    sampler = scheme, seconds = field(line, "seconds"), gradients = field(line, "gradients"),
    grad_per_s = field(line, "grad_per_s"), ess_min = min(ess), ess_median = median(ess),
    divergent = sum(d$diverging),
    mean_beta3 = mean(d[["beta[3]"]]), mean_sigma = mean(d$sigma))
}
t <- do.call(rbind, rows)
t$ess_per_s <- t$ess_min / t$seconds
t$ess_per_grad <- t$ess_min / t$gradients
stan <- t[t$sampler == "stan", ]
t$ess_per_s_vs_stan <- t$ess_per_s / stan$ess_per_s
t$ess_per_grad_vs_stan <- t$ess_per_grad / stan$ess_per_grad
options(width = 200)
print(format(t, digits = 4), row.names = FALSE)
cat("\nESS = posterior::ess_bulk, minimum over alpha, beta[1..5], sigma; seconds = warm-up +",
    "sampling summed over chains; gradients = all log-density gradient evaluations",
    "(Stan: sum of n_leapfrog__ over warm-up and draws, which leaves out its step-size",
    "searches).\n")
