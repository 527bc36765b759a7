/*
** cmd_battery.c: the `nmrc battery` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_battery[] = "usage: nmrc battery FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_battery(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_battery))
        return 0;
    fprintf(stderr, "nmrc battery: not implemented yet\n");
    return 1;
}
