# Spec front end tests: lexer, parser/resolver, units and expressions, and a
# replay of the committed fuzz corpus through the parser (plain C driver).
nmrc_add_unit_test(test_lex test_lex.c)
nmrc_add_unit_test(test_parse test_parse.c)
nmrc_add_unit_test(test_expr test_expr.c)
nmrc_add_unit_test(test_spec_nspin test_spec_nspin.c)

add_executable(spec_replay spec_replay.c fuzz/fuzz_spec.c)
target_link_libraries(spec_replay PRIVATE nmrc_static)
nmrc_warnings(spec_replay)
add_test(NAME spec_fuzz_replay COMMAND spec_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_spec)
