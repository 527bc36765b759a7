/*
** cmd_battery_common.c: helpers of the simulation commands (battery,
** thermal, dephase, map, state): option parsing and loading the input with
** its --set overrides.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

/* Returns the option's value: "--opt=VALUE" or the next argument. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return !strncmp(arg, opt, n) && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_at(const char *v, nmrc_simcli_args *a)
{
    const char *num = v;
    if (!strncmp(v, "t=", 2))
        num = v + 2;
    char *end;
    errno = 0;
    a->at = strtod(num, &end);
    if (end == num || *end || errno || !isfinite(a->at)) {
        fprintf(stderr, "nmrc %s: bad --at '%s' (expected t=VALUE)\n", a->cmd, v);
        return 2;
    }
    a->has_at = 1;
    return 0;
}

/* Handles one option at argv[*i]; returns 0, or 2 after printing. */
static int parse_option(int argc, char **argv, int *i, unsigned allowed, nmrc_simcli_args *a)
{
    const char *arg = argv[*i], *v = NULL;
    static const char *const names[] = {"--set", "--csv", "--sweep", "--pair", "--at"};
    static const unsigned need[] = {0, 0, NMRC_SIMCLI_SWEEP, NMRC_SIMCLI_PAIR, NMRC_SIMCLI_AT};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (!is_opt(arg, names[k]) || (need[k] && !(allowed & need[k])))
            continue;
        if (!(v = opt_value(argc, argv, i, names[k]))) {
            fprintf(stderr, "nmrc %s: %s needs a value\n", a->cmd, names[k]);
            return 2;
        }
        switch (k) {
        case 0:
            if (a->n_sets == NMRC_SIMCLI_MAX_SETS) {
                fprintf(stderr, "nmrc %s: too many --set options\n", a->cmd);
                return 2;
            }
            a->sets[a->n_sets++] = v;
            return 0;
        case 1:
            a->csv = v;
            return 0;
        case 2:
            if (a->n_sweeps == 2) {
                fprintf(stderr, "nmrc %s: at most two --sweep options\n", a->cmd);
                return 2;
            }
            return nmrc_cli_parse_sweep(v, &a->sweeps[a->n_sweeps++]) ? 2 : 0;
        case 3:
            a->has_pair = 1;
            a->pair_arg = v;
            return 0;
        default:
            return parse_at(v, a);
        }
    }
    fprintf(stderr, "nmrc %s: unknown option '%s' (see nmrc %s --help)\n", a->cmd, arg, a->cmd);
    return 2;
}

int nmrc_simcli_parse(int argc, char **argv, unsigned allowed, nmrc_simcli_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = argv[0];
    a->csv = "-";
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            int rc = parse_option(argc, argv, &i, allowed, a);
            if (rc)
                return rc;
        } else if (!a->file) {
            a->file = argv[i];
        } else {
            fprintf(stderr, "nmrc %s: unexpected argument '%s'\n", a->cmd, argv[i]);
            return 2;
        }
    }
    if (!a->file) {
        fprintf(stderr, "nmrc %s: missing FILE.spin (see nmrc %s --help)\n", a->cmd, a->cmd);
        return 2;
    }
    return 0;
}

nmrc_run_input *nmrc_simcli_load(const nmrc_simcli_args *a, unsigned flags)
{
    return nmrc_cli_load(a->file, NULL, a->sets, a->n_sets, flags);
}

const char *nmrc_simcli_pair(const nmrc_simcli_args *a)
{
    return a->has_pair ? a->pair_arg : NULL;
}
