# Simulator core: matrices, linear algebra, spin operators, Gibbs, unitary and
# Lindblad evolution (include/nmrc/linalg.h, include/nmrc/sim.h).
list(APPEND NMRC_SOURCES sim/cmat.c sim/linalg.c sim/spinops.c sim/gibbs.c sim/unitary.c
  sim/lindblad_plan.c sim/lindblad_rhs.c sim/lindblad_cheb.c sim/lindblad.c
  sim/lindblad_chol.c sim/lindblad_out.c)
# The Lindblad generator kernels are short contiguous loops: let the compiler
# vectorize them.
set_source_files_properties(sim/lindblad_rhs.c sim/lindblad_cheb.c sim/lindblad_chol.c
  sim/lindblad_out.c PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
