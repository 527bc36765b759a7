/*
** fid_run.h (private to run/): the FID run plan shared by fid_plan.c
** (planning: spin system, program, states, acquisition and spectrum plans
** per nucleus) and fid_exec.c (workspaces, execution, accessors).
*/
#ifndef NMRC_RUN_FID_RUN_H
#define NMRC_RUN_FID_RUN_H

#include "nmrc/fid.h"
#include "nmrc/nmr.h"
#include "run_impl.h"

/* One observed nucleus: its spins, plans and what planning found. */
typedef struct fid_nucleus {
    nmrc_run_fid_info info;
    int pulse;                  /* apply the 90_y before acquisition (thermal, read pulse) */
    nmrc_fid_plan *acq;         /* acquisition of info.spins */
    nmrc_spectrum_plan *spec;   /* processing with the phase info.phc0 */
} fid_nucleus;

struct nmrc_run_fid_plan {
    nmrc_nmr_system sys;        /* the physical model */
    nmrc_seq *seq;              /* the program (owned), NULL for the thermal experiment */
    nmrc_run_fid_summary sum;
    double proton_mhz;
    unsigned observe;           /* observed spins */
    nmrc_cmat *base;            /* the state before the nucleus' pulse: thermal deviation, or
                                ** after the program with T1 recovery */
    fid_nucleus nuc[NMRC_NMR_MAX_SPINS];
};

struct nmrc_run_fid_ws {
    nmrc_cmat *rho;             /* the nucleus' state at the start of acquisition */
    size_t n;
    nmrc_fid_ws *acq[NMRC_NMR_MAX_SPINS];
    nmrc_spectrum_ws *spec[NMRC_NMR_MAX_SPINS];
};

/* Acquires nucleus k of the plan into fid[td] (the workspace's acquisition
** part only; its spectrum workspace may be NULL).  Allocates nothing. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_fid_acquire_(const nmrc_run_fid_plan *p,
                                                               nmrc_run_fid_ws *ws, size_t k,
                                                               nmrc_cplx *fid);

#endif /* NMRC_RUN_FID_RUN_H */
