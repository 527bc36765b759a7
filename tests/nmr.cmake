# Physical NMR model tests: closed forms for pulses,
# relaxation, phase cycling, gradients vs sinc, and validation.
nmrc_add_unit_test(test_nmr test_nmr.c)
nmrc_add_unit_test(test_nmr_model test_nmr_model.c)
nmrc_add_unit_test(test_gradient test_gradient.c)
nmrc_add_unit_test(test_validate test_validate.c)

# `nmrc validate` end to end: the DM_z palindrome (hand-written and compiled)
# passes with delta pulses at >= 0.9999; the paper's cycle fails plainly;
# --report writes the same report; bad input gives a clear non-zero exit.
set(NMRC_NMR_SPECS ${CMAKE_CURRENT_SOURCE_DIR}/nmr)
add_test(NAME validate_dm_palindrome COMMAND $<TARGET_FILE:nmrc> validate
  ${NMRC_NMR_SPECS}/dm_palindrome.spin --min-fidelity 0.98)
set_tests_properties(validate_dm_palindrome PROPERTIES
  PASS_REGULAR_EXPRESSION "delta pulses +(1\\.0000000|0\\.9999[0-9]+) .*verdict: PASS")
add_test(NAME validate_dm_compiled COMMAND sh -c
  "$<TARGET_FILE:nmrc> validate ${NMRC_NMR_SPECS}/dm_compiled.spin --no-relax --min-fidelity 0.9999 | grep -E 'delta pulses +(1\\.0000000|0\\.9999)'")
add_test(NAME validate_paper_cycle COMMAND sh -c
  "$<TARGET_FILE:nmrc> validate ${NMRC_NMR_SPECS}/paper_dm_cycle.spin > paper_cycle.txt; rc=$?; cat paper_cycle.txt; test $rc -eq 1 && grep -q 'OPEN CYCLE' paper_cycle.txt && grep -q 'WRONG AVERAGE HAMILTONIAN' paper_cycle.txt && grep -q 'verdict: FAIL' paper_cycle.txt")
add_test(NAME validate_report_file COMMAND sh -c
  "$<TARGET_FILE:nmrc> validate ${NMRC_NMR_SPECS}/dm_palindrome.spin --min-fidelity 0.9 --report validate_report.txt > validate_stdout.txt && cmp validate_report.txt validate_stdout.txt")
add_test(NAME validate_missing_file COMMAND $<TARGET_FILE:nmrc> validate no_such_file.spin)
set_tests_properties(validate_missing_file PROPERTIES WILL_FAIL TRUE)
add_test(NAME validate_bad_option COMMAND sh -c
  "$<TARGET_FILE:nmrc> validate x.spin --min-fidelity 2; test $? -eq 2")
# XML input (the sequence library): the DM_z palindrome passes on the default
# 13CHCl3 pair, the paper's cycle fails; --spec supplies system and state.
add_test(NAME validate_xml_dm_z COMMAND $<TARGET_FILE:nmrc> validate
  ${PROJECT_SOURCE_DIR}/sequences/dm_z.xml --b1-sigma 0.02 --rf-scale 1.01)
set_tests_properties(validate_xml_dm_z PROPERTIES
  PASS_REGULAR_EXPRESSION "default 13CHCl3 pair.*delta pulses +1\\.0000000.*verdict: PASS")
add_test(NAME validate_xml_paper_dm COMMAND sh -c
  "$<TARGET_FILE:nmrc> validate ${PROJECT_SOURCE_DIR}/sequences/paper_dm.xml --spec ${NMRC_NMR_SPECS}/paper_dm_cycle.spin > paper_xml.txt; rc=$?; cat paper_xml.txt; test $rc -eq 1 && grep -q 'OPEN CYCLE' paper_xml.txt && grep -q 'verdict: FAIL' paper_xml.txt")
