/*
** cmd_compile.c: the `nmrc compile` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_compile[] = "usage: nmrc compile FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_compile(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_compile))
        return 0;
    fprintf(stderr, "nmrc compile: not implemented yet\n");
    return 1;
}
