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

# N > 2 spins: commands that do not take them yet refuse with the spec line
# of the first target term on a third spin, exit 1, and write nothing.
add_test(NAME cli_compile_chain6_refused COMMAND sh -c
  "rm -f \"$1/chain6.xml\"; \"$0\" compile examples/chain6.spin -o \"$1/chain6.xml\"; rc=$?; \
   test -e \"$1/chain6.xml\" && echo 'output written'; echo exit=$rc"
  $<TARGET_FILE:nmrc> ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(cli_compile_chain6_refused PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  PASS_REGULAR_EXPRESSION "^examples/chain6\\.spin:31:3: error: this target term involves spin S3, a third spin: targets on more than two spins are not supported yet\n    dipolar chain\\(\\*\\) Delta Delta eps eps\n    \\^~~~~~~\nexit=1\n$")

# The N-spin summary: one line per pair-set statement, equal tensors under
# one heading, shifts, carriers and the coupling forms.
add_test(NAME check_chain6_summary COMMAND $<TARGET_FILE:nmrc> check examples/chain6.spin
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(check_chain6_summary PROPERTIES PASS_REGULAR_EXPRESSION
  "dm      S1-S2 S2-S3 S3-S4 S4-S5 S5-S6 \\(0, 0, 0\\.5\\)\n.*coupling tensor T\\(S1,S2\\) = T\\(S2,S3\\) = T\\(S3,S4\\) = T\\(S4,S5\\) = T\\(S5,S6\\), H")
add_test(NAME check_alanine_summary COMMAND $<TARGET_FILE:nmrc> check examples/alanine.spin
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(check_alanine_summary PROPERTIES PASS_REGULAR_EXPRESSION
  "C1   13C .* offset 8028 Hz  shift 178\\.5 ppm\n.*carrier 13C: 98\\.7 ppm \\(centre of its shifts\\)\ncoupling C1-C2: J = 54 Hz, dipolar = 0 Hz, weak \\(homonuclear, \\|offset difference\\| / \\|coupling\\| = 233\\)")
