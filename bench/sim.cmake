# Simulator benchmarks (printed, not asserted): the Fig. 11 battery map
# against numpy and the N = 8 Lindblad chain against QuTiP.
add_executable(bench_map bench_map.c)
target_link_libraries(bench_map PRIVATE nmrc_static)
target_compile_definitions(bench_map PRIVATE NMRC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
nmrc_warnings(bench_map)

add_executable(bench_chain8 bench_chain8.c)
target_link_libraries(bench_chain8 PRIVATE nmrc_static)
target_compile_definitions(bench_chain8 PRIVATE NMRC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
nmrc_warnings(bench_chain8)
