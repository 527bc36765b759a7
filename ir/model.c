/*
** model.c: the resolved model's helpers: destruction, summed coupling
** tensors and local fields, spin lookup and the one-screen summary printed
** by `nmrc check`.
*/
#include "nmrc/model.h"
#include "core/defs.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void nmrc_model_destroy(nmrc_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_files; i++)
        free(m->files[i]);
    free(m->files);
    free(m->couplings);
    free(m->terms);
    free(m->init.rho);
    free(m->noise);
    free(m->uevents);
    free(m->param_names);
    free(m->param_values);
    free(m);
}

nmrc_status nmrc_model_pair_tensor(const nmrc_model *m, int i, int j, double T[9])
{
    if (!m || i < 0 || j < 0 || i == j || (size_t)i >= m->n_spins || (size_t)j >= m->n_spins)
        return NMRC_EINVAL;
    memset(T, 0, 9 * sizeof *T);
    for (size_t k = 0; k < m->n_terms; k++) {
        const nmrc_term *t = &m->terms[k];
        if (t->j < 0)
            continue;
        if (t->i == i && t->j == j)
            for (int a = 0; a < 9; a++)
                T[a] += t->tensor[a];
        else if (t->i == j && t->j == i)
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    T[3 * a + b] += t->tensor[3 * b + a];
    }
    return NMRC_OK;
}

nmrc_status nmrc_model_local_field(const nmrc_model *m, int i, double b[3])
{
    if (!m || i < 0 || (size_t)i >= m->n_spins)
        return NMRC_EINVAL;
    b[0] = b[1] = b[2] = 0.0;
    for (size_t k = 0; k < m->n_terms; k++)
        if (m->terms[k].j < 0 && m->terms[k].i == i)
            for (int a = 0; a < 3; a++)
                b[a] += m->terms[k].field[a];
    return NMRC_OK;
}

int nmrc_model_find_spin(const nmrc_model *m, const char *label)
{
    for (size_t i = 0; m && i < m->n_spins; i++)
        if (!strcmp(m->spins[i].label, label))
            return (int)i;
    return -1;
}

const nmrc_coupling *nmrc_model_find_coupling(const nmrc_model *m, int i, int j)
{
    for (size_t k = 0; m && k < m->n_couplings; k++) {
        const nmrc_coupling *c = &m->couplings[k];
        if ((c->i == i && c->j == j) || (c->i == j && c->j == i))
            return c;
    }
    return NULL;
}

int nmrc_model_coupling_is_weak(const nmrc_model *m, const nmrc_coupling *c)
{
    if (c->weak)
        return 1;
    if (!m || c->i < 0 || c->j < 0 || (size_t)c->i >= m->n_spins || (size_t)c->j >= m->n_spins)
        return 0;
    return strcmp(m->spins[c->i].isotope, m->spins[c->j].isotope) != 0;
}

/* ---- summary ------------------------------------------------------------ */

typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int k = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->len += (size_t)k;
}

static const char *term_name(nmrc_term_kind k)
{
    static const char *const n[] = {"zeeman", "dipolar", "dm", "ksea", "tensor"};
    return (unsigned)k < 5 ? n[k] : "?";
}

static void put_grid(out *o, const nmrc_grid *g)
{
    put(o, "omega*t = %g : %g : %zu", g->start, g->stop, g->n);
}

static void summary_couplings(out *o, const nmrc_model *m)
{
    for (size_t k = 0; k < m->n_couplings; k++) {
        const nmrc_coupling *c = &m->couplings[k];
        const nmrc_spin *a = &m->spins[c->i], *b = &m->spins[c->j];
        int hetero = strcmp(a->isotope, b->isotope) != 0;
        put(o, "coupling %s-%s: J = %g Hz, dipolar = %g Hz, %s", a->label, b->label, c->j_hz,
            c->dipolar_hz, nmrc_model_coupling_is_weak(m, c) ? "weak" : "strong");
        if (hetero)
            put(o, " (heteronuclear)");
        else if (c->j_hz != 0.0 || c->dipolar_hz != 0.0)
            put(o, " (homonuclear, |offset difference| / |coupling| = %.3g)",
                fabs(a->offset_hz - b->offset_hz) / fmax(fabs(c->j_hz), fabs(c->dipolar_hz)));
        put(o, "\n");
    }
}

static void summary_system(out *o, const nmrc_model *m)
{
    put(o, "spins (%zu):\n", m->n_spins);
    for (size_t i = 0; i < m->n_spins; i++) {
        const nmrc_spin *s = &m->spins[i];
        put(o, "  %-4s %-5s gamma %12.6g rad/s/T  offset %g Hz", s->label, s->isotope, s->gamma,
            s->offset_hz);
        if (s->has_shift)
            put(o, "  shift %g ppm", s->shift_ppm);
        if (s->t1 > 0)
            put(o, "  T1 %g s", s->t1);
        if (s->t2 > 0)
            put(o, "  T2 %g s", s->t2);
        if (s->p90 > 0)
            put(o, "  p90 %g us", s->p90 * 1e6);
        put(o, "\n");
    }
    if (m->b0 > 0)
        put(o, "field: B0 = %.6g T (1H at %.6g MHz)\n", m->b0, m->proton_mhz);
    for (size_t k = 0; k < m->n_carriers; k++)
        put(o, "carrier %s: %g ppm (%s)\n", m->carriers[k].isotope, m->carriers[k].ppm,
            m->carriers[k].given ? "given" : "centre of its shifts");
    summary_couplings(o, m);
    if (m->omega > 0)
        put(o, "omega: %g rad/s (%g Hz)\n", m->omega, m->omega / (2 * NMRC_PI));
    else
        put(o, "omega: not given\n");
}

static int same_span(nmrc_span a, nmrc_span b)
{
    return a.file == b.file && a.line == b.line && a.col == b.col;
}

/* One line per pair-term statement: the terms it made (one per pair, in a
** row, with one span) are listed together. */
static size_t summary_pair_term(out *o, const nmrc_model *m, size_t k)
{
    const nmrc_term *t = &m->terms[k];
    const double *p = t->par;
    size_t e = k;
    put(o, "  %-7s", term_name(t->kind));
    do
        put(o, " %s-%s", m->spins[m->terms[e].i].label, m->spins[m->terms[e].j].label);
    while (++e < m->n_terms && m->terms[e].j >= 0 && m->terms[e].kind == t->kind &&
           same_span(m->terms[e].span, t->span));
    if (t->kind == NMRC_TERM_DIPOLAR && !t->full)
        put(o, " Delta = %g, eps = %g\n", p[0], p[1]);
    else if (t->kind == NMRC_TERM_DM || t->kind == NMRC_TERM_KSEA)
        put(o, " (%g, %g, %g)\n", p[0], p[1], p[2]);
    else
        put(o, " [(%g, %g, %g), (%g, %g, %g), (%g, %g, %g)]\n", p[0], p[1], p[2], p[3], p[4],
            p[5], p[6], p[7], p[8]);
    return e;
}

/* The summed tensor of every coupled pair; pairs with the same tensor are
** listed under one heading. */
static void summary_tensors(out *o, const nmrc_model *m)
{
    size_t n = m->n_spins;
    unsigned char shown[NMRC_MAX_SPINS][NMRC_MAX_SPINS] = {{0}};
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double T[9], U[9];
            int any = 0;
            NMRC_CHECKED(nmrc_model_pair_tensor(m, (int)i, (int)j, T));
            for (int a = 0; a < 9; a++)
                any |= T[a] != 0.0;
            if (!any || shown[i][j])
                continue;
            put(o, "  coupling tensor T(%s,%s)", m->spins[i].label, m->spins[j].label);
            for (size_t a = i; a < n; a++)
                for (size_t b = a + 1; b < n; b++) {
                    if ((a == i && b <= j) || shown[a][b])
                        continue;
                    NMRC_CHECKED(nmrc_model_pair_tensor(m, (int)a, (int)b, U));
                    int same = 1;
                    for (int c = 0; c < 9; c++)
                        same &= T[c] == U[c];
                    if (same) {
                        shown[a][b] = 1;
                        put(o, " = T(%s,%s)", m->spins[a].label, m->spins[b].label);
                    }
                }
            put(o, ", H += sum_ab T_ab s_a s_b:\n");
            for (int a = 0; a < 3; a++)
                put(o, "    [%10.6g %10.6g %10.6g]\n", T[3 * a], T[3 * a + 1], T[3 * a + 2]);
        }
}

static void summary_target(out *o, const nmrc_model *m)
{
    put(o, "target Hamiltonian (units of omega, Pauli matrices), %zu term(s):\n", m->n_terms);
    for (size_t k = 0; k < m->n_terms;) {
        const nmrc_term *t = &m->terms[k];
        if (t->j >= 0) {
            k = summary_pair_term(o, m, k);
            continue;
        }
        put(o, "  zeeman ");
        do /* a uniform field: one statement, one term per spin */
            put(o, " %s", m->spins[m->terms[k].i].label);
        while (++k < m->n_terms && m->terms[k].j < 0 && same_span(m->terms[k].span, t->span));
        put(o, " b = (%g, %g, %g)\n", t->par[0], t->par[1], t->par[2]);
    }
    summary_tensors(o, m);
    for (size_t i = 0; i < m->n_spins; i++) {
        double b[3];
        NMRC_CHECKED(nmrc_model_local_field(m, (int)i, b));
        if (b[0] != 0.0 || b[1] != 0.0 || b[2] != 0.0)
            put(o, "  local field on %s: (%g, %g, %g)\n", m->spins[i].label, b[0], b[1], b[2]);
    }
}

static void summary_dynamics(out *o, const nmrc_model *m)
{
    static const char *const init[] = {"gibbs", "charged", "product", "bell", "matrix"};
    static const char *const bell[] = {"phi+", "phi-", "psi+", "psi-"};
    static const char *const noise[] = {"dephase X", "dephase Y", "dephase Z", "damp"};
    if (m->has_charge) {
        put(o, "charge: strength %g, axis %g deg, ", m->charge.strength,
            m->charge.phase * 180.0 / NMRC_PI);
        put_grid(o, &m->charge.time);
        put(o, "\n");
    } else {
        put(o, "charge: none\n");
    }
    put(o, "temperature: %g (units of omega)\n", m->temperature);
    put(o, "initial: %s", init[m->init.kind]);
    if (m->init.kind == NMRC_INIT_CHARGED)
        put(o, " at omega*t = %g", m->init.t);
    else if (m->init.kind == NMRC_INIT_PRODUCT)
        put(o, " |%s>", m->init.bits);
    else if (m->init.kind == NMRC_INIT_BELL)
        put(o, " %s", bell[m->init.bell]);
    put(o, "\n");
    if (m->has_evolve) {
        put(o, "evolve: ");
        put_grid(o, &m->evolve);
        put(o, "\n");
    }
    if (m->n_noise == 0)
        put(o, "noise: none\n");
    for (size_t k = 0; k < m->n_noise; k++)
        put(o, "noise: %s on %s, rate %g\n", noise[m->noise[k].kind],
            m->spins[m->noise[k].spin].label, m->noise[k].rate);
}

static void summary_rest(out *o, const nmrc_model *m)
{
    const nmrc_readout *r = &m->readout;
    if (r->observe || r->td || r->sw_hz > 0 || r->tomography || r->n_observables) {
        put(o, "readout:");
        for (size_t i = 0; i < m->n_spins; i++)
            if (r->observe & (1u << i))
                put(o, " observe %s", m->spins[i].label);
        if (r->td)
            put(o, ", td %zu", r->td);
        if (r->sw_hz > 0)
            put(o, ", sw %g Hz", r->sw_hz);
        if (r->tomography)
            put(o, ", tomography");
        for (size_t k = 0; k < r->n_observables; k++)
            put(o, "%s%s", k ? ", " : ", observables ", r->observables[k]);
        put(o, "\n");
    }
    if (m->sequence_name[0])
        put(o, "sequence: %s\n", m->sequence_name);
    if (m->n_uevents)
        put(o, "sequence: %zu explicit event(s)\n", m->n_uevents);
    if (m->n_params) {
        put(o, "parameters:");
        for (size_t k = 0; k < m->n_params; k++)
            put(o, " %s=%g", m->param_names[k], m->param_values[k]);
        put(o, "\n");
    }
}

size_t nmrc_model_summary(const nmrc_model *m, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    if (!m)
        return 0;
    if (m->n_files)
        put(&o, "spec: %s\n", m->files[0]);
    summary_system(&o, m);
    summary_target(&o, m);
    summary_dynamics(&o, m);
    summary_rest(&o, m);
    return o.len;
}
