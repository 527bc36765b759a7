# compiler/library: the named sequence library (files and built-in builders)
# and the composite-pulse and decoupling tables.
nmrc_module(library DIR compiler/library
  SOURCES pulses.c seq_library.c library.c
  HEADERS library.h
  DEPS core ir io)
set_source_files_properties(${PROJECT_SOURCE_DIR}/compiler/library/library.c
  TARGET_DIRECTORY nmrc_library PROPERTIES COMPILE_DEFINITIONS
  "NMRC_SHARE_SEQUENCES=\"${CMAKE_INSTALL_FULL_DATADIR}/nmrc/sequences\"")
