/*
** test_offsets.c: chemical-shift offsets in the construction.  The echo
** identity (tau/2, pi pair, tau/2, pi pair = exp(-i kappa ZZ tau) for any
** offsets); random battery targets and the flagship with offsets up to
** +-500 Hz on both channels exact with delta pulses (the library's exact
** propagator and an independent one written here, with its own matrix
** exponential); the cost in pulses and time; the finite-pulse offset
** compensation pass; the offset terms of the analysis against an
** independent commutator sum; the fidelity gate; compile errors with spans.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "compile_test_util.h"
#include "nmrc/compile.h"
#include "nmrc/consts.h"
#include "nmrc/spec.h"

/* ---- An independent propagator (delta pulses, no loops) ---------------- */

typedef double _Complex cx;

static void mul4(const cx A[16], const cx B[16], cx C[16]) /* column-major */
{
    cx t[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            t[i + 4 * j] = 0;
            for (int k = 0; k < 4; k++)
                t[i + 4 * j] += A[i + 4 * k] * B[k + 4 * j];
        }
    memcpy(C, t, sizeof t);
}

static void eye4(cx U[16])
{
    memset(U, 0, 16 * sizeof *U);
    U[0] = U[5] = U[10] = U[15] = 1;
}

/* U <- (g on spin s) U, g 2x2 row-major. */
static void apply_local(cx U[16], int s, const cx g[4])
{
    cx K[16];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            int rs = s ? r % 2 : r / 2, cs = s ? c % 2 : c / 2;
            int ro = s ? r / 2 : r % 2, co = s ? c / 2 : c % 2;
            K[r + 4 * c] = ro == co ? g[2 * rs + cs] : 0;
        }
    mul4(K, U, U);
}

/* U <- exp(-i tau (kappa Z1 Z2 + o1 Z1 + o2 Z2)) U */
static void apply_free(cx U[16], double kappa, const double off[2], double tau)
{
    for (int r = 0; r < 4; r++) {
        double z1 = r / 2 ? -1 : 1, z2 = r % 2 ? -1 : 1;
        cx ph = cexp(-I * tau * (kappa * z1 * z2 + off[0] * z1 + off[1] * z2));
        for (int c = 0; c < 4; c++)
            U[r + 4 * c] *= ph;
    }
}

/* Delta-pulse propagator of seq (rotations at event centres). */
static void indep_propagator(const nmrc_seq *seq, double kappa, const double off[2], cx U[16])
{
    int spin_of[NMRC_SEQ_MAX_CHANNELS], n = 0;
    for (size_t c = 0; c < seq->n_channels; c++)
        spin_of[c] = seq->channels[c].kind == NMRC_CHAN_RF ? n++ : -1;
    eye4(U);
    for (size_t i = 0; i < seq->n_events; i++) {
        const nmrc_event *ev = &seq->events[i];
        assert_true(ev->kind == NMRC_EV_PULSE || ev->kind == NMRC_EV_VZ ||
                    ev->kind == NMRC_EV_DELAY);
        if (ev->kind == NMRC_EV_VZ) {
            cx g[4] = {cexp(-I * ev->vz_phase / 2), 0, 0, cexp(I * ev->vz_phase / 2)};
            apply_local(U, spin_of[ev->channel], g);
            continue;
        }
        apply_free(U, kappa, off, 0.5 * ev->duration);
        for (int k = 0; ev->kind == NMRC_EV_PULSE && k < ev->n_pulse; k++) {
            double c = cos(ev->pulse[k].angle / 2), s = sin(ev->pulse[k].angle / 2);
            double ph = ev->pulse[k].phase;
            cx g[4] = {c, -I * s * cexp(-I * ph), -I * s * cexp(I * ph), c};
            apply_local(U, spin_of[ev->pulse[k].channel], g);
        }
        apply_free(U, kappa, off, 0.5 * ev->duration);
    }
}

/* exp(-i H t) of H = sum T_ab s_a s_b + a.s (x) 1 + 1 (x) b.s by scaling and
** squaring of a Taylor series (no LAPACK, no library code). */
static void indep_target(const nmrc_target2 *tg, cx V[16])
{
    static const cx P[4][4] = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
    cx H[16] = {0};
    for (int p = 0; p < 4; p++)
        for (int q = 0; q < 4; q++) {
            double c = p && q ? tg->T[3 * (p - 1) + q - 1] : p ? tg->a[p - 1] : q ? tg->b[q - 1] : 0;
            for (int r = 0; r < 4; r++)
                for (int s = 0; s < 4; s++)
                    H[r + 4 * s] += c * P[p][2 * (r / 2) + s / 2] * P[q][2 * (r % 2) + s % 2];
        }
    double norm = 0;
    for (int i = 0; i < 16; i++)
        norm += cabs(H[i]);
    int sq = 0;
    double t = tg->time;
    while (norm * t / pow(2, sq) > 0.1)
        sq++;
    cx A[16], term[16], E[16];
    for (int i = 0; i < 16; i++)
        A[i] = -I * H[i] * t / pow(2, sq);
    eye4(E);
    eye4(term);
    for (int k = 1; k <= 18; k++) {
        mul4(term, A, term);
        for (int i = 0; i < 16; i++)
            term[i] /= k, E[i] += term[i];
    }
    for (int k = 0; k < sq; k++)
        mul4(E, E, E);
    memcpy(V, E, sizeof E);
}

static double fid(const cx V[16], const cx U[16])
{
    cx tr = 0;
    for (int i = 0; i < 16; i++)
        tr += conj(V[i]) * U[i];
    return creal(tr * conj(tr)) / 16;
}

/* Both fidelities of seq against tg at offsets off (rad/s); asserts they agree. */
static double both_fidelities(const nmrc_seq *seq, const nmrc_pair *p0, const double off[2],
                              const nmrc_target2 *tg)
{
    nmrc_pair p = *p0;
    p.offset[0] = off[0], p.offset[1] = off[1];
    nmrc_cplx U[16], V[16];
    cx Ui[16], Vi[16];
    assert_int_equal(nmrc_seq_propagator(seq, &p, 0, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_target_propagator(tg, NULL, V), NMRC_OK);
    indep_propagator(seq, p.kappa, off, Ui);
    indep_target(tg, Vi);
    double f = nmrc_gate_fidelity(V, U), fi = fid(Vi, Ui);
    assert_close(f, fi, 0, 1e-11);
    return fi;
}

/* ---- The echo identity ---------------------------------------------------- */

static void add_delay(nmrc_seq *seq, double tau)
{
    nmrc_event d = nmrc_seq_event_init(NMRC_EV_DELAY);
    d.duration = tau;
    assert_int_equal(nmrc_seq_append(seq, &d), NMRC_OK);
}

static void add_pi_pair(nmrc_seq *seq, const int chan[2], double ph0, double ph1)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    const double ph[2] = {ph0, ph1};
    for (int c = 0; c < 2; c++) {
        ev.pulse[c].channel = chan[c];
        ev.pulse[c].angle = NMRC_PI;
        ev.pulse[c].phase = ph[c];
    }
    ev.n_pulse = 2;
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
}

/* tau/2 - (pi, pi) - tau/2 - (pi, pi) is exp(-i kappa ZZ tau) exactly, for
** any offsets and any transverse axis per spin: the pair flips Z1, Z2 but
** not ZZ, and the two pi pulses of a spin multiply to +-1. */
static void test_echo_identity(void **state)
{
    (void)state;
    srand(41);
    nmrc_pair p = pair_ch(KAPPA);
    for (int k = 0; k < 20; k++) {
        int chan[2];
        nmrc_seq *seq = NULL;
        assert_int_equal(nmrc_compile_new_seq(&p, "echo", NULL, &seq, chan), NMRC_OK);
        double tau = 1e-3 * (1 + urand()), off[2];
        for (int s = 0; s < 2; s++) /* 100 to 500 Hz, either sign */
            off[s] = NMRC_PI * (urand() < 0 ? -1 : 1) * (300 + 200 * urand());
        /* per spin the same axis twice, either sense (pi_x pi_-x = pi_x pi_x up to a
        ** sign); two different axes would leave a z rotation by twice their angle */
        double ph0 = NMRC_PI * urand(), ph1 = NMRC_PI * urand();
        add_delay(seq, tau / 2);
        add_pi_pair(seq, chan, ph0, ph1);
        add_delay(seq, tau / 2);
        add_pi_pair(seq, chan, ph0 + (k % 2) * NMRC_PI, ph1 + (k % 3 == 0) * NMRC_PI);
        nmrc_target2 tg;
        memset(&tg, 0, sizeof tg);
        tg.T[8] = KAPPA, tg.time = tau;
        assert_true(both_fidelities(seq, &p, off, &tg) > 1 - 1e-13);
        /* without the pair the offsets stay: not the coupling alone */
        nmrc_seq *plain = NULL;
        assert_int_equal(nmrc_compile_new_seq(&p, "plain", NULL, &plain, chan), NMRC_OK);
        add_delay(plain, tau);
        assert_true(both_fidelities(plain, &p, off, &tg) < 1 - 1e-4);
        nmrc_seq_destroy(plain);
        nmrc_seq_destroy(seq);
    }
}

/* ---- Random battery targets with random offsets ------------------------------ */

/* The paper's Eq. 12 with random D, G, Delta, eps, B (units of omega). */
static nmrc_target2 battery_target(double omega)
{
    double D = urand(), G = urand(), Dl = urand(), e = urand(), B = urand();
    nmrc_target2 tg;
    memset(&tg, 0, sizeof tg);
    const double T[9] = {-Dl / 3 + e, D + G, 0, G - D, -Dl / 3 - e, 0, 0, 0, 2 * Dl / 3};
    for (int i = 0; i < 9; i++)
        tg.T[i] = omega * T[i];
    tg.a[2] = tg.b[2] = omega * B;
    tg.time = (1.25 + 0.75 * urand()) / omega;
    return tg;
}

static void test_random_targets(void **state)
{
    (void)state;
    srand(20240517);
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_compile_cfg cfg, bare;
    nmrc_compile_cfg_default(&cfg);
    cfg.max_error = 1e-5; /* ||U - V|| <= 1e-5 for the offset-free program */
    bare = cfg;
    bare.refocus = 0;
    double worst = 1, bare_mean = 0;
    int n = 40;
    for (int k = 0; k < n; k++) {
        nmrc_target2 tg = battery_target(KAPPA / 2);
        nmrc_seq *seq = NULL, *b = NULL;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &seq), NMRC_OK);
        assert_int_equal(nmrc_compile_target(&p, &tg, &bare, NULL, &b), NMRC_OK);
        const double zero[2] = {0, 0};
        double f0 = both_fidelities(seq, &p, zero, &tg);
        for (int r = 0; r < 3; r++) {
            double off[2] = {NMRC_PI * 500 * urand(), NMRC_PI * 500 * urand()};
            double f = both_fidelities(seq, &p, off, &tg);
            worst = fmin(worst, f);
            assert_close(f, f0, 0, 1e-12); /* the offsets leave no trace */
            bare_mean += both_fidelities(b, &p, off, &tg) / (3 * n);
        }
        nmrc_seq_destroy(seq);
        nmrc_seq_destroy(b);
    }
    assert_true(worst >= 1 - 1e-9);
    assert_true(bare_mean < 0.5); /* without refocusing these offsets ruin it */
}

/* ---- The flagship ----------------------------------------------------------------- */

static nmrc_model *flagship(void)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    assert_int_equal(nmrc_spec_parse_file(NMRC_SOURCE_DIR "/examples/chloroform.spin", ctx, &spec),
                     NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return m;
}

/* Compiles the flagship at offsets (Hz) with cfg; returns the program. */
static nmrc_seq *compile_flagship(nmrc_model *m, double h_hz, double c_hz,
                                  const nmrc_compile_cfg *cfg, nmrc_pair *pair, nmrc_target2 *tg)
{
    m->spins[0].offset_hz = h_hz, m->spins[1].offset_hz = c_hz;
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_model(m, cfg, NULL, &seq), NMRC_OK);
    assert_int_equal(nmrc_compile_extract(m, pair, tg, NULL), NMRC_OK);
    return seq;
}

static void test_flagship(void **state)
{
    (void)state;
    nmrc_model *m = flagship();
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.finite = 0, cfg.loops = 0;
    double offs[14][2] = {{0, 0}, {50, -30}, {300, -300}, {300, 300}, {-300, 300}, {-500, 500}};
    srand(7);
    for (int k = 6; k < 14; k++)
        offs[k][0] = 500 * urand(), offs[k][1] = 500 * urand();
    for (int k = 0; k < 14; k++) {
        nmrc_pair pair;
        nmrc_target2 tg;
        nmrc_seq *seq = compile_flagship(m, offs[k][0], offs[k][1], &cfg, &pair, &tg);
        assert_true(both_fidelities(seq, &pair, pair.offset, &tg) >= 1 - 1e-9);
        nmrc_analysis *an = NULL;
        assert_int_equal(nmrc_analyze(seq, &pair, NULL, &an), NMRC_OK);
        assert_true(an->fidelity_delta >= 1 - 1e-9);
        if (k > 0) { /* the offset terms of the analysis vanish */
            for (int i = 0; i < 3; i++)
                assert_true(fabs(an->whole.a[i]) + fabs(an->whole.b[i]) < 1e-9 * KAPPA);
            assert_true(an->whole.h1_offset_norm < 1e-9 * KAPPA);
        }
        nmrc_analysis_destroy(an);
        nmrc_seq_destroy(seq);
    }
    nmrc_model_destroy(m);
}

/* ---- The cost: r more pulse events, no time ------------------------------------ */

static void test_cost(void **state)
{
    (void)state;
    srand(99);
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_compile_cfg cfg, bare;
    nmrc_compile_cfg_default(&cfg);
    bare = cfg;
    bare.refocus = 0, bare.symmetric = 0; /* plain frame order: one pulse event per interval */
    for (int k = 0; k < 20; k++) {
        nmrc_target2 tg;
        memset(&tg, 0, sizeof tg);
        for (int i = 0; i < 9; i++)
            tg.T[i] = urand() * KAPPA;
        tg.time = 2e-3;
        nmrc_seq *a = NULL, *b = NULL;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &a), NMRC_OK);
        assert_int_equal(nmrc_compile_target(&p, &tg, &bare, NULL, &b), NMRC_OK);
        double U[9], s[3], V[9];
        assert_int_equal(nmrc_svd3(tg.T, U, s, V), NMRC_OK);
        assert_true(s[2] > 1e-6 * s[0]); /* rank 3: three intervals */
        assert_int_equal(pulse_events(a), pulse_events(b) + 3);
        assert_close(seq_length(a), seq_length(b), 1e-12, 0);
        assert_close(seq_length(a), nmrc_nuclear_norm3(tg.T) * tg.time / KAPPA, 1e-12, 0);
        nmrc_seq_destroy(a);
        nmrc_seq_destroy(b);
    }
    /* the DM palindrome refocused: frames A, B for 2 tau each, 5 pulse events */
    nmrc_target2 dm = dm_target(5e-3);
    nmrc_seq *a = compile_default(&p, &dm);
    assert_int_equal(pulse_events(a), 5);
    assert_close(seq_length(a), 5e-3, 1e-12, 0); /* ||T||_* = kappa: the coupling time is t */
    nmrc_seq_destroy(a);
}

/* ---- Offset compensation of finite pulses ------------------------------------ */

static double finite_fidelity(const nmrc_seq *seq, const nmrc_pair *pair, const nmrc_target2 *tg)
{
    nmrc_cplx U[16], V[16];
    assert_int_equal(nmrc_seq_propagator(seq, pair, 1, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_target_propagator(tg, NULL, V), NMRC_OK);
    return nmrc_gate_fidelity(V, U);
}

/* The pass only turns lone pi pulses by 180 degrees: same delta propagator
** (up to a global phase), same events and times, higher finite fidelity;
** composite elements and delta-pulse programs are left alone. */
static void test_offset_compensation(void **state)
{
    (void)state;
    nmrc_model *m = flagship();
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.loops = 0;
    const double offs[3][2] = {{300, -300}, {300, 300}, {-500, 400}};
    for (int k = 0; k < 3; k++) {
        nmrc_pair pair;
        nmrc_target2 tg;
        nmrc_seq *seq = compile_flagship(m, offs[k][0], offs[k][1], &cfg, &pair, &tg), *oc = NULL;
        assert_int_equal(nmrc_compile_offset_compensate(seq, &pair, NULL, &oc), NMRC_OK);
        assert_int_equal(oc->n_events, seq->n_events);
        int turned = 0;
        for (size_t i = 0; i < seq->n_events; i++) {
            const nmrc_event *a = &seq->events[i], *b = &oc->events[i];
            assert_int_equal(a->kind, b->kind);
            assert_close(a->duration, b->duration, 0, 0);
            for (int q = 0; q < a->n_pulse; q++) {
                double d = remainder(b->pulse[q].phase - a->pulse[q].phase, 2 * NMRC_PI);
                assert_close(b->pulse[q].angle, a->pulse[q].angle, 0, 0);
                if (fabs(d) > 1e-12) { /* only pi pulses, only by 180 degrees */
                    assert_close(a->pulse[q].angle, NMRC_PI, 1e-12, 0);
                    assert_close(fabs(d), NMRC_PI, 1e-12, 0);
                    turned++;
                }
            }
        }
        assert_true(turned > 0);
        nmrc_cplx U0[16], U1[16];
        assert_int_equal(nmrc_seq_propagator(seq, &pair, 0, NULL, U0), NMRC_OK);
        assert_int_equal(nmrc_seq_propagator(oc, &pair, 0, NULL, U1), NMRC_OK);
        assert_close(nmrc_gate_fidelity(U0, U1), 1.0, 0, 1e-12);
        double f0 = finite_fidelity(seq, &pair, &tg), f1 = finite_fidelity(oc, &pair, &tg);
        assert_true(f1 > f0 + 1e-4 * (1 - f0)); /* better at the nominal offsets */
        assert_true(1 - f1 < 0.75 * (1 - f0));
        nmrc_seq_destroy(oc);
        nmrc_seq_destroy(seq);
    }
    /* BB1 trains: their pi elements have neighbours on the channel: kept */
    cfg.composite = NMRC_COMPOSITE_BB1;
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = compile_flagship(m, 300, -300, &cfg, &pair, &tg), *oc = NULL;
    assert_int_equal(nmrc_compile_offset_compensate(seq, &pair, NULL, &oc), NMRC_OK);
    for (size_t i = 0; i < seq->n_events; i++)
        for (int q = 0; q < seq->events[i].n_pulse; q++)
            assert_close(oc->events[i].pulse[q].phase, seq->events[i].pulse[q].phase, 0, 0);
    nmrc_seq_destroy(oc);
    nmrc_seq_destroy(seq);
    /* delta pulses: nothing to compensate, the program is copied */
    cfg.composite = NMRC_COMPOSITE_NONE, cfg.finite = 0;
    seq = compile_flagship(m, 300, -300, &cfg, &pair, &tg);
    assert_int_equal(nmrc_compile_offset_compensate(seq, &pair, NULL, &oc), NMRC_OK);
    assert_true(nmrc_seq_equal(seq, oc));
    nmrc_seq_destroy(oc);
    nmrc_seq_destroy(seq);
    nmrc_model_destroy(m);
}

/* ---- The offset terms of the analysis -------------------------------------------- */

/* Pauli matrix p (0..3) on spin s (0, 1) times w, added to H (column-major). */
static void add_pauli(cx H[16], int s, const double w[3])
{
    static const cx P[3][4] = {{0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
    const cx id[4] = {1, 0, 0, 1};
    for (int a = 0; a < 3; a++)
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                const cx *g0 = s == 0 ? P[a] : id, *g1 = s == 1 ? P[a] : id;
                H[r + 4 * c] += w[a] * g0[2 * (r / 2) + c / 2] * g1[2 * (r % 2) + c % 2];
            }
}

/* (u.s1)(v.s2) times w, added to H. */
static void add_zz(cx H[16], const double u[3], const double v[3], double w)
{
    static const cx P[3][4] = {{0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            cx g0 = 0, g1 = 0;
            for (int a = 0; a < 3; a++) {
                g0 += u[a] * P[a][2 * (r / 2) + c / 2];
                g1 += v[a] * P[a][2 * (r % 2) + c % 2];
            }
            H[r + 4 * c] += w * g0 * g1;
        }
}

/* Frames worked out by hand: (z,z) t1, 90_x on spin 1: (y,z) t2, 90_y on
** spin 2: (y,-x) t3.  H1's offset part is -(i/2T) sum_{j>k} t_j t_k
** [H~_j, H~_k] minus the same with the offsets 0; H0's fields are the
** offsets times the offset sums. */
static void test_offset_terms(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    p.offset[0] = NMRC_PI * 140, p.offset[1] = -NMRC_PI * 90;
    int chan[2];
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "h1", NULL, &seq, chan), NMRC_OK);
    const double tau[3] = {1e-4, 2.5e-4, 0.7e-4};
    add_delay(seq, tau[0]);
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    ev.pulse[0].channel = chan[0], ev.pulse[0].angle = NMRC_PI / 2, ev.n_pulse = 1;
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
    add_delay(seq, tau[1]);
    ev.pulse[0].channel = chan[1], ev.pulse[0].phase = NMRC_PI / 2;
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
    add_delay(seq, tau[2]);
    const double u[3][3] = {{0, 0, 1}, {0, 1, 0}, {0, 1, 0}};
    const double v[3][3] = {{0, 0, 1}, {0, 0, 1}, {-1, 0, 0}};
    double Tc = tau[0] + tau[1] + tau[2];
    cx Hw[3][16], Hz[3][16], Cw[16] = {0}, Cz[16] = {0};
    for (int k = 0; k < 3; k++) {
        memset(Hw[k], 0, sizeof Hw[k]);
        memset(Hz[k], 0, sizeof Hz[k]);
        add_zz(Hw[k], u[k], v[k], KAPPA);
        add_zz(Hz[k], u[k], v[k], KAPPA);
        double a[3], b[3];
        for (int i = 0; i < 3; i++)
            a[i] = p.offset[0] * u[k][i], b[i] = p.offset[1] * v[k][i];
        add_pauli(Hw[k], 0, a);
        add_pauli(Hw[k], 1, b);
    }
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < j; k++) {
            cx X[16], Y[16];
            mul4(Hw[j], Hw[k], X), mul4(Hw[k], Hw[j], Y);
            for (int i = 0; i < 16; i++)
                Cw[i] += tau[j] * tau[k] * (X[i] - Y[i]);
            mul4(Hz[j], Hz[k], X), mul4(Hz[k], Hz[j], Y);
            for (int i = 0; i < 16; i++)
                Cz[i] += tau[j] * tau[k] * (X[i] - Y[i]);
        }
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    static const cx P[4][4] = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
    double norm = 0;
    for (int pq = 0; pq < 16; pq++) { /* Pauli coefficient Tr(P H1)/4 */
        cx tr = 0;
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                tr += P[pq / 4][2 * (r / 2) + c / 2] * P[pq % 4][2 * (r % 2) + c % 2] *
                      (-I / (2 * Tc)) * (Cw[c + 4 * r] - Cz[c + 4 * r]);
        assert_close(an->whole.h1_offset[pq], creal(tr) / 4, 1e-10, 1e-10 * KAPPA);
        norm += creal(tr) * creal(tr) / 16;
    }
    assert_true(sqrt(norm) > 1.0); /* not a trivial comparison */
    assert_close(an->whole.h1_offset_norm, sqrt(norm), 1e-10, 0);
    for (int i = 0; i < 3; i++) {
        assert_close(an->whole.a[i], p.offset[0] * an->whole.offset_cond[0][i], 1e-12, 1e-12);
        assert_close(an->whole.b[i], p.offset[1] * an->whole.offset_cond[1][i], 1e-12, 1e-12);
    }
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

/* ---- The fidelity gate ----------------------------------------------------------- */

static void test_gate(void **state)
{
    (void)state;
    nmrc_analysis an;
    memset(&an, 0, sizeof an);
    nmrc_gate g;
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_compile_gate(NULL, &an, &cfg, 0.99, &g); /* no target: nothing to judge */
    assert_true(g.pass && !g.judged);
    an.has_target = 1;
    an.target = dm_target(1e-3);
    an.whole.closed[0] = an.whole.closed[1] = 1;
    an.fidelity_delta = 1.0, an.fidelity_finite = 0.995;
    nmrc_compile_gate(NULL, &an, &cfg, 0.99, &g);
    assert_true(g.pass && g.finite);
    assert_close(g.fidelity, 0.995, 0, 0);
    nmrc_compile_gate(NULL, &an, &cfg, 0.999, &g); /* the finite pulses lose it */
    assert_false(g.pass);
    assert_non_null(strstr(g.verdict, "finite-pulse fidelity 0.995000 is below the minimum 0.999"));
    assert_non_null(strstr(g.verdict, "shorten p90"));
    assert_non_null(strstr(g.verdict, "add --offset-compensation"));
    assert_null(strstr(g.verdict, "--composite"));
    cfg.composite = NMRC_COMPOSITE_BB1, cfg.offset_compensation = 1;
    nmrc_compile_gate(NULL, &an, &cfg, 0.999, &g);
    assert_null(strstr(g.verdict, "--offset-compensation")); /* already on */
    assert_non_null(strstr(g.verdict, "drop --composite"));
    an.fidelity_finite = NAN; /* no pulse lengths: the delta figure is judged */
    an.fidelity_delta = 0.98;
    an.target.T[3] = KAPPA / 2; /* KSEA with z fields: a Trotterized target */
    an.target.a[2] = an.target.b[2] = KAPPA;
    cfg.steps = 3;
    nmrc_compile_gate(NULL, &an, &cfg, 0.99, &g);
    assert_false(g.pass || g.finite);
    assert_non_null(strstr(g.verdict, "delta-pulse fidelity 0.980000 is below"));
    assert_non_null(strstr(g.verdict, "more Trotter steps than --steps 3"));
    an.fidelity_delta = NAN; /* not a number: fails */
    nmrc_compile_gate(NULL, &an, &cfg, 0.0, &g);
    assert_false(g.pass);
}

/* ---- Compile errors name the spec construct ------------------------------------ */

static void test_error_spans(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    assert_int_equal(nmrc_spec_parse_file(NMRC_SOURCE_DIR "/tests/specs/compiler/three_spins.spin",
                                          ctx, &spec), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_model(m, &cfg, ctx, &seq), NMRC_ENOTSUP);
    nmrc_errpos pos;
    const char *text;
    assert_true(nmrc_ctx_errpos(ctx, &pos, &text));
    assert_int_equal(pos.line, 12);
    assert_int_equal(pos.col, 3);
    assert_non_null(strstr(text, "a third spin"));
    char *d = nmrc_spec_format_error(m->files[pos.file], &pos, text);
    assert_non_null(d);
    assert_non_null(strstr(d, "three_spins.spin:12:3: error: this target term involves spin F"));
    assert_non_null(strstr(d, "\n    tensor C F [(0, 0, 0), (0, 0, 0), (0, 0, 1)]\n    ^~~~~~\n"));
    free(d);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_identity),     cmocka_unit_test(test_random_targets),
        cmocka_unit_test(test_flagship),          cmocka_unit_test(test_cost),
        cmocka_unit_test(test_offset_compensation), cmocka_unit_test(test_offset_terms),
        cmocka_unit_test(test_gate),              cmocka_unit_test(test_error_spans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
