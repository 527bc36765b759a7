# sim/metrics: figures of merit of density matrices: battery figures,
# coherence, entropy, correlations, discord, fidelities.
nmrc_module(metrics DIR sim/metrics
  SOURCES metrics.c ergotropy.c correlations.c fidelity.c
  HEADERS metrics.h
  DEPS core)
