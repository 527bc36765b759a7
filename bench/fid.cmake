# FID benchmark (printed, not asserted): nmrc's exact synthesis against a
# QuTiP Liouvillian-propagator time stepping (bench/fid_qutip.py).
add_executable(bench_fid bench_fid.c)
target_link_libraries(bench_fid PRIVATE nmrc_static)
target_compile_definitions(bench_fid PRIVATE NMRC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
nmrc_warnings(bench_fid)
