# Metrics: battery figures, coherence, entropy, partial traces, two-qubit
# correlations (concurrence, discord) and distances (include/nmrc/metrics.h).
list(APPEND NMRC_SOURCES sim/metrics.c sim/ergotropy.c sim/correlations.c sim/fidelity.c)
