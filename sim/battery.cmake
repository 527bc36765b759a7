# The two-spin battery: fast charging kernel and time-optimized maps.
list(APPEND NMRC_SOURCES sim/charge.c sim/charge_map.c)
# The time loops need sqrt without errno to vectorize (errno is never read).
set_source_files_properties(sim/charge.c PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
