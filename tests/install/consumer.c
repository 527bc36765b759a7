/*
** consumer.c: a program outside the nmrc tree that links the installed
** library; used to check find_package(nmrc) and pkg-config.  Parses a spec
** given on the command line and prints the number of spins.
*/
#include <stdio.h>

#include <nmrc/nmrc.h>

int main(int argc, char **argv)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    int rc = 1;
    if (argc == 2 && nmrc_spec_parse_file(argv[1], ctx, &spec) == NMRC_OK &&
        nmrc_spec_resolve(spec, ctx, &m) == NMRC_OK) {
        printf("nmrc %s: %zu spins\n", nmrc_version(), m->n_spins);
        rc = 0;
    } else {
        fprintf(stderr, "consumer: %s\n", nmrc_ctx_errmsg(ctx));
    }
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return rc;
}
