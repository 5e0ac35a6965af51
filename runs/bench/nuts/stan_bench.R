# rstan on the benchmark model and data: same draws, warm-up, chains, target acceptance and
# maximum tree depth as nuts_bench. Chains run one after the other on one core
# (cores = 1), as nuts_bench does on one rank. Writes draws as CSV (chain, draw, alpha,
# beta[1..K], sigma, diverging) and prints one line with the cost.
#   Rscript stan_bench.R DATA.csv DRAWS TUNE CHAINS SEED OUT.csv
args <- commandArgs(trailingOnly = TRUE)
data_file <- args[1]; draws <- as.integer(args[2]); tune <- as.integer(args[3])
chains <- as.integer(args[4]); seed <- as.integer(args[5]); out_file <- args[6]
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))

suppressPackageStartupMessages(library(rstan))
# Debian's r-cran-bh has no bundled headers: point rstan at the system Boost.
rstan_options(auto_write = TRUE, boost_lib = "/usr/include")
d <- read.csv(data_file)
X <- as.matrix(d[, -1])
standata <- list(N = nrow(X), K = ncol(X), X = X, y = d$y)
model <- stan_model(file.path(here, "linreg.stan"))  # cached as linreg.rds after the first
fit <- sampling(model, data = standata, chains = chains, iter = draws + tune, warmup = tune,
                seed = seed, cores = 1, refresh = 0,
                control = list(adapt_delta = 0.95, max_treedepth = 10))
seconds <- sum(get_elapsed_time(fit))  # warm-up + sampling, summed over chains
sp <- get_sampler_params(fit, inc_warmup = TRUE)
gradients <- sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"])))
arr <- as.array(fit, pars = c("alpha", "beta", "sigma"))  # draws x chains x params
rows <- list()
for (ch in seq_len(dim(arr)[2])) {
  div <- sp[[ch]][(tune + 1):(tune + draws), "divergent__"]
  rows[[ch]] <- data.frame(chain = ch, draw = seq_len(dim(arr)[1]), arr[, ch, ],
                           diverging = div, check.names = FALSE)
}
write.csv(do.call(rbind, rows), out_file, row.names = FALSE)
cat(sprintf("scheme=stan chains=%d gradients=%.0f seconds=%.4f grad_per_s=%.0f\n",
            chains, gradients, seconds, gradients / seconds))
