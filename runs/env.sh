# Sourced by the run scripts: the MPI/BLAS environment SpectralBrain expects.
# Open MPI refuses root unless told, and 2-core machines need oversubscription for >2 ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# Ranks waiting in MPI yield the core instead of spinning: Open MPI does this by itself only
# when it knows the node is oversubscribed, not when other jobs share the cores.
export OMPI_MCA_mpi_yield_when_idle=1
# One BLAS thread per MPI rank.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# One node, shared memory: Open MPI's ob1 messaging layer. The default pick, UCX, spends
# about 0.2 s probing for network devices in every process start (0.33 s -> 0.13 s for a
# 2-rank `spectralbrain info`), which a batch of small subjects or the test suite pays again
# and again. Across nodes on InfiniBand keep UCX: docs/cluster.md.
export OMPI_MCA_pml=${OMPI_MCA_pml:-ob1}
