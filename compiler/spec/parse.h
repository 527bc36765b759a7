/*
** parse.h: parser state and helpers shared by the statement parser
** (parse.c, parse_blocks.c) and the expression parser (parse_expr.c).
** Internal to compiler/.
*/
#ifndef NMRC_PARSE_H
#define NMRC_PARSE_H

#include "core/defs.h"

#include "ast.h"
#include "lex.h"

typedef struct nmrc_parser nmrc_parser;
struct nmrc_parser {
    nmrc_spec *spec;
    nmrc_lexer lx;
    nmrc_token tok;             /* current token */
    nmrc_span prev_end;         /* just after the previous token */
    uint32_t file;
    int include_depth;
    const nmrc_parser *parent;  /* includer, for cycle detection */
    int edepth;                 /* expression nesting */
    int rdepth;                 /* repeat nesting */
    int imag;                   /* matrix entries: `i` is the imaginary unit */
    int phase_stop;             /* pulse angle: `- x` / `- y` ends the expression */
    int stop;                   /* diagnostic cap reached: give up */
};

/* Keyword table of one context: name and the function parsing the rest of
** the statement after the keyword (which is already consumed). */
typedef int (*nmrc_kw_fn)(nmrc_parser *p, nmrc_token kw);
typedef struct nmrc_keyword {
    const char *name;
    nmrc_kw_fn fn;
} nmrc_keyword;

/* ---- tokens (parse_expr.c) ----
** next: advances to the next token.  peek: the token k >= 1 ahead, without
** consuming.  accept: consumes a token of `kind` and returns 1, else 0.
** expect: like accept, else reports "expected WHAT, found X" and returns -1.
** error: records a diagnostic (sets p->stop at the cap); returns -1.
** unexpected: reports the current token against `expected`; returns -1.
** describe/tokstr: a token for messages ("'foo'", "end of file") / its text. */
NMRC_INTERNAL void nmrc_p_next(nmrc_parser *p);
NMRC_INTERNAL nmrc_token nmrc_p_peek(const nmrc_parser *p, int k);
NMRC_INTERNAL int nmrc_p_accept(nmrc_parser *p, nmrc_tk kind);
NMRC_INTERNAL int nmrc_p_expect(nmrc_parser *p, nmrc_tk kind, const char *what);
NMRC_INTERNAL int nmrc_p_error(nmrc_parser *p, nmrc_span sp, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
NMRC_INTERNAL int nmrc_p_unexpected(nmrc_parser *p, const char *expected);
NMRC_INTERNAL void nmrc_p_describe(const nmrc_token *t, char *buf, size_t size);
NMRC_INTERNAL void nmrc_p_tokstr(const nmrc_token *t, char *buf, size_t size);

/* ---- arena (parse_expr.c) ----
** push_arg/push_name append to the current statement's slices (0 or -1 on
** out of memory); new_stmt starts a statement and returns its index;
** finish_stmt closes its slices. */
NMRC_INTERNAL int nmrc_p_push_arg(nmrc_parser *p, int e);
NMRC_INTERNAL int nmrc_p_push_name(nmrc_parser *p, const nmrc_token *t);
NMRC_INTERNAL int nmrc_p_push_name_str(nmrc_parser *p, const char *s, nmrc_span sp);
NMRC_INTERNAL int nmrc_p_new_stmt(nmrc_parser *p, nmrc_skind kind, nmrc_span sp, int sub);
NMRC_INTERNAL void nmrc_p_finish_stmt(nmrc_parser *p, int st);
/* simple_stmt: a whole statement of kind (with sub) at kw whose only
** argument, when quantity is nonzero, is one quantity; 0 or -1. */
NMRC_INTERNAL int nmrc_p_simple_stmt(nmrc_parser *p, nmrc_token kw, nmrc_skind kind, int sub, int quantity);

/* ---- expressions (parse_expr.c); each returns a node index or -1 ---- */
NMRC_INTERNAL int nmrc_p_expr(nmrc_parser *p);
NMRC_INTERNAL int nmrc_p_quantity(nmrc_parser *p);
NMRC_INTERNAL int nmrc_p_vec3(nmrc_parser *p);        /* pushes 3 args; 0 or -1 */
NMRC_INTERNAL int nmrc_p_matrix3(nmrc_parser *p);     /* pushes 9 args; 0 or -1 */
NMRC_INTERNAL int nmrc_p_grid(nmrc_parser *p);        /* pushes 3 args; 0 or -1 */

/* ---- keywords (parse.c) ----
** is_keyword/is_toplevel: the token is a keyword of table / of the top
** level.  is_spin_label: the token names a spin declared so far.  block:
** parses "{" statements "}" with recovery (reports an unclosed block).
** name_list: pushes NAMEs up to a keyword or stopword; returns the count.
** unknown_keyword: reports the current NAME with the nearest keyword. */
NMRC_INTERNAL int nmrc_p_is_keyword(const nmrc_keyword *table, const nmrc_token *t);
NMRC_INTERNAL int nmrc_p_is_toplevel(const nmrc_token *t);
NMRC_INTERNAL int nmrc_p_is_spin_label(const nmrc_parser *p, const nmrc_token *t);
NMRC_INTERNAL int nmrc_p_block(nmrc_parser *p, nmrc_token kw, const nmrc_keyword *table);
NMRC_INTERNAL int nmrc_p_name_list(nmrc_parser *p, const nmrc_keyword *table, const char *stopword);
NMRC_INTERNAL void nmrc_p_unknown_keyword(nmrc_parser *p, const nmrc_keyword *table, const char *where);

/* ---- block contents (parse_blocks.c) ---- */
NMRC_INTERNAL extern const nmrc_keyword nmrc_kw_system[], nmrc_kw_target[], nmrc_kw_charge[],
    nmrc_kw_noise[], nmrc_kw_readout[], nmrc_kw_sequence[], nmrc_kw_compile[];
NMRC_INTERNAL int nmrc_p_initial(nmrc_parser *p, nmrc_token kw);

#endif /* NMRC_PARSE_H */
