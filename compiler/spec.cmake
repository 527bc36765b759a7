# The .spin spec language front end: lexer, parser, evaluation, resolution
# into nmrc_model, diagnostics and model helpers.
list(APPEND NMRC_SOURCES
  compiler/lex.c compiler/parse.c compiler/parse_expr.c compiler/parse_blocks.c
  compiler/parse_seq.c compiler/eval.c compiler/resolve.c compiler/resolve_terms.c
  compiler/resolve_seq.c compiler/diag.c compiler/spec.c compiler/model.c compiler/names.c)
