# compiler/spec: the .spin front end: lexer, recursive-descent parser,
# constant expressions, resolver into nmrc_model, diagnostics with spans.
nmrc_module(spec DIR compiler/spec
  SOURCES lex.c parse.c parse_expr.c parse_blocks.c parse_seq.c eval.c resolve.c
    resolve_terms.c resolve_seq.c resolve_system.c diag.c spec.c names.c
  HEADERS spec.h
  DEPS core ir)
