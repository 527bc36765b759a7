# Physical NMR model tests (owner: nmr helper): closed forms for pulses,
# relaxation, phase cycling, gradients vs sinc, and validation.
nmrc_add_unit_test(test_nmr test_nmr.c)
nmrc_add_unit_test(test_gradient test_gradient.c)
