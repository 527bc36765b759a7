/*
** parse_blocks.c: the statements inside blocks (system, target, charge,
** noise, readout, sequence, compile) and `initial`.  Each keyword table is
** data: the block parser looks keywords up there, suggests the nearest one
** for a typo and synchronizes on them after an error.
*/
#include "parse.h"

#include <stdio.h>
#include <string.h>

/* ---- system ----------------------------------------------------------- */

/* Spin attributes, in the order of the statement's value slots. */
static const char *const spin_attrs[] = {"offset", "T1", "T2", "p90", "shift", NULL};
#define N_SPIN_ATTRS 5

/* A name after a spin's attributes on the same line: a misspelt attribute. */
static int spin_attr_error(nmrc_parser *p)
{
    const nmrc_token *t = &p->tok;
    const char *best = NULL;
    int bestd = 99;
    for (int i = 0; spin_attrs[i]; i++) {
        int d = nmrc_edit_distance(t->text, t->len, spin_attrs[i], strlen(spin_attrs[i]));
        if (d < bestd) {
            bestd = d;
            best = spin_attrs[i];
        }
    }
    char name[64], list[64] = "";
    nmrc_p_tokstr(t, name, sizeof name);
    if (bestd <= 1 + (int)t->len / 4)
        return nmrc_p_error(p, t->span, "unknown spin attribute '%s'; did you mean '%s'?", name,
                            best);
    for (int i = 0; spin_attrs[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 spin_attrs[i]);
    return nmrc_p_error(p, t->span, "unknown spin attribute '%s'; expected one of: %s", name,
                        list);
}

/* spin = "spin" NAME ISOTOPE { ( "offset" | "shift" | "T1" | "T2" | "p90" ) quantity } ; */
static int parse_spin(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token label = p->tok, iso;
    if (label.kind != NMRC_TK_NAME)
        return nmrc_p_unexpected(p, "a spin label after 'spin'");
    if (label.len >= NMRC_LABEL_MAX)
        return nmrc_p_error(p, label.span, "spin label too long (at most %d characters)",
                            NMRC_LABEL_MAX - 1);
    nmrc_p_next(p);
    iso = p->tok;
    if (iso.kind != NMRC_TK_ISOTOPE)
        return nmrc_p_unexpected(p, "an isotope such as 1H or 13C");
    nmrc_p_next(p);
    int st = nmrc_p_new_stmt(p, NMRC_ST_SPIN, kw.span, 0);
    if (st < 0 || nmrc_p_push_name(p, &label) || nmrc_p_push_name(p, &iso))
        return -1;
    int slot[N_SPIN_ATTRS] = {-1, -1, -1, -1, -1};
    for (;;) {
        int k = -1;
        for (int i = 0; spin_attrs[i]; i++)
            if (nmrc_lex_is(&p->tok, spin_attrs[i]))
                k = i;
        if (k < 0)
            break;
        nmrc_token at = p->tok;
        if (slot[k] >= 0)
            return nmrc_p_error(p, at.span, "'%s' given twice for spin '%.*s'", spin_attrs[k],
                                (int)label.len, label.text);
        nmrc_p_next(p);
        if ((slot[k] = nmrc_p_quantity(p)) < 0)
            return -1;
    }
    if (p->tok.kind == NMRC_TK_NAME && p->tok.span.line == kw.span.line &&
        !nmrc_p_is_keyword(nmrc_kw_system, &p->tok) && !nmrc_p_is_toplevel(&p->tok))
        return spin_attr_error(p);
    for (int i = 0; i < N_SPIN_ATTRS; i++)
        if (nmrc_p_push_arg(p, slot[i]))
            return -1;
    nmrc_p_finish_stmt(p, st);
    /* index the first declaration of a label (duplicates are resolve errors) */
    if (!nmrc_p_is_spin_label(p, &label) &&
        nmrc_index_add(&p->spec->spins, (size_t)st, nmrc_stmt_key, p->spec)) {
        p->spec->oom = 1;
        p->stop = 1;
        return -1;
    }
    return 0;
}

/* field = "field" quantity ; */
static int parse_field(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_FIELD, kw.span, 0);
    int e = st < 0 ? -1 : nmrc_p_quantity(p);
    if (e < 0 || nmrc_p_push_arg(p, e))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* Parses two spin-label NAMEs into the current statement. */
static int two_labels(nmrc_parser *p, const char *after)
{
    for (int k = 0; k < 2; k++) {
        if (p->tok.kind != NMRC_TK_NAME) {
            char exp[96];
            snprintf(exp, sizeof exp, "%s spin label after '%s'", k ? "a second" : "a", after);
            return nmrc_p_unexpected(p, exp);
        }
        if (nmrc_p_push_name(p, &p->tok))
            return -1;
        nmrc_p_next(p);
    }
    return 0;
}

/* The pair-set helpers: a name followed by '('. */
static const struct { const char *name; nmrc_pairs kind; } pair_helpers[] = {
    {"chain", NMRC_PAIRS_CHAIN}, {"ring", NMRC_PAIRS_RING},
    {"star", NMRC_PAIRS_STAR},   {"all", NMRC_PAIRS_ALL},
    {NULL, NMRC_PAIRS_PAIR},
};

/* spins = spin { "," spin } ;   spin = NAME | "*" ;   then the closing ')' */
static int spin_list(nmrc_parser *p, const nmrc_token *helper)
{
    do {
        if (p->tok.kind == NMRC_TK_STAR) {
            if (nmrc_p_push_name_str(p, "*", p->tok.span))
                return -1;
        } else if (p->tok.kind != NMRC_TK_NAME) {
            return nmrc_p_unexpected(p, "a spin label or '*'");
        } else if (nmrc_p_push_name(p, &p->tok)) {
            return -1;
        }
        nmrc_p_next(p);
    } while (nmrc_p_accept(p, NMRC_TK_COMMA));
    if (p->tok.kind == NMRC_TK_RPAREN)
        return 0;
    char exp[96];
    snprintf(exp, sizeof exp, "',' or ')' to close '%.*s(' opened at %u:%u", (int)helper->len,
             helper->text, (unsigned)helper->span.line, (unsigned)helper->span.col);
    return nmrc_p_unexpected(p, exp);
}

/* pairs = NAME NAME
**       | ( "chain" | "ring" | "star" | "all" ) "(" spins ")" ;
** Fills the statement's pairs, pairs_span and names (resolve expands them). */
static int parse_pairs(nmrc_parser *p, int st, const char *after)
{
    nmrc_token first = p->tok;
    int k = 0;
    while (pair_helpers[k].name && !nmrc_lex_is(&first, pair_helpers[k].name))
        k++;
    if (!pair_helpers[k].name || nmrc_p_peek(p, 1).kind != NMRC_TK_LPAREN) {
        if (two_labels(p, after))
            return -1;
        p->spec->st[st].pairs = NMRC_PAIRS_PAIR;
    } else {
        nmrc_p_next(p);
        nmrc_p_next(p);
        if (spin_list(p, &first))
            return -1;
        p->spec->st[st].pairs = pair_helpers[k].kind;
        nmrc_p_next(p);
    }
    nmrc_span last = p->prev_end;
    last.col = last.col > 1 ? last.col - 1 : 1;
    p->spec->st[st].pairs_span = nmrc_span_join(first.span, last);
    return 0;
}

/* jform = "strong" | "weak" ;  returns the form at the token (consumed) or 0 */
static int jform(nmrc_parser *p)
{
    int f = nmrc_lex_is(&p->tok, "strong") ? NMRC_JFORM_STRONG
            : nmrc_lex_is(&p->tok, "weak") ? NMRC_JFORM_WEAK : NMRC_JFORM_DEFAULT;
    if (f)
        nmrc_p_next(p);
    return f;
}

/* couple = "couple" pairs coupling { coupling } ;
** coupling = "J" quantity | "dipolar" quantity | "strong" | "weak" ; */
static int parse_couple(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_COUPLE, kw.span, NMRC_JFORM_DEFAULT);
    if (st < 0 || parse_pairs(p, st, "couple"))
        return -1;
    int slot[2] = {-1, -1};
    for (;;) {
        nmrc_token at = p->tok;
        int f = jform(p);
        if (f) {
            if (p->spec->st[st].sub)
                return nmrc_p_error(p, at.span, "'strong' or 'weak' given twice in one 'couple'");
            p->spec->st[st].sub = f;
            continue;
        }
        int k = nmrc_lex_is(&p->tok, "J") ? 0 : nmrc_lex_is(&p->tok, "dipolar") ? 1 : -1;
        if (k < 0)
            break;
        if (slot[k] >= 0)
            return nmrc_p_error(p, p->tok.span, "'%s' given twice in one 'couple'",
                                k ? "dipolar" : "J");
        nmrc_p_next(p);
        if ((slot[k] = nmrc_p_quantity(p)) < 0)
            return -1;
    }
    if (slot[0] < 0 && slot[1] < 0)
        return nmrc_p_unexpected(p, "'J' or 'dipolar' and a coupling in Hz");
    if (nmrc_p_push_arg(p, slot[0]) || nmrc_p_push_arg(p, slot[1]))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* homonuclear = "homonuclear" ( "strong" | "weak" ) ; */
static int parse_homonuclear(nmrc_parser *p, nmrc_token kw)
{
    int f = jform(p);
    if (!f)
        return nmrc_p_unexpected(p, "'strong' or 'weak' after 'homonuclear'");
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_HOMONUCLEAR, f, 0);
}

/* carrier = "carrier" ISOTOPE quantity ;   (the carrier's chemical shift, ppm) */
static int parse_carrier(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token iso = p->tok;
    if (iso.kind != NMRC_TK_ISOTOPE)
        return nmrc_p_unexpected(p, "an isotope such as 13C after 'carrier'");
    nmrc_p_next(p);
    int st = nmrc_p_new_stmt(p, NMRC_ST_CARRIER, kw.span, 0);
    if (st < 0 || nmrc_p_push_name(p, &iso))
        return -1;
    int e = nmrc_p_quantity(p);
    if (e < 0 || nmrc_p_push_arg(p, e))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

const nmrc_keyword nmrc_kw_system[] = {
    {"spin", parse_spin},       {"field", parse_field},
    {"couple", parse_couple},   {"homonuclear", parse_homonuclear},
    {"carrier", parse_carrier}, {NULL, NULL},
};

/* ---- target ----------------------------------------------------------- */

/* True if the current token can start an expression. */
static int starts_expr(const nmrc_parser *p)
{
    nmrc_tk k = p->tok.kind;
    if (k == NMRC_TK_NUMBER || k == NMRC_TK_LPAREN || k == NMRC_TK_MINUS || k == NMRC_TK_PLUS)
        return 1;
    return k == NMRC_TK_NAME && !nmrc_p_is_keyword(nmrc_kw_target, &p->tok) &&
           !nmrc_p_is_toplevel(&p->tok) && !nmrc_lex_is(&p->tok, "along");
}

/* axis = "x" | "y" | "z" | vec3 ;  sets the statement's sub, pushes 3 args if vec3 */
static int parse_axis3(nmrc_parser *p, int st)
{
    const char *names = "xyz";
    for (int k = 0; k < 3; k++)
        if (p->tok.kind == NMRC_TK_NAME && p->tok.len == 1 && p->tok.text[0] == names[k]) {
            p->spec->st[st].sub = names[k];
            nmrc_p_next(p);
            return 0;
        }
    if (p->tok.kind != NMRC_TK_LPAREN)
        return nmrc_p_unexpected(p, "x, y, z or a direction (x, y, z) after 'along'");
    p->spec->st[st].sub = 0;
    return nmrc_p_vec3(p);
}

/* zeeman = "zeeman" [ NAME ] expr [ "along" axis ] ;
** NAME is a spin label when it names a spin declared so far and an
** expression follows it. */
static int parse_zeeman(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_ZEEMAN, kw.span, 'z');
    if (st < 0)
        return -1;
    if (nmrc_p_is_spin_label(p, &p->tok)) {
        nmrc_parser save = *p;
        nmrc_token label = p->tok;
        nmrc_p_next(p);
        if (starts_expr(p)) {
            if (nmrc_p_push_name(p, &label))
                return -1;
        } else {
            *p = save;
        }
    }
    int e = nmrc_p_quantity(p);
    if (e < 0 || nmrc_p_push_arg(p, e))
        return -1;
    if (nmrc_lex_is(&p->tok, "along")) {
        nmrc_p_next(p);
        if (parse_axis3(p, st))
            return -1;
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* dipolar = "dipolar" pairs ( "Delta" expr [ "eps" expr ] | "tensor" matrix3 ) ; */
static int parse_dipolar(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_DIPOLAR, kw.span, 0);
    if (st < 0 || parse_pairs(p, st, "dipolar"))
        return -1;
    if (nmrc_lex_is(&p->tok, "tensor")) {
        nmrc_p_next(p);
        p->spec->st[st].sub = 1;
        if (nmrc_p_matrix3(p))
            return -1;
    } else if (nmrc_lex_is(&p->tok, "Delta")) {
        nmrc_p_next(p);
        int d = nmrc_p_quantity(p), e = -1;
        if (d < 0)
            return -1;
        if (nmrc_lex_is(&p->tok, "eps")) {
            nmrc_p_next(p);
            if ((e = nmrc_p_quantity(p)) < 0)
                return -1;
        }
        if (nmrc_p_push_arg(p, d) || nmrc_p_push_arg(p, e))
            return -1;
    } else {
        return nmrc_p_unexpected(p, "'Delta' or 'tensor' after the two spins");
    }
    nmrc_p_finish_stmt(p, st);
    return 0;
}

static int pair_vec(nmrc_parser *p, nmrc_token kw, nmrc_skind kind, const char *what, int mat)
{
    int st = nmrc_p_new_stmt(p, kind, kw.span, 0);
    if (st < 0 || parse_pairs(p, st, what) || (mat ? nmrc_p_matrix3(p) : nmrc_p_vec3(p)))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* dm = "dm" pairs vec3 ; */
static int parse_dm(nmrc_parser *p, nmrc_token kw)
{
    return pair_vec(p, kw, NMRC_ST_DM, "dm", 0);
}

/* ksea = "ksea" pairs vec3 ; */
static int parse_ksea(nmrc_parser *p, nmrc_token kw)
{
    return pair_vec(p, kw, NMRC_ST_KSEA, "ksea", 0);
}

/* tensor = "tensor" pairs matrix3 ; */
static int parse_tensor(nmrc_parser *p, nmrc_token kw)
{
    return pair_vec(p, kw, NMRC_ST_TENSOR, "tensor", 1);
}

const nmrc_keyword nmrc_kw_target[] = {
    {"zeeman", parse_zeeman}, {"dipolar", parse_dipolar}, {"dm", parse_dm},
    {"ksea", parse_ksea},     {"tensor", parse_tensor},   {NULL, NULL},
};

/* ---- charge ----------------------------------------------------------- */

static int parse_strength(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_STRENGTH, 0, 1);
}

/* axis = "axis" ( "x" | "y" | quantity ) ;   (bare angle = degrees) */
static int parse_caxis(nmrc_parser *p, nmrc_token kw)
{
    if (nmrc_lex_is(&p->tok, "x") || nmrc_lex_is(&p->tok, "y")) {
        int sub = p->tok.text[0];
        nmrc_p_next(p);
        return nmrc_p_simple_stmt(p, kw, NMRC_ST_AXIS, sub, 0);
    }
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_AXIS, 0, 1);
}

/* time = "time" grid ; */
static int parse_ctime(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_TIME, kw.span, 0);
    if (st < 0 || nmrc_p_grid(p))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

const nmrc_keyword nmrc_kw_charge[] = {
    {"strength", parse_strength}, {"axis", parse_caxis}, {"time", parse_ctime}, {NULL, NULL},
};

/* ---- noise ------------------------------------------------------------ */

/* channel = ( "dephase" ( "X" | "Y" | "Z" ) | "damp" ) NAME { NAME } "rate" expr ; */
static int channel(nmrc_parser *p, nmrc_token kw, int kind)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_CHANNEL, kw.span, kind);
    if (st < 0)
        return -1;
    int n = nmrc_p_name_list(p, nmrc_kw_noise, "rate");
    if (n < 0)
        return -1;
    if (n == 0)
        return nmrc_p_unexpected(p, "one or more spin labels");
    if (!nmrc_lex_is(&p->tok, "rate"))
        return nmrc_p_unexpected(p, "'rate' after the spin labels");
    nmrc_p_next(p);
    int e = nmrc_p_quantity(p);
    if (e < 0 || nmrc_p_push_arg(p, e))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* dephase = "dephase" ( "X" | "Y" | "Z" ) NAME { NAME } "rate" quantity ; */
static int parse_dephase(nmrc_parser *p, nmrc_token kw)
{
    static const char axes[] = "XYZ";
    for (int k = 0; k < 3; k++)
        if (p->tok.kind == NMRC_TK_NAME && p->tok.len == 1 && p->tok.text[0] == axes[k]) {
            nmrc_p_next(p);
            return channel(p, kw, NMRC_NOISE_DEPHASE_X + k);
        }
    return nmrc_p_unexpected(p, "X, Y or Z after 'dephase'");
}

/* damp = "damp" NAME { NAME } "rate" quantity ; */
static int parse_damp(nmrc_parser *p, nmrc_token kw)
{
    return channel(p, kw, NMRC_NOISE_DAMP);
}

const nmrc_keyword nmrc_kw_noise[] = {
    {"dephase", parse_dephase}, {"damp", parse_damp}, {NULL, NULL},
};

/* ---- readout ---------------------------------------------------------- */

/* observe = "observe" NAME { NAME } ; */
static int parse_observe(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_OBSERVE, kw.span, 0);
    if (st < 0)
        return -1;
    int n = nmrc_p_name_list(p, nmrc_kw_readout, NULL);
    if (n <= 0)
        return n < 0 ? -1 : nmrc_p_unexpected(p, "one or more spin labels after 'observe'");
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* td = "td" quantity ; */
static int parse_td(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_TD, 0, 1);
}

/* sw = "sw" quantity ; */
static int parse_sw(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_SW, 0, 1);
}

/* tomography = "tomography" ; */
static int parse_tomography(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_TOMOGRAPHY, 0, 0);
}

/* observables = "observables" NAME { "," NAME } ; */
static int parse_observables(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_OBSERVABLES, kw.span, 0);
    if (st < 0)
        return -1;
    do {
        if (p->tok.kind != NMRC_TK_NAME)
            return nmrc_p_unexpected(p, "an observable name");
        if (nmrc_p_push_name(p, &p->tok))
            return -1;
        nmrc_p_next(p);
    } while (nmrc_p_accept(p, NMRC_TK_COMMA));
    nmrc_p_finish_stmt(p, st);
    return 0;
}

const nmrc_keyword nmrc_kw_readout[] = {
    {"observe", parse_observe}, {"td", parse_td},   {"sw", parse_sw},
    {"tomography", parse_tomography}, {"observables", parse_observables}, {NULL, NULL},
};
