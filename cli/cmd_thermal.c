/*
** cmd_thermal.c: the `nmrc thermal` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_thermal[] = "usage: nmrc thermal FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_thermal(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_thermal))
        return 0;
    fprintf(stderr, "nmrc thermal: not implemented yet\n");
    return 1;
}
