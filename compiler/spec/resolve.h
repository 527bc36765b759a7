/*
** resolve.h: state shared by the resolver files (resolve.c: parameters,
** spin system, driver; resolve_terms.c: target, protocol, state, noise,
** readout, sequence, compile options).  Internal to compiler/.
*/
#ifndef NMRC_RESOLVE_H
#define NMRC_RESOLVE_H

#include "core/defs.h"

#include "ast.h"

typedef struct nmrc_rctx {
    nmrc_spec *spec;
    nmrc_model *m;
    nmrc_ptable pt;
    size_t cap_couplings, cap_terms, cap_noise, cap_uevents;
    nmrc_span seen[NMRC_ST_CTIME + 1];  /* first occurrence of singleton statements */
    int extra_spins;                    /* spins declared beyond NMRC_MAX_SPINS */
    int charge_time;                    /* charge block has a time grid */
    size_t loop_stack[NMRC_MAX_REPEAT_DEPTH + 1]; /* open LOOP_BEGIN events */
    int loop_depth;
    int oom;
} nmrc_rctx;

/* Evaluates arg k of statement st expecting dimension `dim`; a
** dimensionless value is accepted for `bare` (NMRC_DIM_NONE means none)
** and scaled by bare_scale.  Returns 0 and sets *out, or -1 (diagnosed). */
NMRC_INTERNAL int nmrc_r_value(nmrc_rctx *r, const nmrc_stmt *st, size_t k, nmrc_dim dim, double bare_scale,
                 const char *what, double *out);

/* Evaluates a dimensionless integer in [lo, hi]; -1 on error. */
NMRC_INTERNAL int nmrc_r_count(nmrc_rctx *r, const nmrc_stmt *st, size_t k, double lo, double hi,
                 const char *what, size_t *out);

/* Spin index of name k of st, or -1 (diagnosed: unknown spin). */
NMRC_INTERNAL int nmrc_r_spin(nmrc_rctx *r, const nmrc_stmt *st, size_t k);

/* Reports a repeated singleton statement; returns -1 if st repeats one. */
NMRC_INTERNAL int nmrc_r_once(nmrc_rctx *r, const nmrc_stmt *st, const char *what);

/* Span of arg k of st (or the statement's span if absent). */
NMRC_INTERNAL nmrc_span nmrc_r_argspan(const nmrc_rctx *r, const nmrc_stmt *st, size_t k);

/* Resolves one statement outside the system block (resolve_terms.c). */
NMRC_INTERNAL void nmrc_r_stmt(nmrc_rctx *r, const nmrc_stmt *st);

/* Sequence events and compile options (resolve_seq.c); ignore other kinds. */
NMRC_INTERNAL void nmrc_r_sequence(nmrc_rctx *r, const nmrc_stmt *st);
NMRC_INTERNAL void nmrc_r_compile(nmrc_rctx *r, const nmrc_stmt *st);

/* Checks done after all statements (resolve_seq.c). */
NMRC_INTERNAL void nmrc_r_finish(nmrc_rctx *r);

#endif /* NMRC_RESOLVE_H */
