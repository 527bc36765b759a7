/*
** trotter.c: compiling a two-spin target with local fields.  The bilinear
** block (svd_compile.c) and the local rotations (virtual-Z for z, short
** pulses for x/y; both cost no coupling time) are Trotterized: plain
** (B L)^N or palindromic (L/2 B L/2)^N; N from --steps or from the
** commutator error bound and --max-error.
*/
#include "nmrc/compile.h"
#include "nmrc/xml.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAX_STEPS 100000

void nmrc_compile_cfg_default(nmrc_compile_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->symmetric = 1;
    cfg->finite = 1;
    cfg->finite_steps = 1;
    cfg->loops = 1;
}

/* C = A B - B A for 4x4 column-major matrices. */
static void commutator4(const nmrc_cplx A[16], const nmrc_cplx B[16], nmrc_cplx C[16])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < 4; k++)
                s += A[i + 4 * k] * B[k + 4 * j] - B[i + 4 * k] * A[k + 4 * j];
            C[i + 4 * j] = s;
        }
}

static double fro4(const nmrc_cplx A[16])
{
    double s = 0;
    for (int i = 0; i < 16; i++)
        s += creal(A[i] * conj(A[i]));
    return sqrt(s);
}

double nmrc_trotter_error_bound(const nmrc_target2 *tg, int steps, int symmetric)
{
    static const double zero[9] = {0};
    nmrc_cplx HB[16], HL[16], C1[16], C2[16];
    if (steps < 1)
        return INFINITY;
    nmrc_pair_hamiltonian(tg->T, NULL, NULL, HB);
    nmrc_pair_hamiltonian(zero, tg->a, tg->b, HL);
    double t = tg->time, n = steps;
    commutator4(HB, HL, C1); /* Frobenius norms bound the spectral norms */
    if (!symmetric)
        return t * t / (2.0 * n) * fro4(C1);
    commutator4(HB, C1, C2);
    double bbl = fro4(C2);
    commutator4(HL, C1, C2);
    double llb = fro4(C2);
    return t * t * t / (n * n) * (bbl / 12.0 + llb / 24.0);
}

/* Queues exp(-i (a.s) dt) on spin s: rotation by 2|a| dt about a/|a|. */
static void local_rotation(nmrc_builder *b, int s, const double a[3], double dt)
{
    double r = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]), R[9];
    if (!(r > 0) || !(dt > 0))
        return;
    double n[3] = {a[0] / r, a[1] / r, a[2] / r};
    nmrc_rot_axis(n, 2.0 * r * dt, R);
    nmrc_build_rotate(b, s, R);
}

static void local_step(nmrc_builder *b, const nmrc_target2 *tg, double dt)
{
    local_rotation(b, 0, tg->a, dt);
    local_rotation(b, 1, tg->b, dt);
}

static nmrc_status choose_steps(const nmrc_target2 *tg, const nmrc_compile_cfg *cfg,
                                nmrc_ctx *ctx, int *steps)
{
    if (cfg->steps > 0) {
        if (cfg->steps > MAX_STEPS)
            return nmrc_ctx_error(ctx, NMRC_ELIMIT, "--steps %d exceeds %d", cfg->steps,
                                  MAX_STEPS);
        *steps = cfg->steps;
        return NMRC_OK;
    }
    *steps = 1;
    if (!(cfg->max_error > 0))
        return NMRC_OK;
    int lo = 1, hi = 1;
    while (nmrc_trotter_error_bound(tg, hi, cfg->symmetric) > cfg->max_error) {
        if (hi >= MAX_STEPS)
            return nmrc_ctx_error(ctx, NMRC_ELIMIT,
                                  "--max-error %g needs more than %d Trotter steps",
                                  cfg->max_error, MAX_STEPS);
        lo = hi;
        hi = hi * 2 > MAX_STEPS ? MAX_STEPS : hi * 2;
    }
    while (hi - lo > 1) { /* smallest N with bound <= max_error, bound decreasing */
        int mid = lo + (hi - lo) / 2;
        if (nmrc_trotter_error_bound(tg, mid, cfg->symmetric) > cfg->max_error)
            lo = mid;
        else
            hi = mid;
    }
    *steps = nmrc_trotter_error_bound(tg, lo, cfg->symmetric) <= cfg->max_error ? lo : hi;
    return NMRC_OK;
}

#define AUTO_MAX_STEPS 32

/* Default Trotter steps (no --steps, no --max-error): the N <= 32 whose
** exact-propagator fidelity is best, with the real finite pulses when p90 is
** known and cfg->finite_steps (more steps mean more pulse errors; stops where the
** pulses no longer fit), else with delta pulses, stopping at an infidelity
** of 1e-6.  Also stops after 4 steps without improvement. */
static nmrc_status auto_steps(const nmrc_pair *pair, const nmrc_target2 *tg,
                              const nmrc_compile_cfg *cfg, nmrc_ctx *ctx, int *steps)
{
    nmrc_cplx V[16], U[16];
    int finite = cfg->finite_steps && (pair->p90[0] > 0 || pair->p90[1] > 0), worse = 0;
    double best = -1;
    nmrc_compile_cfg c = *cfg;
    nmrc_status st = nmrc_target_propagator(tg, ctx, V);
    *steps = 1;
    for (int n = 1; n <= AUTO_MAX_STEPS && st == NMRC_OK; n++) {
        nmrc_seq *seq = NULL, *fin = NULL;
        c.steps = n;
        st = nmrc_compile_target(pair, tg, &c, ctx, &seq);
        if (st == NMRC_OK && finite) {
            nmrc_ctx *quiet = nmrc_ctx_create();
            nmrc_status fs = quiet ? nmrc_compile_finite(seq, quiet, &fin) : NMRC_ENOMEM;
            nmrc_ctx_destroy(quiet);
            if (fs == NMRC_EINVAL) { /* delays too short for the pulses from here on */
                nmrc_seq_destroy(seq);
                break;
            }
            st = fs == NMRC_OK ? st : nmrc_ctx_error(ctx, fs, "out of memory");
        }
        if (st == NMRC_OK)
            st = nmrc_seq_propagator(finite ? fin : seq, pair, finite, ctx, U);
        nmrc_seq_destroy(seq);
        nmrc_seq_destroy(fin);
        if (st != NMRC_OK)
            break;
        double F = nmrc_gate_fidelity(V, U);
        if (F > best) {
            best = F, *steps = n, worse = 0;
        } else if (++worse >= 4) {
            break;
        }
        if (1.0 - F <= (finite ? 1e-9 : 1e-6))
            break;
    }
    return st;
}

static int is_zero(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0)
            return 0;
    return 1;
}

/* Records target and natural system in seq. */
static void set_target(nmrc_seq *seq, const nmrc_pair *pair, const nmrc_target2 *tg,
                       const int chan[2])
{
    seq->has_target = 1;
    seq->target_spins = 2;
    memcpy(seq->target_tensor, tg->T, sizeof tg->T);
    memcpy(seq->target_field[0], tg->a, sizeof tg->a);
    memcpy(seq->target_field[1], tg->b, sizeof tg->b);
    seq->target_time = tg->time;
    seq->nat_kappa = pair->kappa;
    for (int c = 0; c < 2; c++)
        seq->nat_offset[chan[c]] = pair->offset[c];
}

/* Creates the sequence with the pair's two RF channels. */
nmrc_status nmrc_compile_new_seq(const nmrc_pair *pair, const char *name, nmrc_ctx *ctx,
                                 nmrc_seq **out, int chan[2])
{
    nmrc_seq *seq = nmrc_seq_create(name);
    if (!seq)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    for (int c = 0; c < 2; c++) {
        nmrc_status st = nmrc_seq_rf_channel(seq, pair->nucleus[c], pair->p90[c], &chan[c]);
        if (st != NMRC_OK) {
            nmrc_seq_destroy(seq);
            return nmrc_ctx_error(ctx, st, "cannot add RF channel for %s", pair->nucleus[c]);
        }
    }
    if (chan[0] == chan[1]) {
        nmrc_seq_destroy(seq);
        return nmrc_ctx_error(ctx, NMRC_ENOTSUP,
                              "homonuclear pair (%s-%s): the compiler needs one RF channel per "
                              "spin (not supported yet)", pair->nucleus[0], pair->nucleus[1]);
    }
    *out = seq;
    return NMRC_OK;
}

nmrc_status nmrc_compile_target(const nmrc_pair *pair, const nmrc_target2 *tg,
                                const nmrc_compile_cfg *cfg, nmrc_ctx *ctx, nmrc_seq **out)
{
    *out = NULL;
    if (!(pair->kappa != 0) || !isfinite(pair->kappa))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "natural coupling kappa must be nonzero");
    if (!(tg->time > 0) || !isfinite(tg->time))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "target time must be positive (got %g s)",
                              tg->time);
    int bil = !is_zero(tg->T, 9), loc = !is_zero(tg->a, 3) || !is_zero(tg->b, 3);
    if (!bil && !loc)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the target Hamiltonian is zero");
    int steps, chan[2];
    nmrc_status st = choose_steps(tg, cfg, ctx, &steps);
    if (st == NMRC_OK && cfg->steps == 0 && !(cfg->max_error > 0) &&
        nmrc_trotter_error_bound(tg, 1, cfg->symmetric) > 0)
        st = auto_steps(pair, tg, cfg, ctx, &steps);
    if (st == NMRC_OK)
        st = nmrc_compile_new_seq(pair, "nmrc_compiled", ctx, out, chan);
    if (st != NMRC_OK)
        return st;
    nmrc_builder b;
    nmrc_build_init(&b, *out, chan[0], chan[1]);
    double dt = tg->time / steps;
    /* The SVD terms commute, so a block is exact in any order: palindromic
    ** frames only pay (H1 = 0 with offsets) when there is a single block;
    ** inside Trotter steps they would just halve the shortest delay. */
    int sym_frames = cfg->symmetric && !loc;
    for (int k = 0; k < steps; k++) {
        if (cfg->symmetric)
            local_step(&b, tg, 0.5 * dt);
        nmrc_compile_bilinear(&b, tg->T, pair->kappa, dt, sym_frames);
        local_step(&b, tg, cfg->symmetric ? 0.5 * dt : dt);
    }
    st = nmrc_build_flush(&b);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(*out);
        *out = NULL;
        return nmrc_ctx_error(ctx, st, "building the sequence failed: %s", nmrc_strerror(st));
    }
    snprintf((*out)->description, sizeof (*out)->description,
             "AHT-compiled two-spin target: %d %s Trotter step%s, bilinear part by %s at the "
             "Bennett bound", steps, cfg->symmetric ? "palindromic" : "plain",
             steps == 1 ? "" : "s",
             nmrc_compile_structured(tg->T, pair->kappa, &(int){0}, &(double){0})
                 ? "the 8-pulse palindrome" : "the SVD construction");
    set_target(*out, pair, tg, chan);
    return NMRC_OK;
}

void nmrc_compile_set_target(nmrc_seq *seq, const nmrc_pair *pair, const nmrc_target2 *tg)
{
    int chan[2] = {0, 1};
    size_t k = 0;
    for (size_t c = 0; c < seq->n_channels && k < 2; c++)
        if (seq->channels[c].kind == NMRC_CHAN_RF)
            chan[k++] = (int)c;
    if (k == 1)
        chan[1] = chan[0];
    set_target(seq, pair, tg, chan);
}

/* ---- From a resolved model ------------------------------------------------ */

static const char *span_file(const nmrc_model *m, const nmrc_span *sp)
{
    return (m->files && sp->file < m->n_files && m->files[sp->file]) ? m->files[sp->file]
                                                                     : "<spec>";
}

static const char *spin_label(const nmrc_model *m, int s)
{
    return (s >= 0 && (size_t)s < m->n_spins) ? m->spins[s].label : "?";
}

/* Adds spin s to the set sp[0..*n); returns -1 if it would be a third spin. */
static int add_spin(int sp[2], int *n, int s)
{
    if ((*n > 0 && sp[0] == s) || (*n > 1 && sp[1] == s))
        return 0;
    if (*n == 2)
        return -1;
    sp[(*n)++] = s;
    return 0;
}

static nmrc_status collect_spins(const nmrc_model *m, int sp[2], int *n, nmrc_ctx *ctx)
{
    for (int pass = 0; pass < 2; pass++) /* pair terms first, then local ones */
        for (size_t k = 0; k < m->n_terms; k++) {
            const nmrc_term *t = &m->terms[k];
            int pair = t->j >= 0;
            if (pair != (pass == 0) || t->i < 0)
                continue;
            int third = -1;
            if (add_spin(sp, n, t->i))
                third = t->i;
            else if (pair && add_spin(sp, n, t->j))
                third = t->j;
            if (third >= 0)
                return nmrc_ctx_error(ctx, NMRC_ENOTSUP,
                                      "%s:%u:%u: this target term involves spin %s, a third "
                                      "spin: targets on more than two spins are not supported "
                                      "yet", span_file(m, &t->span), t->span.line, t->span.col,
                                      spin_label(m, third));
        }
    return NMRC_OK;
}

static nmrc_status find_partner(const nmrc_model *m, int sp[2], int *n, nmrc_ctx *ctx)
{
    for (size_t c = 0; c < m->n_couplings && *n < 2; c++) {
        const nmrc_coupling *cp = &m->couplings[c];
        if (*n == 0)
            sp[(*n)++] = cp->i;
        if (cp->i == sp[0] || cp->j == sp[0])
            sp[(*n)++] = cp->i == sp[0] ? cp->j : cp->i;
    }
    if (*n < 2)
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "cannot find the spin pair to compile for: the target names "
                              "fewer than two spins and no coupling (`couple A B J ...`) "
                              "names a partner");
    return NMRC_OK;
}

static void target_of(const nmrc_model *m, int p, int q, nmrc_target2 *tg)
{
    for (size_t k = 0; k < m->n_terms; k++) {
        const nmrc_term *t = &m->terms[k];
        if (t->j < 0) {
            if (t->i == p || t->i < 0)
                for (int a = 0; a < 3; a++)
                    tg->a[a] += m->omega * t->field[a];
            if (t->i == q || t->i < 0)
                for (int a = 0; a < 3; a++)
                    tg->b[a] += m->omega * t->field[a];
        } else if (t->i == p && t->j == q) {
            for (int a = 0; a < 9; a++)
                tg->T[a] += m->omega * t->tensor[a];
        } else if (t->i == q && t->j == p) {
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    tg->T[3 * a + b] += m->omega * t->tensor[3 * b + a];
        }
    }
}

nmrc_status nmrc_compile_extract(const nmrc_model *m, nmrc_pair *pair, nmrc_target2 *tg,
                                 nmrc_ctx *ctx)
{
    memset(pair, 0, sizeof *pair);
    memset(tg, 0, sizeof *tg);
    if (!(m->omega > 0))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the spec gives no energy unit `omega`");
    int sp[2] = {-1, -1}, n = 0;
    nmrc_status st = collect_spins(m, sp, &n, ctx);
    if (st == NMRC_OK && n < 2)
        st = find_partner(m, sp, &n, ctx);
    if (st != NMRC_OK)
        return st;
    int p = sp[0] < sp[1] ? sp[0] : sp[1], q = sp[0] < sp[1] ? sp[1] : sp[0];
    if (p < 0 || (size_t)q >= m->n_spins)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "target names an undeclared spin");
    const nmrc_coupling *cp = NULL;
    for (size_t c = 0; c < m->n_couplings; c++)
        if ((m->couplings[c].i == p && m->couplings[c].j == q) ||
            (m->couplings[c].i == q && m->couplings[c].j == p))
            cp = &m->couplings[c];
    if (!cp || cp->j_hz == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "no scalar coupling between %s and %s: add `couple %s %s J ... Hz`"
                              " to the system", spin_label(m, p), spin_label(m, q),
                              spin_label(m, p), spin_label(m, q));
    if (cp->dipolar_hz != 0)
        return nmrc_ctx_error(ctx, NMRC_ENOTSUP,
                              "%s:%u:%u: a natural dipolar coupling is not supported by the "
                              "compiler yet (scalar J only)", span_file(m, &cp->span),
                              cp->span.line, cp->span.col);
    pair->kappa = M_PI * cp->j_hz / 2.0;
    int ids[2] = {p, q};
    for (int c = 0; c < 2; c++) {
        const nmrc_spin *s = &m->spins[ids[c]];
        pair->spin[c] = ids[c];
        pair->offset[c] = M_PI * s->offset_hz;
        pair->p90[c] = s->p90;
        snprintf(pair->nucleus[c], sizeof pair->nucleus[c], "%s", s->isotope);
    }
    target_of(m, p, q, tg);
    double wt = m->compile.time > 0 ? m->compile.time
                : (m->has_evolve && m->evolve.stop > 0) ? m->evolve.stop : 1.0;
    tg->time = wt / m->omega;
    return NMRC_OK;
}

/* Channel of model spin `spin` in a sequence built by nmrc_compile_new_seq. */
static int spin_channel(const nmrc_pair *pair, const int chan[2], int spin)
{
    return spin == pair->spin[0] ? chan[0] : spin == pair->spin[1] ? chan[1] : -1;
}

static nmrc_status user_event(const nmrc_model *m, const nmrc_pair *pair, const int chan[2],
                              const nmrc_uevent *u, nmrc_seq *seq, nmrc_ctx *ctx)
{
    static const nmrc_event_kind kinds[] = {NMRC_EV_PULSE, NMRC_EV_DELAY, NMRC_EV_GRADIENT,
                                            NMRC_EV_ACQUIRE, NMRC_EV_LOOP_BEGIN,
                                            NMRC_EV_LOOP_END};
    nmrc_event ev = nmrc_seq_event_init(kinds[u->kind]);
    ev.span = u->span;
    double t = u->time_is_seconds ? u->duration : u->duration / m->omega;
    switch (u->kind) {
    case NMRC_UEV_PULSE:
        for (int s = 0; s < NMRC_MAX_SPINS; s++) {
            if (!(u->mask & (1u << s)))
                continue;
            int c = spin_channel(pair, chan, s);
            if (c < 0)
                return nmrc_ctx_error(ctx, NMRC_ENOTSUP,
                                      "%s:%u:%u: pulse on spin %s, which is not one of the two "
                                      "compiled spins", span_file(m, &u->span), u->span.line,
                                      u->span.col, spin_label(m, s));
            nmrc_pulse *p = &ev.pulse[ev.n_pulse++];
            p->channel = c;
            p->angle = u->angle;
            p->phase = u->phase;
        }
        break;
    case NMRC_UEV_DELAY:
        ev.duration = t;
        break;
    case NMRC_UEV_GRADIENT: {
        nmrc_status st = nmrc_seq_grad_channel(seq, u->axis, &ev.channel);
        if (st != NMRC_OK)
            return nmrc_ctx_error(ctx, st, "%s:%u:%u: cannot add gradient channel %c",
                                  span_file(m, &u->span), u->span.line, u->span.col, u->axis);
        ev.duration = t;
        ev.amplitude = u->amplitude;
        break;
    }
    case NMRC_UEV_ACQUIRE:
        ev.channel = chan[0];
        break;
    case NMRC_UEV_LOOP_BEGIN:
        ev.count = u->count;
        break;
    case NMRC_UEV_LOOP_END:
        break;
    }
    if (!(ev.duration >= 0) || !isfinite(ev.duration))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s:%u:%u: negative or invalid duration",
                              span_file(m, &u->span), u->span.line, u->span.col);
    if (nmrc_seq_append(seq, &ev) != NMRC_OK)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    return NMRC_OK;
}

nmrc_status nmrc_compile_user_sequence(const nmrc_model *m, const nmrc_pair *pair,
                                       nmrc_ctx *ctx, nmrc_seq **out)
{
    int chan[2];
    nmrc_status st = nmrc_compile_new_seq(pair, "user_sequence", ctx, out, chan);
    for (size_t k = 0; st == NMRC_OK && k < m->n_uevents; k++)
        st = user_event(m, pair, chan, &m->uevents[k], *out, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(*out);
        *out = NULL;
        return st;
    }
    snprintf((*out)->description, sizeof (*out)->description,
             "explicit user sequence from the spec (%zu events)", m->n_uevents);
    return NMRC_OK;
}

/* The 180-degree shifted copy is the block conjugated by Rz(pi) on both
** spins: it realizes the same evolution only if the target is invariant,
** i.e. T has no xz, yz, zx, zy elements and the fields are along z. */
static int z_symmetric(const nmrc_target2 *tg)
{
    return tg->T[2] == 0 && tg->T[5] == 0 && tg->T[6] == 0 && tg->T[7] == 0 &&
           tg->a[0] == 0 && tg->a[1] == 0 && tg->b[0] == 0 && tg->b[1] == 0;
}

/* A library sequence named by the spec, with the spec's pair and target. */
static nmrc_status library_sequence(const nmrc_model *m, const nmrc_compile_cfg *cfg,
                                    const nmrc_pair *pair, const nmrc_target2 *tg,
                                    nmrc_ctx *ctx, nmrc_seq **out)
{
    nmrc_seq *seq = NULL;
    nmrc_status st = nmrc_xml_library_load(m->sequence_name, cfg->library_dir, ctx, &seq);
    if (st != NMRC_OK)
        return st;
    int n_rf = 0;
    for (size_t c = 0; c < seq->n_channels; c++)
        n_rf += seq->channels[c].kind == NMRC_CHAN_RF;
    if (n_rf > 2) {
        nmrc_seq_destroy(seq);
        return nmrc_ctx_error(ctx, NMRC_ENOTSUP, "library sequence \"%s\" drives %d RF "
                              "channels; the compiler handles two-spin pairs",
                              m->sequence_name, n_rf);
    }
    if (m->n_terms > 0) {
        nmrc_compile_set_target(seq, pair, tg);
    } else {
        nmrc_target2 keep = {{0}, {0}, {0}, 0};
        memcpy(keep.T, seq->target_tensor, sizeof keep.T);
        memcpy(keep.a, seq->target_field[0], sizeof keep.a);
        memcpy(keep.b, seq->target_field[1], sizeof keep.b);
        keep.time = seq->target_time;
        int had = seq->has_target;
        nmrc_compile_set_target(seq, pair, &keep);
        seq->has_target = had;
    }
    *out = seq;
    return NMRC_OK;
}

/* Writes repeated blocks as a loop, keeping it only if the exact propagator
** (finite pulses where the events have lengths) is unchanged. */
static nmrc_status compress_loops(nmrc_seq **seq, const nmrc_pair *pair, nmrc_ctx *ctx)
{
    nmrc_seq *next = NULL;
    nmrc_cplx U[16], V[16];
    nmrc_status st = nmrc_compile_loops(*seq, ctx, &next);
    if (st == NMRC_OK)
        st = nmrc_seq_propagator(*seq, pair, 1, ctx, U);
    if (st == NMRC_OK)
        st = nmrc_seq_propagator(next, pair, 1, ctx, V);
    if (st == NMRC_OK && next->n_events < (*seq)->n_events &&
        nmrc_gate_fidelity(V, U) > 1.0 - 1e-12) {
        nmrc_seq_destroy(*seq);
        *seq = next;
        return NMRC_OK;
    }
    nmrc_seq_destroy(next);
    return st;
}

/* Replaces *seq by the result of a pass (or keeps it on failure). */
static nmrc_status replace(nmrc_seq **seq, nmrc_status st, nmrc_seq *next)
{
    if (st != NMRC_OK) {
        nmrc_seq_destroy(next);
        return st;
    }
    nmrc_seq_destroy(*seq);
    *seq = next;
    return NMRC_OK;
}

nmrc_status nmrc_compile_model(const nmrc_model *m, const nmrc_compile_cfg *cfg, nmrc_ctx *ctx,
                               nmrc_seq **out)
{
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = NULL, *next = NULL;
    *out = NULL;
    nmrc_status st = nmrc_compile_extract(m, &pair, &tg, ctx);
    if (st != NMRC_OK)
        return st;
    if (cfg->offset_compensation && m->n_uevents == 0 && !z_symmetric(&tg))
        return nmrc_ctx_error(ctx, NMRC_ENOTSUP,
                              "offset compensation by the 180-degree shifted copy needs a target "
                              "unchanged by 180-degree z rotations of both spins (no xz, zx, "
                              "yz, zy couplings and no x or y fields)");
    if (m->n_uevents > 0)
        st = nmrc_compile_user_sequence(m, &pair, ctx, &seq);
    else if (m->sequence_name[0])
        return library_sequence(m, cfg, &pair, &tg, ctx, out);
    else if (cfg->offset_compensation) { /* two halves: block + shifted copy */
        nmrc_target2 half = tg;
        half.time = 0.5 * tg.time;
        st = nmrc_compile_target(&pair, &half, cfg, ctx, &seq);
    } else
        st = nmrc_compile_target(&pair, &tg, cfg, ctx, &seq);
    if (st != NMRC_OK)
        return st;
    nmrc_compile_set_target(seq, &pair, &tg);
    if (m->n_terms == 0) /* an explicit sequence without a target: nothing to judge */
        seq->has_target = 0;
    if (cfg->decouple != NMRC_DECOUPLE_NONE) {
        st = nmrc_compile_decouple(seq, cfg->decouple, cfg->udd_n, ctx, &next);
        st = replace(&seq, st, next);
    }
    if (st == NMRC_OK && cfg->offset_compensation)
        st = nmrc_compile_offset_compensate(seq, ctx);
    if (st == NMRC_OK && cfg->composite != NMRC_COMPOSITE_NONE) {
        st = nmrc_compile_composite(seq, cfg->composite, ctx, &next);
        st = replace(&seq, st, next);
    }
    if (st == NMRC_OK && cfg->finite && (pair.p90[0] > 0 || pair.p90[1] > 0)) {
        st = nmrc_compile_finite(seq, ctx, &next);
        st = replace(&seq, st, next);
    }
    if (st == NMRC_OK && cfg->loops)
        st = compress_loops(&seq, &pair, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return st;
    }
    *out = seq;
    return NMRC_OK;
}
