# Metrics tests (sim/metrics.c, ergotropy.c, correlations.c, fidelity.c):
# analytic values for battery figures, coherence, entropies, concurrence,
# discord (against a brute-force sphere scan) and fidelity.
nmrc_add_unit_test(test_metrics test_metrics.c)
nmrc_add_unit_test(test_discord test_discord.c)
nmrc_add_unit_test(test_metrics_pairs test_metrics_pairs.c)
