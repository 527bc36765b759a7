# Test executables split out of over-long test files by the clean-up
# (same tests, same assertions).
nmrc_add_unit_test(test_nmr_model test_nmr_model.c)
