# sim/nmr: the physical NMR model: a spin system in the rotating frames
# runs a pulse program exactly (finite pulses, offsets, couplings,
# relaxation, gradients, B1 errors); process fidelities for validation.
nmrc_module(nmr DIR sim/nmr
  SOURCES nmr_model.c nmr_plan.c nmr_props.c nmr_exec.c nmr_errors.c nmr_gradient.c
    nmr_validate.c nmr_fold.c
  HEADERS nmr.h
  DEPS core ir)
