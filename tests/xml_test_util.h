/*
** xml_test_util.h: helpers shared by the XML tests (test_xml.c,
** test_xml_format.c, test_draw.c): a sequence using every part of the IR,
** reading a file whole, validating text against the shipped schema with
** libxml2 (independently of the copy compiled into the library) and
** counting a folder's entries.  Include after
** nmrc_test.h.
*/
#ifndef NMRC_XML_TEST_UTIL_H
#define NMRC_XML_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "nmrc/xml.h"
#include "nmrc/consts.h"

#define SRC NMRC_SOURCE_DIR

static inline void append(nmrc_seq *s, const nmrc_event *e)
{
    assert_int_equal(nmrc_seq_append(s, e), NMRC_OK);
}

/* A sequence that uses every event kind, a loop, lists, shapes, params,
** experiments, a target and the natural system. */
static inline nmrc_seq *rich_seq(void)
{
    nmrc_seq *s = nmrc_seq_create("rich & <odd> \"name\"");
    int h, c, g, l1, r, sh;
    assert_non_null(s);
    snprintf(s->description, sizeof s->description, "line one\n\tline two & <three>\r");
    assert_int_equal(nmrc_seq_rf_channel(s, "1H", 1e-5, &h), NMRC_OK);
    assert_int_equal(nmrc_seq_rf_channel(s, "13C", 1.5e-5, &c), NMRC_OK);
    assert_int_equal(nmrc_seq_grad_channel(s, 'z', &g), NMRC_OK);
    double ph[4] = {0, NMRC_PI / 2, NMRC_PI, 0.1 + 1e-13}, rcv[2] = {0, NMRC_PI}, amp[3] = {10, 100, 10},
           sph[3] = {0, 90, 180};
    assert_int_equal(nmrc_seq_add_phase_list(s, "ph1", ph, 4, &l1), NMRC_OK);
    assert_int_equal(nmrc_seq_add_phase_list(s, "ph31", rcv, 2, &r), NMRC_OK);
    assert_int_equal(nmrc_seq_add_shape(s, "gauss", amp, sph, 3, &sh), NMRC_OK);
    s->receiver_list = r;
    s->scans = 4;
    assert_int_equal(nmrc_seq_set_param(s, "P1", 10, "us", "f1 channel - 90 degree pulse, \"quoted\""), NMRC_OK);
    assert_int_equal(nmrc_seq_set_param(s, "CNST1", 1.0 / 3.0, "", NULL), NMRC_OK);
    nmrc_experiment x = {0.25, {0, 1.0 / 7.0}, -1};
    assert_int_equal(nmrc_seq_add_experiment(s, &x), NMRC_OK);
    s->has_target = 1;
    s->target_spins = 2;
    s->target_tensor[1] = 168.86;
    s->target_tensor[3] = -168.86;
    s->target_field[0][2] = -2.5e-7;
    s->target_time = 2e-3;
    snprintf(s->target_op, sizeof s->target_op, "dm_z");
    s->nat_kappa = NMRC_PI * 215 / 2;
    s->nat_offset[1] = -12.5;
    s->system.n_spins = 3;
    s->system.spins[0] = (nmrc_seq_spin){"H", "1H", 12.5, 3, 1, 1e-5};
    s->system.spins[1] = (nmrc_seq_spin){"C", "13C", -40, 5, 0.5, 1.5e-5};
    s->system.spins[2] = (nmrc_seq_spin){"H2", "1H", 1.0 / 3.0, 0, 0, 0};
    s->system.n_couplings = 2;
    s->system.couplings[0] = (nmrc_seq_coupling){0, 1, 215, 0, 0};
    s->system.couplings[1] = (nmrc_seq_coupling){0, 2, -7.25, 1200.5, 1};
    s->system.b0 = 9.3947;
    assert_int_equal(nmrc_seq_set_figure(s, "efficiency", 0.875, NULL), NMRC_OK);
    assert_int_equal(nmrc_seq_set_figure(s, "h1_norm", 1e-3 / 3, "rad/s"), NMRC_OK);

    nmrc_event e = nmrc_seq_event_init(NMRC_EV_DELAY);
    e.duration = 1;
    snprintf(e.param, sizeof e.param, "d1");
    e.span = (nmrc_span){0, 12, 3, 9};
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN);
    e.count = 8;
    snprintf(e.param, sizeof e.param, "l1");
    e.span = (nmrc_span){1, 13, 1, 4};
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_PULSE);
    e.duration = 1e-5;
    e.n_pulse = 2;
    e.pulse[0] = (nmrc_pulse){h, NMRC_PI / 2, 0.3, l1, 25000};
    e.pulse[1] = (nmrc_pulse){c, NMRC_PI / 2, NMRC_PI / 2, -1, 16666.666666666668};
    snprintf(e.amp_param, sizeof e.amp_param, "pl1");
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_SHAPED);
    e.duration = 1e-3;
    e.n_pulse = 1;
    e.channel = e.pulse[0].channel = h;
    e.shape = sh;
    e.amplitude = 1234.5;
    e.pulse[0].angle = NMRC_PI;
    e.pulse[0].phase = 3 * NMRC_PI / 2;
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_VZ);
    e.channel = c;
    e.vz_phase = -0.7;
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    e.span = (nmrc_span){1, 15, 1, 1};
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    e.channel = g;
    e.duration = 1e-3;
    e.amplitude = 0.05;
    snprintf(e.param, sizeof e.param, "p16");
    snprintf(e.amp_param, sizeof e.amp_param, "gpz1");
    append(s, &e);
    e = nmrc_seq_event_init(NMRC_EV_ACQUIRE);
    e.channel = h;
    e.duration = 0.25;
    snprintf(e.param, sizeof e.param, "aq");
    append(s, &e);
    return s;
}

static inline char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = 0;
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* Validates text with libxml2 against the shipped schema file xsd
** (independent of the copies compiled into the library). */
static inline void assert_schema_valid_xsd(const char *xsd, const char *text, size_t len)
{
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    assert_non_null(schema);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    xmlDocPtr doc = xmlReadMemory(text, (int)len, "out.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal(xmlSchemaValidateDoc(vc, doc), 0);
    xmlFreeDoc(doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
}

/* Validates text against the current schema, sequences/nmrc-seq.xsd. */
static inline void assert_schema_valid(const char *text, size_t len)
{
    assert_schema_valid_xsd(SRC "/sequences/nmrc-seq.xsd", text, len);
}

/* Number of entries of folder dir other than dot files (no temporary file
** may be left behind by an atomic write). */
static inline int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

#endif /* NMRC_XML_TEST_UTIL_H */
