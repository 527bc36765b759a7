/*
** cmd_dephase.c: the `nmrc dephase` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_dephase[] = "usage: nmrc dephase FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_dephase(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_dephase))
        return 0;
    fprintf(stderr, "nmrc dephase: not implemented yet\n");
    return 1;
}
