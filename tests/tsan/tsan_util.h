/*
** tsan_util.h: the harness of the plan/execute thread tests (tests/tsan/).
** A case names one shared, read-only plan, how to make and free a workspace
** for it and how to run item k (one execute with input k) into a result
** buffer.  tsan_check() runs every item serially first (the reference),
** then starts TSAN_THREADS threads at once on the same plan, each with its
** own workspace, each running every item many times in its own order, and
** compares each result with the reference byte for byte (memcmp).  Under
** ThreadSanitizer (-DNMRC_TSAN=ON) a write into the shared plan is also
** reported as a data race.  Threads never call cmocka: they count, and the
** main thread asserts.  Define _POSIX_C_SOURCE 200809L before any include.
*/
#ifndef NMRC_TSAN_UTIL_H
#define NMRC_TSAN_UTIL_H

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/cmat.h"
#include "nmrc/status.h"
#include "nmrc_test.h"

#define TSAN_THREADS 2

typedef struct tsan_case {
    const char *name;
    const void *plan;           /* shared by all threads, never written */
    size_t n_items;             /* distinct inputs */
    size_t out_bytes;           /* bytes of one item's result */
    size_t rounds;              /* passes over all items per thread */
    void *(*ws_create)(const void *plan);
    void (*ws_destroy)(void *ws);
    /* Runs item k with workspace ws into out (out_bytes, zeroed first). */
    nmrc_status (*run)(const void *plan, void *ws, size_t k, void *out);
} tsan_case;

typedef struct tsan_thread {
    const tsan_case *c;
    const unsigned char *ref;
    pthread_barrier_t *start;
    unsigned id;
    size_t runs, mismatches, failures;
    size_t first_bad;           /* item of the first mismatch */
    int no_ws;
} tsan_thread;

/* Thread body: its own workspace, every item `rounds` times; thread 0 goes
** forwards and the others backwards, so different inputs run at once. */
static void *tsan_thread_main(void *arg)
{
    tsan_thread *t = arg;
    const tsan_case *c = t->c;
    void *ws = c->ws_create(c->plan);
    unsigned char *out = malloc(c->out_bytes);
    t->first_bad = (size_t)-1;
    pthread_barrier_wait(t->start);
    if (!ws || !out) {
        t->no_ws = 1;
    } else {
        for (size_t r = 0; r < c->rounds; r++)
            for (size_t j = 0; j < c->n_items; j++) {
                size_t k = t->id == 0 ? j : c->n_items - 1 - j;
                memset(out, 0, c->out_bytes);
                if (c->run(c->plan, ws, k, out) != NMRC_OK) {
                    t->failures++;
                } else if (memcmp(out, t->ref + k * c->out_bytes, c->out_bytes) != 0) {
                    if (t->mismatches++ == 0)
                        t->first_bad = k;
                }
                t->runs++;
            }
    }
    free(out);
    c->ws_destroy(ws);
    return NULL;
}

/* The serial reference, then TSAN_THREADS threads on one plan; fails the
** test unless every threaded result equals the serial one bit for bit. */
static inline void tsan_check(const tsan_case *c)
{
    unsigned char *ref = calloc(c->n_items, c->out_bytes);
    void *ws = c->ws_create(c->plan);
    assert_non_null(ref);
    assert_non_null(ws);
    for (size_t k = 0; k < c->n_items; k++)
        if (c->run(c->plan, ws, k, ref + k * c->out_bytes) != NMRC_OK)
            fail_msg("%s: serial run of item %zu failed", c->name, k);
    c->ws_destroy(ws);

    pthread_barrier_t start;
    pthread_t th[TSAN_THREADS];
    tsan_thread st[TSAN_THREADS];
    assert_int_equal(pthread_barrier_init(&start, NULL, TSAN_THREADS), 0);
    for (unsigned i = 0; i < TSAN_THREADS; i++) {
        st[i] = (tsan_thread){c, ref, &start, i, 0, 0, 0, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, tsan_thread_main, &st[i]), 0);
    }
    for (unsigned i = 0; i < TSAN_THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    free(ref);
    for (unsigned i = 0; i < TSAN_THREADS; i++) {
        if (st[i].no_ws)
            fail_msg("%s: thread %u: no workspace", c->name, i);
        if (st[i].failures || st[i].mismatches)
            fail_msg("%s: thread %u: %zu of %zu runs differ from the serial result "
                     "(first: item %zu), %zu failed", c->name, i, st[i].mismatches,
                     st[i].runs, st[i].first_bad, st[i].failures);
        assert_int_equal(st[i].runs, c->rounds * c->n_items);
    }
}

/* Deterministic inputs without rand() (which threads would share). */
static inline double tsan_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5; /* [-0.5, 0.5) */
}

/* A random Hermitian d x d matrix, entries ~scale. */
static inline void tsan_hermitian(nmrc_cmat *A, double scale, uint64_t *s)
{
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i <= j; i++) {
            double re = scale * tsan_rand(s), im = i == j ? 0 : scale * tsan_rand(s);
            NMRC_CMAT_AT(A, i, j) = re + I * im;
            NMRC_CMAT_AT(A, j, i) = re - I * im;
        }
}

/* A random full-rank density matrix: diagonal dominant Hermitian, trace 1. */
static inline void tsan_state(nmrc_cmat *rho, uint64_t *s)
{
    size_t d = rho->n1;
    tsan_hermitian(rho, 0.2 / (double)d, s);
    double tr = 0;
    for (size_t i = 0; i < d; i++) {
        NMRC_CMAT_AT(rho, i, i) = 1.0 + 0.5 * tsan_rand(s);
        tr += creal(NMRC_CMAT_AT(rho, i, i));
    }
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++)
            NMRC_CMAT_AT(rho, i, j) /= tr;
}

/* Copies the d x d matrix A (any leading dimension) into out, packed. */
static inline void tsan_pack(const nmrc_cmat *A, void *out)
{
    nmrc_cplx *o = out;
    for (size_t j = 0; j < A->n2; j++)
        memcpy(o + j * A->n1, A->data + j * A->ld, A->n1 * sizeof *o);
}

#endif /* NMRC_TSAN_UTIL_H */
