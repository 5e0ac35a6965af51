# Sourced by the run scripts: the MPI/BLAS environment SpectralBrain expects.
# Open MPI refuses root unless told, and 2-core machines need oversubscription for >2 ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# mpi_yield_when_idle is left to Open MPI (it yields when it knows the node is oversubscribed).
# Forcing it on made MUMPS's triangular solves 5x slower: MUMPS polls MPI once per node of its
# elimination tree (tens of thousands), even on one rank, and every empty poll then costs a
# sched_yield system call. The default 2-rank eigen run at k = 100 on 163,842 vertices took
# 110 s with it and 42 s without (docs/cluster.md). The test suite sets it (ctest runs several
# MPI tests at once on 2 cores, where spinning ranks starve the working ones).
# One BLAS thread per MPI rank.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# One node, shared memory: Open MPI's ob1 messaging layer. The default pick, UCX, spends
# about 0.2 s probing for network devices in every process start (0.33 s -> 0.13 s for a
# 2-rank `spectralbrain info`), which a batch of small subjects or the test suite pays again
# and again. Across nodes on InfiniBand keep UCX: docs/cluster.md.
export OMPI_MCA_pml=${OMPI_MCA_pml:-ob1}
