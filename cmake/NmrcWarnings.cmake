# Warning policy (Lua/GSL style) and the sanitizer switch.
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
