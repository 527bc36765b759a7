/*
** cmd_battery_common.h: what the simulation commands (battery, thermal,
** dephase, map, state) share: their option parser, loading a model with
** --set overrides, the target Hamiltonian, the spec's initial state, the
** charging unitary and CSV number formatting.
*/
#ifndef NMRC_CLI_BATTERY_COMMON_H
#define NMRC_CLI_BATTERY_COMMON_H

#include <stdio.h>

#include "commands.h"
#include "nmrc/battery.h"
#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc/sim.h"

#define NMRC_SIMCLI_MAX_SETS 64

/* Options a command accepts (bit set for nmrc_simcli_parse). */
enum { NMRC_SIMCLI_SWEEP = 1, NMRC_SIMCLI_PAIR = 2, NMRC_SIMCLI_AT = 4 };

typedef struct nmrc_simcli_args {
    const char *cmd;            /* "battery", ... for messages */
    const char *file;           /* the .spin file */
    const char *csv;            /* --csv PATH, "-" (default) = stdout */
    size_t n_sets;
    const char *sets[NMRC_SIMCLI_MAX_SETS]; /* --set NAME=VALUE, in order */
    size_t n_sweeps;
    nmrc_cli_sweep sweeps[2];   /* --sweep NAME=START:STOP:N */
    int has_pair, pair_i, pair_j; /* --pair I,J (0-based spin indices or labels) */
    const char *pair_arg;
    int has_at;
    double at;                  /* --at t=VALUE */
} nmrc_simcli_args;

/* Parses argv (argv[0] = command name) into *a, accepting the options in
** `allowed`.  Prints the problem and returns 2 (usage) on error, else 0. */
int nmrc_simcli_parse(int argc, char **argv, unsigned allowed, nmrc_simcli_args *a);

/* Parses the file and applies the --set overrides; prints and returns NULL
** on failure. */
nmrc_spec *nmrc_simcli_spec(const nmrc_simcli_args *a);

/* Resolves spec into a model; prints and returns NULL on failure. */
nmrc_model *nmrc_simcli_model(nmrc_spec *spec);

/* Returns the model's target Hamiltonian (new matrix) or NULL after printing. */
nmrc_cmat *nmrc_simcli_hamiltonian(const nmrc_model *m);

/* Writes the spec's initial state (Gibbs, charged Gibbs, product, Bell,
** matrix) into rho (dim x dim).  Prints and returns nonzero on failure. */
int nmrc_simcli_initial_state(const nmrc_model *m, const nmrc_cmat *H, nmrc_cmat *rho);

/* rho = U(t) rho0 U(t)^+ with the spec's charging unitary on every spin,
** U = exp(-i w t sum_i (cos a X_i + sin a Y_i)).  Prints on failure. */
int nmrc_simcli_charge(const nmrc_model *m, const nmrc_cmat *rho0, double t, nmrc_cmat *rho);

/* Resolves --pair against the model (labels or indices; default 0,1) into
** *i, *j.  Prints and returns nonzero when invalid. */
int nmrc_simcli_pair(const nmrc_simcli_args *a, const nmrc_model *m, size_t *i, size_t *j);

/* Prints a status failure "nmrc CMD: what: message" and returns 1. */
int nmrc_simcli_fail(const nmrc_simcli_args *a, const char *what, nmrc_ctx *ctx, nmrc_status st);

/* Writes x to fp as a CSV number (%.12g; "nan" for NaN). */
void nmrc_simcli_num(FILE *fp, double x, int last);

#endif /* NMRC_CLI_BATTERY_COMMON_H */
