/*
** test_xml.c: the sequence IR (create, clone, equal) and the XML format:
** exact round trips (IR and bytes) for a sequence using every event kind and
** for every library file, schema validity checked with libxml2 against the
** shipped sequences/nmrc-seq.xsd, safe reading (external entity, billion
** laughs, a FIFO that must never be opened, malformed input, size limit),
** atomic writes, the library lookup, version-1 files, the Bruker view an
** outside importer reads (own pulse lengths, flip angles, virtual-Z folded
** into phases), the conventions every file states, and the spin system a
** compiled file carries (equal to the spec's in the physical model).
*/
#define _POSIX_C_SOURCE 200809L     /* mkfifo, mkdtemp, setenv */

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "nmrc_test.h"
#include "nmrc/compile.h"
#include "nmrc/library.h"
#include "nmrc/nmr.h"
#include "nmrc/spec.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"
#include "xml_test_util.h"

/* ---- IR ----------------------------------------------------------------------- */

static void test_seq_basics(void **state)
{
    (void)state;
    nmrc_seq *s = rich_seq();
    int idx;
    assert_int_equal(nmrc_seq_rf_channel(s, "13C", 0, &idx), NMRC_OK);
    assert_int_equal(idx, 1);                     /* existing channel */
    assert_string_equal(s->channels[0].name, "f1");
    assert_string_equal(s->channels[1].name, "f2");
    assert_string_equal(s->channels[2].name, "gz");
    assert_int_equal(nmrc_seq_grad_channel(s, 'q', &idx), NMRC_EINVAL);
    assert_int_equal(nmrc_seq_check(s, NULL), NMRC_OK);

    nmrc_seq *t = nmrc_seq_clone(s);
    assert_non_null(t);
    assert_true(nmrc_seq_equal(s, t));
    assert_ptr_not_equal(t->phase_lists[0].phase, s->phase_lists[0].phase);  /* deep */
    t->events[2].pulse[1].phase *= 1 + 1e-13;     /* within 1e-12: still equal */
    assert_true(nmrc_seq_equal(s, t));
    t->events[2].pulse[1].phase *= 1 + 1e-9;
    assert_false(nmrc_seq_equal(s, t));
    nmrc_seq_destroy(t);

    /* each part of the program matters */
#define MUTATE(change)                                                                        \
    do {                                                                                      \
        t = nmrc_seq_clone(s);                                                                \
        change;                                                                               \
        assert_false(nmrc_seq_equal(s, t));                                                   \
        nmrc_seq_destroy(t);                                                                  \
    } while (0)
    MUTATE(t->phase_lists[0].phase[3] += 1e-6);
    MUTATE(t->params[1].value += 1e-6);
    MUTATE(t->target_tensor[3] += 1e-6);
    MUTATE(t->shapes[0].amp[1] += 1e-6);
    MUTATE(t->experiments[0].weight += 1e-6);
    MUTATE(t->nat_offset[1] += 1e-6);
    MUTATE(t->channels[1].rf90 += 1e-12);
    MUTATE(t->events[4].vz_phase += 1e-6);
    MUTATE(t->events[1].count++);
    MUTATE(t->events[2].pulse[0].phase_list = -1);
    MUTATE(t->receiver_list = -1);
    MUTATE(t->n_events--);
    MUTATE(snprintf(t->events[6].amp_param, sizeof t->events[6].amp_param, "gpz2"));
    MUTATE(t->system.spins[1].offset_hz += 1e-6);
    MUTATE(t->system.spins[2].t2 = 0.1);
    MUTATE(t->system.spins[0].p90 *= 1 + 1e-9);
    MUTATE(snprintf(t->system.spins[2].nucleus, sizeof t->system.spins[2].nucleus, "19F"));
    MUTATE(t->system.couplings[1].dipolar_hz += 1e-6);
    MUTATE(t->system.couplings[1].j = 1);
    MUTATE(t->system.b0 = 0);
    MUTATE(t->system.n_couplings--);
#undef MUTATE
    t = nmrc_seq_clone(s);                        /* labels are names: not compared */
    snprintf(t->system.spins[2].label, sizeof t->system.spins[2].label, "X");
    assert_true(nmrc_seq_equal(s, t));
    assert_memory_equal(&t->system.couplings, &s->system.couplings, sizeof s->system.couplings);
    nmrc_seq_destroy(t);
    nmrc_seq_destroy(s);
    nmrc_seq_destroy(NULL);
}

/* The Bruker view of a simultaneous 1H/13C pair of 90-degree pulses at
** 25 kHz and 12.5 kHz: each <HF_PULSE> gives its own length (10 us and
** 20 us, not the event's 20 us) and refers to its channel's power level
** PLk in dB, as the TopSpin program's `pl1:f1 pl2:f2` does. */
static void test_bruker_view_of_simultaneous_pulses(void **state)
{
    (void)state;
    nmrc_seq *s = nmrc_seq_create("pair");
    int h, c;
    assert_int_equal(nmrc_seq_rf_channel(s, "1H", 10e-6, &h), NMRC_OK);
    assert_int_equal(nmrc_seq_rf_channel(s, "13C", 20e-6, &c), NMRC_OK);
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    e.duration = 20e-6;
    e.n_pulse = 2;
    e.pulse[0] = (nmrc_pulse){h, NMRC_PI / 2, 0.0, -1, 25000.0};
    e.pulse[1] = (nmrc_pulse){c, NMRC_PI / 2, NMRC_PI / 2, -1, 12500.0};
    append(s, &e);
    char *xml = NULL;
    size_t len = 0;
    assert_int_equal(nmrc_xml_write_buffer(s, &xml, &len, NULL), NMRC_OK);
    const char *p1 = strstr(xml, "<HF_PULSE"), *p2 = p1 ? strstr(p1 + 1, "<HF_PULSE") : NULL;
    assert_non_null(p2);
    const char *d1 = strstr(p1, "<Duration>"), *d2 = strstr(p2, "<Duration>");
    assert_true(d1 < p2);
    assert_non_null(strstr(d1, "<Val>10</Val></Duration>"));
    assert_true(strstr(d1, "<Val>10</Val></Duration>") < p2);
    assert_non_null(strstr(d2, "<Val>20</Val></Duration>"));
    const char *a1 = strstr(p1, "<Atten>"), *a2 = strstr(p2, "<Atten>");
    assert_true(a1 < p2);
    assert_int_equal(strncmp(a1, "<Atten><Unit>dB</Unit><VarType>7</VarType>"
                                 "<JcampKwd>##$PL[1]</JcampKwd></Atten>", 79), 0);
    assert_int_equal(strncmp(a2, "<Atten><Unit>dB</Unit><VarType>7</VarType>"
                                 "<JcampKwd>##$PL[2]</JcampKwd></Atten>", 79), 0);
    free(xml);
    nmrc_seq_destroy(s);
}

/* ---- Round trips ----------------------------------------------------------------- */

static void test_round_trip_rich(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = rich_seq(), *t = NULL;
    char *a = NULL, *b = NULL;
    size_t na, nb;
    assert_int_equal(nmrc_xml_write_buffer(s, &a, &na, ctx), NMRC_OK);
    assert_int_equal(strlen(a), na);
    assert_schema_valid(a, na);
    assert_non_null(strstr(a, "<JcampKwd>##$GPZ[1]</JcampKwd>"));
    assert_non_null(strstr(a, "<JcampKwd>##$AQ</JcampKwd>"));
    assert_int_equal(nmrc_xml_read_memory(a, na, "rich.xml", ctx, &t), NMRC_OK);
    assert_true(nmrc_seq_equal(s, t));
    /* exact, not merely close: every double is written in round-trip form */
    assert_true(t->phase_lists[0].phase[3] == s->phase_lists[0].phase[3]);
    assert_true(t->params[1].value == 1.0 / 3.0);
    assert_string_equal(t->name, s->name);
    assert_string_equal(t->description, s->description);
    assert_string_equal(t->params[0].comment, s->params[0].comment);
    assert_string_equal(t->target_op, "dm_z");
    assert_string_equal(t->system.spins[2].label, "H2");
    assert_true(t->system.spins[2].offset_hz == 1.0 / 3.0);
    assert_non_null(strstr(a, "<nmrc:couple i=\"0\" j=\"2\" J=\"-7.25\" dipolar=\"1200.5\" weak=\"true\"/>"));
    for (size_t i = 0; i < s->n_events; i++)
        assert_memory_equal(&t->events[i].span, &s->events[i].span, sizeof(nmrc_span));
    assert_int_equal(t->n_figures, 2);      /* figures are kept, though not compared */
    assert_string_equal(t->figures[1].name, "h1_norm");
    assert_string_equal(t->figures[1].unit, "rad/s");
    assert_true(t->figures[1].value == 1e-3 / 3);
    assert_int_equal(nmrc_xml_write_buffer(t, &b, &nb, ctx), NMRC_OK);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    nmrc_seq_destroy(s);
    nmrc_seq_destroy(t);
    nmrc_ctx_destroy(ctx);
}

/* Every sequences/<name>.xml: read, equal to its builder, rewritten
** byte-identically, valid against the shipped schema. */
static void test_library_files_round_trip(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    size_t k = 0;
    for (; nmrc_library_name(k); k++) {
        const char *name = nmrc_library_name(k);
        char path[512];
        snprintf(path, sizeof path, SRC "/sequences/%s.xml", name);
        size_t len, nb;
        char *file = slurp(path, &len), *b = NULL;
        nmrc_seq *s = NULL, *built = NULL;
        if (nmrc_xml_read_file(path, ctx, &s) != NMRC_OK)
            fail_msg("%s: %s", path, nmrc_ctx_errmsg(ctx));
        assert_int_equal(nmrc_library_build(name, ctx, &built), NMRC_OK);
        assert_true(nmrc_seq_equal(s, built));
        assert_true(s->description[0] != 0);
        assert_true(s->has_target || s->target_op[0]);
        assert_true(s->n_figures >= 2);         /* what nmrc analyze reported */
        assert_string_equal(s->figures[0].name, "net_angle_f1");
        assert_int_equal(nmrc_xml_write_buffer(s, &b, &nb, ctx), NMRC_OK);
        assert_int_equal(nb, len);
        assert_memory_equal(b, file, len);
        assert_schema_valid(b, nb);
        free(b);
        free(file);
        nmrc_seq_destroy(s);
        nmrc_seq_destroy(built);
    }
    assert_true(k >= 19);
    nmrc_ctx_destroy(ctx);
}

static void test_embedded_schema_is_the_file(void **state)
{
    (void)state;
    size_t len, n;
    char *file = slurp(SRC "/sequences/nmrc-seq.xsd", &len);
    const char *text = nmrc_xml_schema(&n);
    assert_int_equal(n, len);
    assert_memory_equal(text, file, len);
    free(file);
}

/* ---- Safe reading ------------------------------------------------------------------ */

/* Reads path, expects `status` and a message containing every needle. */
static void expect_reject(const char *path, nmrc_status status, const char *n1, const char *n2)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = (nmrc_seq *)&s;     /* must be reset to NULL */
    assert_int_equal(nmrc_xml_read_file(path, ctx, &s), status);
    assert_null(s);
    const char *msg = nmrc_ctx_errmsg(ctx);
    if (!strstr(msg, n1) || (n2 && !strstr(msg, n2)))
        fail_msg("message '%s' lacks '%s' / '%s'", msg, n1, n2 ? n2 : "");
    assert_null(strstr(msg, "NMRC-SECRET-MARKER"));
    nmrc_ctx_destroy(ctx);
}

static void test_reject_external_entity(void **state)
{
    (void)state;
    expect_reject(SRC "/tests/xml/xxe_local.xml", NMRC_EXML, "xxe_local.xml:2:", "DOCTYPE");
}

static void test_reject_billion_laughs(void **state)
{
    (void)state;
    expect_reject(SRC "/tests/xml/billion_laughs.xml", NMRC_EXML, "billion_laughs.xml:2:",
                  "DOCTYPE");
}

/* The entity points at a FIFO with no writer: opening it for reading would
** block forever (ctest's timeout would fail the test), so returning at all
** proves the reader never tried to open it; the FIFO is also checked to have
** no reader attached. */
static void test_entity_file_never_opened(void **state)
{
    (void)state;
    char dir[] = "/tmp/nmrc_xxe_XXXXXX", fifo[64], xml[96];
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/secret", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(xml, sizeof xml, "%s/x.xml", dir);
    FILE *fp = fopen(xml, "w");
    assert_non_null(fp);
    fprintf(fp, "<?xml version=\"1.0\"?>\n<!-- harmless -->\n<!DOCTYPE s [<!ENTITY e SYSTEM "
                "\"file://%s\">]>\n<nmrc:sequence xmlns:nmrc=\"urn:nmrc:seq:1\" version=\"1\" "
                "name=\"&e;\" scans=\"1\"><PULSE_PROGRAM/></nmrc:sequence>\n", fifo);
    fclose(fp);
    expect_reject(xml, NMRC_EXML, "x.xml:3:", "DOCTYPE");

    /* the same document in UTF-16 (BOM + declaration): input is read as
    ** UTF-8 only, so the byte scan cannot be bypassed; it fails to parse */
    char text[512];
    int n = snprintf(text, sizeof text, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                     "<!DOCTYPE s [<!ENTITY e SYSTEM \"file://%s\">]>\n<nmrc:sequence "
                     "xmlns:nmrc=\"urn:nmrc:seq:1\" version=\"1\" name=\"&e;\" scans=\"1\">"
                     "<PULSE_PROGRAM/></nmrc:sequence>\n", fifo);
    fp = fopen(xml, "wb");
    assert_non_null(fp);
    fputc(0xFF, fp);
    fputc(0xFE, fp);
    for (int i = 0; i < n; i++) {
        fputc(text[i], fp);
        fputc(0, fp);
    }
    fclose(fp);
    expect_reject(xml, NMRC_EXML, "x.xml:", NULL);
    remove(xml);
    remove(fifo);
    rmdir(dir);
}

static void test_reject_malformed(void **state)
{
    (void)state;
    expect_reject(SRC "/tests/xml/truncated.xml", NMRC_EXML, "truncated.xml:6:", "well-formed");
    expect_reject(SRC "/tests/xml/wrong_namespace.xml", NMRC_EXML, "wrong_namespace.xml:2:",
                  "not a valid nmrc sequence");
    expect_reject(SRC "/tests/xml/bad_number.xml", NMRC_EXML, "bad_number.xml:4:", "NaN");
    expect_reject(SRC "/tests/xml/unknown_channel.xml", NMRC_EINVAL, "unknown_channel.xml:5:",
                  "unknown channel 'f7'");
    expect_reject(SRC "/tests/xml/bad_utf8.xml", NMRC_EXML, "bad_utf8.xml:2:", "UTF-8");
    expect_reject(SRC "/tests/xml/no_such_file.xml", NMRC_ENOTFOUND, "no_such_file.xml", NULL);
}

static void test_reject_too_large(void **state)
{
    (void)state;
    size_t n = NMRC_XML_MAX_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    assert_int_equal(nmrc_xml_read_memory(big, n, "big.xml", ctx, &s), NMRC_ELIMIT);
    assert_null(s);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "big.xml"));
    free(big);
    nmrc_ctx_destroy(ctx);
}

/* ---- Writing --------------------------------------------------------------------- */

static void test_write_atomic_and_refusals(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    char dir[] = "/tmp/nmrc_xmlw_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.xml", dir);
    nmrc_seq *s = rich_seq();
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_OK);
    assert_int_equal(count_entries(dir), 1);      /* no temporary left behind */
    size_t len0;
    char *before = slurp(path, &len0);

    /* invalid sequences: refused, the existing file untouched */
    s->events[0].duration = NAN;
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "event 0"));
    s->events[0].duration = 1;
    s->events[2].pulse[0].phase_list = 9;
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EINVAL);
    s->events[2].pulse[0].phase_list = 0;
    s->n_events -= 3;                               /* cuts the loop's END away */
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EINVAL);
    s->n_events += 3;
    snprintf(s->channels[1].name, sizeof s->channels[1].name, "f1");
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "duplicate channel"));
    snprintf(s->channels[1].name, sizeof s->channels[1].name, "f 2"); /* schema: no space */
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EXML);
    size_t len1;
    char *after = slurp(path, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    assert_int_equal(count_entries(dir), 1);

    snprintf(path, sizeof path, "%s/missing/out.xml", dir);
    snprintf(s->channels[1].name, sizeof s->channels[1].name, "f2");
    assert_int_equal(nmrc_xml_write_file(s, path, ctx), NMRC_EIO);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "missing/out.xml"));
    snprintf(path, sizeof path, "%s/out.xml", dir);
    remove(path);
    rmdir(dir);
    free(before);
    free(after);
    nmrc_seq_destroy(s);
    nmrc_ctx_destroy(ctx);
}

/* ---- Library lookup ---------------------------------------------------------------- */

static void test_library_load(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    unsetenv("NMRC_SEQUENCES");
    assert_int_equal(nmrc_library_load("xy8", SRC "/sequences", ctx, &s), NMRC_OK);
    assert_string_equal(s->name, "xy8");
    nmrc_seq_destroy(s);
    setenv("NMRC_SEQUENCES", SRC "/sequences", 1);
    assert_int_equal(nmrc_library_load("dm_z", "/nonexistent", ctx, &s), NMRC_OK);
    nmrc_seq_destroy(s);
    unsetenv("NMRC_SEQUENCES");
    assert_int_equal(nmrc_library_load("../tests/xml/xxe_local", SRC "/sequences", ctx, &s),
                     NMRC_EINVAL);
    assert_null(s);
    assert_int_equal(nmrc_library_load("no_such_seq", SRC "/sequences", ctx, &s),
                     NMRC_ENOTFOUND);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), SRC "/sequences"));

    /* udd5 has no file: generated, pi_y at T sin^2(pi j / 12) */
    assert_int_equal(nmrc_library_load("udd5", SRC "/sequences", ctx, &s), NMRC_OK);
    double t = 0, T = 0;
    int j = 0;
    for (size_t i = 0; i < s->n_events; i++)
        T += s->events[i].kind == NMRC_EV_DELAY ? s->events[i].duration : 0;
    for (size_t i = 0; i < s->n_events; i++) {
        const nmrc_event *e = &s->events[i];
        if (e->kind == NMRC_EV_DELAY) {
            t += e->duration;
            continue;
        }
        j++;
        double x = sin(NMRC_PI * j / 12.0);
        assert_close(t, T * x * x, 1e-12, 1e-18);
        assert_close(e->pulse[0].angle, NMRC_PI, 1e-15, 0);
        assert_close(e->pulse[0].phase, NMRC_PI / 2, 1e-15, 0);
    }
    assert_int_equal(j, 5);
    assert_close(T, 2e-3, 1e-12, 0);
    nmrc_seq_destroy(s);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seq_basics),
        cmocka_unit_test(test_bruker_view_of_simultaneous_pulses),
        cmocka_unit_test(test_round_trip_rich),
        cmocka_unit_test(test_library_files_round_trip),
        cmocka_unit_test(test_embedded_schema_is_the_file),
        cmocka_unit_test(test_reject_external_entity),
        cmocka_unit_test(test_reject_billion_laughs),
        cmocka_unit_test(test_entity_file_never_opened),
        cmocka_unit_test(test_reject_malformed),
        cmocka_unit_test(test_reject_too_large),
        cmocka_unit_test(test_write_atomic_and_refusals),
        cmocka_unit_test(test_library_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
