# Structure tests: the layout check rejects a folder that includes a header
# of a folder above it (a fixture tree with one such include), and the shared
# library exports only the public API.
add_test(NAME layout_check_rejects_upward_include COMMAND ${CMAKE_COMMAND}
  -DTABLE=${CMAKE_CURRENT_SOURCE_DIR}/layout/bad/table.txt
  -DROOT=${CMAKE_CURRENT_SOURCE_DIR}/layout/bad -DSTAMP=${CMAKE_CURRENT_BINARY_DIR}/bad.stamp
  -P ${PROJECT_SOURCE_DIR}/cmake/check_layout.cmake)
set_tests_properties(layout_check_rejects_upward_include PROPERTIES
  PASS_REGULAR_EXPRESSION "lower/a.c: includes \"nmrc/upper.h\" of module 'upper', which 'lower' may not use")
add_test(NAME layout_check_passes COMMAND ${CMAKE_COMMAND}
  -DTABLE=${PROJECT_BINARY_DIR}/nmrc_layout.txt -DROOT=${PROJECT_SOURCE_DIR}
  -DSTAMP=${CMAKE_CURRENT_BINARY_DIR}/ok.stamp -P ${PROJECT_SOURCE_DIR}/cmake/check_layout.cmake)
add_test(NAME exports_only_public_api COMMAND ${CMAKE_COMMAND}
  -DLIB=$<TARGET_FILE:nmrc_shared> -DINCLUDE=${PROJECT_SOURCE_DIR}/include/nmrc
  -P ${PROJECT_SOURCE_DIR}/cmake/check_exports.cmake)
