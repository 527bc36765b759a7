# Install rules: program, headers, static + shared library, nmrc.pc and a
# CMake package config so that find_package(nmrc) works for other projects.
include(CMakePackageConfigHelpers)
install(TARGETS nmrc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS nmrc_static nmrc_shared EXPORT nmrcTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/nmrc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY sequences/ DESTINATION ${CMAKE_INSTALL_DATADIR}/nmrc/sequences
  FILES_MATCHING PATTERN "*.xml" PATTERN "*.xsd")
install(EXPORT nmrcTargets NAMESPACE nmrc:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nmrc)
configure_package_config_file(cmake/nmrcConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/nmrcConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nmrc)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/nmrcConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nmrcConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/nmrcConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nmrc)
# A relocatable .pc: the prefix is found from the file's own location.
file(RELATIVE_PATH NMRC_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
configure_file(cmake/nmrc.pc.in ${CMAKE_CURRENT_BINARY_DIR}/nmrc.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nmrc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
