/*
** commands.h: the nmrc program's subcommands and the helpers they share
** (spec loading with --set, --sweep ranges, CSV output written atomically,
** a progress bar).  Only this program prints or exits; the library never does.
*/
#ifndef NMRC_CLI_COMMANDS_H
#define NMRC_CLI_COMMANDS_H

#include <stdio.h>

#include "nmrc/io.h"

#include "nmrc/nmrc.h"

/* A subcommand: returns the process exit status (0 ok, 1 failure, 2 usage). */
typedef int (*nmrc_cli_fn)(int argc, char **argv);

typedef struct nmrc_cli_command {
    const char *name;           /* "check", "battery", ... */
    nmrc_cli_fn run;
    const char *summary;        /* one line for `nmrc --help` */
    const char *help;           /* full text for `nmrc NAME --help`, with an example */
} nmrc_cli_command;

/* The command table (cli/main.c). */
extern const nmrc_cli_command nmrc_cli_commands[];

int nmrc_cli_check(int argc, char **argv);
int nmrc_cli_battery(int argc, char **argv);
int nmrc_cli_thermal(int argc, char **argv);
int nmrc_cli_dephase(int argc, char **argv);
int nmrc_cli_map(int argc, char **argv);
int nmrc_cli_state(int argc, char **argv);
int nmrc_cli_compile(int argc, char **argv);
int nmrc_cli_analyze(int argc, char **argv);
int nmrc_cli_validate(int argc, char **argv);
int nmrc_cli_fid(int argc, char **argv);
int nmrc_cli_draw(int argc, char **argv);
extern const char nmrc_cli_help_draw[];

extern const char nmrc_cli_help_check[], nmrc_cli_help_battery[], nmrc_cli_help_thermal[],
    nmrc_cli_help_dephase[], nmrc_cli_help_map[], nmrc_cli_help_state[],
    nmrc_cli_help_compile[], nmrc_cli_help_analyze[], nmrc_cli_help_validate[],
    nmrc_cli_help_fid[];

/* ---- Shared helpers (cli/common.c) ------------------------------------ */

/* Returns nonzero if argv[1..argc-1] contains "--help" or "-h"; then prints
** the command's help to stdout. */
int nmrc_cli_want_help(int argc, char **argv, const char *help);

/* Parses a spec file, printing diagnostics to stderr.  Returns the spec or
** NULL (after printing why). */
nmrc_spec *nmrc_cli_load_spec(const char *path);

/* Applies one "--set NAME=VALUE" argument; prints the error and returns
** nonzero on failure. */
int nmrc_cli_apply_set(nmrc_spec *spec, const char *arg);

/* Resolves the spec into a model, printing diagnostics on failure (NULL). */
nmrc_model *nmrc_cli_resolve(nmrc_spec *spec);

/* Parses the spec file at path and applies the n_sets "--set NAME=VALUE"
** overrides sets[] in order, printing diagnostics to stderr.  Returns the
** spec (caller owns; nmrc_spec_destroy) or NULL after printing why. */
nmrc_spec *nmrc_cli_load_spec_sets(const char *path, const char *const *sets, size_t n_sets);

/* nmrc_cli_load_spec_sets, then nmrc_cli_resolve.  Returns the model
** (caller owns; nmrc_model_destroy) or NULL after printing why. */
nmrc_model *nmrc_cli_load_model(const char *path, const char *const *sets, size_t n_sets);

/* A --sweep NAME=START:STOP:N range. */
typedef struct nmrc_cli_sweep {
    char name[NMRC_NAME_MAX];
    double start, stop;
    size_t n;
} nmrc_cli_sweep;

/* Parses "NAME=START:STOP:N" into *sw; prints and returns nonzero if bad. */
int nmrc_cli_parse_sweep(const char *arg, nmrc_cli_sweep *sw);

/* Value k (0-based) of a sweep. */
double nmrc_cli_sweep_value(const nmrc_cli_sweep *sw, size_t k);

/* An output file written atomically through core's nmrc_io_out: data goes
** to a temporary file in the same folder, renamed over `path` on
** nmrc_cli_out_commit; "-" is stdout; an existing device or FIFO (/dev/null,
** a pipe) is written in place. */
typedef struct nmrc_cli_out {
    FILE *fp;                   /* where to write */
    nmrc_io_out *io;            /* the stream behind fp */
} nmrc_cli_out;

/* Opens the output; prints and returns nonzero on failure. */
int nmrc_cli_out_open(nmrc_cli_out *out, const char *path);

/* Flushes, closes and renames into place; prints and returns nonzero on
** failure (a write error on stdout included). */
int nmrc_cli_out_commit(nmrc_cli_out *out);

/* Closes and removes the temporary file (after an error); idempotent. */
void nmrc_cli_out_abort(nmrc_cli_out *out);

/* Progress bar on stderr, shown only when stderr is a terminal and the
** run has lasted more than a second.  done/total in any unit. */
void nmrc_cli_progress(size_t done, size_t total);

#endif /* NMRC_CLI_COMMANDS_H */
