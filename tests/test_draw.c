/*
** test_draw.c: the SVG pulse-sequence picture (nmrc_draw_svg_buffer/_file):
** well-formed XML (parsed with libxml2), one lane per channel labelled with
** its name and nucleus, one pulse element per channel pulse, one labelled
** delay per delay, loop brackets with their counts, virtual-Z marks, the
** acquisition, a break mark on a compressed delay and the "not to scale"
** caption; atomic writes and clear refusals.
*/
#define _POSIX_C_SOURCE 200809L     /* mkdtemp */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "nmrc_test.h"
#include "nmrc/draw.h"
#include "nmrc/library.h"
#include "xml_test_util.h"

/* Counts of the elements of each class in an SVG document. */
typedef struct counts {
    int lane, pulse, shaped, delay, loop, vz, acquire, gradient, brk;
} counts;

static void walk(xmlNode *n, counts *c)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *cl = xmlGetProp(n, BAD_CAST "class");
        if (cl) {
            const char *s = (const char *)cl;
            c->lane += !strcmp(s, "lane");
            c->pulse += !strncmp(s, "pulse", 5);
            c->shaped += !strcmp(s, "pulse shaped");
            c->delay += !strcmp(s, "delay");
            c->loop += !strcmp(s, "loop");
            c->vz += !strcmp(s, "vz");
            c->acquire += !strcmp(s, "acquire");
            c->gradient += !strcmp(s, "gradient");
            c->brk += !strcmp(s, "break");
            xmlFree(cl);
        }
        walk(n->children, c);
    }
}

/* Draws seq, parses the SVG (must be well formed, root <svg> in the SVG
** namespace) and counts its parts; *svg gets the text (caller frees). */
static counts draw(const nmrc_seq *seq, const char *title, char **svg)
{
    size_t len = 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (nmrc_draw_svg_buffer(seq, title, svg, &len, ctx) != NMRC_OK)
        fail_msg("draw: %s", nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    assert_int_equal(strlen(*svg), len);
    xmlDoc *doc = xmlReadMemory(*svg, (int)len, "draw.svg", "UTF-8", XML_PARSE_NONET);
    if (!doc)
        fail_msg("the SVG is not well-formed XML");
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, "http://www.w3.org/2000/svg");
    counts c = {0};
    walk(root, &c);
    xmlFreeDoc(doc);
    return c;
}

/* The library's XY-8 (8 pi pulses on 1H, 9 delays named d2/d3) and CPMG
** (90 then a loop of 4 x [tau 180_y tau]). */
static void test_library_sequences(void **state)
{
    (void)state;
    nmrc_seq *s = NULL;
    char *svg = NULL;
    assert_int_equal(nmrc_library_build("xy8", NULL, &s), NMRC_OK);
    counts c = draw(s, NULL, &svg);
    assert_int_equal(c.lane, 2);
    assert_int_equal(c.pulse, 8);
    assert_int_equal(c.delay, 9);
    assert_int_equal(c.loop, 0);
    assert_non_null(strstr(svg, ">xy8</text>"));                 /* the default title */
    assert_non_null(strstr(svg, "<tspan font-size=\"10\" dy=\"-6\">13</tspan><tspan dy=\"6\">C"));
    assert_non_null(strstr(svg, "id=\"lane-f1\""));
    assert_non_null(strstr(svg, "Time axis not to scale"));
    assert_non_null(strstr(svg, "fill=\"white\" stroke=\"black\"")); /* 180: wide and open */
    free(svg);
    nmrc_seq_destroy(s);

    assert_int_equal(nmrc_library_build("cpmg", NULL, &s), NMRC_OK);
    c = draw(s, "CPMG", &svg);
    assert_int_equal(c.pulse, 2);
    assert_int_equal(c.loop, 1);
    assert_non_null(strstr(svg, ">\xc3\x97" "4 l1</text>"));       /* the loop count */
    assert_non_null(strstr(svg, ">CPMG</text>"));
    assert_non_null(strstr(svg, ">d2</text>"));                  /* TopSpin delay names */
    assert_non_null(strstr(svg, ">500 \xc2\xb5s</text>"));
    assert_non_null(strstr(svg, ">y</text>"));                   /* the 180's phase */
    free(svg);
    nmrc_seq_destroy(s);
}

/* rich_seq: three lanes (one a gradient), a simultaneous pair and a shaped
** pulse in a loop with a virtual-Z, a gradient, an acquisition, a 1 s delay
** drawn compressed (break marks on every lane), the phase lists. */
static void test_every_event_kind(void **state)
{
    (void)state;
    nmrc_seq *s = rich_seq();
    char *svg = NULL;
    counts c = draw(s, "every <kind> & more", &svg);
    assert_int_equal(c.lane, 3);
    assert_int_equal(c.pulse, 3);
    assert_int_equal(c.shaped, 1);
    assert_int_equal(c.loop, 1);
    assert_int_equal(c.vz, 1);
    assert_int_equal(c.acquire, 1);
    assert_int_equal(c.gradient, 1);
    assert_int_equal(c.delay, 3);                 /* d1, the gradient p16, the acquisition */
    assert_int_equal(c.brk, 3);                   /* the 1 s delay, on each of the 3 lanes */
    assert_non_null(strstr(svg, ">every &lt;kind&gt; &amp; more</text>"));
    assert_non_null(strstr(svg, ">\xe2\x88\x92" "40.11\xc2\xb0</text>"));     /* VZ -0.7 rad */
    assert_non_null(strstr(svg, ">17.19\xc2\xb0+ph1</text>"));  /* phase 0.3 rad with ph1 */
    assert_non_null(strstr(svg, ">ph31 = x \xe2\x88\x92x  (receiver)</text>"));
    assert_non_null(strstr(svg, ">gauss</text>"));
    assert_non_null(strstr(svg, ">gpz1</text>"));
    free(svg);
    nmrc_seq_destroy(s);
}

/* Written atomically; an invalid sequence or one without channels is
** refused with a message and leaves nothing. */
static void test_file_and_refusals(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    char dir[] = "/tmp/nmrc_draw_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/seq.svg", dir);
    nmrc_seq *s = rich_seq();
    assert_int_equal(nmrc_draw_svg_file(s, NULL, path, ctx), NMRC_OK);
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(strstr(text, "</svg>\n"));
    free(text);
    assert_int_equal(count_entries(dir), 1);
    remove(path);
    s->events[0].duration = -1;
    assert_int_equal(nmrc_draw_svg_file(s, NULL, path, ctx), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "event 0"));
    assert_int_equal(count_entries(dir), 0);
    nmrc_seq_destroy(s);
    s = nmrc_seq_create("empty");
    char *svg = (char *)&svg;
    assert_int_equal(nmrc_draw_svg_buffer(s, NULL, &svg, NULL, ctx), NMRC_EINVAL);
    assert_null(svg);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "no channel"));
    nmrc_seq_destroy(s);
    rmdir(dir);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_library_sequences),
        cmocka_unit_test(test_every_event_kind),
        cmocka_unit_test(test_file_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
