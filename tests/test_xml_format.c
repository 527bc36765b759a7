/*
** test_xml_format.c: what version 2 of the sequence format says about
** itself: version-1 files still read (and equal what they always meant),
** the conventions every file carries and the schema requires, the Bruker
** view an outside importer reads (each pulse's own length, flip angles of
** delta pulses, virtual-Z folded into pulse and receiver phases), the spin
** system a compiled file carries (the physical model built from the file
** equals the one built from its spec), and the paper's claimed D agreeing
** between the library file and the specs.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/compile.h"
#include "nmrc/library.h"
#include "nmrc/nmr.h"
#include "nmrc/spec.h"
#include "xml_test_util.h"

/* Writes s to a new buffer (caller frees). */
static char *write_text(const nmrc_seq *s, size_t *len)
{
    char *xml[1] = {NULL};
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = nmrc_xml_write_buffer(s, xml, len, ctx);
    if (st != NMRC_OK)
        fail_msg("write: %s", nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    char *out = xml[0];
    return out;
}

/* Reads text, expecting `status` and (on failure) `needle` in the message. */
static nmrc_seq *read_text(const char *text, size_t len, nmrc_status status, const char *needle)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    nmrc_status st = nmrc_xml_read_memory(text, len, "t.xml", ctx, &s);
    if (st != status || (needle && !strstr(nmrc_ctx_errmsg(ctx), needle)))
        fail_msg("read: status %d '%s' (wanted %d, '%s')", (int)st, nmrc_ctx_errmsg(ctx),
                 (int)status, needle ? needle : "");
    nmrc_ctx_destroy(ctx);
    return s;
}

/* ---- Version 1 ------------------------------------------------------------------ */

/* Library files as version 1 wrote them (tests/xml/v1, kept from before the
** version changed): valid against the frozen version-1 schema, read, equal
** to today's builders, and written again as version 2 that reads back
** equal.  rich.xml is rich_seq() as the version-1 writer wrote it (no
** conventions, no spin system). */
static void test_version1_files_read(void **state)
{
    (void)state;
    static const char *const names[] = {"cpmg", "dm_z", "x_dephasing", "bb1_pi", "rich"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, SRC "/tests/xml/v1/%s.xml", names[k]);
        size_t len, n2;
        char *text = slurp(path, &len);
        assert_non_null(strstr(text, "xmlns:nmrc=\"urn:nmrc:seq:1\" version=\"1\""));
        assert_schema_valid_xsd(SRC "/sequences/nmrc-seq-1.xsd", text, len);
        nmrc_seq *old = read_text(text, len, NMRC_OK, NULL), *want = NULL;
        if (k < 4) {
            assert_int_equal(nmrc_library_build(names[k], NULL, &want), NMRC_OK);
        } else {
            want = rich_seq();
            memset(&want->system, 0, sizeof want->system);
        }
        assert_true(nmrc_seq_equal(old, want));
        assert_int_equal(old->system.n_spins, 0);
        char *v2 = write_text(old, &n2);
        assert_non_null(strstr(v2, "xmlns:nmrc=\"" NMRC_XML_NS "\" version=\"2\""));
        assert_schema_valid(v2, n2);
        nmrc_seq *again = read_text(v2, n2, NMRC_OK, NULL);
        assert_true(nmrc_seq_equal(again, want));
        nmrc_seq_destroy(again);
        nmrc_seq_destroy(old);
        nmrc_seq_destroy(want);
        free(v2);
        free(text);
    }
}

/* ---- Conventions ------------------------------------------------------------------ */

/* Every file states its conventions; a version-2 file without them, or
** claiming another version, is not valid; a version-1 file may not carry
** the version-2 elements. */
static void test_conventions_in_every_file(void **state)
{
    (void)state;
    nmrc_seq *s = rich_seq();
    size_t len;
    char *xml = write_text(s, &len);
    static const char *const needles[] = {
        "<nmrc:rotation>A pulse of flip angle theta (nmrc:angle) and phase phi applies U = "
        "exp(-i theta (cos(phi) X + sin(phi) Y)/2)",
        "so 90 degrees at phase x takes +z to -y and at phase y takes +z to +x.",
        "<nmrc:virtualZ>nmrc:vz of phase a on a channel applies exp(-i a Z/2)",
        "shifts by -a.", "The pulses of one nmrc:simultaneous start together",
        "kappa = pi J/2 for a scalar coupling J in Hz; its 8 numbers are O_0..O_7",
        "<nmrc:spinSystem>", "<nmrc:brukerView>"};
    for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++)
        if (!strstr(xml, needles[k]))
            fail_msg("the conventions lack '%s'", needles[k]);

    /* cut the conventions out: invalid */
    char *a = strstr(xml, "  <nmrc:conventions>"), *b = strstr(xml, "</nmrc:conventions>\n");
    assert_true(a && b && a < b);
    b += strlen("</nmrc:conventions>\n");
    memmove(a, b, strlen(b) + 1);
    nmrc_seq *t = read_text(xml, strlen(xml), NMRC_EXML, "not a valid nmrc sequence");
    assert_null(t);
    free(xml);

    /* version="1" in the version-2 namespace: invalid */
    xml = write_text(s, &len);
    char *v = strstr(xml, "version=\"2\"");
    assert_non_null(v);
    v[9] = '1';
    assert_null(read_text(xml, len, NMRC_EXML, "version"));
    /* the version-1 namespace with version-2 content: invalid */
    char *ns = strstr(xml, NMRC_XML_NS);
    ns[strlen(NMRC_XML_NS) - 1] = '1';
    assert_null(read_text(xml, len, NMRC_EXML, "conventions"));
    free(xml);
    nmrc_seq_destroy(s);
}

/* ---- The Bruker view ------------------------------------------------------------- */

/* The Bruker block `tag` of the n-th element `elem` in xml, or fails. */
static const char *block(const char *xml, const char *elem, int n, const char *tag)
{
    const char *p = xml;
    for (int k = 0; k <= n; k++) {
        p = strstr(p + 1, elem);
        if (!p)
            fail_msg("no %s number %d", elem, n);
    }
    const char *b = strstr(p, tag);
    if (!b)
        fail_msg("%s number %d has no %s", elem, n, tag);
    return b;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A delta 90_x, VZ(+90) on f1, a delta 45_x, a loop of 3 x [VZ(+45), 180_x],
** a pulse at phase 0 and an acquisition with receiver list (0, 180): the
** Bruker phases are the nmrc phases minus the virtual-Z so far (first pass
** inside the loop, which says so), the receiver too; flip angles in
** degrees; a simultaneous event naming one parameter gives each pulse its
** own explicit length. */
static void test_bruker_view_for_importers(void **state)
{
    (void)state;
    nmrc_seq *s = nmrc_seq_create("view");
    int h, c, r;
    assert_int_equal(nmrc_seq_rf_channel(s, "1H", 1e-5, &h), NMRC_OK);
    assert_int_equal(nmrc_seq_rf_channel(s, "13C", 2e-5, &c), NMRC_OK);
    double rcv[2] = {0, NMRC_PI};
    assert_int_equal(nmrc_seq_add_phase_list(s, "ph31", rcv, 2, &r), NMRC_OK);
    s->receiver_list = r;
    s->scans = 2;
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    e.n_pulse = 1;
    e.pulse[0] = (nmrc_pulse){h, NMRC_PI / 2, 0, -1, 0};
    append(s, &e);                                        /* pulse 0: 90 x */
    nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
    vz.channel = h;
    vz.vz_phase = NMRC_PI / 2;
    append(s, &vz);
    e.pulse[0].angle = NMRC_PI / 4;
    append(s, &e);                                        /* pulse 1: 45 at -90 */
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN), le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    lb.count = 3;
    append(s, &lb);
    vz.vz_phase = NMRC_PI / 4;
    append(s, &vz);
    e.pulse[0].angle = NMRC_PI;
    append(s, &e);                                        /* pulse 2: first pass at -135 */
    append(s, &le);
    e.pulse[0].angle = -NMRC_PI / 2;
    append(s, &e);                                        /* pulse 3: -90 at -(90 + 3*45) */
    nmrc_event sim = nmrc_seq_event_init(NMRC_EV_PULSE);
    sim.n_pulse = 2;
    sim.duration = 20e-6;
    sim.pulse[0] = (nmrc_pulse){h, NMRC_PI / 2, 0, -1, 25000};
    sim.pulse[1] = (nmrc_pulse){c, NMRC_PI / 2, 0, -1, 12500};
    snprintf(sim.param, sizeof sim.param, "p1");
    append(s, &sim);                                      /* pulses 4, 5 */
    nmrc_event acq = nmrc_seq_event_init(NMRC_EV_ACQUIRE);
    acq.channel = h;
    acq.duration = 0.1;
    append(s, &acq);
    size_t len;
    char *xml = write_text(s, &len);
    assert_schema_valid(xml, len);

    const char *q = "<Phase><Unit>quadrant</Unit><VarType>0</VarType>";
    char want[160];
    static const char *const phases[] = {"0", "3", "2.5", "1.5"};
    for (int k = 0; k < 4; k++) {
        snprintf(want, sizeof want, "%s<Quantity>1</Quantity><Val>%s</Val></Phase>", q, phases[k]);
        if (!starts(block(xml, "<HF_PULSE", k, "<Phase>"), want))
            fail_msg("pulse %d: Bruker phase is not %s quadrants", k, phases[k]);
    }
    static const char *const angles[] = {"90", "45", "180", "-90"};
    for (int k = 0; k < 4; k++) {
        snprintf(want, sizeof want, "<FlipAngle><Unit>degree</Unit><VarType>0</VarType>"
                 "<Quantity>1</Quantity><Val>%s</Val></FlipAngle>", angles[k]);
        if (!starts(block(xml, "<HF_PULSE", k, "<FlipAngle>"), want))
            fail_msg("pulse %d: FlipAngle is not %s", k, angles[k]);
        assert_true(starts(block(xml, "<HF_PULSE", k, "<Duration>"),
                           "<Duration><Unit>us</Unit><VarType>0</VarType><Quantity>1</Quantity>"
                           "<Val>0</Val></Duration>"));
    }
    assert_non_null(strstr(xml, "nmrc:phase=\"0\""));     /* the exact record is unfolded */
    assert_non_null(strstr(xml, "the body leaves a net virtual-Z"));
    /* each pulse of the simultaneous event: its own length, not ##$P[1] */
    assert_true(starts(block(xml, "<HF_PULSE", 4, "<Duration>"),
                       "<Duration><Unit>us</Unit><VarType>0</VarType><Quantity>1</Quantity>"
                       "<Val>10</Val></Duration>"));
    assert_true(starts(block(xml, "<HF_PULSE", 5, "<Duration>"),
                       "<Duration><Unit>us</Unit><VarType>0</VarType><Quantity>1</Quantity>"
                       "<Val>20</Val></Duration>"));
    /* receiver: (0, 180) minus 90 + 3 * 45 = 225 degrees */
    snprintf(want, sizeof want, "%s<Quantity>2</Quantity><Val>1.5</Val><Val>3.5</Val></Phase>", q);
    assert_true(starts(block(xml, "<ACQ_MULTI", 0, "<Phase>"), want));

    nmrc_seq *t = read_text(xml, len, NMRC_OK, NULL);
    assert_true(nmrc_seq_equal(s, t));
    nmrc_seq_destroy(t);
    free(xml);
    nmrc_seq_destroy(s);
}

/* ---- The spin system --------------------------------------------------------------- */

static nmrc_model *load_model(const char *path)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    if (nmrc_spec_parse_file(path, ctx, &spec) != NMRC_OK ||
        nmrc_spec_resolve(spec, ctx, &m) != NMRC_OK)
        fail_msg("%s: %s %s", path, nmrc_ctx_errmsg(ctx),
                 spec && nmrc_spec_diag_count(spec) ? nmrc_spec_diag_text(spec, 0) : "");
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return m;
}

/* A 1H-15N pair with a third spin (19F, J and dipolar coupling to 1H),
** offsets (one in ppm), T1/T2, p90s, the field and a negative J, compiled,
** written, read back: the file's nmrc:system gives the physical model the
** spec gives, and the recorded system is the spec's. */
static void test_compiled_file_carries_its_system(void **state)
{
    (void)state;
    nmrc_model *m = load_model(SRC "/tests/xml/nh_system.spin");
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_model(m, &cfg, ctx, &seq), NMRC_OK);
    size_t len;
    char *xml = write_text(seq, &len);
    assert_non_null(strstr(xml, "<nmrc:spin label=\"F\" nucleus=\"19F\""));
    nmrc_seq *back = read_text(xml, len, NMRC_OK, NULL);
    assert_true(nmrc_seq_equal(seq, back));

    nmrc_nmr_system from_spec, from_file;
    assert_int_equal(nmrc_nmr_system_from_model(m, ctx, &from_spec), NMRC_OK);
    assert_int_equal(nmrc_nmr_system_from_seq(back, ctx, &from_file), NMRC_OK);
    assert_int_equal(from_file.n_spins, 3);
    assert_int_equal(from_file.n_couplings, 2);
    for (size_t i = 0; i < 3; i++) {
        const nmrc_nmr_spin *a = &from_spec.spins[i], *b = &from_file.spins[i];
        assert_string_equal(a->isotope, b->isotope);
        assert_true(a->gamma == b->gamma && a->offset_hz == b->offset_hz && a->t1 == b->t1 &&
                    a->t2 == b->t2 && a->eq_pol == b->eq_pol);
        assert_string_equal(back->system.spins[i].label, m->spins[i].label);
        assert_true(back->system.spins[i].p90 == m->spins[i].p90);
    }
    assert_memory_equal(&from_spec, &from_file, sizeof from_spec);
    assert_true(from_file.couplings[0].j_hz == -92 && from_file.couplings[1].dipolar_hz == 300);
    assert_true(back->system.b0 == m->b0 && m->b0 > 14);

    /* the Hamiltonians agree too */
    size_t d = nmrc_nmr_dim(&from_spec);
    nmrc_cmat *H1 = nmrc_cmat_create(d, d), *H2 = nmrc_cmat_create(d, d);
    assert_int_equal(nmrc_nmr_hamiltonian(&from_spec, H1), NMRC_OK);
    assert_int_equal(nmrc_nmr_hamiltonian(&from_file, H2), NMRC_OK);
    for (size_t k = 0; k < d * d; k++)
        assert_true(H1->data[k] == H2->data[k]);
    nmrc_cmat_destroy(H1);
    nmrc_cmat_destroy(H2);

    /* a library file records no system: a clear error, not a default */
    nmrc_seq *lib = NULL;
    assert_int_equal(nmrc_library_build("xy8", ctx, &lib), NMRC_OK);
    assert_int_equal(nmrc_nmr_system_from_seq(lib, ctx, &from_file), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "records no spin system"));
    nmrc_seq_destroy(lib);
    free(xml);
    nmrc_seq_destroy(back);
    nmrc_seq_destroy(seq);
    nmrc_ctx_destroy(ctx);
    nmrc_model_destroy(m);
}

/* nmrc_seq_check (and so the writer) refuses a spin system that is not
** physical or not consistent; the reader refuses one in a file, naming the
** line. */
static void test_bad_systems_refused(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = rich_seq();
    assert_int_equal(nmrc_seq_check(s, ctx), NMRC_OK);
#define REFUSED(change, needle)                                                               \
    do {                                                                                      \
        nmrc_seq *t_ = nmrc_seq_clone(s);                                                     \
        nmrc_seq_system *y = &t_->system;                                                     \
        change;                                                                               \
        assert_int_equal(nmrc_seq_check(t_, ctx), NMRC_EINVAL);                               \
        if (!strstr(nmrc_ctx_errmsg(ctx), needle))                                            \
            fail_msg("'%s' lacks '%s'", nmrc_ctx_errmsg(ctx), needle);                        \
        nmrc_seq_destroy(t_);                                                                 \
    } while (0)
    REFUSED(snprintf(y->spins[1].nucleus, sizeof y->spins[1].nucleus, "14Q"), "unknown isotope");
    REFUSED(y->spins[0].t2 = 7, "T2 = 7 s > 2 T1");
    REFUSED(y->spins[2].p90 = -1, "negative");
    REFUSED(y->spins[0].offset_hz = NAN, "non-finite");
    REFUSED(snprintf(y->spins[2].label, sizeof y->spins[2].label, "C"), "duplicate spin 'C'");
    REFUSED((y->couplings[1].i = 2, y->couplings[1].j = 0), "bad spins (2, 0)");
    REFUSED(y->couplings[1].j = 3, "bad spins (0, 3)");
    REFUSED(y->couplings[1].j = 1, "two couplings between spins 0 and 1");
    REFUSED((y->n_spins = 0, y->n_couplings = 0), "field without spins");
#undef REFUSED
    size_t len;
    char *xml = write_text(s, &len);
    char *t2 = strstr(xml, "T2=\"0.5\"");
    assert_non_null(t2);
    memcpy(t2, "T2=\"105\"", 8);          /* spin C: T1 = 5 s */
    char line[64];
    long n = 1;
    for (const char *p = xml; p < strstr(xml, "<nmrc:system"); p++)
        n += *p == '\n';
    snprintf(line, sizeof line, "t.xml:%ld: spin system: spin C", n);
    assert_null(read_text(xml, len, NMRC_EINVAL, line));
    free(xml);
    nmrc_seq_destroy(s);
    nmrc_ctx_destroy(ctx);
}

/* nmrc_seq_set_system copies the model's whole system and nothing else. */
static void test_set_system_from_model(void **state)
{
    (void)state;
    nmrc_model *m = load_model(SRC "/examples/chloroform.spin");
    nmrc_seq *s = nmrc_seq_create("x");
    assert_int_equal(nmrc_seq_set_system(s, m, NULL), NMRC_OK);
    assert_int_equal(s->system.n_spins, 2);
    assert_string_equal(s->system.spins[1].label, "C");
    assert_string_equal(s->system.spins[1].nucleus, "13C");
    assert_true(s->system.spins[1].t2 == 0.5 && s->system.spins[1].p90 == m->spins[1].p90);
    assert_close(s->system.spins[1].p90, 15e-6, 1e-15, 0);
    assert_true(s->system.couplings[0].j_hz == 215 && s->system.b0 == m->b0);
    m->spins[0].t2 = 2.5 * m->spins[0].t1;      /* unphysical: refused, record left empty */
    assert_int_equal(nmrc_seq_set_system(s, m, NULL), NMRC_EINVAL);
    assert_int_equal(s->system.n_spins, 0);
    nmrc_seq_destroy(s);
    nmrc_model_destroy(m);
}

/* ---- The paper's claimed D ---------------------------------------------------------- */

/* sequences/paper_dm.xml, examples/paper_dm_claim.spin and
** tests/nmr/paper_dm_cycle.spin claim the same DM_z: D = kappa/2 (rad/s). */
static void test_paper_claim_agrees(void **state)
{
    (void)state;
    nmrc_seq *lib = NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    char path[512];
    snprintf(path, sizeof path, SRC "/sequences/paper_dm.xml");
    assert_int_equal(nmrc_xml_read_file(path, ctx, &lib), NMRC_OK);
    double kappa = lib->nat_kappa, D = lib->target_tensor[1];
    assert_close(D, kappa / 2, 1e-14, 0);
    assert_close(lib->target_tensor[3], -kappa / 2, 1e-14, 0);
    static const char *const specs[] = {SRC "/examples/paper_dm_claim.spin",
                                        SRC "/tests/nmr/paper_dm_cycle.spin"};
    for (size_t k = 0; k < 2; k++) {
        nmrc_model *m = load_model(specs[k]);
        nmrc_pair pair;
        nmrc_target2 tg;
        assert_int_equal(nmrc_compile_extract(m, &pair, &tg, ctx), NMRC_OK);
        assert_close(pair.kappa, kappa, 1e-14, 0);
        for (int a = 0; a < 9; a++)
            assert_close(tg.T[a], lib->target_tensor[a], 1e-13, 1e-12);
        nmrc_model_destroy(m);
    }
    nmrc_seq_destroy(lib);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version1_files_read),
        cmocka_unit_test(test_conventions_in_every_file),
        cmocka_unit_test(test_bruker_view_for_importers),
        cmocka_unit_test(test_compiled_file_carries_its_system),
        cmocka_unit_test(test_bad_systems_refused),
        cmocka_unit_test(test_set_system_from_model),
        cmocka_unit_test(test_paper_claim_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
