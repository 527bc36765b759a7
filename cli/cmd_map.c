/*
** cmd_map.c: the `nmrc map` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_map[] = "usage: nmrc map FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_map(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_map))
        return 0;
    fprintf(stderr, "nmrc map: not implemented yet\n");
    return 1;
}
