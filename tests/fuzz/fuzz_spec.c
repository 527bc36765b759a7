/*
** fuzz_spec.c: libFuzzer target for the .spin front end.  Each input is
** parsed as a spec; a parsed spec is resolved and summarized, and a
** `--set` built from the input's first line is applied.  Any crash, leak,
** hang or sanitizer report is a bug.  tests/spec_replay.c links this same
** file into a plain program that replays the committed corpus.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nmrc/nmrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    if (!ctx)
        return 0;
    nmrc_status st = nmrc_spec_parse_string("fuzz.spin", (const char *)data, size, ctx, &spec);
    if (st == NMRC_OK && spec) {
        char arg[80];
        size_t n = 0;
        while (n < size && n < sizeof arg - 1 && data[n] != '\n' && data[n] != '\0')
            n++;
        memcpy(arg, data, n);
        arg[n] = '\0';
        if (nmrc_spec_set_arg(spec, arg, ctx) != NMRC_OK) {
            nmrc_status no_x = nmrc_spec_set(spec, "x", 2.0, ctx); /* may not exist */
            (void)no_x;
        }
        nmrc_model *m = NULL;
        if (nmrc_spec_resolve(spec, ctx, &m) == NMRC_OK) {
            char buf[512];
            nmrc_model_summary(m, buf, sizeof buf);
            nmrc_model_destroy(m);
        }
    }
    for (size_t i = 0; i < nmrc_spec_diag_count(spec); i++)
        (void)strlen(nmrc_spec_diag_text(spec, i));
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return 0;
}
