# sim/ideal: the ideal-model simulator: spin operators and target
# Hamiltonians, Gibbs states, unitary and Lindblad evolution, the charging
# kernel and parameter maps.
nmrc_module(ideal DIR sim/ideal
  SOURCES spinops.c gibbs.c unitary.c lindblad_plan.c lindblad_rhs.c lindblad_cheb.c
    lindblad.c lindblad_chol.c lindblad_out.c charge.c charge_map.c
  HEADERS sim.h battery.h
  DEPS core ir metrics
  FAST lindblad_rhs.c lindblad_cheb.c lindblad_chol.c lindblad_out.c charge.c)
