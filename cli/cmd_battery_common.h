/*
** cmd_battery_common.h: what the simulation commands (battery, thermal,
** dephase, map, state) share: their option parser and loading the input
** with its --set overrides.  What they compute is in nmrc/run.h.
*/
#ifndef NMRC_CLI_BATTERY_COMMON_H
#define NMRC_CLI_BATTERY_COMMON_H

#include <stdio.h>

#include "commands.h"

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
    int has_pair;               /* --pair I,J (0-based spin indices or labels) */
    const char *pair_arg;
    int has_at;
    double at;                  /* --at t=VALUE */
} nmrc_simcli_args;

/* Parses argv (argv[0] = command name) into *a, accepting the options in
** `allowed`.  Prints the problem and returns 2 (usage) on error, else 0. */
int nmrc_simcli_parse(int argc, char **argv, unsigned allowed, nmrc_simcli_args *a);

/* Loads the file with the --set overrides (flags: nmrc_run_load's); prints
** and returns NULL on failure. */
nmrc_run_input *nmrc_simcli_load(const nmrc_simcli_args *a, unsigned flags);

/* The --pair argument for the run API: NULL (the default pair 0,1) or "I,J". */
const char *nmrc_simcli_pair(const nmrc_simcli_args *a);

#endif /* NMRC_CLI_BATTERY_COMMON_H */
