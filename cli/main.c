/*
** main.c: the `nmrc` program's entry point.  Dispatches to a subcommand
** through the command table; handles --help and --version.  The only
** place in nmrc that exits.
*/
#include <stdio.h>
#include <string.h>

#include "commands.h"

const nmrc_cli_command nmrc_cli_commands[] = {
    {"check", nmrc_cli_check, "parse and validate a .spin file, print the resolved model",
     nmrc_cli_help_check},
    {"battery", nmrc_cli_battery, "charging curve: energy, ergotropy, anti-ergotropy, capacity",
     nmrc_cli_help_battery},
    {"thermal", nmrc_cli_thermal, "Gibbs-state resources versus temperature", nmrc_cli_help_thermal},
    {"dephase", nmrc_cli_dephase, "Lindblad dynamics with the spec's noise", nmrc_cli_help_dephase},
    {"map", nmrc_cli_map, "time-optimized battery metrics over a 2-D parameter grid",
     nmrc_cli_help_map},
    {"state", nmrc_cli_state, "density matrix and its metrics at one time", nmrc_cli_help_state},
    {"compile", nmrc_cli_compile, "compile the target Hamiltonian into a pulse sequence",
     nmrc_cli_help_compile},
    {"analyze", nmrc_cli_analyze, "average-Hamiltonian analysis of a sequence",
     nmrc_cli_help_analyze},
    {"validate", nmrc_cli_validate, "run a sequence on the physical model, compare with the ideal",
     nmrc_cli_help_validate},
    {"fid", nmrc_cli_fid, "simulate FIDs and spectra, write a Bruker dataset", nmrc_cli_help_fid},
    {"draw", nmrc_cli_draw, "draw a sequence XML as an SVG pulse-sequence figure",
     nmrc_cli_help_draw},
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *fp)
{
    fprintf(fp, "usage: nmrc COMMAND [ARGS...]\n"
                "       nmrc --help | --version\n\n"
                "nmrc compiles .spin experiment specs into NMR pulse sequences and\n"
                "simulates them (quantum-battery metrics, Lindblad dynamics, FIDs).\n\n"
                "commands:\n");
    for (const nmrc_cli_command *c = nmrc_cli_commands; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\nRun `nmrc COMMAND --help` for a command's options.\n"
                "example:\n  nmrc check examples/chloroform.spin\n"
                "  nmrc battery examples/battery.spin --set D=0.3 --csv -\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("nmrc %s\n", nmrc_version());
        return 0;
    }
    for (const nmrc_cli_command *c = nmrc_cli_commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "nmrc: unknown command '%s' (run `nmrc --help` for the list)\n", argv[1]);
    return 2;
}
