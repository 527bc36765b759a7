/*
** cmd_validate.c: the `nmrc validate` command.
** Placeholder until its issue lands: it says so and fails.
*/
#include <stdio.h>

#include "commands.h"

const char nmrc_cli_help_validate[] = "usage: nmrc validate FILE.spin\n\n(not implemented yet)\n";

int nmrc_cli_validate(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_validate))
        return 0;
    fprintf(stderr, "nmrc validate: not implemented yet\n");
    return 1;
}
