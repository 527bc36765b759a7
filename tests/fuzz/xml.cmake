# libFuzzer target for the sequence XML reader (configure with CC=clang
# -DNMRC_FUZZ=ON).  The XML sources are rebuilt here with coverage
# instrumentation; libxml2 is linked as installed.  Run, e.g.:
#   ./fuzz_xml -max_total_time=600 corpus_dir ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus_xml
set(NMRC_XML_FUZZ_SOURCES xml_text.c xml_write.c xml_write_meta.c xml_dom.c xml_read.c xml_meta.c xml_parse.c
  topspin.c topspin_tables.c)
list(TRANSFORM NMRC_XML_FUZZ_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/compiler/io/)
add_executable(fuzz_xml fuzz_xml.c ${NMRC_XML_FUZZ_SOURCES}
  ${PROJECT_SOURCE_DIR}/ir/seq.c ${PROJECT_SOURCE_DIR}/ir/seq_check.c
  ${PROJECT_SOURCE_DIR}/ir/seq_system.c
  ${PROJECT_SOURCE_DIR}/compiler/library/seq_library.c
  ${PROJECT_SOURCE_DIR}/compiler/library/pulses.c ${PROJECT_SOURCE_DIR}/core/status.c
  ${PROJECT_SOURCE_DIR}/core/io.c ${PROJECT_SOURCE_DIR}/core/consts.c
  ${PROJECT_BINARY_DIR}/generated/nmrc_xsd.c)
target_include_directories(fuzz_xml PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/compiler/io ${PROJECT_SOURCE_DIR})
target_compile_definitions(fuzz_xml PRIVATE NMRC_VERSION_STRING="${PROJECT_VERSION}")
target_compile_options(fuzz_xml PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined)
target_link_options(fuzz_xml PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_libraries(fuzz_xml PRIVATE PkgConfig::NMRC_XML2 m)
