# The library's folders as modules.  Each folder lists its sources in its own
# module.cmake with nmrc_module(): one OBJECT library per folder, its own
# folder as private include directory, and the folders it may use (DEPS).
# The DEPS lists are the dependency rule: the layout check (check_layout.cmake,
# run at every build) fails when a file includes a header of a folder its
# module does not list, so dependencies stay one way.
set(NMRC_MODULES "" CACHE INTERNAL "")

# nmrc_module(NAME DIR dir SOURCES ... [HEADERS public headers] [DEPS modules]
#             [FAST sources compiled with -O3])
function(nmrc_module name)
  cmake_parse_arguments(M "" "DIR" "SOURCES;HEADERS;DEPS;FAST" ${ARGN})
  set(srcs "")
  foreach(s ${M_SOURCES})
    if(IS_ABSOLUTE ${s})
      list(APPEND srcs ${s})
    else()
      list(APPEND srcs ${PROJECT_SOURCE_DIR}/${M_DIR}/${s})
    endif()
  endforeach()
  add_library(nmrc_${name} OBJECT ${srcs})
  set_target_properties(nmrc_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(nmrc_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/${M_DIR} ${PROJECT_SOURCE_DIR})
  target_compile_definitions(nmrc_${name} PRIVATE NMRC_VERSION_STRING="${PROJECT_VERSION}")
  nmrc_link_deps(nmrc_${name})
  nmrc_warnings(nmrc_${name})
  foreach(f ${M_FAST})
    set_source_files_properties(${PROJECT_SOURCE_DIR}/${M_DIR}/${f} TARGET_DIRECTORY
      nmrc_${name} PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
  endforeach()
  add_dependencies(nmrc_${name} nmrc_layout_check)
  set(NMRC_MODULES ${NMRC_MODULES} ${name} CACHE INTERNAL "")
  set(NMRC_MODULE_${name}_DIR ${M_DIR} CACHE INTERNAL "")
  set(NMRC_MODULE_${name}_DEPS "${M_DEPS}" CACHE INTERNAL "")
  set(NMRC_MODULE_${name}_HEADERS "${M_HEADERS}" CACHE INTERNAL "")
endfunction()

# Writes the module table for check_layout.cmake and runs the check before
# any module compiles: a table line per module, "name|dir|deps|headers".
function(nmrc_layout_table)
  set(lines "")
  foreach(m ${NMRC_MODULES})
    string(REPLACE ";" "," deps "${NMRC_MODULE_${m}_DEPS}")
    string(REPLACE ";" "," hdrs "${NMRC_MODULE_${m}_HEADERS}")
    string(APPEND lines "${m}|${NMRC_MODULE_${m}_DIR}|${deps}|${hdrs}\n")
  endforeach()
  # The program and the Python-facing run API sit above every module.
  string(APPEND lines "cli|cli|@all|\n")
  file(WRITE ${PROJECT_BINARY_DIR}/nmrc_layout.txt "${lines}")
endfunction()
