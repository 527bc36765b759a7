# The run API (nmrc/run.h) tested without the CLI: each area against the
# lower-level library or an independent construction, and the example
# program of docs/run-api.md compiled and run.
foreach(t test_run_input test_run_state test_run_battery test_run_sweep test_run_fid
    test_run_validate)
  nmrc_add_unit_test(${t} ${t}.c)
endforeach()

# docs/run-api.md's example: the ```c block is extracted at configure time,
# compiled against the library and run on examples/battery.spin.
file(READ ${PROJECT_SOURCE_DIR}/docs/run-api.md run_api_doc)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/docs/run-api.md)
string(REGEX MATCH "```c\n([^`]*)```" run_api_block "${run_api_doc}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "docs/run-api.md has no ```c example block")
endif()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/run_api_example.c "${CMAKE_MATCH_1}")
add_executable(run_api_example ${CMAKE_CURRENT_BINARY_DIR}/run_api_example.c)
target_link_libraries(run_api_example PRIVATE nmrc_static)
nmrc_warnings(run_api_example)
add_test(NAME run_api_example COMMAND run_api_example
  ${PROJECT_SOURCE_DIR}/examples/battery.spin D=0.3)
set_tests_properties(run_api_example PROPERTIES
  PASS_REGULAR_EXPRESSION "ergotropy max 1\\.[0-9]+ at wt = [0-9.]+\n")
