/*
** topspin_impl.h (private): the state of the TopSpin pulse-program writer
** shared by topspin.c (statements, loops, assembly, public API) and
** topspin_tables.c (parameter and phase-list tables, comment block).
*/
#ifndef NMRC_TOPSPIN_IMPL_H
#define NMRC_TOPSPIN_IMPL_H

#include "core/defs.h"

#include <stddef.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"
#include "nmrc/consts.h"
#include "xml_text.h"

#define TWO_PI NMRC_TWO_PI
#define HALF_PI (NMRC_PI / 2)
#define MAX_PARAMS 256
#define MAX_PH 30           /* ph1..ph30 for pulses; ph31 is the receiver */
#define GRAD_MAX_T_PER_M 0.5 /* 100 % gradient assumed when no GPZ parameter is given */

/* A TopSpin parameter the program uses. */
typedef struct ts_param {
    char name[16];          /* lower case: "p1", "d2", "l1", "gpz1", "pl1", "sp1" */
    double value;           /* p: us, d: s, l: count, gpz: %, pl/sp: W (0 = unknown) */
    int channel;            /* channel it belongs to, -1 = none */
    char comment[96];
    char file[64];          /* sp: spnam (shape name); gp: gpnam */
} ts_param;

/* A TopSpin phase program: an nmrc phase list (or none) plus a constant. */
typedef struct ts_phase {
    int list;               /* nmrc list index or -1 */
    double offset;          /* rad */
} ts_phase;

typedef struct ts {
    const nmrc_seq *seq;
    nmrc_ctx *ctx;
    nmrc_text out;          /* the program body */
    ts_param par[MAX_PARAMS];
    size_t n_par;
    ts_phase ph[MAX_PH];
    size_t n_ph;
    double vz[NMRC_SEQ_MAX_CHANNELS]; /* accumulated virtual-Z per channel */
    int next_label;
    int pending_label;      /* label to put on the next statement, 0 = none */
    int has_grad, has_acq;
    double rx_vz;           /* virtual-Z of the acquisition channel at the first go=2 */
    nmrc_status st;
} ts;

/* The parameter called name (lower case), or NULL. */
NMRC_INTERNAL ts_param *nmrc_tsp_find_par(ts *t, const char *name);

/* Equal to a relative 1e-9 (parameter values are shared within that). */
NMRC_INTERNAL int nmrc_tsp_same(double a, double b);

/* Replaces control characters in s by spaces (keeps a text on one line). */
NMRC_INTERNAL void nmrc_tsp_flatten(char *s);

/* Adds parameter name = value for channel (or finds it with that value);
** NULL when the name holds another value or the table is full (t->st). */
NMRC_INTERNAL ts_param *nmrc_tsp_add_par(ts *t, const char *name, double value, int channel,
                           const char *comment);

/* Name of the parameter for (prefix, value, channel): explicit_name when it
** is "<prefix><digits>" and free or equal, else one with that value, else
** the first free <prefix>N with N >= first.  The string lives in t. */
NMRC_INTERNAL const char *nmrc_tsp_use_par(ts *t, const char *prefix, const char *explicit_name, double value,
                             int channel, int first, const char *comment);

/* Number k of the TopSpin list phk for nmrc list `list` (-1 = none) plus a
** constant offset (rad), adding it if new (NMRC_ENOTSUP in t->st past 30). */
NMRC_INTERNAL int nmrc_tsp_use_phase(ts *t, int list, double offset);

/* Writes "name=..." for phases[0..n) (rad) into o. */
NMRC_INTERNAL void nmrc_tsp_phase_list(nmrc_text *o, const char *name, const double *phases, size_t n);

/* RF channel number of channel index c (f1 -> 1). */
NMRC_INTERNAL int nmrc_tsp_rf_number(const nmrc_seq *seq, int c);

/* Writes the parameter-comment block (sorts t->par). */
NMRC_INTERNAL void nmrc_tsp_param_block(ts *t, nmrc_text *o);

#endif /* NMRC_TOPSPIN_IMPL_H */
