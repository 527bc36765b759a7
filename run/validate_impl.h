/*
** validate_impl.h (private to run/): the validation object shared by
** validate.c (the runs) and validate_report.c (the report text).
*/
#ifndef NMRC_RUN_VALIDATE_IMPL_H
#define NMRC_RUN_VALIDATE_IMPL_H

#include "nmrc/compile.h"
#include "nmrc/nmr.h"
#include "run_impl.h"

struct nmrc_run_validation {
    char *input;                /* the input path, for the report */
    nmrc_run_validate_opts opt;
    int from_spec;              /* system, state and battery from a spec (else the default pair) */
    nmrc_seq *seq;              /* the program as written / compiled (finite) */
    nmrc_seq *seq_delta;        /* the delta-pulse program */
    nmrc_nmr_system sys;
    double t_target;
    const char *units;          /* of the battery figures: "omega" or "rad/s" */
    nmrc_battery_figs figs_id;  /* of the ideal final state */
    nmrc_run_vrun runs[NMRC_RUN_VALIDATE_RUNS];
    nmrc_analysis *an;          /* NULL when the analysis failed (an_error says why) */
    char *an_error;
};

/* Fills the verdict part of *out (pass, open_cycle, wrong_h0, h0_mismatch) from v (the analysis and the fidelities). */
NMRC_INTERNAL void nmrc_run_validation_verdict_(const nmrc_run_validation *v,
                                                nmrc_run_vsummary *out);

#endif /* NMRC_RUN_VALIDATE_IMPL_H */
