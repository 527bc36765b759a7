# Plan/execute thread tests (tests/tsan/): every plan type run from two
# threads on one shared plan, each thread with its own workspace, compared
# bit for bit with the serial results; and FFTW plans created and destroyed
# from two threads.  Built in every configuration (they check results in
# any build); under -DNMRC_TSAN=ON ThreadSanitizer also reports any write
# into a shared plan as a data race.  `ctest -L tsan` runs just these.
#
# OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1: libgomp and OpenBLAS are not
# built with ThreadSanitizer, so TSan cannot see their barriers and would
# report races between the worker threads of one OpenMP team (false
# positives inside nmrc's own parallel loops).  One thread per team keeps
# every thread the tests create visible to TSan; the two threads sharing a
# plan are the tests' own pthreads, which is what the promise is about.
# tsan.supp lists what remains inside those uninstrumented libraries.
find_package(Threads REQUIRED)
set(NMRC_TSAN_ENV "OMP_NUM_THREADS=1" "OPENBLAS_NUM_THREADS=1"
  "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1 suppressions=${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp")
foreach(t tsan_ideal tsan_nmr tsan_acq tsan_metrics)
  nmrc_add_unit_test(${t} tsan/${t}.c)
  target_link_libraries(${t} PRIVATE Threads::Threads)
  target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${t} PROPERTIES LABELS tsan ENVIRONMENT "${NMRC_TSAN_ENV}" TIMEOUT 300)
endforeach()
