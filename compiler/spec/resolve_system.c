/*
** resolve_system.c: resolves the `system` block into the model's spin
** system: spins and their attributes, the field, chemical shifts and the
** carrier of each channel they are measured from, and the natural
** couplings with their weak or strong form.  A spec must declare a spin.
*/
#include "resolve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "nmrc/consts.h"

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

/* Larmor frequency |gamma| B0 / 2 pi of spin s, Hz (0 without a field). */
static double larmor_hz(const nmrc_model *m, const nmrc_spin *s)
{
    return fabs(s->gamma) * m->b0 / (2.0 * NMRC_PI);
}

/* offset (Hz, or ppm from the carrier) and shift (ppm on the delta scale;
** turned into an offset once the carriers are known). */
static void spin_offset(nmrc_rctx *r, const nmrc_stmt *st, nmrc_spin *s)
{
    int e = r->spec->args[st->ex0], sh = r->spec->args[st->ex0 + 4];
    nmrc_value v;
    if (e >= 0 && sh >= 0) {
        nmrc_diag(r->spec, r->spec->ex[sh].span,
                  "spin '%s' has an 'offset' already: give either 'offset' (from the carrier) or "
                  "'shift' (chemical shift), not both", s->label);
        return;
    }
    if (sh >= 0 && !nmrc_eval(r->spec, &r->pt, sh, &v)) {
        if (v.dim != NMRC_DIM_PPM)
            nmrc_diag(r->spec, r->spec->ex[sh].span,
                      "shift must be a chemical shift in ppm, not a %s (an offset from the "
                      "carrier in Hz is 'offset')", nmrc_dim_name(v.dim));
        else if (!(r->m->b0 > 0.0))
            nmrc_diag(r->spec, r->spec->ex[sh].span, "a 'shift' needs the 'field' statement");
        else {
            s->has_shift = 1;
            s->shift_ppm = v.v;
        }
    }
    if (e < 0 || nmrc_eval(r->spec, &r->pt, e, &v))
        return;
    if (v.dim == NMRC_DIM_FREQ)
        s->offset_hz = v.v;
    else if (v.dim == NMRC_DIM_PPM && r->m->b0 > 0.0)
        s->offset_hz = v.v * 1e-6 * larmor_hz(r->m, s);
    else if (v.dim == NMRC_DIM_PPM)
        nmrc_diag(r->spec, r->spec->ex[e].span, "an offset in ppm needs the 'field' statement");
    else
        nmrc_diag(r->spec, r->spec->ex[e].span, "offset must be a frequency or ppm, not a %s",
                  nmrc_dim_name(v.dim));
}

static void spin_attrs(nmrc_rctx *r, const nmrc_stmt *st)
{
    int i = nmrc_model_find_spin(r->m, r->spec->names[st->name0].s);
    if (i < 0 || r->m->spins[i].span.line != r->spec->names[st->name0].span.line ||
        r->m->spins[i].span.col != r->spec->names[st->name0].span.col ||
        r->m->spins[i].span.file != r->spec->names[st->name0].span.file)
        return; /* a duplicate or rejected declaration */
    nmrc_spin *s = &r->m->spins[i];
    spin_offset(r, st, s);
    spin_time(r, st, 1, "T1", &s->t1);
    spin_time(r, st, 2, "T2", &s->t2);
    spin_time(r, st, 3, "p90", &s->p90);
    if (s->t1 > 0.0 && s->t2 > 2.0 * s->t1)
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, 2), "T2 must not exceed 2*T1 (%g s)",
                  2.0 * s->t1);
}

/* ---- carriers ------------------------------------------------------------ */

static nmrc_carrier *find_carrier(nmrc_model *m, const char *iso)
{
    for (size_t k = 0; k < m->n_carriers; k++)
        if (!strcmp(m->carriers[k].isotope, iso))
            return &m->carriers[k];
    return NULL;
}

/* Spins of isotope iso: how many, and how many are given as `shift`. */
static void count_isotope(const nmrc_model *m, const char *iso, int *n, int *shifted)
{
    *n = *shifted = 0;
    for (size_t k = 0; k < m->n_spins; k++)
        if (!strcmp(m->spins[k].isotope, iso)) {
            ++*n;
            *shifted += m->spins[k].has_shift;
        }
}

/* carrier ISOTOPE X ppm: where that channel's offsets are measured from. */
static void resolve_carrier(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_model *m = r->m;
    const nmrc_name *iso = &r->spec->names[st->name0];
    const nmrc_carrier *prev = find_carrier(m, iso->s);
    int n, shifted;
    double ppm;
    count_isotope(m, iso->s, &n, &shifted);
    if (prev) {
        nmrc_diag(r->spec, iso->span, "carrier of %s given twice (first at %u:%u)", iso->s,
                  (unsigned)prev->span.line, (unsigned)prev->span.col);
    } else if (n == 0) {
        nmrc_diag(r->spec, iso->span, "no spin is a %s: 'carrier %s' has no channel to set",
                  iso->s, iso->s);
    } else if (shifted == 0) {
        nmrc_diag(r->spec, iso->span,
                  "'carrier %s' has no effect: no %s spin is given a 'shift' (an 'offset' is "
                  "already measured from the carrier)", iso->s, iso->s);
    } else if (!nmrc_r_value(r, st, 0, NMRC_DIM_PPM, 0.0, "carrier", &ppm) &&
               m->n_carriers < NMRC_MAX_SPINS) {
        nmrc_carrier *c = &m->carriers[m->n_carriers++];
        snprintf(c->isotope, sizeof c->isotope, "%.7s", iso->s);
        c->ppm = ppm;
        c->given = 1;
        c->span = st->span;
    }
}

/* Default carriers (the centre of each isotope's shifts), then the offset
** of every spin given as `shift`. */
static void shift_offsets(nmrc_rctx *r)
{
    nmrc_model *m = r->m;
    for (size_t i = 0; i < m->n_spins; i++) {
        const nmrc_spin *s = &m->spins[i];
        if (!s->has_shift || find_carrier(m, s->isotope))
            continue;
        double lo = s->shift_ppm, hi = s->shift_ppm;
        for (size_t k = i + 1; k < m->n_spins; k++)
            if (m->spins[k].has_shift && !strcmp(m->spins[k].isotope, s->isotope)) {
                lo = fmin(lo, m->spins[k].shift_ppm);
                hi = fmax(hi, m->spins[k].shift_ppm);
            }
        nmrc_carrier *c = &m->carriers[m->n_carriers++];
        snprintf(c->isotope, sizeof c->isotope, "%.7s", s->isotope);
        c->ppm = 0.5 * (lo + hi);
    }
    for (size_t i = 0; i < m->n_spins; i++) {
        nmrc_spin *s = &m->spins[i];
        if (s->has_shift)
            s->offset_hz = (s->shift_ppm - find_carrier(m, s->isotope)->ppm) * 1e-6 *
                           larmor_hz(m, s);
    }
}

/* ---- couplings ------------------------------------------------------------ */

static void resolve_homonuclear(nmrc_rctx *r, const nmrc_stmt *st)
{
    if (!nmrc_r_once(r, st, "homonuclear"))
        r->homonuclear = (nmrc_jform)st->sub;
}

/* couple PAIRS J x dipolar y [strong|weak]: one coupling per pair. */
static void resolve_couple(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_model *m = r->m;
    nmrc_rpair pr[NMRC_MAX_PAIRS];
    double j = 0.0, dip = 0.0;
    int bad = 0, n = nmrc_r_pairs(r, st, "a spin cannot couple to itself", pr);
    if (r->spec->args[st->ex0] >= 0)
        bad |= nmrc_r_value(r, st, 0, NMRC_DIM_FREQ, 0.0, "J", &j);
    if (r->spec->args[st->ex0 + 1] >= 0)
        bad |= nmrc_r_value(r, st, 1, NMRC_DIM_FREQ, 0.0, "dipolar coupling", &dip);
    int strong_hetero = 0;
    for (int k = 0; k < n && !bad; k++) {
        int a = pr[k].a < pr[k].b ? pr[k].a : pr[k].b, b = pr[k].a < pr[k].b ? pr[k].b : pr[k].a;
        int hetero = strcmp(m->spins[a].isotope, m->spins[b].isotope) != 0;
        nmrc_jform f = st->sub ? (nmrc_jform)st->sub : r->homonuclear;
        nmrc_coupling c = {a, b, j, dip, st->span, hetero || f == NMRC_JFORM_WEAK};
        const nmrc_coupling *prev = nmrc_model_find_coupling(m, a, b);
        if (prev) {
            nmrc_diag(r->spec, st->pairs == NMRC_PAIRS_PAIR ? st->span : st->pairs_span,
                      "duplicate coupling between '%s' and '%s' (first at %u:%u)",
                      m->spins[a].label, m->spins[b].label, (unsigned)prev->span.line,
                      (unsigned)prev->span.col);
            continue;
        }
        if (hetero && st->sub == NMRC_JFORM_STRONG && !strong_hetero++)
            nmrc_diag(r->spec, st->pairs_span,
                      "'strong' on a heteronuclear coupling (%s is %s, %s is %s): it is always "
                      "weak, its flip-flop part is truncated by the two carriers",
                      m->spins[a].label, m->spins[a].isotope, m->spins[b].label,
                      m->spins[b].isotope);
        if (nmrc_grow((void **)&m->couplings, &r->cap_couplings, m->n_couplings + 1,
                      sizeof *m->couplings)) {
            r->oom = 1;
            return;
        }
        m->couplings[m->n_couplings++] = c;
    }
}

/* Every spec needs a spin: report a spin-less one at its `system` block,
** else at its first statement. */
static void need_spins(nmrc_rctx *r)
{
    const nmrc_spec *spec = r->spec;
    if (r->m->n_spins > 0 || r->extra_spins)
        return;
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_SYSTEM) {
            nmrc_diag(r->spec, spec->st[i].span,
                      "the 'system' block declares no spin; every spec needs at least one "
                      "('spin NAME ISOTOPE')");
            return;
        }
    nmrc_span sp = spec->n_st ? spec->st[0].span : (nmrc_span){0, 1, 1, 1};
    nmrc_diag(r->spec, sp,
              "no spin system: every spec needs at least one spin "
              "('system { spin NAME ISOTOPE }')");
}

void nmrc_r_system(nmrc_rctx *r)
{
    nmrc_spec *spec = r->spec;
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_SPIN)
            declare_spin(r, &spec->st[i]);
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_FIELD)
            resolve_field(r, &spec->st[i]);
        else if (spec->st[i].kind == NMRC_ST_HOMONUCLEAR)
            resolve_homonuclear(r, &spec->st[i]);
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_SPIN)
            spin_attrs(r, &spec->st[i]);
    for (size_t i = 0; i < spec->n_st; i++)
        if (spec->st[i].kind == NMRC_ST_CARRIER)
            resolve_carrier(r, &spec->st[i]);
    shift_offsets(r);
    for (size_t i = 0; i < spec->n_st && !r->oom; i++)
        if (spec->st[i].kind == NMRC_ST_COUPLE)
            resolve_couple(r, &spec->st[i]);
    need_spins(r);
}
