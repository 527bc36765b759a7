/*
** cmd_validate.h (private): the state of `nmrc validate` shared by
** cmd_validate.c (options, loading, the runs) and cmd_validate_report.c
** (the text report and the verdict).
*/
#ifndef NMRC_CLI_VALIDATE_H
#define NMRC_CLI_VALIDATE_H

#include "cmd_battery_common.h"
#include "nmrc/compile.h"
#include "nmrc/nmr.h"

#define MAX_SETS 32

typedef struct vargs {
    const char *input, *spec, *report;
    const char *sets[MAX_SETS];
    size_t n_sets;
    double min_fid, rf_scale, b1_sigma;
    size_t b1_nodes;
    int no_relax;
} vargs;

/* What one run realized. */
typedef struct vrun {
    const char *name;
    double f_pro, f_avg, f_state, tdist;
    nmrc_battery_figs figs;
} vrun;

/* Everything the validation works on; owned and freed by val_free. */
typedef struct val {
    vargs a;
    nmrc_ctx *ctx;
    nmrc_model *model;          /* NULL for an XML without --spec */
    nmrc_seq *seq;              /* the program as written / compiled (finite) */
    nmrc_seq *seq_delta;        /* the delta-pulse program */
    nmrc_nmr_system sys;
    size_t d;
    nmrc_cmat *V, *Hb, *Eb, *rho0, *rho_id, *rho;
    double *eb;                 /* battery energies */
    double t_target;
    const char *units;
    nmrc_battery_figs figs_id;
    nmrc_metrics_ws *mws;
    vrun runs[3];
    nmrc_analysis *an;
} val;

/* Writes the report to stdout and, with --report, atomically to that path;
** returns nonzero when a process or state fidelity is below --min-fidelity
** or the report file cannot be written. */
int nmrc_cli_validate_emit(const val *v);

#endif
