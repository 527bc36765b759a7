/*
** cmd_check.c: the `nmrc check` command.  Parses and resolves a .spin file
** (with --set overrides) and prints a one-screen summary of the resolved
** model; on errors prints the diagnostics on stderr and exits 1.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const char nmrc_cli_help_check[] =
    "usage: nmrc check FILE.spin [--set NAME=VALUE]...\n"
    "\n"
    "Parses and validates a .spin experiment spec and prints a summary of the\n"
    "resolved model: spins, couplings, the target Hamiltonian terms with their\n"
    "values and the summed coupling tensor, the charging protocol, temperature,\n"
    "initial state, noise and readout.  Exits 0 if the spec is valid; otherwise\n"
    "prints each problem as FILE:LINE:COL: error: MESSAGE with the source line\n"
    "and a caret, and exits 1.  Usage errors exit 2.\n"
    "\n"
    "options:\n"
    "  --set NAME=VALUE  override parameter NAME (a number in the parameter's own\n"
    "                    unit, or an expression with a unit: --set J='200 Hz')\n"
    "  -h, --help        show this help\n"
    "\n"
    "example:\n"
    "  nmrc check examples/chloroform.spin\n"
    "  nmrc check examples/battery.spin --set D=0.5 --set T=0.2\n";

static int usage(const char *msg)
{
    fprintf(stderr, "nmrc check: %s\nusage: nmrc check FILE.spin [--set NAME=VALUE]...\n", msg);
    return 2;
}

static int print_summary(const nmrc_model *m)
{
    char small[8192];
    size_t n = nmrc_model_summary(m, small, sizeof small);
    if (n < sizeof small) {
        fputs(small, stdout);
        return 0;
    }
    char *big = malloc(n + 1);
    if (!big) {
        fprintf(stderr, "nmrc check: out of memory\n");
        return 1;
    }
    nmrc_model_summary(m, big, n + 1);
    fputs(big, stdout);
    free(big);
    return 0;
}

int nmrc_cli_check(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_check))
        return 0;
    const char *path = NULL;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t n_sets = 0;
    if (!sets) {
        fprintf(stderr, "nmrc check: out of memory\n");
        return 1;
    }
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "--set")) {
            if (++i >= argc)
                rc = usage("--set needs NAME=VALUE");
            else
                sets[n_sets++] = argv[i];
        } else if (!strncmp(argv[i], "--set=", 6)) {
            sets[n_sets++] = argv[i] + 6;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "nmrc check: unknown option '%s'\n", argv[i]);
            rc = 2;
        } else if (path) {
            rc = usage("only one spec file may be given");
        } else {
            path = argv[i];
        }
    }
    if (!rc && !path)
        rc = usage("no spec file given");
    nmrc_run_input *in = rc ? NULL : nmrc_cli_load(path, NULL, sets, n_sets, 0);
    if (!rc)
        rc = in ? print_summary(nmrc_run_input_model(in)) : 1;
    nmrc_run_input_destroy(in);
    free(sets);
    return rc;
}
