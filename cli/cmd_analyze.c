/*
** cmd_analyze.c: the `nmrc analyze` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_analyze[] = "usage: nmrc analyze FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_analyze(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_analyze))
        return 0;
    fprintf(stderr, "nmrc analyze: not implemented yet\n");
    return 1;
}
