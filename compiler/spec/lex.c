/*
** lex.c: the .spin lexer.  A hand-written scanner over a byte buffer that
** never reads past `len`, never allocates and never fails: bad input turns
** into NMRC_TK_ERROR tokens carrying a static message and a span.
*/
#include "lex.h"

#include "ast.h"

#include <stdlib.h>
#include <string.h>

void nmrc_lex_init(nmrc_lexer *lx, const char *src, size_t len, uint32_t file)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
    lx->file = file;
}

static int peek(const nmrc_lexer *lx, size_t k)
{
    return lx->pos + k < lx->len ? (unsigned char)lx->src[lx->pos + k] : -1;
}

static void advance(nmrc_lexer *lx)
{
    if (lx->pos >= lx->len)
        return;
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_ident(int c) { return is_alpha(c) || is_digit(c); }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }

/* Skips white space and comments; returns nonzero if anything was skipped. */
static int skip_space(nmrc_lexer *lx)
{
    int skipped = 0;
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(lx);
        } else if (c == '#') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                advance(lx);
        } else {
            return skipped;
        }
        skipped = 1;
    }
}

/* Length of a digit run starting k bytes ahead. */
static size_t digits_at(const nmrc_lexer *lx, size_t k)
{
    size_t n = 0;
    while (is_digit(peek(lx, k + n)))
        n++;
    return n;
}

static size_t number_len(const nmrc_lexer *lx);

/* Number of bytes of an isotope at the current position (digits, an upper
** case letter, an optional lower case letter, then no identifier byte), or
** 0.  "2T" and "50Hz" are numbers with units, "1E+2" a number. */
static size_t isotope_len(const nmrc_lexer *lx)
{
    size_t d = digits_at(lx, 0);
    if (d == 0 || !is_upper(peek(lx, d)) || number_len(lx) > d)
        return 0;
    size_t n = d + 1;
    if (is_lower(peek(lx, n)))
        n++;
    if (is_ident(peek(lx, n)))
        return 0;
    if (nmrc_unit_find(lx->src + lx->pos + d, n - d))
        return 0; /* "2T", "50Hz": a number and a unit */
    return n;
}

/* Bytes of a number lexeme: digits [. digits] [(e|E) [+-] digits]. */
static size_t number_len(const nmrc_lexer *lx)
{
    size_t n = digits_at(lx, 0);
    if (peek(lx, n) == '.') {
        n++;
        n += digits_at(lx, n);
    }
    int e = peek(lx, n);
    if (e == 'e' || e == 'E') {
        size_t k = n + 1;
        if (peek(lx, k) == '+' || peek(lx, k) == '-')
            k++;
        size_t d = digits_at(lx, k);
        if (d > 0)
            n = k + d;
    }
    return n;
}

static double number_value(const char *text, size_t len)
{
    char buf[128];
    if (len >= sizeof buf) {
        /* Only a huge digit run gets here: its value overflows anyway
        ** unless it is mostly leading zeros, which we accept as 0/inf. */
        size_t i = 0;
        while (i < len && (text[i] == '0' || text[i] == '.'))
            i++;
        return i == len ? 0.0 : strtod("1e999", NULL);
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

static nmrc_tk punct_kind(int c)
{
    switch (c) {
    case '{': return NMRC_TK_LBRACE;
    case '}': return NMRC_TK_RBRACE;
    case '(': return NMRC_TK_LPAREN;
    case ')': return NMRC_TK_RPAREN;
    case '[': return NMRC_TK_LBRACK;
    case ']': return NMRC_TK_RBRACK;
    case ',': return NMRC_TK_COMMA;
    case ':': return NMRC_TK_COLON;
    case '=': return NMRC_TK_EQ;
    case '+': return NMRC_TK_PLUS;
    case '-': return NMRC_TK_MINUS;
    case '*': return NMRC_TK_STAR;
    case '/': return NMRC_TK_SLASH;
    case ';': return NMRC_TK_SEMI;
    default: return NMRC_TK_ERROR;
    }
}

/* Micro signs (U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU, in UTF-8)
** that may start the unit "µs". */
static const char *const micro_signs[] = {"\xC2\xB5", "\xCE\xBC", NULL};

/* Bytes of the unit "µs" (either micro sign, then 's', then no identifier
** byte) at the current position, or 0.  It lexes as a NAME, like "us". */
static size_t micro_unit_len(const nmrc_lexer *lx)
{
    for (int k = 0; micro_signs[k]; k++)
        if (peek(lx, 0) == (unsigned char)micro_signs[k][0] &&
            peek(lx, 1) == (unsigned char)micro_signs[k][1] && peek(lx, 2) == 's' &&
            !is_ident(peek(lx, 3)))
            return 3;
    return 0;
}

/* Bytes of the well-formed UTF-8 sequence of 2 to 4 bytes at the current
** position, or 0 (ASCII, or a malformed sequence). */
static size_t utf8_len(const nmrc_lexer *lx)
{
    int c = peek(lx, 0);
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t k = 1; k < n; k++)
        if ((peek(lx, k) & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Scans a string starting at the opening quote; sets kind, len and msg. */
static void lex_string(nmrc_lexer *lx, nmrc_token *t)
{
    advance(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c == -1 || c == '\n' || c == '\r') {
            t->kind = NMRC_TK_ERROR;
            t->msg = "unterminated string (strings end on the same line)";
            return;
        }
        if (c == '\\') {
            int e = peek(lx, 1);
            if (e != '"' && e != '\\') {
                t->kind = NMRC_TK_ERROR;
                t->msg = "unknown escape in string (only \\\" and \\\\ are allowed)";
                while (peek(lx, 0) != -1 && peek(lx, 0) != '\n' && peek(lx, 0) != '"')
                    advance(lx);
                if (peek(lx, 0) == '"')
                    advance(lx);
                return;
            }
            advance(lx);
        } else if (c == '"') {
            advance(lx);
            t->kind = NMRC_TK_STRING;
            return;
        }
        advance(lx);
    }
}

nmrc_token nmrc_lex_next(nmrc_lexer *lx)
{
    nmrc_token t;
    memset(&t, 0, sizeof t);
    t.space_before = skip_space(lx) || lx->pos == 0;
    t.text = lx->src + lx->pos;
    t.span.file = lx->file;
    t.span.line = lx->line;
    t.span.col = lx->col;
    size_t start = lx->pos;
    int c = peek(lx, 0);
    size_t n;
    if (c == -1) {
        t.kind = NMRC_TK_EOF;
    } else if ((n = isotope_len(lx)) > 0) {
        t.kind = NMRC_TK_ISOTOPE;
        while (n--)
            advance(lx);
    } else if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) {
        n = number_len(lx);
        t.kind = NMRC_TK_NUMBER;
        t.num = number_value(t.text, n);
        while (n--)
            advance(lx);
    } else if (is_alpha(c)) {
        t.kind = NMRC_TK_NAME;
        while (is_ident(peek(lx, 0)))
            advance(lx);
    } else if (c == '"') {
        lex_string(lx, &t);
    } else if ((n = micro_unit_len(lx)) > 0) {
        t.kind = NMRC_TK_NAME;
        while (n--)
            advance(lx);
    } else if ((n = utf8_len(lx)) > 0) {
        t.kind = NMRC_TK_ERROR; /* one token for the whole character */
        t.msg = "unexpected character";
        while (n--)
            advance(lx);
    } else {
        t.kind = punct_kind(c);
        if (t.kind == NMRC_TK_ERROR)
            t.msg = (c >= 0x20 && c < 0x7f) ? "unexpected character"
                                             : "unexpected byte (not printable ASCII)";
        advance(lx);
    }
    t.len = lx->pos - start;
    t.span.len = t.len > 0 ? (uint32_t)(t.len > 0xffffu ? 0xffffu : t.len) : 1;
    return t;
}

size_t nmrc_lex_string_value(const nmrc_token *tok, char *buf, size_t size)
{
    size_t out = 0;
    size_t end = tok->len > 0 && tok->text[tok->len - 1] == '"' ? tok->len - 1 : tok->len;
    for (size_t i = 1; i < end; i++) {
        char c = tok->text[i];
        if (c == '\\' && i + 1 < end)
            c = tok->text[++i];
        if (size > 0 && out + 1 < size)
            buf[out] = c;
        out++;
    }
    if (size > 0)
        buf[out < size ? out : size - 1] = '\0';
    return out;
}

int nmrc_lex_is(const nmrc_token *tok, const char *word)
{
    return tok->kind == NMRC_TK_NAME && strlen(word) == tok->len &&
           memcmp(tok->text, word, tok->len) == 0;
}

const char *nmrc_lex_kind_name(nmrc_tk kind)
{
    static const char *const names[] = {
        [NMRC_TK_EOF] = "end of file", [NMRC_TK_NAME] = "name",
        [NMRC_TK_NUMBER] = "number", [NMRC_TK_ISOTOPE] = "isotope",
        [NMRC_TK_STRING] = "string", [NMRC_TK_LBRACE] = "'{'", [NMRC_TK_RBRACE] = "'}'",
        [NMRC_TK_LPAREN] = "'('", [NMRC_TK_RPAREN] = "')'", [NMRC_TK_LBRACK] = "'['",
        [NMRC_TK_RBRACK] = "']'", [NMRC_TK_COMMA] = "','", [NMRC_TK_COLON] = "':'",
        [NMRC_TK_EQ] = "'='", [NMRC_TK_PLUS] = "'+'", [NMRC_TK_MINUS] = "'-'",
        [NMRC_TK_STAR] = "'*'", [NMRC_TK_SLASH] = "'/'", [NMRC_TK_SEMI] = "';'",
        [NMRC_TK_ERROR] = "invalid token",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "token";
}
