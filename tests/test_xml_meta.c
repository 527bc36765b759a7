/*
** test_xml_meta.c: white-box tests of the XML reader's metadata step
** (compiler/io/xml_meta.c) on documents the schema would reject, built with
** libxml2 and handed straight to the internal nmrc_xml_doc_to_seq: every
** required attribute missing must give a clear error and no sequence, and
** never a read of an uninitialised buffer (ctest xml_meta_valgrind runs this
** program under valgrind's memcheck, which reports such reads).
*/
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "nmrc_test.h"
#include "compiler/io/xml_read.h"
#include "nmrc/xml.h"

/* Parses text without schema validation, reads it with the internal reader
** and expects `status` with `needle` in the message. */
static void expect_doc(const char *body, nmrc_status status, const char *needle)
{
    char text[2048];
    snprintf(text, sizeof text,
             "<?xml version=\"1.0\"?>\n<nmrc:sequence xmlns:nmrc=\"" NMRC_XML_NS "\" "
             "version=\"2\" name=\"t\" scans=\"1\">\n%s\n<PULSE_PROGRAM/>\n</nmrc:sequence>\n",
             body);
    xmlDoc *doc = xmlReadMemory(text, (int)strlen(text), "t.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = (nmrc_seq *)&s;       /* must be reset to NULL */
    nmrc_status st = nmrc_xml_doc_to_seq(doc, "t.xml", ctx, &s);
    if (st != status || !strstr(nmrc_ctx_errmsg(ctx), needle))
        fail_msg("%s: status %d, message '%s' (wanted %d, '%s')", body, (int)st,
                 nmrc_ctx_errmsg(ctx), (int)status, needle);
    assert_null(s);
    nmrc_ctx_destroy(ctx);
    xmlFreeDoc(doc);
}

/* A phase list without its name: the receiver flag is never read, and its
** buffer was then compared uninitialised (the reviewer's finding). */
static void test_phase_list_without_name(void **state)
{
    (void)state;
    expect_doc("<nmrc:phaseList receiver=\"true\">0 1</nmrc:phaseList>", NMRC_EINVAL,
               "t.xml:3: missing attribute 'name'");
    expect_doc("<nmrc:phaseList>0 1</nmrc:phaseList>", NMRC_EINVAL, "missing attribute 'name'");
}

/* The other metadata elements with a required attribute missing. */
static void test_required_attributes(void **state)
{
    (void)state;
    expect_doc("<nmrc:channel type=\"rf\" nucleus=\"1H\" rf90=\"0\"/>", NMRC_EINVAL,
               "missing attribute 'name'");
    expect_doc("<nmrc:channel name=\"f1\" type=\"rf\" rf90=\"0\"/>", NMRC_EINVAL,
               "missing attribute 'nucleus'");
    expect_doc("<nmrc:channel name=\"gz\" type=\"gradient\"/>", NMRC_EINVAL,
               "missing attribute 'axis'");
    expect_doc("<nmrc:parameter value=\"1\"/>", NMRC_EINVAL, "missing attribute 'name'");
    expect_doc("<nmrc:experiment>0 0 0 0 0 0 0 0</nmrc:experiment>", NMRC_EINVAL,
               "missing attribute 'weight'");
    expect_doc("<nmrc:natural>0 0 0 0 0 0 0 0</nmrc:natural>", NMRC_EINVAL,
               "missing attribute 'kappa'");
    expect_doc("<nmrc:shape><nmrc:amplitude>1</nmrc:amplitude><nmrc:phase>0</nmrc:phase>"
               "</nmrc:shape>", NMRC_EINVAL, "missing attribute 'name'");
    expect_doc("<nmrc:figure value=\"1\"/>", NMRC_EINVAL, "missing attribute 'name'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phase_list_without_name),
        cmocka_unit_test(test_required_attributes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
