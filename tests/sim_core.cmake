# Simulator-core tests: linear algebra, spin operators and
# the battery spectrum (test_linalg), Gibbs states (test_gibbs), Lindblad
# evolution (test_lindblad, test_lindblad_blocks).
nmrc_add_unit_test(test_linalg test_linalg.c)
nmrc_add_unit_test(test_gibbs test_gibbs.c)
nmrc_add_unit_test(test_lindblad test_lindblad.c)
nmrc_add_unit_test(test_lindblad_blocks test_lindblad_blocks.c)
