# core I/O tests: output sets that land whole or not at all, and the source
# position an error context carries.
nmrc_add_unit_test(test_io_set test_io_set.c)
