/*
** commands.h: the nmrc program's subcommands and the helpers they share
** (loading an input through the run API with its failure printed, --sweep
** ranges, CSV numbers and output written atomically, a progress bar).  The
** commands parse options, call nmrc/run.h, print and write; only this
** program prints or exits, and no physics lives here.
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

/* Returns nonzero when path names an XML sequence file (ends in .xml), the
** input kind that takes --spec. */
int nmrc_cli_is_xml(const char *path);

/* Loads an input with nmrc_run_load (see nmrc/run.h), printing why it
** failed on stderr: a spec's diagnostics as they are, else "nmrc: MESSAGE".
** Returns the input (caller owns; nmrc_run_input_destroy) or NULL. */
nmrc_run_input *nmrc_cli_load(const char *path, const char *spec_path, const char *const *sets,
                              size_t n_sets, unsigned flags);

/* Parses the spec file at path, applies the n_sets "--set NAME=VALUE"
** overrides sets[] in order and resolves it, printing diagnostics to
** stderr.  Returns the model (caller owns; nmrc_model_destroy) or NULL after
** printing why. */
nmrc_model *nmrc_cli_load_model(const char *path, const char *const *sets, size_t n_sets);

/* Prints the failure st of a library call of command `cmd` on stderr: a
** spec's diagnostics (NMRC_ESYNTAX) as they are, else "nmrc CMD: MESSAGE"
** (the status' description when ctx holds none).  Returns 1. */
int nmrc_cli_fail(const char *cmd, nmrc_status st, const nmrc_ctx *ctx);

/* A --sweep NAME=START:STOP:N range: the library's sweep with the name's
** storage. */
typedef struct nmrc_cli_sweep {
    char name[NMRC_NAME_MAX];
    nmrc_run_sweep sw;          /* sw.name points to name */
} nmrc_cli_sweep;

/* Parses "NAME=START:STOP:N" into *sw; prints and returns nonzero if bad. */
int nmrc_cli_parse_sweep(const char *arg, nmrc_cli_sweep *sw);

/* Writes x to fp as a CSV number (%.12g; "nan" for NaN; "0" for -0) and
** then ',' or, when last, '\n'. */
void nmrc_cli_num(FILE *fp, double x, int last);

/* Index of the first largest of x[0..n-1] (NaN never replaces a value). */
size_t nmrc_cli_argmax(const double *x, size_t n);

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

/* nmrc_cli_progress as an nmrc_run_progress_fn (user unused). */
void nmrc_cli_progress_fn(size_t done, size_t total, void *user);

#endif /* NMRC_CLI_COMMANDS_H */
