/*
** cmd_fid.h (private): what cmd_fid.c (options, the run, the dataset) hands to
** cmd_fid_output.c (files of one nucleus, the pulse program text).
*/
#ifndef NMRC_CLI_FID_H
#define NMRC_CLI_FID_H

#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"
#include "nmrc/run.h"
#include "nmrc/seq.h"

/* Returns the TopSpin program of seq as text (caller frees), or the
** default zg program when seq is NULL (--thermal); with read_pulse, a note
** that the simulation read the state out with an ideal 90-degree pulse.
** NULL (after a note on stderr) when it cannot be written. */
char *nmrc_cli_fid_pulse_program(const nmrc_seq *seq, int read_pulse);

/* Writes the Bruker dataset of nucleus f of the run plan into dir/ISO/
** ({acqus,fid,pulseprogram,pdata/1/procs}; float64, NS from the phase
** cycle, PULPROG from the program's name, the TopSpin program text); prints
** and returns nonzero on failure. */
int nmrc_cli_fid_write_dataset(const char *dir, const nmrc_run_fid_plan *plan,
                               const nmrc_run_fid_info *f, nmrc_cplx *fid, nmrc_ctx *ctx);

/* Writes dir/ISO.jdx, dir/ISO.svg, dir/ISO_fid.csv and
** dir/ISO_spectrum.csv for one nucleus (fid: td points at sw Hz; spec: the
** spectrum of plan sp); prints and returns nonzero on failure. */
int nmrc_cli_fid_write_outputs(const char *dir, const char *iso, const char *title,
                               const nmrc_cplx *fid, size_t td, double sw, double sfo1,
                               const nmrc_spectrum_plan *sp, const nmrc_cplx *spec,
                               nmrc_ctx *ctx);

#endif
