/*
** test_topspin.c: the TopSpin pulse-program writer.  Golden files for a few
** library sequences (tests/xml/golden/NAME.pp, reviewed by hand), and
** structural checks on every library sequence: every phase list used is
** defined, every loop label exists, every parameter used is listed in the
** comment block, the program has ze / go=2 ph31 / wr #0 / exit and includes
** Grad.incl exactly when it has gradients.  Phase resolution and the
** virtual-Z folding are checked on small hand-built sequences.
*/
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/library.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"


/* The program text of s (caller frees).  The text lives in heap memory
** reached through a static slot: with a local `char *pp` whose address is
** passed out, gcc 12 -O3 reports a false dangling pointer. */
static char *pp_of(const nmrc_seq *s)
{
    static char *text;
    nmrc_ctx *ctx = nmrc_ctx_create();
    text = NULL;
    if (nmrc_topspin_write_buffer(s, &text, NULL, ctx) != NMRC_OK)
        fail_msg("%s: %s", s->name, nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    return text;
}

static nmrc_seq *load(const char *name)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    assert_int_equal(nmrc_library_load(name, NMRC_SOURCE_DIR "/sequences", ctx, &s),
                     NMRC_OK);
    nmrc_ctx_destroy(ctx);
    return s;
}

/* Does a line start with "name=" (a phase list definition)? */
static int defines(const char *pp, const char *name)
{
    size_t n = strlen(name);
    for (const char *l = pp; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (strncmp(l, name, n) == 0 && l[n] == '=')
            return 1;
    return 0;
}

static int has_label(const char *pp, int label)
{
    for (const char *l = pp; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (atoi(l) == label && isdigit((unsigned char)l[0]))
            return 1;
    return 0;
}

/* Does the comment block list ";name :" or ";name:"? */
static int listed(const char *pp, const char *name)
{
    char a[40], b[40];
    snprintf(a, sizeof a, "\n;%s :", name);
    snprintf(b, sizeof b, "\n;%s:", name);
    return strstr(pp, a) || strstr(pp, b);
}

/* Structural checks on one program text. */
static void check_structure(const char *pp, int gradients)
{
    assert_non_null(strstr(pp, "#include <Avance.incl>"));
    assert_int_equal(strstr(pp, "#include <Grad.incl>") != NULL, gradients);
    assert_non_null(strstr(pp, "\n1 ze\n2 d1"));
    assert_non_null(strstr(pp, "go=2 ph31"));
    assert_non_null(strstr(pp, "  wr #0\n"));
    assert_non_null(strstr(pp, "\nexit\n"));
    assert_true(defines(pp, "ph31"));
    const char *body_end = strstr(pp, "\nexit\n");
    for (const char *p = pp; p < body_end; p++) {
        if (*p == ';') {                     /* skip comments */
            p = strchr(p, '\n');
            if (!p)
                break;
            continue;
        }
        char tok[16];
        int n = 0;
        if (sscanf(p, "%15[a-z]%n", tok, &n) == 1 && (p == pp || !isalnum((unsigned char)p[-1])) &&
            isdigit((unsigned char)p[n])) {
            char name[24];
            snprintf(name, sizeof name, "%s%d", tok, atoi(p + n));
            if (strcmp(tok, "ph") == 0) {
                if (!defines(pp, name))
                    fail_msg("phase list %s used but not defined", name);
            } else if (strcmp(tok, "p") == 0 || strcmp(tok, "d") == 0 ||
                       strcmp(tok, "l") == 0 || strcmp(tok, "sp") == 0) {
                if (!listed(pp, name))
                    fail_msg("parameter %s used but not listed", name);
            } else if (strcmp(tok, "gp") == 0) {
                char z[24];
                snprintf(z, sizeof z, "gpz%d", atoi(p + n));
                if (!listed(pp, z))
                    fail_msg("gradient %s used but gpz not listed", name);
            }
            p += n;
        }
        if (strncmp(p, "lo to ", 6) == 0 && !has_label(pp, atoi(p + 6)))
            fail_msg("loop label %d does not exist", atoi(p + 6));
    }
}

static void test_structure_all_library(void **state)
{
    (void)state;
    for (size_t k = 0; nmrc_library_name(k); k++) {
        nmrc_seq *s = load(nmrc_library_name(k));
        char *pp = pp_of(s);
        int grad = 0;
        for (size_t c = 0; c < s->n_channels; c++)
            grad |= s->channels[c].kind == NMRC_CHAN_GRAD;
        check_structure(pp, grad);
        free(pp);
        nmrc_seq_destroy(s);
    }
}

/* Golden comparisons: the expected text is committed; on a difference the
** new text is written next to the build for review. */
static void test_golden(void **state)
{
    (void)state;
    static const char *const names[] = {"dm_z", "cpmg", "x_dephasing", "bb1_pi"};
    for (size_t k = 0; k < 4; k++) {
        nmrc_seq *s = load(names[k]);
        char *pp = pp_of(s), path[512];
        snprintf(path, sizeof path, NMRC_SOURCE_DIR "/tests/xml/golden/%s.pp", names[k]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char *gold = calloc(1, 1 << 16);
        size_t n = fread(gold, 1, (1 << 16) - 1, fp);
        fclose(fp);
        if (n != strlen(pp) || memcmp(gold, pp, n) != 0) {
            snprintf(path, sizeof path, NMRC_BINARY_DIR "/%s.pp", names[k]);
            fp = fopen(path, "wb");
            if (fp) {
                fputs(pp, fp);
                fclose(fp);
            }
            fail_msg("%s.pp differs from the golden file; new text in %s", names[k], path);
        }
        free(gold);
        free(pp);
        nmrc_seq_destroy(s);
    }
}

/* A one-channel sequence with pulses of the given phases (rad). */
static nmrc_seq *phases_seq(const double *ph, int n, double vz)
{
    nmrc_seq *s = nmrc_seq_create("phases");
    int h;
    assert_int_equal(nmrc_seq_rf_channel(s, "1H", 10e-6, &h), NMRC_OK);
    for (int k = 0; k < n; k++) {
        nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
        e.n_pulse = 1;
        e.pulse[0] = (nmrc_pulse){h, NMRC_PI / 2, ph[k], -1, 0};
        assert_int_equal(nmrc_seq_append(s, &e), NMRC_OK);
        if (vz != 0) {
            e = nmrc_seq_event_init(NMRC_EV_VZ);
            e.channel = h;
            e.vz_phase = vz;
            assert_int_equal(nmrc_seq_append(s, &e), NMRC_OK);
        }
    }
    return s;
}

static void test_phase_resolution(void **state)
{
    (void)state;
    double ph[3] = {NMRC_PI / 2, NMRC_PI / 4, 0.3};
    nmrc_seq *s = phases_seq(ph, 3, 0);
    char *pp = pp_of(s), want[64];
    assert_non_null(strstr(pp, "\nph1=1\n"));
    assert_non_null(strstr(pp, "\nph2=(360) 45\n"));
    snprintf(want, sizeof want, "\nph3=(65536) %ld\n", lround(0.3 / (2 * NMRC_PI) * 65536));
    assert_non_null(strstr(pp, want));
    assert_non_null(strstr(pp, "(p1 ph1):f1\n  (p1 ph2):f1\n  (p1 ph3):f1\n"));
    assert_non_null(strstr(pp, ";p1 : f1 channel - 90 degree high power pulse  [10 usec]"));
    free(pp);
    nmrc_seq_destroy(s);

    /* virtual-Z of a shifts later phases by -a: x then (vz 90) -> -y = 3 */
    double x[2] = {0, 0};
    s = phases_seq(x, 2, NMRC_PI / 2);
    pp = pp_of(s);
    assert_non_null(strstr(pp, "\nph1=0\n"));
    assert_non_null(strstr(pp, "\nph2=3\n"));
    free(pp);
    nmrc_seq_destroy(s);
}

/* The receiver follows the virtual-Z frame (docs/nmr-model.md: the simulator
** reports the state in the shifted frame): a net virtual-Z a on the observed
** channel before acquisition shifts the receiver phase by -a, as it shifts
** later pulse phases, so the TopSpin program detects what nmrc fid simulates. */
static void test_receiver_follows_vz(void **state)
{
    (void)state;
    double y[1] = {NMRC_PI / 2};
    nmrc_seq *s = phases_seq(y, 1, NMRC_PI / 6);
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_ACQUIRE);
    e.channel = 0;
    e.duration = 0.1;
    assert_int_equal(nmrc_seq_append(s, &e), NMRC_OK);
    char *pp = pp_of(s);
    assert_non_null(strstr(pp, "\nph1=1\n"));
    assert_non_null(strstr(pp, "\nph31=(360) 330\n"));
    free(pp);

    double rx[2] = {0, NMRC_PI};
    int idx;
    assert_int_equal(nmrc_seq_add_phase_list(s, "ph31", rx, 2, &idx), NMRC_OK);
    s->receiver_list = idx;
    pp = pp_of(s);
    assert_non_null(strstr(pp, "\nph31=(360) 330 150\n"));
    free(pp);
    nmrc_seq_destroy(s);

    /* no virtual-Z: the receiver list as it is */
    s = phases_seq(y, 1, 0);
    assert_int_equal(nmrc_seq_append(s, &e), NMRC_OK);
    pp = pp_of(s);
    assert_non_null(strstr(pp, "\nph31=0\n"));
    free(pp);
    nmrc_seq_destroy(s);
}

static void test_simultaneous_and_loops(void **state)
{
    (void)state;
    nmrc_seq *s = load("dm_z");
    char *pp = pp_of(s);
    assert_non_null(strstr(pp, "(p1 ph1):f1 (p3 ph2):f2\n"));
    assert_non_null(strstr(pp, "2 d1 pl1:f1 pl2:f2\n"));
    free(pp);
    nmrc_seq_destroy(s);
    s = load("cpmg");
    pp = pp_of(s);
    assert_non_null(strstr(pp, "lo to 3 times l1\n"));
    assert_non_null(strstr(pp, ";l1 : echoes  [4]"));   /* the sequence's own comment */
    free(pp);

    /* a loop whose body leaves a net virtual-Z cannot be expressed */
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_VZ);
    e.channel = 0;
    e.vz_phase = 0.2;
    assert_int_equal(nmrc_seq_append(s, &e), NMRC_OK);
    memmove(&s->events[3], &s->events[2], (s->n_events - 3) * sizeof e);
    s->events[2] = e;
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_topspin_write_buffer(s, &pp, NULL, ctx), NMRC_ENOTSUP);
    assert_null(pp);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "virtual-Z"));
    nmrc_ctx_destroy(ctx);
    nmrc_seq_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure_all_library),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_phase_resolution),
        cmocka_unit_test(test_simultaneous_and_loops),
        cmocka_unit_test(test_receiver_follows_vz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
