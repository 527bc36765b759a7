/*
** lex.h: the .spin lexer (internal).  Turns source text into tokens with
** spans (file index, line, column, length).  Comments run from '#' to the
** end of the line; newlines are white space.  Errors (a stray character,
** an unterminated string) come back as NMRC_TK_ERROR tokens with a message.
*/
#ifndef NMRC_LEX_H
#define NMRC_LEX_H

#include "core/defs.h"

#include <stddef.h>

#include "nmrc/model.h"

typedef enum nmrc_tk {
    NMRC_TK_EOF,
    NMRC_TK_NAME,     /* identifier: letter or '_', then letters, digits, '_' */
    NMRC_TK_NUMBER,   /* 12, 2.5, 1e-3, .5 */
    NMRC_TK_ISOTOPE,  /* mass number glued to an element symbol: 1H, 13C */
    NMRC_TK_STRING,   /* "..." on one line; value via nmrc_lex_string_value */
    NMRC_TK_LBRACE, NMRC_TK_RBRACE, NMRC_TK_LPAREN, NMRC_TK_RPAREN,
    NMRC_TK_LBRACK, NMRC_TK_RBRACK, NMRC_TK_COMMA, NMRC_TK_COLON,
    NMRC_TK_EQ, NMRC_TK_PLUS, NMRC_TK_MINUS, NMRC_TK_STAR, NMRC_TK_SLASH,
    NMRC_TK_SEMI,
    NMRC_TK_ERROR     /* lexical error; msg says what */
} nmrc_tk;

typedef struct nmrc_token {
    nmrc_tk kind;
    const char *text;   /* points into the source; not NUL-terminated */
    size_t len;         /* bytes of text */
    double num;         /* NUMBER: its value (may be inf on overflow) */
    int space_before;   /* nonzero if white space or a comment precedes it */
    const char *msg;    /* ERROR: static message */
    nmrc_span span;
} nmrc_token;

typedef struct nmrc_lexer {
    const char *src;    /* source text (not owned) */
    size_t len;         /* its length */
    size_t pos;         /* next byte */
    uint32_t line, col; /* position of src[pos], 1-based */
    uint32_t file;      /* file index stamped on every span */
} nmrc_lexer;

/* Starts lexing src[0..len) of file index `file`.  Overwrites *lx. */
NMRC_INTERNAL void nmrc_lex_init(nmrc_lexer *lx, const char *src, size_t len, uint32_t file);

/* Returns the next token (EOF forever at the end).  Never fails: problems
** come back as NMRC_TK_ERROR tokens, after which lexing continues. */
NMRC_INTERNAL nmrc_token nmrc_lex_next(nmrc_lexer *lx);

/* Decodes a STRING token's value (quotes removed, \" and \\ unescaped) into
** buf (size bytes, NUL-terminated).  Returns the decoded length, which may
** be >= size if the value was truncated. */
NMRC_INTERNAL size_t nmrc_lex_string_value(const nmrc_token *tok, char *buf, size_t size);

/* Returns nonzero if tok is the NAME `word`. */
NMRC_INTERNAL int nmrc_lex_is(const nmrc_token *tok, const char *word);

/* Returns a static printable name of a token kind, e.g. "'{'", "number". */
NMRC_INTERNAL const char *nmrc_lex_kind_name(nmrc_tk kind);

#endif /* NMRC_LEX_H */
