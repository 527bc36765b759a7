/*
** cmd_check.c: the `nmrc check` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_check[] = "usage: nmrc check FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_check(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_check))
        return 0;
    fprintf(stderr, "nmrc check: not implemented yet\n");
    return 1;
}
