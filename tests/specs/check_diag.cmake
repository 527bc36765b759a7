# check_diag.cmake: runs `nmrc check SPEC` from the source folder and
# compares its stderr with the expected diagnostics in ERR, exactly, and
# its exit status with 1.  Used by tests/cli_spec.cmake (kept out of tests/*.cmake, which are fragments):
#   cmake -DNMRC=path/to/nmrc -DSRC=source-dir -DSPEC=rel.spin -DERR=rel.err -P check_diag.cmake
execute_process(COMMAND ${NMRC} check ${SPEC} WORKING_DIRECTORY ${SRC}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${SRC}/${ERR} want)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "nmrc check ${SPEC}: exit status ${rc}, expected 1\nstderr:\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "nmrc check ${SPEC}: unexpected output on stdout:\n${out}")
endif()
if(NOT err STREQUAL want)
  message(FATAL_ERROR "nmrc check ${SPEC}: diagnostics differ\n--- got ---\n${err}--- expected (${ERR}) ---\n${want}")
endif()
