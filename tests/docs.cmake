# Documentation checks: every example printed by `nmrc --help` and
# `nmrc COMMAND --help` runs and exits 0 (the script is kept in specs/, out of
# the globbed tests/*.cmake fragments).
add_test(NAME help_examples_run COMMAND ${CMAKE_COMMAND} -DNMRC=$<TARGET_FILE:nmrc>
  -DSRC=${PROJECT_SOURCE_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/help_examples
  -P ${CMAKE_CURRENT_SOURCE_DIR}/specs/run_help_examples.cmake)
