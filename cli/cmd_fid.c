/*
** cmd_fid.c: the `nmrc fid` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_fid[] = "usage: nmrc fid FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_fid(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_fid))
        return 0;
    fprintf(stderr, "nmrc fid: not implemented yet\n");
    return 1;
}
