/*
** parse_expr.c: token handling, the AST arena and the expression grammar
** of the .spin parser: constant expressions with + - * /, parentheses,
** names, `pi`, an optional trailing unit, 3-vectors, 3x3 matrices and
** grids.  Nesting depth is bounded so no input can exhaust the stack.
*/
#include "parse.h"

#include <stdio.h>
#include <string.h>

void nmrc_p_next(nmrc_parser *p)
{
    p->prev_end = p->tok.span;
    p->prev_end.col += (uint32_t)p->tok.len;
    p->prev_end.len = 1;
    p->tok = nmrc_lex_next(&p->lx);
}

nmrc_token nmrc_p_peek(const nmrc_parser *p, int k)
{
    nmrc_lexer copy = p->lx;
    nmrc_token t = p->tok;
    for (int i = 0; i < k; i++)
        t = nmrc_lex_next(&copy);
    return t;
}

int nmrc_p_accept(nmrc_parser *p, nmrc_tk kind)
{
    if (p->tok.kind != kind)
        return 0;
    nmrc_p_next(p);
    return 1;
}

int nmrc_p_error(nmrc_parser *p, nmrc_span sp, const char *fmt, ...)
{
    if (p->stop)
        return -1;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (nmrc_diag(p->spec, sp, "%s", msg) < 0)
        p->stop = 1;
    return -1;
}

void nmrc_p_tokstr(const nmrc_token *t, char *buf, size_t size)
{
    size_t n = t->len < 40 ? t->len : 40;
    snprintf(buf, size, "%.*s%s", (int)n, t->text, t->len > 40 ? "..." : "");
}

void nmrc_p_describe(const nmrc_token *t, char *buf, size_t size)
{
    char s[64];
    switch (t->kind) {
    case NMRC_TK_NAME:
    case NMRC_TK_NUMBER:
    case NMRC_TK_ISOTOPE:
        nmrc_p_tokstr(t, s, sizeof s);
        snprintf(buf, size, "'%s'", s);
        break;
    case NMRC_TK_STRING:
        snprintf(buf, size, "a string");
        break;
    default:
        snprintf(buf, size, "%s", nmrc_lex_kind_name(t->kind));
    }
}

/* Non-ASCII characters people type into specs, with what to write instead. */
static const struct { unsigned cp; const char *hint; } char_hints[] = {
    {0x00B5, "; write 'us' or 'µs' for microseconds (no other unit takes the micro sign)"},
    {0x03BC, "; write 'us' or 'µs' for microseconds (no other unit takes the micro sign)"},
    {0xFEFF, "; a byte-order mark is allowed only at the very start of a file"},
    {0x00A0, "; a no-break space: use a plain space"},
    {0x2212, "; a minus sign: write '-'"},
    {0x2013, "; a dash: write '-'"},
    {0x00D7, "; write '*' to multiply"},
    {0x00B0, "; write 'deg' for degrees"},
    {0x03C0, "; write 'pi'"},
    {0, ""},
};

/* The code point of a well-formed UTF-8 sequence of 2 to 4 bytes. */
static unsigned utf8_decode(const char *s, size_t n)
{
    unsigned cp = (unsigned char)s[0] & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < n; k++)
        cp = cp << 6 | ((unsigned char)s[k] & 0x3Fu);
    return cp;
}

/* Reports a lexical error token: a stray ASCII character or byte, a
** non-ASCII character (with its code point and, for common ones, a hint),
** or the lexer's own message (strings). */
static int lex_error(nmrc_parser *p, const nmrc_token *t)
{
    if (t->len == 1 && t->text[0] >= 0x20 && t->text[0] < 0x7f)
        return nmrc_p_error(p, t->span, "%s '%c'", t->msg, t->text[0]);
    if (t->len == 1)
        return nmrc_p_error(p, t->span, "%s 0x%02X", t->msg, (unsigned char)t->text[0]);
    if ((unsigned char)t->text[0] >= 0xC2 && t->len <= 4) {
        unsigned cp = utf8_decode(t->text, t->len);
        size_t k = 0;
        while (char_hints[k].cp && char_hints[k].cp != cp)
            k++;
        return nmrc_p_error(p, t->span, "%s '%.*s' (U+%04X)%s", t->msg, (int)t->len, t->text,
                            cp, char_hints[k].hint);
    }
    return nmrc_p_error(p, t->span, "%s", t->msg);
}

int nmrc_p_unexpected(nmrc_parser *p, const char *expected)
{
    const nmrc_token *t = &p->tok;
    if (t->kind == NMRC_TK_ERROR)
        return lex_error(p, t);
    char d[80];
    nmrc_p_describe(t, d, sizeof d);
    nmrc_span sp = t->kind == NMRC_TK_EOF ? p->prev_end : t->span;
    return nmrc_p_error(p, sp, "expected %s, found %s", expected, d);
}

int nmrc_p_expect(nmrc_parser *p, nmrc_tk kind, const char *what)
{
    if (nmrc_p_accept(p, kind))
        return 0;
    return nmrc_p_unexpected(p, what ? what : nmrc_lex_kind_name(kind));
}

/* ---- arena ------------------------------------------------------------ */

static int oom(nmrc_parser *p)
{
    p->spec->oom = 1;
    p->stop = 1;
    return -1;
}

int nmrc_p_push_arg(nmrc_parser *p, int e)
{
    nmrc_spec *s = p->spec;
    if (nmrc_grow((void **)&s->args, &s->cap_args, s->n_args + 1, sizeof *s->args))
        return oom(p);
    s->args[s->n_args++] = e;
    return 0;
}

int nmrc_p_push_name_str(nmrc_parser *p, const char *str, nmrc_span sp)
{
    nmrc_spec *s = p->spec;
    if (nmrc_grow((void **)&s->names, &s->cap_names, s->n_names + 1, sizeof *s->names))
        return oom(p);
    nmrc_name *n = &s->names[s->n_names++];
    snprintf(n->s, sizeof n->s, "%s", str);
    n->span = sp;
    return 0;
}

int nmrc_p_push_name(nmrc_parser *p, const nmrc_token *t)
{
    char buf[NMRC_NAME_MAX];
    if (t->len >= sizeof buf)
        return nmrc_p_error(p, t->span, "name too long (at most %d characters)",
                            NMRC_NAME_MAX - 1);
    memcpy(buf, t->text, t->len);
    buf[t->len] = '\0';
    return nmrc_p_push_name_str(p, buf, t->span);
}

int nmrc_p_new_stmt(nmrc_parser *p, nmrc_skind kind, nmrc_span sp, int sub)
{
    nmrc_spec *s = p->spec;
    if (nmrc_grow((void **)&s->st, &s->cap_st, s->n_st + 1, sizeof *s->st))
        return oom(p);
    nmrc_stmt *st = &s->st[s->n_st];
    memset(st, 0, sizeof *st);
    st->kind = kind;
    st->span = sp;
    st->sub = sub;
    st->name0 = s->n_names;
    st->ex0 = s->n_args;
    return (int)s->n_st++;
}

void nmrc_p_finish_stmt(nmrc_parser *p, int st)
{
    nmrc_stmt *s = &p->spec->st[st];
    s->n_names = p->spec->n_names - s->name0;
    s->n_ex = p->spec->n_args - s->ex0;
}

int nmrc_p_simple_stmt(nmrc_parser *p, nmrc_token kw, nmrc_skind kind, int sub, int quantity)
{
    int st = nmrc_p_new_stmt(p, kind, kw.span, sub);
    if (st < 0)
        return -1;
    if (quantity) {
        int e = nmrc_p_quantity(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}

static int new_node(nmrc_parser *p, nmrc_ekind kind, nmrc_span sp)
{
    nmrc_spec *s = p->spec;
    if (s->n_ex >= 0x7fffffff ||
        nmrc_grow((void **)&s->ex, &s->cap_ex, s->n_ex + 1, sizeof *s->ex))
        return oom(p);
    nmrc_expr *e = &s->ex[s->n_ex];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->span = sp;
    e->a = e->b = -1;
    e->height = 1;
    return (int)s->n_ex++;
}

static int binary(nmrc_parser *p, nmrc_ekind kind, int a, int b)
{
    if (a < 0 || b < 0)
        return -1;
    nmrc_span sp = nmrc_span_join(p->spec->ex[a].span, p->spec->ex[b].span);
    int ha = p->spec->ex[a].height, hb = p->spec->ex[b].height;
    int h = 1 + (ha > hb ? ha : hb);
    if (h > NMRC_MAX_TREE_DEPTH)
        return nmrc_p_error(p, sp, "expression too long (more than %d operations deep)",
                            NMRC_MAX_TREE_DEPTH);
    int e = new_node(p, kind, sp);
    if (e >= 0) {
        p->spec->ex[e].a = a;
        p->spec->ex[e].b = b;
        p->spec->ex[e].height = h;
    }
    return e;
}

/* ---- expressions ---------------------------------------------------- */

static int parse_unary(nmrc_parser *p);

/* primary = NUMBER | NAME | "pi" | "(" quantity ")" ;  (matrix entries also: "i") */
static int parse_primary(nmrc_parser *p)
{
    nmrc_token t = p->tok;
    int e;
    if (t.kind == NMRC_TK_NUMBER) {
        nmrc_p_next(p);
        e = new_node(p, NMRC_EX_NUM, t.span);
        if (e >= 0)
            p->spec->ex[e].num = t.num;
        return e;
    }
    if (t.kind == NMRC_TK_NAME) {
        nmrc_p_next(p);
        if (nmrc_lex_is(&t, "pi"))
            return new_node(p, NMRC_EX_PI, t.span);
        if (p->imag && nmrc_lex_is(&t, "i"))
            return new_node(p, NMRC_EX_IMAG, t.span);
        if (t.len >= NMRC_NAME_MAX)
            return nmrc_p_error(p, t.span, "name too long (at most %d characters)",
                                NMRC_NAME_MAX - 1);
        e = new_node(p, NMRC_EX_NAME, t.span);
        if (e >= 0) {
            memcpy(p->spec->ex[e].name, t.text, t.len);
            p->spec->ex[e].name[t.len] = '\0';
        }
        return e;
    }
    if (t.kind == NMRC_TK_LPAREN) {
        nmrc_p_next(p);
        int save = p->phase_stop;
        p->phase_stop = 0;
        e = nmrc_p_quantity(p);
        p->phase_stop = save;
        if (e < 0)
            return -1;
        if (p->tok.kind != NMRC_TK_RPAREN)
            return nmrc_p_unexpected(p, "')'");
        p->spec->ex[e].span = nmrc_span_join(t.span, p->tok.span);
        nmrc_p_next(p);
        return e;
    }
    return nmrc_p_unexpected(p, "a number, a name or '('");
}

/* postfix = primary [ "i" ]   (the juxtaposed imaginary unit, matrices only) */
static int parse_postfix(nmrc_parser *p)
{
    int e = parse_primary(p);
    if (e >= 0 && p->imag && nmrc_lex_is(&p->tok, "i")) {
        int im = new_node(p, NMRC_EX_IMAG, p->tok.span);
        nmrc_p_next(p);
        return binary(p, NMRC_EX_MUL, e, im);
    }
    return e;
}

/* unary = [ "+" | "-" ] unary | postfix ;
** Every '(' and every sign passes here once: the depth bound lives here. */
static int parse_unary(nmrc_parser *p)
{
    if (++p->edepth > NMRC_MAX_EXPR_DEPTH) {
        p->edepth--;
        return nmrc_p_error(p, p->tok.span, "expression nested too deeply (limit %d)",
                            NMRC_MAX_EXPR_DEPTH);
    }
    int e;
    nmrc_token t = p->tok;
    if (t.kind == NMRC_TK_MINUS || t.kind == NMRC_TK_PLUS) {
        nmrc_p_next(p);
        e = parse_unary(p);
        if (e >= 0 && t.kind == NMRC_TK_MINUS) {
            int n = new_node(p, NMRC_EX_NEG, nmrc_span_join(t.span, p->spec->ex[e].span));
            if (n >= 0) {
                p->spec->ex[n].a = e;
                p->spec->ex[n].height = p->spec->ex[e].height + 1;
            }
            e = n;
        }
    } else {
        e = parse_postfix(p);
    }
    p->edepth--;
    return e;
}

/* term_e = unary { ( "*" | "/" ) unary } ; */
static int parse_term(nmrc_parser *p)
{
    int e = parse_unary(p);
    while (e >= 0 && (p->tok.kind == NMRC_TK_STAR || p->tok.kind == NMRC_TK_SLASH)) {
        nmrc_ekind k = p->tok.kind == NMRC_TK_STAR ? NMRC_EX_MUL : NMRC_EX_DIV;
        nmrc_p_next(p);
        e = binary(p, k, e, parse_unary(p));
    }
    return e;
}

/* In a pulse, "- x" / "- y" after the angle is the phase, not a difference. */
static int phase_follows(const nmrc_parser *p)
{
    if (!p->phase_stop || p->tok.kind != NMRC_TK_MINUS)
        return 0;
    nmrc_token n = nmrc_p_peek(p, 1);
    return nmrc_lex_is(&n, "x") || nmrc_lex_is(&n, "y");
}

/* expr = term_e { ( "+" | "-" ) term_e } ; */
int nmrc_p_expr(nmrc_parser *p)
{
    int e = parse_term(p);
    while (e >= 0 && (p->tok.kind == NMRC_TK_PLUS || p->tok.kind == NMRC_TK_MINUS) &&
           !phase_follows(p)) {
        nmrc_ekind k = p->tok.kind == NMRC_TK_PLUS ? NMRC_EX_ADD : NMRC_EX_SUB;
        nmrc_p_next(p);
        e = binary(p, k, e, parse_term(p));
    }
    return e;
}

/* Returns the unit at the current token ("rad/s" and "T/m" span three
** tokens) and how many tokens it takes, or NULL. */
static const nmrc_unit *unit_here(const nmrc_parser *p, int *ntok)
{
    if (p->tok.kind != NMRC_TK_NAME)
        return NULL;
    nmrc_token slash = nmrc_p_peek(p, 1);
    if (slash.kind == NMRC_TK_SLASH) {
        nmrc_token den = nmrc_p_peek(p, 2);
        if (den.kind == NMRC_TK_NAME) {
            char buf[16];
            if (p->tok.len + den.len + 2 <= sizeof buf) {
                snprintf(buf, sizeof buf, "%.*s/%.*s", (int)p->tok.len, p->tok.text,
                         (int)den.len, den.text);
                const nmrc_unit *u = nmrc_unit_find(buf, strlen(buf)), *meant;
                char msg[8];
                if (u) {
                    *ntok = 3;
                    return u;
                }
                if (nmrc_unit_typo(buf, strlen(buf), &meant, msg, sizeof msg))
                    return NULL; /* "rad/sec": a typo as a whole, not "rad" */
            }
        }
    }
    *ntok = 1;
    return nmrc_unit_find(p->tok.text, p->tok.len);
}

/* A name right after a value on the same line that is a misspelt or
** unsupported unit ("-90 hz", "8 uS", "3 sec", "5 ns"): reports it, takes
** its tokens and returns 1 with *u the unit meant (NULL if none), so that
** parsing goes on as if it had been written right.  Else returns 0. */
static int unit_typo_here(nmrc_parser *p, const nmrc_unit **u, nmrc_span *usp)
{
    const nmrc_token *t = &p->tok;
    if (t->kind != NMRC_TK_NAME || t->span.line != p->prev_end.line)
        return 0;
    char msg[160], buf[64];
    int ntok = 0;
    nmrc_token slash = nmrc_p_peek(p, 1), den = nmrc_p_peek(p, 2);
    if (slash.kind == NMRC_TK_SLASH && den.kind == NMRC_TK_NAME &&
        t->len + den.len + 2 <= sizeof buf) {
        snprintf(buf, sizeof buf, "%.*s/%.*s", (int)t->len, t->text, (int)den.len, den.text);
        if (nmrc_unit_typo(buf, strlen(buf), u, msg, sizeof msg))
            ntok = 3;
    }
    if (!ntok && nmrc_unit_typo(t->text, t->len, u, msg, sizeof msg))
        ntok = 1;
    if (!ntok)
        return 0;
    *usp = t->span;
    for (int i = 0; i < ntok; i++)
        nmrc_p_next(p);
    *usp = nmrc_span_join(*usp, p->prev_end);
    usp->len = usp->len > 1 ? usp->len - 1 : 1;
    nmrc_p_error(p, *usp, "%s", msg);
    return 1;
}

/* quantity = expr [ UNIT ] ; */
int nmrc_p_quantity(nmrc_parser *p)
{
    int e = nmrc_p_expr(p);
    if (e < 0)
        return -1;
    int ntok;
    nmrc_span usp = p->tok.span;
    const nmrc_unit *u = unit_here(p, &ntok);
    if (u) {
        for (int i = 0; i < ntok; i++)
            nmrc_p_next(p);
        usp = nmrc_span_join(usp, p->prev_end);
        usp.len = usp.len > 1 ? usp.len - 1 : 1;
    } else if (!unit_typo_here(p, &u, &usp) || !u) {
        return e;
    }
    int q = new_node(p, NMRC_EX_UNIT, nmrc_span_join(p->spec->ex[e].span, usp));
    if (q >= 0) {
        p->spec->ex[q].a = e;
        p->spec->ex[q].unit = u;
        p->spec->ex[q].height = p->spec->ex[e].height + 1;
    }
    return q;
}

/* vec3 = "(" expr "," expr "," expr ")" ; */
int nmrc_p_vec3(nmrc_parser *p)
{
    if (nmrc_p_expect(p, NMRC_TK_LPAREN, "'(' to start a vector (x, y, z)"))
        return -1;
    for (int k = 0; k < 3; k++) {
        int e = nmrc_p_quantity(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
        if (k < 2 && nmrc_p_expect(p, NMRC_TK_COMMA, "',' between vector components"))
            return -1;
    }
    return nmrc_p_expect(p, NMRC_TK_RPAREN, "')' after the third vector component");
}

/* matrix3 = "[" vec3 [ "," ] vec3 [ "," ] vec3 "]" ; */
int nmrc_p_matrix3(nmrc_parser *p)
{
    if (nmrc_p_expect(p, NMRC_TK_LBRACK, "'[' to start a 3x3 matrix"))
        return -1;
    for (int r = 0; r < 3; r++) {
        if (nmrc_p_vec3(p))
            return -1;
        if (r < 2)
            nmrc_p_accept(p, NMRC_TK_COMMA);
    }
    return nmrc_p_expect(p, NMRC_TK_RBRACK, "']' after the third row");
}

/* grid = expr ":" expr ":" expr ; */
int nmrc_p_grid(nmrc_parser *p)
{
    for (int k = 0; k < 3; k++) {
        int e = nmrc_p_quantity(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
        if (k < 2 && nmrc_p_expect(p, NMRC_TK_COLON, "':' in 'start : stop : points'"))
            return -1;
    }
    return 0;
}
