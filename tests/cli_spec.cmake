# CLI tests of the spec front end: `nmrc check` must accept every example
# (exit 0) and must print exactly the expected diagnostics for every bad
# spec in tests/specs/bad (each X.spin next to X.err; exit 1).  Both run
# from the source folder with relative paths, so the .err files are stable.
file(GLOB_RECURSE NMRC_EXAMPLE_SPECS RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/examples/*.spin)
foreach(spec ${NMRC_EXAMPLE_SPECS})
  string(MAKE_C_IDENTIFIER ${spec} id)
  add_test(NAME check_${id} COMMAND $<TARGET_FILE:nmrc> check ${spec}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()

file(GLOB NMRC_BAD_SPECS RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/specs/bad/*.spin)
foreach(spec ${NMRC_BAD_SPECS})
  string(REGEX REPLACE "\\.spin$" ".err" err ${spec})
  get_filename_component(id ${spec} NAME_WE)
  add_test(NAME check_bad_${id} COMMAND ${CMAKE_COMMAND} -DNMRC=$<TARGET_FILE:nmrc>
    -DSRC=${PROJECT_SOURCE_DIR} -DSPEC=${spec} -DERR=${err}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/specs/check_diag.cmake)
endforeach()

# Usage errors exit 2; --help prints the example.
add_test(NAME check_usage COMMAND $<TARGET_FILE:nmrc> check)
set_tests_properties(check_usage PROPERTIES WILL_FAIL ON)
add_test(NAME check_help COMMAND $<TARGET_FILE:nmrc> check --help)
set_tests_properties(check_help PROPERTIES PASS_REGULAR_EXPRESSION "example:")
add_test(NAME check_set_override COMMAND $<TARGET_FILE:nmrc> check examples/battery.spin
  --set D=0.5 --set G=0.25 WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(check_set_override PROPERTIES PASS_REGULAR_EXPRESSION
  "\\[ *-0\\.233333 +0\\.75 +0\\]\n +\\[ *-0\\.25 +-0\\.433333 +0\\]")
add_test(NAME check_set_unknown COMMAND $<TARGET_FILE:nmrc> check examples/battery.spin
  --set Q=1 WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(check_set_unknown PROPERTIES WILL_FAIL ON)
