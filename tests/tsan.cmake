# Plan/execute thread tests (tests/tsan/): every plan type run from two
# threads on one shared plan, each thread with its own workspace, compared
# bit for bit with the serial results; and FFTW plans created and destroyed
# from two threads.  Built in every configuration (they check results in
# any build); under -DNMRC_TSAN=ON ThreadSanitizer also reports any write
# into a shared plan as a data race.  `ctest -L tsan` runs just these.
#
# OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1: libgomp and OpenBLAS are not
# built with ThreadSanitizer, so TSan cannot see how they start and join
# their worker threads.  With two OpenMP threads TSan reports the map's own
# parallel loop reading the locals its caller wrote just before the region
# (map_run._omp_fn.0 against map_run, through libgomp): a false positive
# that only a suppression of nmrc frames could hide, which tsan.supp must
# never do.  One thread per team keeps every thread visible to TSan; the
# two threads sharing a plan are the tests' own pthreads, which is what the
# plan/execute promise is about (and the lanes of one map workspace are
# still checked bit for bit in the plain and ASan builds, whose ctest runs
# run these with OMP_NUM_THREADS=2).  tsan.supp: suppressions for frames inside
# those uninstrumented libraries only (none needed so far).
find_package(Threads REQUIRED)
if(NMRC_TSAN)
  set(NMRC_TSAN_OMP 1)
else()
  set(NMRC_TSAN_OMP 2)
endif()
set(NMRC_TSAN_ENV "OMP_NUM_THREADS=${NMRC_TSAN_OMP}" "OPENBLAS_NUM_THREADS=1"
  "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1 suppressions=${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp")
set(NMRC_TSAN_TESTS tsan_ideal tsan_nmr tsan_acq tsan_metrics)
foreach(t ${NMRC_TSAN_TESTS})
  nmrc_add_unit_test(${t} tsan/${t}.c)
  target_link_libraries(${t} PRIVATE Threads::Threads)
  target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${t} PROPERTIES LABELS tsan ENVIRONMENT "${NMRC_TSAN_ENV}" TIMEOUT 300)
endforeach()
# What a ThreadSanitizer CI build needs to compile (.ci/test builds only this).
add_custom_target(nmrc_tsan_tests DEPENDS ${NMRC_TSAN_TESTS})
