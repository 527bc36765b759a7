# Warning policy (Lua/GSL style) and the sanitizer switches.
function(nmrc_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wno-unused-parameter)
  if(NMRC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(NMRC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer for library, program and tests (ctest -L tsan runs the
# thread tests of tests/tsan.cmake).  TSan and ASan each own the process's
# shadow memory, so the two options exclude each other, and the libFuzzer
# targets are built with ASan.
if(NMRC_TSAN AND (NMRC_SANITIZE OR NMRC_FUZZ))
  message(FATAL_ERROR "nmrc: NMRC_TSAN cannot be combined with NMRC_SANITIZE or NMRC_FUZZ "
    "(ThreadSanitizer and AddressSanitizer exclude each other); use separate build folders")
endif()
# The ifunc resolvers of target_clones run while the dynamic loader relocates
# the program, before the TSan runtime is up, and crash when instrumented:
# NMRC_NO_CLONES keeps the portable kernels only.
if(NMRC_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_compile_definitions(NMRC_NO_CLONES)
  add_link_options(-fsanitize=thread)
endif()
