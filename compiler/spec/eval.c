/*
** eval.c: units and constant-expression evaluation with dimension
** checking.  The unit table maps each unit to a dimension and a scale to
** the canonical unit (Hz, s, rad, T, ppm, T/m).  Sums need equal
** dimensions; a product may carry at most one dimension; a quotient of two
** equal dimensions is dimensionless.  NaN and infinities are errors at the
** span of the expression that produced them.
*/
#include "ast.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "nmrc/consts.h"


/* The units.  "µs" is listed with both micro signs (U+00B5, U+03BC). */
static const nmrc_unit units[] = {
    {"Hz", NMRC_DIM_FREQ, 1.0},          {"kHz", NMRC_DIM_FREQ, 1e3},
    {"MHz", NMRC_DIM_FREQ, 1e6},         {"rad/s", NMRC_DIM_FREQ, 1.0 / (2.0 * NMRC_PI)},
    {"T", NMRC_DIM_FIELD, 1.0},          {"s", NMRC_DIM_TIME, 1.0},
    {"ms", NMRC_DIM_TIME, 1e-3},         {"us", NMRC_DIM_TIME, 1e-6},
    {"\xC2\xB5s", NMRC_DIM_TIME, 1e-6}, {"\xCE\xBCs", NMRC_DIM_TIME, 1e-6},
    {"deg", NMRC_DIM_ANGLE, NMRC_PI / 180.0}, {"rad", NMRC_DIM_ANGLE, 1.0},
    {"ppm", NMRC_DIM_PPM, 1.0},          {"T/m", NMRC_DIM_GRAD, 1.0},
    {"K", NMRC_DIM_TEMP, 1.0},
    {NULL, NMRC_DIM_NONE, 0.0},
};

/* Words written for a unit that nmrc spells otherwise (compared ignoring
** case), and units of a known dimension that nmrc does not have (exact). */
static const struct { const char *written, *unit; } unit_aliases[] = {
    {"sec", "s"},      {"secs", "s"},       {"second", "s"},   {"seconds", "s"},
    {"msec", "ms"},    {"msecs", "ms"},     {"usec", "us"},    {"usecs", "us"},
    {"hertz", "Hz"},   {"degree", "deg"},   {"degrees", "deg"}, {"radian", "rad"},
    {"radians", "rad"}, {"rad/sec", "rad/s"}, {"tesla", "T"},  {"kelvin", "K"},
    {NULL, NULL},
};
static const struct { const char *written, *what, *kind; nmrc_dim dim; } foreign_units[] = {
    {"ns", "nanoseconds", "time", NMRC_DIM_TIME},
    {"min", "minutes", "time", NMRC_DIM_TIME},
    {"mHz", "millihertz", "frequency", NMRC_DIM_FREQ},
    {"GHz", "gigahertz", "frequency", NMRC_DIM_FREQ},
    {"mT", "millitesla", "field", NMRC_DIM_FIELD},
    {"gauss", "gauss", "field", NMRC_DIM_FIELD},
    {"mrad", "milliradians", "angle", NMRC_DIM_ANGLE},
    {"ppb", "parts per billion", "chemical-shift", NMRC_DIM_PPM},
    {"mK", "millikelvin", "temperature", NMRC_DIM_TEMP},
    {NULL, NULL, NULL, NMRC_DIM_NONE},
};

const nmrc_unit *nmrc_unit_find(const char *name, size_t len)
{
    for (const nmrc_unit *u = units; u->name; u++)
        if (strlen(u->name) == len && !memcmp(u->name, name, len))
            return u;
    return NULL;
}

static int same_nocase(const char *a, const char *b, size_t len)
{
    if (strlen(a) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return 1;
}

int nmrc_unit_typo(const char *name, size_t len, const nmrc_unit **meant, char *msg, size_t size)
{
    *meant = NULL;
    for (int k = 0; foreign_units[k].written; k++)
        if (strlen(foreign_units[k].written) == len && !memcmp(foreign_units[k].written, name, len)) {
            size_t n = (size_t)snprintf(msg, size, "unit '%.*s' (%s) is not supported; %s units:",
                                        (int)len, name, foreign_units[k].what,
                                        foreign_units[k].kind);
            const char *sep = " ";
            for (const nmrc_unit *u = units; u->name && n < size; u++)
                if (u->dim == foreign_units[k].dim && (unsigned char)u->name[0] < 0x80) {
                    n += (size_t)snprintf(msg + n, size - n, "%s%s", sep, u->name);
                    sep = ", ";
                }
            return 1;
        }
    for (const nmrc_unit *u = units; u->name; u++)
        if (same_nocase(u->name, name, len))
            *meant = u;
    for (int k = 0; !*meant && unit_aliases[k].written; k++)
        if (same_nocase(unit_aliases[k].written, name, len))
            *meant = nmrc_unit_find(unit_aliases[k].unit, strlen(unit_aliases[k].unit));
    if (!*meant)
        return 0;
    snprintf(msg, size, "unknown unit '%.*s'; did you mean '%s'?", (int)len, name, (*meant)->name);
    return 1;
}

const char *nmrc_dim_name(nmrc_dim d)
{
    static const char *const names[] = {
        [NMRC_DIM_NONE] = "dimensionless number", [NMRC_DIM_FREQ] = "frequency",
        [NMRC_DIM_TIME] = "time", [NMRC_DIM_ANGLE] = "angle", [NMRC_DIM_FIELD] = "magnetic field",
        [NMRC_DIM_PPM] = "chemical shift (ppm)", [NMRC_DIM_GRAD] = "field gradient",
        [NMRC_DIM_TEMP] = "temperature in kelvin",
    };
    return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "value";
}

static const nmrc_value *lookup(const nmrc_ptable *pt, const char *name)
{
    if (!pt)
        return NULL;
    long i = nmrc_index_find(&pt->index, name, strlen(name), nmrc_ptable_key, pt);
    return i >= 0 ? &pt->val[i] : NULL;
}

/* Reports an unknown name: defined later, or the nearest known one. */
static int unknown_name(nmrc_spec *spec, const nmrc_ptable *pt, const nmrc_expr *x)
{
    size_t n = strlen(x->name);
    long later = nmrc_index_find(&spec->params, x->name, n, nmrc_stmt_key, spec);
    if (later >= 0) {
        nmrc_diag(spec, x->span, "parameter '%s' is used before its definition at %u:%u",
                  x->name, (unsigned)spec->st[later].span.line, (unsigned)spec->st[later].span.col);
        return -1;
    }
    const char *best = NULL;
    int bestd = 99;
    for (size_t i = 0; pt && i < pt->n; i++) {
        int d = nmrc_edit_distance(x->name, n, pt->name[i], strlen(pt->name[i]));
        if (d < bestd) {
            bestd = d;
            best = pt->name[i];
        }
    }
    if (best && bestd <= 1 + (int)n / 4)
        nmrc_diag(spec, x->span, "unknown parameter '%s'; did you mean '%s'?", x->name, best);
    else
        nmrc_diag(spec, x->span, "unknown parameter '%s'", x->name);
    return -1;
}

static int finite_or_error(nmrc_spec *spec, const nmrc_expr *x, nmrc_value *out)
{
    if (isfinite(out->v))
        return 0;
    nmrc_diag(spec, x->span, "%s", isnan(out->v) ? "value is not a number (NaN)"
                                                  : "value is infinite or too large");
    return -1;
}

static int combine(nmrc_spec *spec, const nmrc_expr *x, nmrc_value a, nmrc_value b,
                   nmrc_value *out)
{
    switch (x->kind) {
    case NMRC_EX_ADD:
    case NMRC_EX_SUB:
        if (a.dim != b.dim) {
            nmrc_diag(spec, x->span, "cannot %s a %s and a %s",
                      x->kind == NMRC_EX_ADD ? "add" : "subtract", nmrc_dim_name(a.dim),
                      nmrc_dim_name(b.dim));
            return -1;
        }
        out->v = x->kind == NMRC_EX_ADD ? a.v + b.v : a.v - b.v;
        out->dim = a.dim;
        return 0;
    case NMRC_EX_MUL:
        if (a.dim != NMRC_DIM_NONE && b.dim != NMRC_DIM_NONE) {
            nmrc_diag(spec, x->span, "cannot multiply a %s by a %s", nmrc_dim_name(a.dim),
                      nmrc_dim_name(b.dim));
            return -1;
        }
        out->v = a.v * b.v;
        out->dim = a.dim != NMRC_DIM_NONE ? a.dim : b.dim;
        return 0;
    default: /* DIV */
        if (b.dim != NMRC_DIM_NONE && b.dim != a.dim) {
            nmrc_diag(spec, x->span, "cannot divide a %s by a %s", nmrc_dim_name(a.dim),
                      nmrc_dim_name(b.dim));
            return -1;
        }
        if (b.v == 0.0 && a.v == 0.0) {
            nmrc_diag(spec, x->span, "value is not a number (NaN): 0/0");
            return -1;
        }
        if (b.v == 0.0) {
            nmrc_diag(spec, x->span, "division by zero");
            return -1;
        }
        out->v = a.v / b.v;
        out->dim = b.dim == NMRC_DIM_NONE ? a.dim : NMRC_DIM_NONE;
        return 0;
    }
}

static int eval_rec(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_value *out)
{
    const nmrc_expr *x = &spec->ex[e];
    nmrc_value a, b;
    switch (x->kind) {
    case NMRC_EX_NUM:
        out->v = x->num;
        out->dim = NMRC_DIM_NONE;
        return finite_or_error(spec, x, out);
    case NMRC_EX_PI:
        out->v = NMRC_PI;
        out->dim = NMRC_DIM_NONE;
        return 0;
    case NMRC_EX_IMAG:
        nmrc_diag(spec, x->span, "'i' (imaginary unit) is allowed only in matrix entries");
        return -1;
    case NMRC_EX_NAME: {
        const nmrc_value *v = lookup(pt, x->name);
        if (!v)
            return unknown_name(spec, pt, x);
        if (isnan(v->v))
            return -1; /* its definition failed and was reported */
        *out = *v;
        return 0;
    }
    case NMRC_EX_NEG:
        if (eval_rec(spec, pt, x->a, &a))
            return -1;
        out->v = -a.v;
        out->dim = a.dim;
        return 0;
    case NMRC_EX_UNIT:
        if (eval_rec(spec, pt, x->a, &a))
            return -1;
        if (a.dim != NMRC_DIM_NONE) {
            nmrc_diag(spec, x->span, "unit '%s' applied to a value that is already a %s",
                      x->unit->name, nmrc_dim_name(a.dim));
            return -1;
        }
        out->v = a.v * x->unit->scale;
        out->dim = x->unit->dim;
        return finite_or_error(spec, x, out);
    default:
        if (eval_rec(spec, pt, x->a, &a) || eval_rec(spec, pt, x->b, &b))
            return -1;
        if (combine(spec, x, a, b, out))
            return -1;
        return finite_or_error(spec, x, out);
    }
}

int nmrc_eval(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_value *out)
{
    if (e < 0 || (size_t)e >= spec->n_ex)
        return -1;
    return eval_rec(spec, pt, e, out);
}

static int eval_c(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_cplx *out)
{
    const nmrc_expr *x = &spec->ex[e];
    nmrc_cplx a, b;
    nmrc_value v;
    switch (x->kind) {
    case NMRC_EX_IMAG:
        *out = I;
        return 0;
    case NMRC_EX_NEG:
        if (eval_c(spec, pt, x->a, &a))
            return -1;
        *out = -a;
        return 0;
    case NMRC_EX_ADD:
    case NMRC_EX_SUB:
    case NMRC_EX_MUL:
    case NMRC_EX_DIV:
        if (eval_c(spec, pt, x->a, &a) || eval_c(spec, pt, x->b, &b))
            return -1;
        if (x->kind == NMRC_EX_DIV && b == 0) {
            nmrc_diag(spec, x->span, "division by zero");
            return -1;
        }
        *out = x->kind == NMRC_EX_ADD   ? a + b
               : x->kind == NMRC_EX_SUB ? a - b
               : x->kind == NMRC_EX_MUL ? a * b
                                        : a / b;
        if (!isfinite(creal(*out)) || !isfinite(cimag(*out))) {
            nmrc_diag(spec, x->span, "value is not finite");
            return -1;
        }
        return 0;
    default:
        if (eval_rec(spec, pt, e, &v))
            return -1;
        if (v.dim != NMRC_DIM_NONE) {
            nmrc_diag(spec, x->span, "expected a dimensionless number, got a %s",
                      nmrc_dim_name(v.dim));
            return -1;
        }
        *out = v.v;
        return 0;
    }
}

int nmrc_eval_complex(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_cplx *out)
{
    if (e < 0 || (size_t)e >= spec->n_ex)
        return -1;
    return eval_c(spec, pt, e, out);
}
