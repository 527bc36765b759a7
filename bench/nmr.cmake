# Physical NMR model timing (printed, not asserted).
add_executable(bench_nmr bench_nmr.c)
target_link_libraries(bench_nmr PRIVATE nmrc_static)
nmrc_warnings(bench_nmr)
