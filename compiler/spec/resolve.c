/*
** resolve.c: turns a parsed spec into an nmrc_model.  Passes: parameters
** in order (with --set overrides, each seeing only earlier ones), the spin
** system (resolve_system.c), then every other statement (resolve_terms.c).
** Also the helpers they share: typed values, spins, pair sets.  All problems
** become diagnostics at the value's span.
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

/* ---- pair sets ----------------------------------------------------------- */

static const char *const pairs_name[] = {"", "chain", "ring", "star", "all"};
static const size_t pairs_min[] = {2, 2, 3, 2, 2};

/* The spins a pair-set list names, in order, with "*" expanded to every
** declared spin not named elsewhere in the list; -1 if bad (diagnosed). */
static int pair_list(nmrc_rctx *r, const nmrc_stmt *st, int idx[NMRC_MAX_SPINS])
{
    const nmrc_name *names = &r->spec->names[st->name0];
    int listed[NMRC_MAX_SPINS] = {0}, bad = 0;
    size_t star = st->n_names, n = 0;
    for (size_t k = 0; k < st->n_names; k++) {
        if (!strcmp(names[k].s, "*")) {
            if (star < st->n_names) {
                nmrc_diag(r->spec, names[k].span, "'*' may appear only once in '%s(...)'",
                          pairs_name[st->pairs]);
                bad = 1;
            }
            star = k;
            continue;
        }
        int s = nmrc_r_spin(r, st, k);
        if (s < 0) {
            bad = 1;
        } else if (listed[s]++) {
            nmrc_diag(r->spec, names[k].span, "spin '%s' is listed twice in '%s(...)'",
                      names[k].s, pairs_name[st->pairs]);
            bad = 1;
        }
    }
    for (size_t k = 0; k < st->n_names && !bad; k++) {
        if (k == star) {
            for (size_t s = 0; s < r->m->n_spins; s++)
                if (!listed[s])
                    idx[n++] = (int)s;
        } else {
            idx[n++] = nmrc_model_find_spin(r->m, names[k].s);
        }
    }
    if (bad)
        return -1;
    if (n < pairs_min[st->pairs]) {
        nmrc_diag(r->spec, st->pairs_span, "'%s(...)' needs at least %zu spins (got %zu)",
                  pairs_name[st->pairs], pairs_min[st->pairs], n);
        return -1;
    }
    return (int)n;
}

int nmrc_r_pairs(nmrc_rctx *r, const nmrc_stmt *st, const char *self_msg, nmrc_rpair *out)
{
    if (st->pairs == NMRC_PAIRS_PAIR) {
        int a = nmrc_r_spin(r, st, 0), b = nmrc_r_spin(r, st, 1);
        if (a < 0 || b < 0)
            return -1;
        if (a == b) {
            nmrc_diag(r->spec, r->spec->names[st->name0 + 1].span, "%s", self_msg);
            return -1;
        }
        out[0] = (nmrc_rpair){a, b};
        return 1;
    }
    int idx[NMRC_MAX_SPINS];
    int n = pair_list(r, st, idx), np = 0;
    if (n < 0)
        return -1;
    if (st->pairs == NMRC_PAIRS_STAR) {
        for (int y = 1; y < n; y++)
            out[np++] = (nmrc_rpair){idx[0], idx[y]};
    } else if (st->pairs == NMRC_PAIRS_ALL) {
        for (int x = 0; x < n; x++)
            for (int y = x + 1; y < n; y++)
                out[np++] = (nmrc_rpair){idx[x], idx[y]};
    } else { /* chain, ring */
        for (int x = 0; x + 1 < n; x++)
            out[np++] = (nmrc_rpair){idx[x], idx[x + 1]};
        if (st->pairs == NMRC_PAIRS_RING)
            out[np++] = (nmrc_rpair){idx[n - 1], idx[0]};
    }
    return np;
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
        nmrc_r_system(&r);
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
