/*
** bench_nmr.c: timing of the physical NMR model (printed, not asserted):
** planning and execution of a CPMG train of finite pulses on N = 2, 6 and
** 10 J-coupled spins, unitary (all N) and with T1/T2 (exact Liouville for
** N = 2, Strang splitting for N = 6), and the cost of a gradient ensemble.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmrc/nmr.h"
#include "nmrc/consts.h"

/* A library call that must succeed here: on failure the program stops with
** the status (a benchmark or generator has nothing sensible to go on with). */
#define NMRC_BENCH_OK(call)                                                        \
    do {                                                                           \
        nmrc_status st_ = (call);                                                  \
        if (st_ != NMRC_OK) {                                                      \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, nmrc_strerror(st_)); \
            exit(1);                                                               \
        }                                                                          \
    } while (0)


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* N spins alternating 1H / 13C along a chain with J couplings. */
static void chain(nmrc_nmr_system *sys, size_t n, int relax)
{
    memset(sys, 0, sizeof *sys);
    sys->n_spins = n;
    for (size_t i = 0; i < n; i++) {
        nmrc_nmr_spin *s = &sys->spins[i];
        snprintf(s->isotope, sizeof s->isotope, "%s", i % 2 ? "13C" : "1H");
        s->gamma = i % 2 ? 67.28284e6 : 267.52218744e6;
        s->offset_hz = 37.0 * (double)i - 80;
        if (relax) {
            s->t1 = 2.0;
            s->t2 = 0.5;
        }
    }
    for (size_t i = 0; i + 1 < n; i++) {
        nmrc_nmr_coupling *c = &sys->couplings[sys->n_couplings++];
        c->i = (int)i;
        c->j = (int)i + 1;
        c->j_hz = 140 + 10.0 * (double)i;
    }
}

/* 90_x, then `echoes` x [tau 180_y tau] on 1H, finite pulses; gradient optional. */
static nmrc_seq *cpmg(size_t echoes, int gradient)
{
    nmrc_seq *seq = nmrc_seq_create("cpmg");
    int h, c, gz;
    NMRC_BENCH_OK(nmrc_seq_rf_channel(seq, "1H", 10e-6, &h));
    NMRC_BENCH_OK(nmrc_seq_rf_channel(seq, "13C", 15e-6, &c));
    nmrc_event p = nmrc_seq_event_init(NMRC_EV_PULSE);
    p.n_pulse = 1;
    p.pulse[0].channel = h;
    p.pulse[0].angle = NMRC_PI / 2;
    p.duration = 10e-6;
    NMRC_BENCH_OK(nmrc_seq_append(seq, &p));
    if (gradient) {
        NMRC_BENCH_OK(nmrc_seq_grad_channel(seq, 'z', &gz));
        nmrc_event g = nmrc_seq_event_init(NMRC_EV_GRADIENT);
        g.channel = gz;
        g.amplitude = 0.002;
        g.duration = 5e-4;
        NMRC_BENCH_OK(nmrc_seq_append(seq, &g));
    }
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN), le;
    le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    lb.count = echoes;
    NMRC_BENCH_OK(nmrc_seq_append(seq, &lb));
    nmrc_event d = nmrc_seq_event_init(NMRC_EV_DELAY);
    d.duration = 5e-4;
    NMRC_BENCH_OK(nmrc_seq_append(seq, &d));
    p.pulse[0].angle = NMRC_PI;
    p.pulse[0].phase = NMRC_PI / 2;
    p.duration = 20e-6;
    NMRC_BENCH_OK(nmrc_seq_append(seq, &p));
    NMRC_BENCH_OK(nmrc_seq_append(seq, &d));
    NMRC_BENCH_OK(nmrc_seq_append(seq, &le));
    return seq;
}

static void bench(size_t n, int relax, int gradient, size_t echoes)
{
    nmrc_nmr_system sys;
    chain(&sys, n, relax);
    nmrc_seq *seq = cpmg(echoes, gradient);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = relax;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan = NULL;
    double t0 = now();
    nmrc_status st = nmrc_nmr_plan_create(&sys, seq, &opt, ctx, &plan);
    double t1 = now();
    if (st) {
        printf("N=%zu: plan failed: %s\n", n, nmrc_ctx_errmsg(ctx));
    } else {
        size_t d = nmrc_nmr_plan_dim(plan), slices;
        nmrc_nmr_plan_counts(plan, NULL, &slices, NULL);
        nmrc_nmr_ws *w = nmrc_nmr_ws_create(plan);
        nmrc_cmat *r0 = nmrc_cmat_create(d, d), *r = nmrc_cmat_create(d, d);
        for (size_t k = 0; k < d; k++)
            NMRC_CMAT_AT(r0, k, k) = 1.0 / (double)d + (k == 0 ? 1e-3 : 0);
        double t2 = now();
        NMRC_BENCH_OK(nmrc_nmr_execute(plan, w, r0, r));
        double t3 = now();
        printf("N=%-2zu %-9s %-8s echoes %-4zu props %-3zu slices %-4zu plan %8.3f s  "
               "exec %8.3f s\n", n, relax ? (n <= NMRC_NMR_LIOUVILLE_MAX_SPINS ? "Liouville"
                                                                                : "split")
                                         : "unitary", gradient ? "gradient" : "",
               echoes, nmrc_nmr_plan_propagators(plan), slices, t1 - t0, t3 - t2);
        nmrc_cmat_destroy(r0);
        nmrc_cmat_destroy(r);
        nmrc_nmr_ws_destroy(w);
    }
    nmrc_nmr_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    bench(2, 0, 0, 100);
    bench(2, 1, 0, 100);
    bench(2, 0, 1, 100);
    bench(6, 0, 0, 100);
    bench(6, 1, 0, 20);
    bench(10, 0, 0, 20);
    return 0;
}
