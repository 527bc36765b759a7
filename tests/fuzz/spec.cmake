# libFuzzer target for the .spin parser (configure with CC=clang -DNMRC_FUZZ=ON).
# The front end's sources are rebuilt here with coverage instrumentation so
# the rest of the build is unaffected.  Run, e.g. (from an empty folder, as
# inputs may `include` relative paths):
#   fuzz_spec -max_total_time=600 -dict=tests/fuzz/spec.dict NEW tests/fuzz/corpus_spec
#   fuzz_spec -merge=1 MIN tests/fuzz/corpus_spec NEW   # then replace corpus_spec by MIN
# The committed corpus came from three runs (601 s + 661 s + 601 s, 5.7 M
# executions, no crash, leak or hang; the last on the final code), merged with
# -merge=1.  A fourth run (301 s, 1.28 M executions, no crash, leak or hang),
# seeded with the N-spin examples and the pair-set, shift, unit-typo, UTF-8
# and empty-spec bad specs, added 285 inputs (merged into the corpus with
# `fuzz_spec -merge=1 corpus_spec NEW SEEDS`).  tests/spec.cmake replays it
# through the parser in every build.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(WARNING "nmrc: fuzz_spec needs clang (configure with CC=clang); skipped")
  return()
endif()
set(NMRC_SPEC_FUZZ_SOURCES
  lex.c parse.c parse_expr.c parse_blocks.c parse_seq.c eval.c resolve.c resolve_terms.c
  resolve_seq.c resolve_system.c diag.c spec.c names.c)
list(TRANSFORM NMRC_SPEC_FUZZ_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/compiler/spec/)
add_executable(fuzz_spec fuzz_spec.c ${NMRC_SPEC_FUZZ_SOURCES}
  ${PROJECT_SOURCE_DIR}/ir/model.c ${PROJECT_SOURCE_DIR}/core/status.c
  ${PROJECT_SOURCE_DIR}/core/io.c ${PROJECT_SOURCE_DIR}/core/consts.c)
target_include_directories(fuzz_spec PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/compiler/spec ${PROJECT_SOURCE_DIR})
target_compile_definitions(fuzz_spec PRIVATE NMRC_VERSION_STRING="${PROJECT_VERSION}")
target_compile_options(fuzz_spec PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined)
target_link_options(fuzz_spec PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_libraries(fuzz_spec PRIVATE PkgConfig::NMRC_LAPACKE PkgConfig::NMRC_BLAS m)  # resolve checks rho >= 0 with zheev
