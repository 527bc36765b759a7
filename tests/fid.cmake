# FID, spectrum and Bruker/JCAMP tests, and `nmrc fid` CLI tests.
foreach(t test_fid test_spectrum test_bruker)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c)
    nmrc_add_unit_test(${t} ${t}.c)
  endif()
endforeach()
if(TARGET test_bruker)
  # test_bruker runs `nmrc fid --thermal` on examples/chloroform.spin and reads
  # the dataset back (end to end).
  add_dependencies(test_bruker nmrc)
endif()

set(NMRC_FID_CLI_OUT ${CMAKE_CURRENT_BINARY_DIR}/fid-cli)
add_test(NAME fid_cli_thermal COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/examples/chloroform.spin --thermal --out ${NMRC_FID_CLI_OUT}/thermal)
set_tests_properties(fid_cli_thermal PROPERTIES
  PASS_REGULAR_EXPRESSION "1H: 4096 points at SW 2000 Hz .*exact.*13C: 4096 points")
add_test(NAME fid_cli_compiled COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/examples/chloroform.spin --out ${NMRC_FID_CLI_OUT}/compiled --lb 1)
set_tests_properties(fid_cli_compiled PROPERTIES PASS_REGULAR_EXPRESSION "1H: .*13C: ")
add_test(NAME fid_cli_no_out COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/examples/chloroform.spin --thermal)
set_tests_properties(fid_cli_no_out PROPERTIES PASS_REGULAR_EXPRESSION "usage: nmrc fid")
add_test(NAME fid_cli_missing_file COMMAND $<TARGET_FILE:nmrc> fid no-such-file.spin --thermal
  --out ${NMRC_FID_CLI_OUT}/missing)
set_tests_properties(fid_cli_missing_file PROPERTIES WILL_FAIL TRUE)
add_test(NAME fid_cli_bad_td COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/examples/chloroform.spin --thermal --td 0 --out ${NMRC_FID_CLI_OUT}/bad)
set_tests_properties(fid_cli_bad_td PROPERTIES PASS_REGULAR_EXPRESSION "--td must be a whole number")
add_test(NAME fid_cli_bad_set COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/examples/chloroform.spin --thermal --set NOPE=1 --out ${NMRC_FID_CLI_OUT}/bad)
set_tests_properties(fid_cli_bad_set PROPERTIES PASS_REGULAR_EXPRESSION "--set NOPE=1")

# Inversion recovery 180_x - tau - 90_y - acquire on 1H (T1 = 3 s): T1 must
# return the deviation to thermal equilibrium, M(0) = 1 - 2 exp(-tau/T1) =
# 0.999909 at tau = 30 s for ideal pulses; the real pulses with T1/T2 give
# 0.9998954 (tests/audit: independent Liouvillian, 1e-9).  Relaxing to
# infinite temperature gave -4.5e-5.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/fid_inversion_recovery.spin
"system {\n  spin H 1H  T1 3 s  T2 1 s  p90 10 us\n  spin C 13C  T1 5 s  T2 0.5 s  p90 15 us\n\
  field 400 MHz\n  couple H C J 215 Hz\n}\nomega = 26.875 Hz\n\
sequence {\n  pulse H 180 x\n  delay 30 s\n  pulse H 90 y\n  acquire\n}\n\
readout { observe H  td 256  sw 2 kHz }\n")
add_test(NAME fid_cli_inversion_recovery COMMAND sh -c
  "\"$0\" fid \"$1\" --out ir >/dev/null && sed -n 2p ir/1H_fid.csv"
  $<TARGET_FILE:nmrc> ${CMAKE_CURRENT_BINARY_DIR}/fid_inversion_recovery.spin)
set_tests_properties(fid_cli_inversion_recovery PROPERTIES
  PASS_REGULAR_EXPRESSION "^0,0\\.999895[0-9]*,"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# The X-dephasing sandwich leaves no excited transverse magnetization: it is
# read out with a 90_y although T1 recovery during the gradient leaves ~3e-4.
add_test(NAME fid_cli_sandwich_read_pulse COMMAND $<TARGET_FILE:nmrc> fid
  ${PROJECT_SOURCE_DIR}/sequences/x_dephasing.xml --spec ${PROJECT_SOURCE_DIR}/examples/chloroform.spin
  --out sandwich)
set_tests_properties(fid_cli_sandwich_read_pulse PROPERTIES
  PASS_REGULAR_EXPRESSION "1H: [^\n]*read out with a 90y pulse"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
