# Physical NMR model (include/nmrc/nmr.h): natural Hamiltonian, plan/execute
# of pulse programs with exact piecewise-constant propagators, RF errors,
# gradients by sample slices.
list(APPEND NMRC_SOURCES sim/nmr_model.c sim/nmr_plan.c sim/nmr_props.c sim/nmr_exec.c sim/nmr_errors.c
  sim/nmr_gradient.c sim/nmr_validate.c sim/nmr_fold.c)
