# Installs into a temporary prefix and builds an outside consumer with
# find_package(nmrc) and with pkg-config (issue: install + package configs).
# Skipped in sanitizer builds: the consumer is built without the runtime.
if(NOT NMRC_SANITIZE)
  add_test(NAME install_consumer
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install/check_install.sh
            ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}/examples/battery.spin)
  set_tests_properties(install_consumer PROPERTIES PASS_REGULAR_EXPRESSION "install check passed")
endif()
