/*
** test_compile.c: the compiler against the physics notes: the SVD
** construction meets the Bennett bound ||T||_* t/|kappa| exactly with H0 = T
** for random coupling matrices, the paper Hamiltonian's nuclear norms, the
** Trotter error exponents (plain N^-2, palindromic N^-4), --max-error,
** finite pulses, offsets refocused by the construction and model
** extraction errors.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "compile_test_util.h"
#include "nmrc/compile.h"
#include "nmrc/linalg.h"
#include "nmrc/consts.h"


static double fnorm(const double *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

static void test_svd_bennett(void **state)
{
    (void)state;
    srand(1234);
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    for (int k = 0; k < 100; k++) {
        double kappa = (k % 3 == 2 ? -1.0 : 1.0) * KAPPA * (0.5 + (k % 7) / 7.0);
        nmrc_pair p = pair_ch(kappa);
        nmrc_target2 tg;
        memset(&tg, 0, sizeof tg);
        for (int i = 0; i < 9; i++)
            tg.T[i] = urand() * KAPPA;
        if (k % 10 == 0) /* rank-deficient cases */
            for (int i = 0; i < 3; i++)
                tg.T[3 * i + 2] = 0;
        tg.time = 1e-3 * (1 + k % 5);
        cfg.symmetric = k % 2;
        nmrc_seq *seq = NULL;
        nmrc_analysis *an = NULL;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &seq), NMRC_OK);
        assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
        double bound = nmrc_nuclear_norm3(tg.T) * tg.time / fabs(kappa);
        assert_close(an->whole.delay_time, bound, 1e-12, 0);
        assert_close(an->whole.duration, bound, 1e-12, 0);
        double scale = fnorm(tg.T, 9);
        for (int i = 0; i < 9; i++)
            assert_close(an->eff_T[i], tg.T[i], 0, 1e-12 * scale);
        assert_true(an->whole.closed[0] && an->whole.closed[1]);
        assert_close(an->whole.efficiency, 1.0, 1e-12, 0);
        /* the SVD terms commute: the delta-pulse sequence is exact */
        assert_close(an->fidelity_delta, 1.0, 0, 1e-11);
        nmrc_analysis_destroy(an);
        nmrc_seq_destroy(seq);
    }
}

/* Paper Eq. 12 in Pauli units; rows of the notes (D, G, Delta, eps -> ||T||_*). */
static void test_paper_norms(void **state)
{
    (void)state;
    const double rows[4][5] = {{1, 0, 0, 0, 2},
                               {1, 0.5, 0.8, 0.3, 2.603223},
                               {0.2, 1, -1.5, 0.7, 3.441311},
                               {1, 0, 3, 0, 4.828427}};
    for (int r = 0; r < 4; r++) {
        double D = rows[r][0], G = rows[r][1], Dl = rows[r][2], e = rows[r][3];
        double T[9] = {-Dl / 3 + e, D + G, 0, G - D, -Dl / 3 - e, 0, 0, 0, 2 * Dl / 3};
        assert_close(nmrc_nuclear_norm3(T), rows[r][4], 2e-7, 0);
        double r1 = sqrt(D * D + Dl * Dl / 9), r2 = sqrt(G * G + e * e);
        assert_close(nmrc_nuclear_norm3(T), 2 * fmax(r1, r2) + 2 * fabs(Dl) / 3, 1e-12, 0);
    }
}

/* Zeeman + KSEA target: local and bilinear parts do not commute. */
static nmrc_target2 zeeman_ksea(void)
{
    nmrc_target2 tg;
    memset(&tg, 0, sizeof tg);
    double w = KAPPA; /* omega */
    tg.T[1] = tg.T[3] = 0.8 * w;
    tg.T[0] = 0.3 * w; /* plus some XX to leave the palindrome family */
    tg.a[2] = tg.b[2] = 1.0 * w;
    tg.a[0] = 0.4 * w;
    tg.time = 1.0 / w;
    return tg;
}

static double infidelity(const nmrc_pair *p, const nmrc_target2 *tg, int steps, int symmetric)
{
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.steps = steps;
    cfg.symmetric = symmetric;
    nmrc_seq *seq = NULL;
    nmrc_cplx U[16], V[16];
    assert_int_equal(nmrc_compile_target(p, tg, &cfg, NULL, &seq), NMRC_OK);
    assert_int_equal(nmrc_seq_propagator(seq, p, 0, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_target_propagator(tg, NULL, V), NMRC_OK);
    nmrc_seq_destroy(seq);
    return 1.0 - nmrc_gate_fidelity(V, U);
}

static void test_trotter_exponents(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_target2 tg = zeeman_ksea();
    double N[5] = {4, 8, 16, 32, 64}, plain[5], sym[5];
    for (int i = 0; i < 5; i++) {
        plain[i] = infidelity(&p, &tg, (int)N[i], 0);
        sym[i] = infidelity(&p, &tg, (int)N[i], 1);
        assert_true(plain[i] > 1e-13 && sym[i] > 1e-13);
    }
    double ep = fit_exponent(N, plain, 5), es = fit_exponent(N, sym, 5);
    assert_close(ep, -2.0, 0, 0.3);
    assert_close(es, -4.0, 0, 0.3);
}

/* Spectral norm of U - e^{i phi} V with the best global phase. */
static double distance(const nmrc_cplx U[16], const nmrc_cplx V[16])
{
    nmrc_cplx tr = 0, D[16], M[16];
    for (int i = 0; i < 16; i++)
        tr += conj(V[i]) * U[i];
    nmrc_cplx ph = cabs(tr) > 0 ? tr / cabs(tr) : 1;
    for (int i = 0; i < 16; i++)
        D[i] = U[i] - ph * V[i];
    nmrc_cmat Dm = nmrc_cmat_view(D, 4, 4, 4), Mm = nmrc_cmat_view(M, 4, 4, 4);
    assert_int_equal(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1, &Dm, &Dm, 0, &Mm), NMRC_OK);
    double w[4];
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    assert_int_equal(nmrc_eigvalsh(&Mm, w, ws), NMRC_OK);
    nmrc_eigh_ws_destroy(ws);
    return sqrt(fmax(0, w[3]));
}

static void test_max_error(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_target2 tg = zeeman_ksea();
    for (int sym = 0; sym < 2; sym++) {
        double E = sym ? 1e-4 : 1e-2;
        int n = 1;
        while (nmrc_trotter_error_bound(&tg, n, sym) > E)
            n++;
        assert_true(n > 1);
        nmrc_compile_cfg cfg;
        nmrc_compile_cfg_default(&cfg);
        cfg.symmetric = sym;
        cfg.max_error = E;
        nmrc_seq *a = NULL, *b = NULL;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &a), NMRC_OK);
        cfg.max_error = 0;
        cfg.steps = n;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &b), NMRC_OK);
        assert_true(nmrc_seq_equal(a, b));
        nmrc_cplx U[16], V[16];
        assert_int_equal(nmrc_seq_propagator(a, &p, 0, NULL, U), NMRC_OK);
        assert_int_equal(nmrc_target_propagator(&tg, NULL, V), NMRC_OK);
        assert_true(distance(U, V) <= E);
        nmrc_seq_destroy(a);
        nmrc_seq_destroy(b);
    }
}

/* Exact fidelity of the target with N steps, finite pulses when p90 is set
** (-1 when the pulses do not fit). */
static double fidelity_n(const nmrc_pair *p, const nmrc_target2 *tg, int steps)
{
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.steps = steps;
    nmrc_seq *seq = NULL, *fin = NULL;
    nmrc_cplx U[16], V[16];
    assert_int_equal(nmrc_compile_target(p, tg, &cfg, NULL, &seq), NMRC_OK);
    int finite = p->p90[0] > 0;
    if (finite && nmrc_compile_finite(seq, NULL, &fin) != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return -1;
    }
    assert_int_equal(nmrc_seq_propagator(finite ? fin : seq, p, finite, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_target_propagator(tg, NULL, V), NMRC_OK);
    nmrc_seq_destroy(seq);
    nmrc_seq_destroy(fin);
    return nmrc_gate_fidelity(V, U);
}

/* Default steps: the best exact fidelity (a local optimum in N, better than
** N = 1); with delta pulses the first N reaching 1e-6 infidelity. */
static void test_auto_steps(void **state)
{
    (void)state;
    nmrc_target2 tg = zeeman_ksea();
    for (int fin = 0; fin < 2; fin++) {
        nmrc_pair p = pair_ch(KAPPA);
        if (fin) /* longer evolution so that several steps fit between pulses */
            p.p90[0] = 5e-6, p.p90[1] = 8e-6, tg.time = 3.0 / KAPPA;
        nmrc_compile_cfg cfg;
        nmrc_compile_cfg_default(&cfg);
        nmrc_seq *seq = NULL;
        int n = 0;
        assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &seq), NMRC_OK);
        assert_int_equal(sscanf(seq->description, "AHT-compiled two-spin target: %d", &n), 1);
        nmrc_seq_destroy(seq);
        double f = fidelity_n(&p, &tg, n);
        assert_true(n > 1 && f >= fidelity_n(&p, &tg, 1));
        if (fin) {
            assert_true(f >= fidelity_n(&p, &tg, n - 1) && f >= fidelity_n(&p, &tg, n + 1));
            assert_true(1 - f > 1e-9); /* pulse errors bound it */
        } else {
            assert_true(1 - f <= 1e-6 && 1 - fidelity_n(&p, &tg, n - 1) > 1e-6);
        }
    }
}

static nmrc_seq *compile_dm(const nmrc_pair *p, nmrc_target2 *tg)
{
    *tg = dm_target(5e-3);
    return compile_default(p, tg);
}

static void test_finite_pulses(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    p.p90[0] = 10e-6, p.p90[1] = 15e-6;
    nmrc_target2 tg;
    nmrc_seq *seq = compile_dm(&p, &tg), *fin = NULL;
    assert_int_equal(nmrc_compile_finite(seq, NULL, &fin), NMRC_OK);
    /* the inner pulses are centred: the cycle grows by half the outer pulses */
    assert_close(seq_length(fin), seq_length(seq) + 15e-6, 1e-12, 0);
    for (size_t i = 0; i < fin->n_events; i++) /* 1/(4 p90) per channel, length of the longer */
        if (fin->events[i].kind == NMRC_EV_PULSE) {
            const nmrc_event *ev = &fin->events[i];
            assert_int_equal(ev->n_pulse, 2);
            assert_close(ev->pulse[0].amplitude, 25000.0, 1e-12, 0);
            assert_close(ev->pulse[1].amplitude, 1.0 / 60e-6, 1e-12, 0);
            double len = fmax(ev->pulse[0].angle / NMRC_PI * 20e-6,
                              ev->pulse[1].angle / NMRC_PI * 30e-6);
            assert_close(ev->duration, len, 1e-12, 0);
        }
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    assert_close(an->fidelity_delta, 1.0, 0, 1e-12);
    /* percent-level t_p/tau: high but not perfect fidelity */
    assert_true(an->fidelity_finite > 0.99 && an->fidelity_finite < 1.0 - 1e-9);
    nmrc_analysis_destroy(an);
    /* shrinking the pulses 10x brings the finite fidelity towards 1 */
    p.p90[0] = 1e-6, p.p90[1] = 1.5e-6;
    nmrc_seq *seq2 = compile_dm(&p, &tg);
    nmrc_analysis *an2 = NULL;
    assert_int_equal(nmrc_analyze(seq2, &p, NULL, &an2), NMRC_OK);
    assert_true(1 - an2->fidelity_finite < 0.05 * (1 - 0.99));
    nmrc_analysis_destroy(an2);
    nmrc_seq_destroy(seq2);
    /* delta pulses only: no finite fidelity */
    p.p90[0] = p.p90[1] = 0;
    nmrc_seq *seq3 = compile_dm(&p, &tg);
    assert_int_equal(nmrc_analyze(seq3, &p, NULL, &an2), NMRC_OK);
    assert_true(isnan(an2->fidelity_finite));
    nmrc_analysis_destroy(an2);
    nmrc_seq_destroy(seq3);
    /* pulses longer than the delays: clear error */
    nmrc_seq_destroy(fin);
    seq->channels[0].rf90 = 3e-3; /* 3 ms 90s against 1.25 ms delays */
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_compile_finite(seq, ctx, &fin), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "p90 is too long"));
    nmrc_ctx_destroy(ctx);
    nmrc_seq_destroy(seq);
}

static int count_kind(const nmrc_seq *seq, nmrc_event_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < seq->n_events; i++)
        n += seq->events[i].kind == kind;
    return n;
}

/* Repeated blocks become one loop with the same propagator; the finite pass
** unrolls a looped program, centres every train and loops it again, giving
** the same propagator as on the unrolled program. */
static void test_loops_and_finite(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    p.p90[0] = 10e-6, p.p90[1] = 15e-6;
    nmrc_target2 tg;
    memset(&tg, 0, sizeof tg);
    tg.T[1] = KAPPA / 2, tg.T[3] = -KAPPA / 2, tg.T[8] = 0.2 * KAPPA, tg.time = 8e-3;
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.steps = 8;
    nmrc_seq *flat = NULL, *loop = NULL, *f1 = NULL, *f2 = NULL;
    assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &flat), NMRC_OK);
    assert_int_equal(nmrc_compile_loops(flat, NULL, &loop), NMRC_OK);
    assert_int_equal(count_kind(loop, NMRC_EV_LOOP_BEGIN), 1);
    assert_true(loop->n_events < flat->n_events);
    nmrc_cplx U[16], V[16];
    assert_int_equal(nmrc_seq_propagator(flat, &p, 0, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_seq_propagator(loop, &p, 0, NULL, V), NMRC_OK);
    assert_close(nmrc_gate_fidelity(V, U), 1.0, 0, 1e-13);
    assert_int_equal(nmrc_compile_finite(flat, NULL, &f1), NMRC_OK);
    assert_int_equal(nmrc_compile_finite(loop, NULL, &f2), NMRC_OK);
    assert_int_equal(count_kind(f2, NMRC_EV_LOOP_BEGIN), 1);
    assert_int_equal(nmrc_seq_propagator(f1, &p, 1, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_seq_propagator(f2, &p, 1, NULL, V), NMRC_OK);
    assert_close(nmrc_gate_fidelity(V, U), 1.0, 0, 1e-13);
    nmrc_seq_destroy(f1);
    nmrc_seq_destroy(f2);
    nmrc_seq_destroy(loop);
    nmrc_seq_destroy(flat);
    /* a z field: every step shifts the frame (net virtual-Z), no loop */
    tg.a[2] = tg.b[2] = 0.5 * KAPPA;
    assert_int_equal(nmrc_compile_target(&p, &tg, &cfg, NULL, &flat), NMRC_OK);
    assert_int_equal(nmrc_compile_loops(flat, NULL, &loop), NMRC_OK);
    for (size_t i = 0; i < loop->n_events; i++)
        if (loop->events[i].kind == NMRC_EV_LOOP_BEGIN) { /* any loop: no net VZ */
            double vz[NMRC_SEQ_MAX_CHANNELS] = {0};
            for (size_t j = i + 1; loop->events[j].kind != NMRC_EV_LOOP_END; j++)
                if (loop->events[j].kind == NMRC_EV_VZ)
                    vz[loop->events[j].channel] += loop->events[j].vz_phase;
            for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
                assert_close(remainder(vz[c], 2 * NMRC_PI), 0, 0, 1e-12);
        }
    nmrc_seq_destroy(loop);
    nmrc_seq_destroy(flat);
}

/* Offsets in the construction: the bare DM palindrome leaves its offset
** sums, the refocused one (the default) cancels them with the coupling kept. */
static void test_offset_refocusing(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    p.offset[0] = 50.0, p.offset[1] = -30.0;
    nmrc_target2 tg = dm_target(5e-3);
    nmrc_seq *bare = compile_bare(&p, &tg), *seq = compile_default(&p, &tg);
    nmrc_analysis *a0 = NULL, *a1 = NULL;
    assert_int_equal(nmrc_analyze(bare, &p, NULL, &a0), NMRC_OK);
    /* DM palindrome alone: frames (y, -x, y) and (-x, -y, -x) for tau, 2 tau, tau */
    const double off1[3] = {-0.5, 0.5, 0}, off2[3] = {-0.5, -0.5, 0};
    for (int i = 0; i < 3; i++) {
        assert_close(a0->whole.offset_cond[0][i], off1[i], 0, 1e-12);
        assert_close(a0->whole.offset_cond[1][i], off2[i], 0, 1e-12);
    }
    assert_true(a0->fidelity_delta < 0.999);
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &a1), NMRC_OK);
    for (int s = 0; s < 2; s++)
        assert_true(fnorm(a1->whole.offset_cond[s], 3) < 1e-12);
    assert_true(fnorm(a1->whole.a, 3) < 1e-9 && fnorm(a1->whole.b, 3) < 1e-9);
    for (int i = 0; i < 9; i++) /* coupling kept */
        assert_close(a1->whole.T[i], a0->whole.T[i], 0, 1e-12 * KAPPA);
    assert_true(a1->whole.closed[0] && a1->whole.closed[1]);
    assert_close(a1->whole.duration, a0->whole.duration, 1e-12, 0); /* no time added */
    assert_close(a1->fidelity_delta, 1.0, 0, 1e-12);
    nmrc_analysis_destroy(a0);
    nmrc_analysis_destroy(a1);
    nmrc_seq_destroy(bare);
    nmrc_seq_destroy(seq);
}

/* A hand-built model: H and C coupled, target on H C plus a term on a third spin. */
static void make_model(nmrc_model *m, nmrc_term *terms, nmrc_coupling *cp, char **files)
{
    memset(m, 0, sizeof *m);
    m->n_files = 1;
    m->files = files;
    m->n_spins = 3;
    const char *lab[3] = {"H", "C", "F"}, *iso[3] = {"1H", "13C", "19F"};
    for (int i = 0; i < 3; i++) {
        strcpy(m->spins[i].label, lab[i]);
        strcpy(m->spins[i].isotope, iso[i]);
    }
    memset(cp, 0, sizeof *cp);
    cp->i = 0, cp->j = 1, cp->j_hz = 215;
    m->n_couplings = 1;
    m->couplings = cp;
    m->omega = 2 * NMRC_PI * 50;
    memset(terms, 0, 2 * sizeof *terms);
    terms[0].kind = NMRC_TERM_DM;
    terms[0].i = 0, terms[0].j = 1;
    terms[0].tensor[1] = 0.5, terms[0].tensor[3] = -0.5;
    terms[0].span = (nmrc_span){0, 7, 3, 10};
    terms[1].kind = NMRC_TERM_TENSOR;
    terms[1].i = 1, terms[1].j = 2;
    terms[1].tensor[8] = 1;
    terms[1].span = (nmrc_span){0, 8, 5, 12};
    m->n_terms = 1;
    m->terms = terms;
    m->compile.symmetric = 1;
    m->compile.time = 1.0;
}

static void test_model(void **state)
{
    (void)state;
    nmrc_model m;
    nmrc_term terms[2];
    nmrc_coupling cp;
    char *files[1] = {(char *)"three.spin"};
    make_model(&m, terms, &cp, files);
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_seq *seq = NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_compile_model(&m, &cfg, ctx, &seq), NMRC_OK);
    assert_close(seq->nat_kappa, NMRC_PI * 215 / 2, 1e-15, 0);
    assert_close(seq->target_time, 1.0 / m.omega, 1e-15, 0);
    assert_close(seq->target_tensor[1], 0.5 * m.omega, 1e-15, 0);
    assert_true(seq->n_events > 0);
    for (size_t e = 0; e < seq->n_events; e++) { /* every event names its spec line */
        assert_int_equal(seq->events[e].span.line, 7);
        assert_int_equal(seq->events[e].span.col, 3);
    }
    nmrc_seq_destroy(seq);
    m.n_terms = 2; /* now the target reaches spin F */
    assert_int_equal(nmrc_compile_model(&m, &cfg, ctx, &seq), NMRC_ENOTSUP);
    assert_null(seq);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "three.spin:8:5"));
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "not supported yet"));
    m.n_terms = 1;
    m.couplings[0].j_hz = 0;
    assert_int_equal(nmrc_compile_model(&m, &cfg, ctx, &seq), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "couple H C"));
    nmrc_ctx_destroy(ctx);
}

/* The paper's claimed cycle as an explicit user sequence in a model. */
static void test_user_sequence(void **state)
{
    (void)state;
    nmrc_model m;
    nmrc_term terms[2];
    nmrc_coupling cp;
    char *files[1] = {(char *)"paper.spin"};
    make_model(&m, terms, &cp, files);
    nmrc_uevent ev[8];
    memset(ev, 0, sizeof ev);
    for (int k = 0; k < 4; k++) {
        ev[2 * k].kind = NMRC_UEV_PULSE;
        ev[2 * k].mask = 3;
        ev[2 * k].angle = NMRC_PI / 2;
        ev[2 * k].phase = k * NMRC_PI / 2;
        ev[2 * k + 1].kind = NMRC_UEV_DELAY;
        ev[2 * k + 1].duration = 0.1; /* omega t */
    }
    m.uevents = ev;
    m.n_uevents = 8;
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_seq *seq = NULL;
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_compile_model(&m, &cfg, NULL, &seq), NMRC_OK);
    assert_int_equal(nmrc_analyze(seq, NULL, NULL, &an), NMRC_OK);
    assert_false(an->whole.closed[0]);
    assert_close(an->whole.duration, 0.4 / m.omega, 1e-12, 0);
    double k4 = an->kappa / 4;
    assert_close(an->whole.T[0], k4, 1e-12, 0);
    assert_close(an->whole.T[4], 2 * k4, 1e-12, 0);
    assert_close(an->whole.T[8], k4, 1e-12, 0);
    assert_true(an->fidelity_delta < 0.9); /* it is not the DM target */
    /* target DM with D = 0.5 omega: ||T||_* = omega, for t = 1/omega */
    assert_close(an->target_efficiency, 1.0 / (an->kappa * 0.4 / m.omega), 1e-12, 0);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svd_bennett),        cmocka_unit_test(test_paper_norms),
        cmocka_unit_test(test_trotter_exponents),  cmocka_unit_test(test_max_error),
        cmocka_unit_test(test_auto_steps),
        cmocka_unit_test(test_finite_pulses),      cmocka_unit_test(test_offset_refocusing),
        cmocka_unit_test(test_loops_and_finite),
        cmocka_unit_test(test_model),              cmocka_unit_test(test_user_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
