/*
** fid_plan.c: planning an FID run (`nmrc fid`): the physical spin system
** (the spec's, or the default 13CHCl3 pair), the program (the XML's or the
** spec's compiled experiment; none for the thermal 90_y spectrum), the
** state at the start of acquisition with T1 recovery, the observed nuclei
** (homonuclear spins grouped), the read-pulse rule, the sweep width, and per
** nucleus the acquisition and spectrum plans with the automatic phase.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fid_run.h"
#include "nmrc/linalg.h"

void nmrc_run_fid_opts_default(nmrc_run_fid_opts *o)
{
    memset(o, 0, sizeof *o);
    o->auto_phc0 = 1;
}

/* The largest |frequency| (Hz) a line of the observed spins can have:
** |offset| + sum |J|/2 + 1.5 sum |b| over its couplings. */
static double line_span(const nmrc_nmr_system *sys, unsigned observe)
{
    double span = 0;
    for (size_t i = 0; i < sys->n_spins; i++) {
        if (!(observe >> i & 1u))
            continue;
        double s = fabs(sys->spins[i].offset_hz);
        for (size_t c = 0; c < sys->n_couplings; c++)
            if ((size_t)sys->couplings[c].i == i || (size_t)sys->couplings[c].j == i)
                s += fabs(sys->couplings[c].j_hz) / 2 + 1.5 * fabs(sys->couplings[c].dipolar_hz);
        span = fmax(span, s);
    }
    return span;
}

/* A sweep width covering every observed line with a margin: 2.5 x the
** line span, at least 1 kHz, rounded up to 500 Hz. */
static double auto_sw(const nmrc_nmr_system *sys, unsigned observe)
{
    double sw = fmax(1000.0, 2.5 * line_span(sys, observe));
    return 500.0 * ceil(sw / 500.0);
}

/* Returns nonzero when rho has a detectable single-quantum coherence on the
** spins in `nucleus`: |Tr[rho sum I+]| above 1e-6 of what a 90 would give. */
static int transverse(const nmrc_nmr_system *sys, unsigned nucleus, const nmrc_cmat *rho)
{
    size_t n = sys->n_spins, d = rho->n1;
    nmrc_cplx s = 0;
    double ref = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(nucleus >> i & 1u))
            continue;
        size_t bit = (size_t)1 << (n - 1 - i);
        ref += fabs(sys->spins[i].gamma) / NMRC_GAMMA_1H;
        for (size_t a = 0; a < d; a++)
            if (a & bit)
                s += NMRC_CMAT_AT(rho, a, a & ~bit);
    }
    return cabs(s) > 1e-6 * ref;
}

/* T1 recovery towards thermal equilibrium.  The simulator's T1 terms relax
** <Z_i> to eq_pol * Tr(rho), which is 0 for the traceless deviation state, so
** on their own they relax it to infinite temperature.  The physical state is
** 1/d + e rho_dev with eq_pol_i = e * 2 gamma_i / gamma_1H; to first order in
** e the deviation after the program is E(rho_dev) + A, where A is the part
** of E(1/d) linear in e: the central difference (E_+s(1/d) - E_-s(1/d)) / 2s
** (truncation O(s^2), rounding ~1e-16/s).  Adds A to rho. */
static NMRC_NODISCARD nmrc_status add_t1_recovery(const nmrc_run_fid_plan *p,
                                                  const nmrc_nmr_options *opt, nmrc_cmat *rho,
                                                  nmrc_ctx *ctx)
{
    const double s = 1e-5;
    size_t n = p->sys.n_spins, d = rho->n1;
    nmrc_cmat *id = nmrc_cmat_create(d, d);
    nmrc_cmat *out[2] = {nmrc_cmat_create(d, d), nmrc_cmat_create(d, d)};
    nmrc_status st = id && out[0] && out[1] ? NMRC_OK : NMRC_ENOMEM;
    for (int k = 0; k < 2 && st == NMRC_OK; k++) {
        nmrc_nmr_system sys = p->sys;
        for (size_t i = 0; i < n; i++)
            sys.spins[i].eq_pol = (k ? -s : s) * 2.0 * sys.spins[i].gamma / NMRC_GAMMA_1H;
        nmrc_cmat_zero(id);
        for (size_t a = 0; a < d; a++)
            NMRC_CMAT_AT(id, a, a) = 1.0 / (double)d;
        nmrc_nmr_plan *plan = NULL;
        nmrc_nmr_ws *work = NULL;
        st = nmrc_nmr_plan_create(&sys, p->seq, opt, ctx, &plan);
        if (st == NMRC_OK && !(work = nmrc_nmr_ws_create(plan)))
            st = NMRC_ENOMEM;
        if (st == NMRC_OK)
            st = nmrc_nmr_execute(plan, work, id, out[k]);
        nmrc_nmr_ws_destroy(work);
        nmrc_nmr_plan_destroy(plan);
    }
    for (size_t b = 0; b < d && st == NMRC_OK; b++)
        for (size_t a = 0; a < d; a++)
            NMRC_CMAT_AT(rho, a, b) +=
                (NMRC_CMAT_AT(out[0], a, b) - NMRC_CMAT_AT(out[1], a, b)) / (2 * s);
    nmrc_cmat_destroy(id);
    nmrc_cmat_destroy(out[0]);
    nmrc_cmat_destroy(out[1]);
    return st;
}

/* The observed nuclei: every observed spin's isotope once, in spin order,
** with the observed spins of that isotope. */
static void group_nuclei(nmrc_run_fid_plan *p)
{
    unsigned done = 0;
    for (size_t i = 0; i < p->sys.n_spins; i++) {
        if (!(p->observe >> i & 1u) || (done >> i & 1u))
            continue;
        unsigned nuc = 0;
        for (size_t k = 0; k < p->sys.n_spins; k++)
            if (k == i || nmrc_nmr_homonuclear(&p->sys, (int)i, (int)k))
                nuc |= 1u << k;
        done |= nuc;
        nmrc_run_fid_info *f = &p->nuc[p->sum.n_nuclei++].info;
        snprintf(f->nucleus, sizeof f->nucleus, "%s", p->sys.spins[i].isotope);
        f->spins = nuc & p->observe;
        f->acquired = 1;
    }
}

/* Runs the program from thermal equilibrium (receiver-combined over the
** phase cycle) into p->base, with T1 recovery, and applies to each nucleus
** the rules: a program acquiring on other spins only gives it no FID; one
** without an acquisition that leaves it no transverse magnetization is read
** out with a 90_y. */
static NMRC_NODISCARD nmrc_status run_program(nmrc_run_fid_plan *p, nmrc_ctx *ctx)
{
    size_t n = p->sys.n_spins, d = p->base->n1;
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = p->sum.relax = n <= NMRC_NMR_LIOUVILLE_MAX_SPINS;
    nmrc_nmr_plan *plan = NULL;
    nmrc_nmr_ws *work = NULL;
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d);
    nmrc_status st = rho0 ? nmrc_nmr_plan_create(&p->sys, p->seq, &opt, ctx, &plan) : NMRC_ENOMEM;
    if (st == NMRC_OK && !(work = nmrc_nmr_ws_create(plan)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_cmat_copy(rho0, p->base);
    if (st == NMRC_OK)
        st = nmrc_nmr_execute(plan, work, rho0, p->base);
    /* Whether the program excites a nucleus is judged before the T1 recovery
    ** is added: recovery during delays leaves ~delay/T1 of transverse
    ** magnetization after a final pulse, which is no excitation. */
    int excited[NMRC_NMR_MAX_SPINS] = {0};
    for (size_t k = 0; st == NMRC_OK && k < p->sum.n_nuclei; k++)
        excited[k] = transverse(&p->sys, p->nuc[k].info.spins, p->base);
    if (st == NMRC_OK && opt.relax)
        st = add_t1_recovery(p, &opt, p->base, ctx);
    if (st == NMRC_OK) {
        unsigned acq = nmrc_nmr_plan_observed(plan);
        p->sum.scans = nmrc_nmr_plan_scans(plan);
        for (size_t k = 0; k < p->sum.n_nuclei; k++) {
            nmrc_run_fid_info *f = &p->nuc[k].info;
            if (acq && !(acq & f->spins)) {
                size_t a = 0;
                while (a + 1 < n && !(acq >> a & 1u))
                    a++;
                f->acquired = 0;
                snprintf(f->acquired_on, sizeof f->acquired_on, "%s", p->sys.spins[a].isotope);
            }
            f->read_pulse = p->nuc[k].pulse = !acq && !excited[k];
        }
    }
    if (st != NMRC_OK)
        nmrc_run_fail_(ctx, st, "running the sequence failed");
    nmrc_nmr_ws_destroy(work);
    nmrc_nmr_plan_destroy(plan);
    nmrc_cmat_destroy(rho0);
    return st;
}

/* Zero-order phase (rad) that makes fid[0] real and positive; 0 when the
** first point is negligible (e.g. antiphase signals). */
static double auto_phase(const nmrc_cplx *fid, size_t td)
{
    double m = 0;
    for (size_t k = 0; k < td; k++)
        m = fmax(m, cabs(fid[k]));
    return cabs(fid[0]) > 1e-3 * m ? -carg(fid[0]) : 0.0;
}

/* The acquisition and spectrum plans of nucleus k; with the automatic phase
** the FID is computed once to find it. */
static NMRC_NODISCARD nmrc_status plan_nucleus(nmrc_run_fid_plan *p, size_t k,
                                               const nmrc_cmat *h, const nmrc_run_fid_opts *o,
                                               nmrc_ctx *ctx)
{
    fid_nucleus *u = &p->nuc[k];
    nmrc_run_fid_info *f = &u->info;
    int species[NMRC_NMR_MAX_SPINS];
    double t2[NMRC_NMR_MAX_SPINS];
    nmrc_fid_system_species(&p->sys, species, t2);
    nmrc_acq acq = {f->spins, f->td, f->sw_hz, 0.0};
    nmrc_fid_system fs = {p->sys.n_spins, h, t2, species};
    nmrc_run_fid_ws ws = {NULL, 0, {NULL}, {NULL}};
    nmrc_cplx *fid = malloc(f->td * sizeof *fid);
    nmrc_status st = fid ? nmrc_fid_plan_create(&fs, &acq, ctx, &u->acq) : NMRC_ENOMEM;
    if (st == NMRC_OK && !(ws.acq[k] = nmrc_fid_ws_create(u->acq)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK && !(ws.rho = nmrc_cmat_create(p->base->n1, p->base->n1)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_run_fid_acquire_(p, &ws, k, fid);
    if (st != NMRC_OK)
        nmrc_run_fail_(ctx, st, "acquisition failed");
    f->exact = u->acq ? nmrc_fid_plan_exact(u->acq) : 0;
    f->phc0 = st == NMRC_OK && o->auto_phc0 ? auto_phase(fid, f->td) : o->phc0;
    nmrc_proc proc = {f->si, o->lb_hz, o->gb_hz, f->phc0, o->phc1, 0.5};
    if (st == NMRC_OK)
        st = nmrc_spectrum_plan_create(f->td, f->sw_hz, f->sfo1_mhz, &proc, ctx, &u->spec);
    if (st == NMRC_OK)
        f->si = nmrc_spectrum_size(u->spec);
    nmrc_fid_ws_destroy(ws.acq[k]);
    nmrc_cmat_destroy(ws.rho);
    free(fid);
    return st;
}

/* The spin system and the program of the input. */
static NMRC_NODISCARD nmrc_status setup(nmrc_run_fid_plan *p, const nmrc_run_input *in,
                                        const nmrc_run_fid_opts *o, nmrc_ctx *ctx)
{
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_status st = NMRC_OK;
    if (!m && !nmrc_run_input_is_xml(in))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: the spec is not resolved",
                              nmrc_run_input_path(in));
    if (m)
        st = nmrc_nmr_system_from_model(m, ctx, &p->sys);
    else
        nmrc_nmr_system_chcl3(&p->sys), p->sum.default_system = 1;
    if (st != NMRC_OK)
        return st;
    p->proton_mhz = m && m->proton_mhz > 0 ? m->proton_mhz : 400.0;
    p->observe = m ? m->readout.observe : 0;
    p->sum.td = o->td ? o->td : m && m->readout.td ? m->readout.td : 4096;
    if (!o->thermal && nmrc_run_input_is_xml(in)) {
        if (!nmrc_run_input_seq(in))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: the program was not loaded "
                                  "(nmrc_run_load_sequence)", nmrc_run_input_path(in));
        if (!(p->seq = nmrc_seq_clone(nmrc_run_input_seq(in))))
            return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    } else if (!o->thermal && (st = nmrc_run_compile_(m, 0, ctx, &p->seq)) != NMRC_OK) {
        char *msg = strdup(nmrc_ctx_errmsg(ctx));
        nmrc_ctx_error(ctx, st, "cannot compile the experiment: %s\n"
                       "  (use --thermal for the plain 90-degree spectra)",
                       msg ? msg : nmrc_strerror(st));
        free(msg);
        return st;
    }
    if (!p->observe)
        p->observe = (1u << p->sys.n_spins) - 1;
    p->sum.sw_hz = o->sw_hz > 0 ? o->sw_hz : m && m->readout.sw_hz > 0 ? m->readout.sw_hz
                                                                      : auto_sw(&p->sys, p->observe);
    p->sum.line_span_hz = line_span(&p->sys, p->observe);
    p->sum.folds = 2 * p->sum.line_span_hz > p->sum.sw_hz;
    p->sum.n_spins = p->sys.n_spins;
    p->sum.thermal = !p->seq;
    p->sum.scans = 1;
    return NMRC_OK;
}

/* Fills the nuclei's sizes and frequencies and plans them. */
static NMRC_NODISCARD nmrc_status plan_nuclei(nmrc_run_fid_plan *p, const nmrc_run_fid_opts *o,
                                              nmrc_ctx *ctx)
{
    size_t d = nmrc_nmr_dim(&p->sys);
    nmrc_cmat *h = nmrc_cmat_create(d, d);
    nmrc_status st = h ? nmrc_nmr_hamiltonian(&p->sys, h) : NMRC_ENOMEM;
    if (st != NMRC_OK)
        nmrc_run_fail_(ctx, st, "acquisition failed");
    for (size_t k = 0; st == NMRC_OK && k < p->sum.n_nuclei; k++) {
        nmrc_run_fid_info *f = &p->nuc[k].info;
        f->td = p->sum.td, f->sw_hz = p->sum.sw_hz, f->scans = p->sum.scans;
        f->si = o->si ? o->si : 4 * f->td;
        for (size_t i = 0; i < p->sys.n_spins; i++)
            if (f->spins >> i & 1u)
                f->sfo1_mhz = p->proton_mhz * fabs(p->sys.spins[i].gamma) / NMRC_GAMMA_1H;
        if (f->acquired)
            st = plan_nucleus(p, k, h, o, ctx);
    }
    nmrc_cmat_destroy(h);
    return st;
}

nmrc_status nmrc_run_fid_plan_create(const nmrc_run_input *in, const nmrc_run_fid_opts *o,
                                     nmrc_ctx *ctx, nmrc_run_fid_plan **out)
{
    *out = NULL;
    nmrc_ctx_clear(ctx);
    nmrc_run_fid_plan *p = calloc(1, sizeof *p);
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    nmrc_status st = setup(p, in, o, ctx);
    size_t d = nmrc_nmr_dim(&p->sys);
    if (st == NMRC_OK && !(p->base = nmrc_cmat_create(d, d)))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK)
        st = nmrc_fid_system_thermal_state(&p->sys, 0, 0, 0, ctx, p->base);
    if (st == NMRC_OK) {
        group_nuclei(p);
        for (size_t k = 0; k < p->sum.n_nuclei; k++)
            p->nuc[k].pulse = !p->seq;
    }
    if (st == NMRC_OK && p->seq)
        st = run_program(p, ctx);
    if (st == NMRC_OK)
        st = plan_nuclei(p, o, ctx);
    if (st != NMRC_OK) {
        nmrc_run_fid_plan_destroy(p);
        return st;
    }
    *out = p;
    return NMRC_OK;
}

void nmrc_run_fid_plan_destroy(nmrc_run_fid_plan *p)
{
    if (!p)
        return;
    for (size_t k = 0; k < p->sum.n_nuclei; k++) {
        nmrc_fid_plan_destroy(p->nuc[k].acq);
        nmrc_spectrum_plan_destroy(p->nuc[k].spec);
    }
    nmrc_cmat_destroy(p->base);
    nmrc_seq_destroy(p->seq);
    free(p);
}
