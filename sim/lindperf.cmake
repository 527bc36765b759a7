# Lindblad positivity check (helper "lindperf"): the Cholesky factorization
# that keeps small factors on the calling thread, compiled like the
# generator kernels so that its tile loops vectorize.
list(APPEND NMRC_SOURCES sim/lindblad_chol.c)
set_source_files_properties(sim/lindblad_chol.c PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
# Output relabelling and state checks: tiled passes over every output.
list(APPEND NMRC_SOURCES sim/lindblad_out.c)
set_source_files_properties(sim/lindblad_out.c PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
