/*
** trotter.c: compiling a two-spin target with local fields.  The bilinear
** block (svd_compile.c) and the local rotations (virtual-Z for z, short
** pulses for x/y; both cost no coupling time) are Trotterized: plain
** (B L)^N or palindromic (L/2 B L/2)^N; N from --steps or from the
** commutator error bound and --max-error.
*/
#include "nmrc/compile.h"
#include "nmrc/consts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


#define MAX_STEPS 100000

void nmrc_compile_cfg_default(nmrc_compile_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->symmetric = 1;
    cfg->finite = 1;
    cfg->finite_steps = 1;
    cfg->loops = 1;
    cfg->refocus = 1;
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

static NMRC_NODISCARD nmrc_status choose_steps(const nmrc_target2 *tg, const nmrc_compile_cfg *cfg,
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
static NMRC_NODISCARD nmrc_status auto_steps(const nmrc_pair *pair, const nmrc_target2 *tg,
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
    ** frames only pay (H1 = 0 with offsets) when there is a single block
    ** without refocusing; inside Trotter steps they would just halve the
    ** shortest delay, and refocused intervals are exact on their own. */
    int sym_frames = cfg->symmetric && !loc && !cfg->refocus;
    for (int k = 0; k < steps; k++) {
        if (cfg->symmetric)
            local_step(&b, tg, 0.5 * dt);
        nmrc_compile_bilinear(&b, tg->T, pair->kappa, dt, sym_frames, cfg->refocus);
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
