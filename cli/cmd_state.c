/*
** cmd_state.c: the `nmrc state` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_state[] = "usage: nmrc state FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_state(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_state))
        return 0;
    fprintf(stderr, "nmrc state: not implemented yet\n");
    return 1;
}
