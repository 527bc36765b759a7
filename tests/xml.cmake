# Tests of the sequence IR, the XML format, the TopSpin writer and the
# sequence library.  Paths are relative to tests/.
nmrc_add_unit_test(test_xml test_xml.c)
nmrc_add_unit_test(test_xml_format test_xml_format.c)
nmrc_add_unit_test(test_topspin test_topspin.c)
nmrc_add_unit_test(test_seq_library test_seq_library.c)
set_tests_properties(test_xml PROPERTIES TIMEOUT 120)

# The reader's metadata step on documents the schema would reject (white
# box), and under valgrind's memcheck where installed: a read of an
# uninitialised buffer fails it (ASan does not see those).  The reader's own
# sources are compiled into the test at -O0, so that the optimizer cannot
# drop a read whose result it proves unused.
set(NMRC_XML_READER_SOURCES xml_dom.c xml_read.c xml_meta.c)
list(TRANSFORM NMRC_XML_READER_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/compiler/io/)
nmrc_add_unit_test(test_xml_meta test_xml_meta.c ${NMRC_XML_READER_SOURCES})
target_include_directories(test_xml_meta PRIVATE ${PROJECT_SOURCE_DIR}/compiler/io)
set_source_files_properties(${NMRC_XML_READER_SOURCES} TARGET_DIRECTORY test_xml_meta
  PROPERTIES COMPILE_OPTIONS "-O0")
find_program(NMRC_VALGRIND valgrind)
if(NMRC_VALGRIND AND NOT NMRC_SANITIZE)
  add_test(NAME xml_meta_valgrind COMMAND ${NMRC_VALGRIND} --quiet --error-exitcode=1
    --track-origins=yes --leak-check=no $<TARGET_FILE:test_xml_meta>)
  set_tests_properties(xml_meta_valgrind PROPERTIES TIMEOUT 120)
endif()

# Every library file validates against the shipped schema with xmllint.
find_program(NMRC_XMLLINT xmllint)
if(NMRC_XMLLINT)
  file(GLOB nmrc_library_xml CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sequences/*.xml)
  foreach(f ${nmrc_library_xml})
    get_filename_component(n ${f} NAME_WE)
    add_test(NAME xmllint_${n} COMMAND ${NMRC_XMLLINT} --noout --nonet --schema
      ${PROJECT_SOURCE_DIR}/sequences/nmrc-seq.xsd ${f})
  endforeach()
  # The version-1 files kept for the reader's test, against the frozen schema.
  file(GLOB nmrc_v1_xml CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/xml/v1/*.xml)
  foreach(f ${nmrc_v1_xml})
    get_filename_component(n ${f} NAME_WE)
    add_test(NAME xmllint_v1_${n} COMMAND ${NMRC_XMLLINT} --noout --nonet --schema
      ${PROJECT_SOURCE_DIR}/sequences/nmrc-seq-1.xsd ${f})
  endforeach()
endif()

# The committed library files are exactly what the builders produce.
add_executable(nmrc_gen_library ${PROJECT_SOURCE_DIR}/sequences/gen_library.c)
target_link_libraries(nmrc_gen_library PRIVATE nmrc_static)
nmrc_warnings(nmrc_gen_library)
add_test(NAME xml_library_up_to_date
  COMMAND nmrc_gen_library --check ${PROJECT_SOURCE_DIR}/sequences)

# The fuzz corpus replayed through the reader (and the round-trip checks of
# the fuzz target) with a plain C driver, no libFuzzer needed.
add_executable(replay_fuzz_xml fuzz/fuzz_xml.c)
target_compile_definitions(replay_fuzz_xml PRIVATE NMRC_FUZZ_REPLAY)
target_link_libraries(replay_fuzz_xml PRIVATE nmrc_static)
nmrc_warnings(replay_fuzz_xml)
add_test(NAME xml_fuzz_corpus COMMAND replay_fuzz_xml
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_xml ${CMAKE_CURRENT_SOURCE_DIR}/xml)
set_tests_properties(xml_fuzz_corpus PROPERTIES TIMEOUT 300)

# The SVG picture of a sequence: the library function, and `nmrc draw`'s
# refusals (a spec instead of a sequence, no output) with clear messages.
nmrc_add_unit_test(test_draw test_draw.c)
add_test(NAME cli_draw_refusals COMMAND sh -c
  "\"$0\" draw \"$1\" -o x.svg; echo exit=$?; \"$0\" draw \"$2\"; echo exit=$?; \
   \"$0\" draw \"$2\" -o -; echo exit=$?; test ! -e x.svg"
  $<TARGET_FILE:nmrc> ${PROJECT_SOURCE_DIR}/examples/chloroform.spin
  ${PROJECT_SOURCE_DIR}/sequences/cpmg.xml)
set_tests_properties(cli_draw_refusals PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
  PASS_REGULAR_EXPRESSION "compile the spec first.*exit=1\nnmrc draw: no output: give -o OUT.svg\n.*exit=2\n<\\?xml.*</svg>\nexit=0\n$")
