# Sourced by the run scripts: the MPI/BLAS environment SpectralBrain expects.
# Open MPI refuses root unless told, and 2-core machines need oversubscription for >2 ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# One BLAS thread per MPI rank.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
