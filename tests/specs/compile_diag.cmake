# compile_diag.cmake: runs `nmrc compile SPEC -o OUT` from the source folder
# and compares its stderr with the expected diagnostic in ERR exactly (the
# spec front end's form: file:line:col: error:, source line, caret), its
# exit status with 1, and checks that no output file (final or temporary)
# is left.  Used by tests/cli_compiler.cmake:
#   cmake -DNMRC=nmrc -DSRC=source-dir -DSPEC=rel.spin -DERR=rel.err -DOUT=dir -P compile_diag.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${NMRC} compile ${SPEC} -o ${OUT}/out.xml --pp ${OUT}/out.pp
  WORKING_DIRECTORY ${SRC} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${SRC}/${ERR} want)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "nmrc compile ${SPEC}: exit status ${rc}, expected 1\nstderr:\n${err}")
endif()
if(NOT err STREQUAL want)
  message(FATAL_ERROR "nmrc compile ${SPEC}: diagnostic differs\n--- got ---\n${err}--- expected (${ERR}) ---\n${want}")
endif()
file(GLOB left ${OUT}/*)
if(left)
  message(FATAL_ERROR "nmrc compile ${SPEC}: files left behind: ${left}")
endif()
