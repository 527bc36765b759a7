/*
** resolve.c: turns a parsed spec into an nmrc_model.  Passes: parameters
** in order (with --set overrides, each seeing only earlier ones), spins,
** field, spin attributes and couplings, then every other statement
** (resolve_terms.c).  All problems become diagnostics at the value's span.
*/
#include "resolve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nmrc/consts.h"


nmrc_span nmrc_r_argspan(const nmrc_rctx *r, const nmrc_stmt *st, size_t k)
{
    if (k < st->n_ex) {
        int e = r->spec->args[st->ex0 + k];
        if (e >= 0)
            return r->spec->ex[e].span;
    }
    return st->span;
}

int nmrc_r_value(nmrc_rctx *r, const nmrc_stmt *st, size_t k, nmrc_dim dim, double bare_scale,
                 const char *what, double *out)
{
    nmrc_value v;
    int e = k < st->n_ex ? r->spec->args[st->ex0 + k] : -1;
    if (e < 0 || nmrc_eval(r->spec, &r->pt, e, &v))
        return -1;
    if (v.dim == dim) {
        *out = v.v;
        return 0;
    }
    if (v.dim == NMRC_DIM_NONE && bare_scale != 0.0) {
        *out = v.v * bare_scale;
        return 0;
    }
    if (dim == NMRC_DIM_NONE)
        nmrc_diag(r->spec, r->spec->ex[e].span,
                  "%s must be a dimensionless number (in units of omega), not a %s", what,
                  nmrc_dim_name(v.dim));
    else
        nmrc_diag(r->spec, r->spec->ex[e].span, "%s must be a %s, not a %s", what,
                  nmrc_dim_name(dim), nmrc_dim_name(v.dim));
    return -1;
}

int nmrc_r_count(nmrc_rctx *r, const nmrc_stmt *st, size_t k, double lo, double hi,
                 const char *what, size_t *out)
{
    double v;
    if (nmrc_r_value(r, st, k, NMRC_DIM_NONE, 0.0, what, &v))
        return -1;
    if (v != floor(v) || v < lo || v > hi) {
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, k), "%s must be an integer from %.0f to %.0f (got %.15g)",
                  what, lo, hi, v);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

int nmrc_r_spin(nmrc_rctx *r, const nmrc_stmt *st, size_t k)
{
    const nmrc_name *n = &r->spec->names[st->name0 + k];
    int i = nmrc_model_find_spin(r->m, n->s);
    if (i >= 0)
        return i;
    char list[256] = "";
    size_t len = 0;
    for (size_t s = 0; s < r->m->n_spins && len < sizeof list - 20; s++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", s ? ", " : "",
                                r->m->spins[s].label);
    if (r->m->n_spins)
        nmrc_diag(r->spec, n->span, "unknown spin '%s' (spins: %s)", n->s, list);
    else
        nmrc_diag(r->spec, n->span, "unknown spin '%s' (no spins are declared)", n->s);
    return -1;
}

int nmrc_r_once(nmrc_rctx *r, const nmrc_stmt *st, const char *what)
{
    nmrc_span *s = &r->seen[st->kind];
    if (s->line) {
        nmrc_diag(r->spec, st->span, "'%s' given twice (first at %u:%u)", what,
                  (unsigned)s->line, (unsigned)s->col);
        return -1;
    }
    *s = st->span;
    return 0;
}

/* ---- parameters -------------------------------------------------------- */

static const nmrc_override *find_override(const nmrc_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->n_ov; i++)
        if (!strcmp(spec->ov[i].name, name))
            return &spec->ov[i];
    return NULL;
}

static int param_value(nmrc_rctx *r, const nmrc_stmt *st, nmrc_value *v, const nmrc_unit **u)
{
    nmrc_spec *spec = r->spec;
    int e = spec->args[st->ex0];
    const char *name = spec->names[st->name0].s;
    *u = spec->ex[e].kind == NMRC_EX_UNIT ? spec->ex[e].unit : NULL;
    const nmrc_override *ov = find_override(spec, name);
    if (!ov)
        return nmrc_eval(spec, &r->pt, e, v);
    if (ov->has_unit) {
        if (*u && (*u)->dim != ov->dim) {
            nmrc_diag(spec, spec->ex[e].span, "--set %s: value is a %s but '%s' is a %s", name,
                      nmrc_dim_name(ov->dim), name, nmrc_dim_name((*u)->dim));
            return -1;
        }
        v->v = ov->value;
        v->dim = ov->dim;
    } else {
        v->v = *u ? ov->value * (*u)->scale : ov->value;
        v->dim = *u ? (*u)->dim : NMRC_DIM_NONE;
    }
    return 0;
}

static int add_param(nmrc_rctx *r, const char *name, nmrc_value v, const nmrc_unit *u, size_t st)
{
    nmrc_ptable *pt = &r->pt;
    size_t cap = pt->cap;
    if (pt->n + 1 > cap) {
        size_t ncap = cap ? 2 * cap : 16;
        void *a = realloc(pt->name, ncap * sizeof *pt->name);
        if (a)
            pt->name = a;
        void *b = realloc(pt->val, ncap * sizeof *pt->val);
        if (b)
            pt->val = b;
        void *c = realloc(pt->unit, ncap * sizeof *pt->unit);
        if (c)
            pt->unit = c;
        void *d = realloc(pt->stmt, ncap * sizeof *pt->stmt);
        if (d)
            pt->stmt = d;
        if (!a || !b || !c || !d)
            return r->oom = 1, -1;
        pt->cap = ncap;
    }
    snprintf(pt->name[pt->n], NMRC_NAME_MAX, "%s", name);
    pt->val[pt->n] = v;
    pt->unit[pt->n] = u;
    pt->stmt[pt->n] = st;
    pt->n++;
    if (nmrc_index_add(&pt->index, pt->n - 1, nmrc_ptable_key, pt))
        return r->oom = 1, -1;
    return 0;
}

static void resolve_params(nmrc_rctx *r)
{
    for (size_t i = 0; i < r->spec->n_st && !r->oom; i++) {
        const nmrc_stmt *st = &r->spec->st[i];
        if (st->kind != NMRC_ST_PARAM)
            continue;
        nmrc_value v = {0.0, NMRC_DIM_NONE};
        const nmrc_unit *u = NULL;
        if (param_value(r, st, &v, &u))
            v.v = NAN; /* keep the name bound so later uses do not cascade */
        add_param(r, r->spec->names[st->name0].s, v, u, i);
    }
}

static int copy_params(nmrc_rctx *r)
{
    nmrc_model *m = r->m;
    size_t n = r->pt.n;
    m->n_params = n;
    if (n == 0)
        return 0;
    m->param_names = calloc(n, sizeof *m->param_names);
    m->param_values = calloc(n, sizeof *m->param_values);
    if (!m->param_names || !m->param_values)
        return r->oom = 1, -1;
    for (size_t i = 0; i < n; i++) {
        memcpy(m->param_names[i], r->pt.name[i], NMRC_NAME_MAX);
        const nmrc_unit *u = r->pt.unit[i];
        m->param_values[i] = u ? r->pt.val[i].v / u->scale : r->pt.val[i].v;
    }
    return 0;
}

/* ---- spin system ------------------------------------------------------- */

static void declare_spin(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_model *m = r->m;
    const nmrc_name *label = &r->spec->names[st->name0], *iso = &r->spec->names[st->name0 + 1];
    int prev = nmrc_model_find_spin(m, label->s);
    if (prev >= 0) {
        nmrc_diag(r->spec, label->span, "duplicate spin '%s' (first declared at %u:%u)",
                  label->s, (unsigned)m->spins[prev].span.line, (unsigned)m->spins[prev].span.col);
        return;
    }
    /* A spin with an unknown isotope is still declared (the resolve fails
    ** anyway) so that later uses of its label raise no second error. */
    double g = nmrc_isotope_gamma(iso->s);
    if (g == 0.0)
        nmrc_diag(r->spec, iso->span,
                  "unknown isotope '%s' (known: 1H 2H 3He 7Li 13C 15N 17O 19F 23Na 29Si 31P 129Xe)",
                  iso->s);
    if (m->n_spins >= NMRC_MAX_SPINS) {
        if (r->extra_spins++ == 0)
            nmrc_diag(r->spec, label->span, "too many spins: at most %d are supported",
                      NMRC_MAX_SPINS);
        return;
    }
    nmrc_spin *s = &m->spins[m->n_spins++];
    snprintf(s->label, sizeof s->label, "%.15s", label->s);
    snprintf(s->isotope, sizeof s->isotope, "%.7s", iso->s);
    s->gamma = g;
    s->span = label->span;
}

static void resolve_field(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_value v;
    int e = r->spec->args[st->ex0];
    if (nmrc_r_once(r, st, "field") || nmrc_eval(r->spec, &r->pt, e, &v))
        return;
    double gh = nmrc_isotope_gamma("1H");
    if (v.dim == NMRC_DIM_FREQ)
        r->m->b0 = 2.0 * NMRC_PI * v.v / gh;
    else if (v.dim == NMRC_DIM_FIELD)
        r->m->b0 = v.v;
    else {
        nmrc_diag(r->spec, r->spec->ex[e].span,
                  "field must be a proton frequency (e.g. 400 MHz) or a field (e.g. 9.4 T), not a %s",
                  nmrc_dim_name(v.dim));
        return;
    }
    if (!(r->m->b0 > 0.0)) {
        nmrc_diag(r->spec, r->spec->ex[e].span, "field must be positive");
        r->m->b0 = 0.0;
        return;
    }
    r->m->proton_mhz = gh * r->m->b0 / (2.0 * NMRC_PI) / 1e6;
}

/* A positive time attribute of a spin (T1, T2, p90). */
static void spin_time(nmrc_rctx *r, const nmrc_stmt *st, size_t k, const char *what, double *out)
{
    double v;
    if (r->spec->args[st->ex0 + k] < 0 || nmrc_r_value(r, st, k, NMRC_DIM_TIME, 0.0, what, &v))
        return;
    if (!(v > 0.0)) {
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, k), "%s must be positive", what);
        return;
    }
    *out = v;
}

static void spin_attrs(nmrc_rctx *r, const nmrc_stmt *st)
{
    int i = nmrc_model_find_spin(r->m, r->spec->names[st->name0].s);
    if (i < 0 || r->m->spins[i].span.line != r->spec->names[st->name0].span.line ||
        r->m->spins[i].span.col != r->spec->names[st->name0].span.col ||
        r->m->spins[i].span.file != r->spec->names[st->name0].span.file)
        return; /* a duplicate or rejected declaration */
    nmrc_spin *s = &r->m->spins[i];
    int e = r->spec->args[st->ex0];
    nmrc_value v;
    if (e >= 0 && !nmrc_eval(r->spec, &r->pt, e, &v)) {
        if (v.dim == NMRC_DIM_FREQ)
            s->offset_hz = v.v;
        else if (v.dim == NMRC_DIM_PPM && r->m->b0 > 0.0)
            s->offset_hz = v.v * 1e-6 * fabs(s->gamma) * r->m->b0 / (2.0 * NMRC_PI);
        else if (v.dim == NMRC_DIM_PPM)
            nmrc_diag(r->spec, r->spec->ex[e].span, "an offset in ppm needs the 'field' statement");
        else
            nmrc_diag(r->spec, r->spec->ex[e].span, "offset must be a frequency or ppm, not a %s",
                      nmrc_dim_name(v.dim));
    }
    spin_time(r, st, 1, "T1", &s->t1);
    spin_time(r, st, 2, "T2", &s->t2);
    spin_time(r, st, 3, "p90", &s->p90);
    if (s->t1 > 0.0 && s->t2 > 2.0 * s->t1)
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, 2), "T2 must not exceed 2*T1 (%g s)",
                  2.0 * s->t1);
}

static void resolve_couple(nmrc_rctx *r, const nmrc_stmt *st)
{
    int a = nmrc_r_spin(r, st, 0), b = nmrc_r_spin(r, st, 1);
    if (a < 0 || b < 0)
        return;
    if (a == b) {
        nmrc_diag(r->spec, r->spec->names[st->name0 + 1].span, "a spin cannot couple to itself");
        return;
    }
    nmrc_model *m = r->m;
    nmrc_coupling c = {a < b ? a : b, a < b ? b : a, 0.0, 0.0, st->span};
    for (size_t k = 0; k < m->n_couplings; k++)
        if (m->couplings[k].i == c.i && m->couplings[k].j == c.j) {
            nmrc_diag(r->spec, st->span, "duplicate coupling between '%s' and '%s' (first at %u:%u)",
                      m->spins[c.i].label, m->spins[c.j].label,
                      (unsigned)m->couplings[k].span.line, (unsigned)m->couplings[k].span.col);
            return;
        }
    int bad = 0;
    if (r->spec->args[st->ex0] >= 0)
        bad |= nmrc_r_value(r, st, 0, NMRC_DIM_FREQ, 0.0, "J", &c.j_hz);
    if (r->spec->args[st->ex0 + 1] >= 0)
        bad |= nmrc_r_value(r, st, 1, NMRC_DIM_FREQ, 0.0, "dipolar coupling", &c.dipolar_hz);
    if (bad)
        return;
    if (nmrc_grow((void **)&m->couplings, &r->cap_couplings, m->n_couplings + 1,
                  sizeof *m->couplings))
        {
            r->oom = 1;
            return;
        }
    m->couplings[m->n_couplings++] = c;
}

static void resolve_system(nmrc_rctx *r)
{
    nmrc_spec *spec = r->spec;
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_SPIN)
            declare_spin(r, &spec->st[i]);
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_FIELD)
            resolve_field(r, &spec->st[i]);
    for (size_t i = 0; i < spec->n_st && !r->oom; i++) {
        if (spec->st[i].kind == NMRC_ST_SPIN)
            spin_attrs(r, &spec->st[i]);
        else if (spec->st[i].kind == NMRC_ST_COUPLE)
            resolve_couple(r, &spec->st[i]);
    }
}

/* ---- driver ------------------------------------------------------------ */

static int copy_files(nmrc_rctx *r)
{
    nmrc_model *m = r->m;
    m->files = calloc(r->spec->n_files, sizeof *m->files);
    if (!m->files)
        return -1;
    for (size_t i = 0; i < r->spec->n_files; i++) {
        size_t n = strlen(r->spec->files[i].path) + 1;
        if (!(m->files[i] = malloc(n)))
            return -1;
        memcpy(m->files[i], r->spec->files[i].path, n);
        m->n_files = i + 1;
    }
    return 0;
}

nmrc_status nmrc_spec_resolve(nmrc_spec *spec, nmrc_ctx *ctx, nmrc_model **out)
{
    *out = NULL;
    if (!spec)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "no spec");
    if (spec->parse_errors)
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "the spec has syntax errors");
    nmrc_rctx r;
    memset(&r, 0, sizeof r);
    r.spec = spec;
    r.m = calloc(1, sizeof *r.m);
    int errors0 = spec->n_errors;
    if (!r.m || copy_files(&r))
        r.oom = 1;
    if (!r.oom) {
        r.m->compile.symmetric = 1;
        r.m->init.kind = NMRC_INIT_GIBBS;
        resolve_params(&r);
        copy_params(&r);
        resolve_system(&r);
        for (size_t i = 0; i < spec->n_st && !r.oom; i++)
            nmrc_r_stmt(&r, &spec->st[i]);
        if (!r.oom)
            nmrc_r_finish(&r);
    }
    free(r.pt.name);
    free(r.pt.val);
    free(r.pt.unit);
    free(r.pt.stmt);
    nmrc_index_free(&r.pt.index);
    if (r.oom || spec->oom) {
        nmrc_model_destroy(r.m);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory while resolving the spec");
    }
    if (spec->n_errors > errors0) {
        nmrc_model_destroy(r.m);
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "%s: %d error(s)", spec->files[0].path,
                              spec->n_errors - errors0);
    }
    *out = r.m;
    return NMRC_OK;
}
