# sb_add_gtest(<name> SOURCES ... [LIBS ...] [RANKS 1 2 ...] [LABELS ...] [TIMEOUT s])
#
# Builds one GoogleTest executable linked with the shared test main (which initialises
# MPI/PETSc/SLEPc once) and registers it with ctest once per rank count, as
# "<name>.np<N>", run under mpiexec. Labels: the given ones, plus "mpi" when N > 1.
# The timeout makes a hung collective fail instead of hanging CI.
# mpi_yield_when_idle: a rank waiting in MPI yields the core instead of spinning. Open MPI
# turns this on only when it knows the node is oversubscribed, and it does not know about
# other jobs: with several test runs (or engineers) on 2 cores, spinning ranks starved the
# ranks doing the work (4 concurrent io_subject_test.np2 runs took about twice as long).
# The price: MUMPS polls MPI once per elimination-tree node in its solves, and each empty
# poll then yields, so MUMPS solves run about 5x slower in the tests (small meshes); runs/env.sh,
# which benchmarks and production runs use, does not set it (docs/cluster.md).
set(SB_TEST_ENV
    "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1;OMPI_MCA_mpi_yield_when_idle=1;OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1")

function(sb_add_gtest name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;RANKS;LABELS" ${ARGN})
  if(NOT T_RANKS)
    set(T_RANKS 1)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE sb_test_main ${T_LIBS})
  foreach(n IN LISTS T_RANKS)
    set(labels ${T_LABELS})
    if(n GREATER 1)
      list(APPEND labels mpi)
    endif()
    add_test(NAME ${name}.np${n}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} --oversubscribe
                     $<TARGET_FILE:${name}>)
    set_tests_properties(${name}.np${n} PROPERTIES
                         LABELS "${labels}" TIMEOUT ${T_TIMEOUT} PROCESSORS ${n}
                         ENVIRONMENT "${SB_TEST_ENV}")
  endforeach()
endfunction()

# sb_add_script_test(<name> COMMAND ... [LABELS ...] [TIMEOUT s]): a test that runs a
# command (typically the spectralbrain executable or a script) and checks its exit code.
function(sb_add_script_test name)
  cmake_parse_arguments(T "" "TIMEOUT;PROCESSORS" "COMMAND;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(NOT T_PROCESSORS)
    set(T_PROCESSORS 1)
  endif()
  add_test(NAME ${name} COMMAND ${T_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       PROCESSORS ${T_PROCESSORS} ENVIRONMENT "${SB_TEST_ENV}")
endfunction()
