# libFuzzer target for the FID file readers (JCAMP-DX spectrum, Bruker acqus +
# fid); configure with CC=clang -DNMRC_FUZZ=ON.  Run, e.g.:
#   ./fuzz_fidio -max_total_time=600 corpus_dir
add_executable(fuzz_fidio fuzz_fidio.c ${PROJECT_SOURCE_DIR}/sim/dataset/jcamp.c
  ${PROJECT_SOURCE_DIR}/sim/dataset/bruker.c ${PROJECT_SOURCE_DIR}/core/status.c
  ${PROJECT_SOURCE_DIR}/core/io.c)
target_include_directories(fuzz_fidio PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/sim/dataset ${PROJECT_SOURCE_DIR})
target_compile_definitions(fuzz_fidio PRIVATE NMRC_VERSION_STRING="${PROJECT_VERSION}")
target_compile_options(fuzz_fidio PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined)
target_link_options(fuzz_fidio PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_libraries(fuzz_fidio PRIVATE m)
