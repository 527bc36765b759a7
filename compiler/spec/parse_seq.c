/*
** parse_seq.c: the `sequence { ... }` events, the `compile { ... }`
** options and the `initial` statement of the .spin parser.
*/
#include "parse.h"

#include <stdio.h>
#include <string.h>

/* ---- sequence events -------------------------------------------------- */

/* pulse = "pulse" NAME { NAME } quantity phase ;   (NAMEs: spins declared so far)
** phase = "x" | "y" | "-x" | "-y" | quantity ; */
static int parse_pulse(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_PULSE, kw.span, 0);
    if (st < 0)
        return -1;
    int n = 0;
    while (nmrc_p_is_spin_label(p, &p->tok)) {
        if (nmrc_p_push_name(p, &p->tok))
            return -1;
        nmrc_p_next(p);
        n++;
    }
    if (n == 0) {
        if (p->tok.kind == NMRC_TK_NAME)
            return nmrc_p_error(p, p->tok.span,
                                "'%.*s' is not a spin declared before this pulse",
                                (int)p->tok.len, p->tok.text);
        return nmrc_p_unexpected(p, "the spin labels the pulse acts on");
    }
    p->phase_stop = 1;
    int angle = nmrc_p_quantity(p);
    p->phase_stop = 0;
    if (angle < 0 || nmrc_p_push_arg(p, angle))
        return -1;
    int neg = 0;
    nmrc_token t = p->tok;
    if (t.kind == NMRC_TK_MINUS) {
        nmrc_token n1 = nmrc_p_peek(p, 1);
        if (nmrc_lex_is(&n1, "x") || nmrc_lex_is(&n1, "y")) {
            neg = 1;
            nmrc_p_next(p);
        }
    }
    if (nmrc_lex_is(&p->tok, "x") || nmrc_lex_is(&p->tok, "y")) {
        p->spec->st[st].sub = (p->tok.text[0] == 'y') + 2 * neg;
        nmrc_p_next(p);
        if (nmrc_p_push_arg(p, -1))
            return -1;
    } else {
        int ph = nmrc_p_quantity(p);
        if (ph < 0 || nmrc_p_push_arg(p, ph))
            return -1;
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* delay = "delay" quantity ; */
static int parse_delay(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_DELAY, 0, 1);
}

/* gradient = "gradient" ( "x" | "y" | "z" ) quantity quantity ; */
static int parse_gradient(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token t = p->tok;
    if (!(nmrc_lex_is(&t, "x") || nmrc_lex_is(&t, "y") || nmrc_lex_is(&t, "z")))
        return nmrc_p_unexpected(p, "x, y or z after 'gradient'");
    nmrc_p_next(p);
    int st = nmrc_p_new_stmt(p, NMRC_ST_GRADIENT, kw.span, t.text[0]);
    if (st < 0)
        return -1;
    for (int k = 0; k < 2; k++) {
        int e = nmrc_p_quantity(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* acquire = "acquire" ; */
static int parse_acquire(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_ACQUIRE, 0, 0);
}

/* repeat = "repeat" expr "{" { event } "}" ; */
static int parse_repeat(nmrc_parser *p, nmrc_token kw)
{
    if (p->rdepth >= NMRC_MAX_REPEAT_DEPTH)
        return nmrc_p_error(p, kw.span, "'repeat' nested too deeply (limit %d)",
                            NMRC_MAX_REPEAT_DEPTH);
    if (nmrc_p_simple_stmt(p, kw, NMRC_ST_REPEAT, 0, 1))
        return -1;
    p->rdepth++;
    int r = nmrc_p_block(p, kw, nmrc_kw_sequence);
    p->rdepth--;
    if (r < 0)
        return -1;
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_ENDREPEAT, 0, 0);
}

const nmrc_keyword nmrc_kw_sequence[] = {
    {"pulse", parse_pulse},     {"delay", parse_delay}, {"gradient", parse_gradient},
    {"acquire", parse_acquire}, {"repeat", parse_repeat}, {NULL, NULL},
};

/* ---- compile options -------------------------------------------------- */

/* steps = "steps" quantity ; */
static int parse_steps(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_STEPS, 0, 1);
}

static int parse_order(nmrc_parser *p, nmrc_token kw)
{
    int sym = nmrc_lex_is(&p->tok, "symmetric");
    if (!sym && !nmrc_lex_is(&p->tok, "plain"))
        return nmrc_p_unexpected(p, "'plain' or 'symmetric' after 'order'");
    nmrc_p_next(p);
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_ORDER, sym, 0);
}

/* max_error = "max_error" quantity ; */
static int parse_max_error(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_MAX_ERROR, 0, 1);
}

static int name_arg(nmrc_parser *p, nmrc_token kw, nmrc_skind kind)
{
    if (p->tok.kind != NMRC_TK_NAME)
        return nmrc_p_unexpected(p, "a name");
    int st = nmrc_p_new_stmt(p, kind, kw.span, 0);
    if (st < 0 || nmrc_p_push_name(p, &p->tok))
        return -1;
    nmrc_p_next(p);
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* composite = "composite" NAME ; */
static int parse_composite(nmrc_parser *p, nmrc_token kw)
{
    return name_arg(p, kw, NMRC_ST_COMPOSITE);
}

/* decouple = "decouple" NAME ; */
static int parse_decouple(nmrc_parser *p, nmrc_token kw)
{
    return name_arg(p, kw, NMRC_ST_DECOUPLE);
}

/* offset_compensation = "offset_compensation" ; */
static int parse_offcomp(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_OFFSET_COMP, 0, 0);
}

/* time = "time" quantity ;   (omega*t of the target evolution) */
static int parse_ctime(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_CTIME, 0, 1);
}

const nmrc_keyword nmrc_kw_compile[] = {
    {"steps", parse_steps},         {"order", parse_order},
    {"max_error", parse_max_error}, {"composite", parse_composite},
    {"decouple", parse_decouple},   {"offset_compensation", parse_offcomp},
    {"time", parse_ctime},          {NULL, NULL},
};

/* ---- initial state ---------------------------------------------------- */

/* row = "(" cexpr { "," cexpr } ")" ;  cexpr: expr in which `i` is the
** imaginary unit and may follow a factor directly (0.5i). */
static int matrix_row(nmrc_parser *p, size_t *cols)
{
    if (nmrc_p_expect(p, NMRC_TK_LPAREN, "'(' to start a matrix row"))
        return -1;
    size_t n = 0;
    do {
        int e = nmrc_p_expr(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
        n++;
    } while (nmrc_p_accept(p, NMRC_TK_COMMA));
    *cols = n;
    return nmrc_p_expect(p, NMRC_TK_RPAREN, "')' or ',' in a matrix row");
}

/* cmatrix = "[" row { [ "," ] row } "]" ; */
static int parse_cmatrix(nmrc_parser *p, int st)
{
    nmrc_token open = p->tok;
    if (nmrc_p_expect(p, NMRC_TK_LBRACK, "'[' to start the density matrix"))
        return -1;
    p->imag = 1;
    size_t cols = 0, rows = 0;
    int r = 0;
    while (r == 0) {
        size_t c;
        if ((r = matrix_row(p, &c)) < 0)
            break;
        if (rows > 0 && c != cols) {
            r = nmrc_p_error(p, p->prev_end, "matrix row %zu has %zu entries, row 1 has %zu",
                             rows + 1, c, cols);
            break;
        }
        cols = c;
        rows++;
        nmrc_p_accept(p, NMRC_TK_COMMA);
        if (p->tok.kind == NMRC_TK_RBRACK)
            break;
    }
    p->imag = 0;
    if (r < 0)
        return -1;
    nmrc_p_next(p);
    p->spec->st[st].cols = cols;
    (void)open;
    return 0;
}

/* initial = "initial" ( "gibbs" | "charged" expr | "product" STRING
**         | "bell" ( "phi+" | "phi-" | "psi+" | "psi-" ) | "matrix" cmatrix ) ; */
int nmrc_p_initial(nmrc_parser *p, nmrc_token kw)
{
    static const char *const kinds[] = {"gibbs", "charged", "product", "bell", "matrix", NULL};
    int k = -1;
    for (int i = 0; kinds[i]; i++)
        if (nmrc_lex_is(&p->tok, kinds[i]))
            k = i;
    if (k < 0)
        return nmrc_p_unexpected(p, "gibbs, charged, product, bell or matrix after 'initial'");
    nmrc_p_next(p);
    int st = nmrc_p_new_stmt(p, NMRC_ST_INITIAL, kw.span, k);
    if (st < 0)
        return -1;
    if (k == NMRC_INIT_CHARGED) {
        int e = nmrc_p_quantity(p);
        if (e < 0 || nmrc_p_push_arg(p, e))
            return -1;
    } else if (k == NMRC_INIT_PRODUCT) {
        char bits[NMRC_NAME_MAX];
        if (p->tok.kind != NMRC_TK_STRING)
            return nmrc_p_unexpected(p, "a string of 0s and 1s such as \"01\"");
        if (nmrc_lex_string_value(&p->tok, bits, sizeof bits) >= sizeof bits)
            return nmrc_p_error(p, p->tok.span, "product state string too long");
        if (nmrc_p_push_name_str(p, bits, p->tok.span))
            return -1;
        nmrc_p_next(p);
    } else if (k == NMRC_INIT_BELL) {
        nmrc_token t = p->tok, s = nmrc_p_peek(p, 1);
        int phi = nmrc_lex_is(&t, "phi"), psi = nmrc_lex_is(&t, "psi");
        if ((!phi && !psi) || (s.kind != NMRC_TK_PLUS && s.kind != NMRC_TK_MINUS) ||
            s.space_before)
            return nmrc_p_unexpected(p, "phi+, phi-, psi+ or psi- after 'bell'");
        p->spec->st[st].cols = (size_t)(2 * psi + (s.kind == NMRC_TK_MINUS));
        nmrc_p_next(p);
        nmrc_p_next(p);
    } else if (k == NMRC_INIT_MATRIX) {
        if (parse_cmatrix(p, st))
            return -1;
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}
