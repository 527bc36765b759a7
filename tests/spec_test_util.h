/*
** spec_test_util.h: what the spec-language tests (test_parse.c,
** test_expr.c, test_spec_nspin.c) share: parsing and resolving a .spin
** text in one call, and checking its diagnostics.
** Include after nmrc_test.h.
*/
#ifndef NMRC_SPEC_TEST_UTIL_H
#define NMRC_SPEC_TEST_UTIL_H

#include <string.h>

#include "nmrc/nmrc.h"

/* Parses text as the file `name` and resolves it.  Returns the model (NULL
** when parsing or resolving failed; caller owns) and, if spec_out is not
** NULL, the spec with its diagnostics (caller owns; else destroyed). */
static inline nmrc_model *spec_load(const char *name, const char *text, nmrc_spec **spec_out)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    nmrc_status st = nmrc_spec_parse_string(name, text, strlen(text), ctx, &spec);
    assert_non_null(spec);
    if (st == NMRC_OK) {
        st = nmrc_spec_resolve(spec, ctx, &m); /* failure: m stays NULL, the */
        (void)st;                              /* diagnostics say why */
    }
    nmrc_ctx_destroy(ctx);
    if (spec_out)
        *spec_out = spec;
    else
        nmrc_spec_destroy(spec);
    return m;
}

/* Asserts the spec has exactly n diagnostics and that diagnostic i contains s
** (printing them all when not). */
static inline void assert_diag(const nmrc_spec *spec, size_t n, size_t i, const char *s)
{
    if (nmrc_spec_diag_count(spec) != n || !strstr(nmrc_spec_diag_text(spec, i), s)) {
        for (size_t k = 0; k < nmrc_spec_diag_count(spec); k++)
            print_message("%s", nmrc_spec_diag_text(spec, k));
        fail_msg("expected %zu diagnostic(s), #%zu containing '%s'", n, i, s);
    }
}

#endif /* NMRC_SPEC_TEST_UTIL_H */
