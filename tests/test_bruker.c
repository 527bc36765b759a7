/*
** test_bruker.c: Bruker datasets and JCAMP-DX spectra.  A written dataset
** is read back by the project's own reader and compared sample by sample
** (bit-exact float64); acqus holds TD = 2 x complex points, SW_h, SFO1,
** NUC1, DTYPA, BYTORDA, GRPDLY; an int32 big-endian dataset written by hand
** is decoded; bad datasets give clear errors.  A JCAMP spectrum parses back.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "nmrc_test.h"
#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"

static char base[1024];

static const char *path_in(const char *rel)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "%s/%s", base, rel);
    return buf;
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void test_roundtrip(void **state)
{
    (void)state;
    enum { TD = 1000 };
    nmrc_cplx *fid = malloc(TD * sizeof *fid);
    for (size_t k = 0; k < TD; k++)
        fid[k] = cexp((0.31 * I - 0.002) * (double)k) * (1.0 + 1e-7 * (double)k) / 3.0;
    nmrc_bruker ds = {.td = TD, .sw_h = 4807.6923076923, .sfo1 = 100.6127690, .bf1 = 100.6127690,
                      .o1 = 0, .ns = 4, .fid = fid};
    strcpy(ds.nuc1, "13C");
    strcpy(ds.pulprog, "zg30");
    nmrc_ctx *ctx = nmrc_ctx_create();
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", path_in("ds1/13C"));
    assert_int_equal(nmrc_bruker_write(dir, &ds, NULL, ctx), NMRC_OK);
    nmrc_bruker back;
    assert_int_equal(nmrc_bruker_read(dir, &back, ctx), NMRC_OK);
    assert_int_equal(back.td, TD);
    assert_true(back.sw_h == ds.sw_h);
    assert_close(back.sfo1, ds.sfo1, 1e-12, 0);
    assert_string_equal(back.nuc1, "13C");
    assert_string_equal(back.pulprog, "zg30");
    assert_int_equal(back.dtypa, 2);
    assert_int_equal(back.bytorda, 0);
    assert_int_equal(back.ns, 4);
    assert_true(back.grpdly == 0);
    for (size_t k = 0; k < TD; k++)
        assert_true(back.fid[k] == fid[k]); /* sample by sample, bit-exact */
    nmrc_bruker_free(&back);
    char sub[4096], v[64];
    snprintf(sub, sizeof sub, "%s/fid", dir);
    assert_int_equal(file_size(sub), 16 * TD);
    snprintf(sub, sizeof sub, "%s/acqus", dir);
    const char *acqus = read_text(sub);
    assert_true(nmrc_jcamp_param(acqus, "TD", v, sizeof v));
    assert_string_equal(v, "2000");
    assert_true(nmrc_jcamp_param(acqus, "NUC1", v, sizeof v));
    assert_string_equal(v, "13C");
    assert_non_null(strstr(acqus, "##$NUC1= <13C>\n"));
    assert_non_null(strstr(acqus, "##$GRPDLY= 0\n"));
    assert_non_null(strstr(acqus, "##END="));
    snprintf(sub, sizeof sub, "%s/pulseprogram", dir);
    assert_true(file_size(sub) > 0);
    snprintf(sub, sizeof sub, "%s/pdata/1/procs", dir);
    const char *procs = read_text(sub);
    assert_true(nmrc_jcamp_param(procs, "SI", v, sizeof v));
    assert_string_equal(v, "1024");
    free(fid);
    nmrc_ctx_destroy(ctx);
}

/* A dataset as an instrument writes it: int32, big endian (BYTORDA 1). */
static void test_int32_big_endian(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", path_in("ds2"));
    assert_int_equal(nmrc_io_mkdirs(dir, ctx), NMRC_OK);
    const char acqus[] = "##TITLE= test\n##$TD= 6\n##$SW_h= 1000\n##$SFO1= 400.13\n"
                         "##$DTYPA= 0\n##$BYTORDA= 1\n##$NUC1= <1H>\n##END=\n";
    char path[4096];
    snprintf(path, sizeof path, "%s/acqus", dir);
    assert_int_equal(nmrc_io_write_atomic(path, acqus, strlen(acqus), ctx), NMRC_OK);
    const int32_t vals[6] = {1, -2, 70000, -70000, 2147483647, -2147483647 - 1};
    unsigned char raw[24];
    for (int k = 0; k < 6; k++)
        for (int b = 0; b < 4; b++)
            raw[4 * k + b] = (unsigned char)((uint32_t)vals[k] >> (24 - 8 * b));
    snprintf(path, sizeof path, "%s/fid", dir);
    assert_int_equal(nmrc_io_write_atomic(path, raw, sizeof raw, ctx), NMRC_OK);
    nmrc_bruker ds;
    assert_int_equal(nmrc_bruker_read(dir, &ds, ctx), NMRC_OK);
    assert_int_equal(ds.td, 3);
    for (int k = 0; k < 3; k++)
        assert_true(ds.fid[k] == (double)vals[2 * k] + I * (double)vals[2 * k + 1]);
    nmrc_bruker_free(&ds);
    /* fid shorter than TD says: EBADLEN. */
    assert_int_equal(nmrc_io_write_atomic(path, raw, 20, ctx), NMRC_OK);
    assert_int_equal(nmrc_bruker_read(dir, &ds, ctx), NMRC_EBADLEN);
    /* acqus without SW_h: ESYNTAX; no folder: EIO. */
    const char bad[] = "##$TD= 6\n##$SFO1= 400\n##END=\n";
    snprintf(path, sizeof path, "%s/acqus", dir);
    assert_int_equal(nmrc_io_write_atomic(path, bad, strlen(bad), ctx), NMRC_OK);
    assert_int_equal(nmrc_bruker_read(dir, &ds, ctx), NMRC_ESYNTAX);
    assert_int_equal(nmrc_bruker_read(path_in("no/such/dir"), &ds, ctx), NMRC_EIO);
    assert_null(ds.fid);
    nmrc_ctx_destroy(ctx);
}

static void test_jcamp(void **state)
{
    (void)state;
    enum { N = 1001 };
    double x[N], y[N];
    for (size_t k = 0; k < N; k++) {
        x[k] = -500.0 + (double)k;
        y[k] = 1.0 / (1.0 + pow((x[k] - 107.5) / 3.0, 2)) - 0.01 * sin((double)k);
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    const char *path = path_in("spec.jdx");
    assert_int_equal(nmrc_jcamp_write_spectrum(path, "test", "1H", 400.13, x, y, N, ctx), NMRC_OK);
    const char *text = read_text(path);
    assert_non_null(strstr(text, "##DATA TYPE= NMR SPECTRUM\n"));
    assert_non_null(strstr(text, "##XYDATA= (X++(Y..Y))\n"));
    double *bx, *by;
    size_t n;
    assert_int_equal(nmrc_jcamp_read_spectrum(path, &bx, &by, &n, ctx), NMRC_OK);
    assert_int_equal(n, N);
    for (size_t k = 0; k < N; k++) {
        assert_close(bx[k], x[k], 1e-12, 1e-9);
        assert_close(by[k], y[k], 0, 1e-9); /* ordinates quantized to max/1e9 */
    }
    free(bx);
    free(by);
    /* (XY..XY) form, written by hand. */
    const char xy[] = "##TITLE= xy\n##JCAMP-DX= 5.01\n##DATA TYPE= NMR SPECTRUM\n"
                      "##XFACTOR= 2\n##YFACTOR= 0.5\n##NPOINTS= 3\n##XYPOINTS= (XY..XY)\n"
                      "1, 10; 2, 20\n3,-30\n##END=\n";
    path = path_in("xy.jdx");
    assert_int_equal(nmrc_io_write_atomic(path, xy, strlen(xy), ctx), NMRC_OK);
    assert_int_equal(nmrc_jcamp_read_spectrum(path, &bx, &by, &n, ctx), NMRC_OK);
    assert_int_equal(n, 3);
    assert_true(bx[2] == 6.0 && by[2] == -15.0 && bx[0] == 2.0 && by[1] == 10.0);
    free(bx);
    free(by);
    const char huge[] = "##FIRSTX= 0\n##LASTX= 1\n##NPOINTS= 60000000\n##XYDATA= (X++(Y..Y))\n"
                        "0 1 2\n##END=\n";
    assert_int_equal(nmrc_io_write_atomic(path, huge, strlen(huge), ctx), NMRC_OK);
    assert_int_equal(nmrc_jcamp_read_spectrum(path, &bx, &by, &n, ctx), NMRC_ESYNTAX);
    const char broken[] = "##TITLE= x\n##XYDATA= (X++(Y..Y))\n1 2 3\n##END=\n";
    assert_int_equal(nmrc_io_write_atomic(path, broken, strlen(broken), ctx), NMRC_OK);
    assert_int_equal(nmrc_jcamp_read_spectrum(path, &bx, &by, &n, ctx), NMRC_ESYNTAX);
    nmrc_ctx_destroy(ctx);
}

/* Peak positions (Hz) of the two largest local maxima of a real spectrum. */
static void two_peaks(const double *x, const double *y, size_t n, double *lo, double *hi)
{
    size_t a = 0, b = 0;
    for (size_t k = 1; k + 1 < n; k++) {
        if (!(y[k] >= y[k - 1] && y[k] > y[k + 1]))
            continue;
        if (y[k] > y[a]) {
            b = a;
            a = k;
        } else if (y[k] > y[b])
            b = k;
    }
    /* Parabolic refinement. */
    double pk[2];
    size_t idx[2] = {a, b};
    for (int j = 0; j < 2; j++) {
        size_t k = idx[j];
        double d = 0.5 * (y[k - 1] - y[k + 1]) / (y[k - 1] - 2 * y[k] + y[k + 1]);
        pk[j] = x[k] + d * (x[k + 1] - x[k]);
    }
    *lo = fmin(pk[0], pk[1]);
    *hi = fmax(pk[0], pk[1]);
}

/* End to end: `nmrc fid --thermal` on examples/chloroform.spin writes
** Bruker datasets whose FIDs, read back and transformed, show a doublet
** split by J = 215 Hz for 1H and 13C; the JCAMP files show the same. */
static void test_cli_chloroform(void **state)
{
    (void)state;
    char cmd[8192], dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s", path_in("cli"));
    snprintf(cmd, sizeof cmd, "%s/nmrc fid %s/examples/chloroform.spin --thermal --out %s "
             "--si 262144 > %s.log 2>&1", NMRC_BINARY_DIR, NMRC_SOURCE_DIR, dir, dir);
    assert_int_equal(system(cmd), 0);
    nmrc_ctx *ctx = nmrc_ctx_create();
    const char *nuc[2] = {"1H", "13C"};
    for (int j = 0; j < 2; j++) {
        nmrc_bruker ds;
        snprintf(path, sizeof path, "%s/%s", dir, nuc[j]);
        assert_int_equal(nmrc_bruker_read(path, &ds, ctx), NMRC_OK);
        assert_int_equal(ds.td, 4096);
        assert_true(ds.sw_h == 2000.0);
        assert_string_equal(ds.nuc1, nuc[j]);
        assert_close(ds.sfo1, j ? 400.0 * nmrc_isotope_gamma("13C") / nmrc_isotope_gamma("1H")
                                : 400.0, 1e-9, 0);
        nmrc_proc proc = {262144, 0, 0, 0, 0, 0.5};
        nmrc_spectrum_plan *sp = NULL;
        assert_int_equal(nmrc_spectrum_plan_create(ds.td, ds.sw_h, ds.sfo1, &proc, ctx, &sp),
                         NMRC_OK);
        nmrc_spectrum_ws *ws = nmrc_spectrum_ws_create(sp);
        size_t si = nmrc_spectrum_size(sp);
        nmrc_cplx *spec = malloc(si * sizeof *spec);
        double *x = malloc(si * sizeof *x), *y = malloc(si * sizeof *y), lo, hi;
        nmrc_spectrum_execute(sp, ws, ds.fid, spec);
        for (size_t k = 0; k < si; k++) {
            x[k] = nmrc_spectrum_hz(sp, k);
            y[k] = creal(spec[k]);
        }
        two_peaks(x, y, si, &lo, &hi);
        assert_close(hi - lo, 215.0, 1e-3, 0);
        assert_close(hi + lo, 0.0, 0, 1e-3);
        free(x);
        free(y);
        free(spec);
        nmrc_spectrum_ws_destroy(ws);
        nmrc_spectrum_plan_destroy(sp);
        nmrc_bruker_free(&ds);
        size_t n;
        snprintf(path, sizeof path, "%s/%s.jdx", dir, nuc[j]);
        assert_int_equal(nmrc_jcamp_read_spectrum(path, &x, &y, &n, ctx), NMRC_OK);
        assert_int_equal(n, 262144);
        two_peaks(x, y, n, &lo, &hi);
        assert_close(hi - lo, 215.0, 1e-3, 0);
        free(x);
        free(y);
    }
    nmrc_ctx_destroy(ctx);
}

/* Counts elements named `name` under node. */
static int count_elements(xmlNode *node, const char *name)
{
    int n = 0;
    for (xmlNode *c = node; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n += !xmlStrcmp(c->name, (const xmlChar *)name) + count_elements(c->children, name);
    return n;
}

/* The SVG picture is well-formed XML with an <svg> root, the FID's two
** traces and the spectrum's, and the title escaped. */
static void test_svg(void **state)
{
    (void)state;
    enum { TD = 512 };
    nmrc_cplx fid[TD];
    for (size_t k = 0; k < TD; k++)
        fid[k] = cexp((0.2 * I - 0.01) * (double)k);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spectrum_plan *sp = NULL;
    assert_int_equal(nmrc_spectrum_plan_create(TD, 1000.0, 400.0, NULL, ctx, &sp), NMRC_OK);
    nmrc_spectrum_ws *ws = nmrc_spectrum_ws_create(sp);
    nmrc_cplx spec[TD];
    nmrc_spectrum_execute(sp, ws, fid, spec);
    const char *path = path_in("pic.svg");
    assert_int_equal(nmrc_fid_svg_write(path, "a<b & \"c\"", "1H", fid, TD, 1000.0, sp, spec,
                                        ctx), NMRC_OK);
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    assert_int_equal(count_elements(root, "polyline"), 3);
    assert_non_null(strstr(read_text(path), "a&lt;b &amp; &quot;c&quot;"));
    xmlFreeDoc(doc);
    nmrc_spectrum_ws_destroy(ws);
    nmrc_spectrum_plan_destroy(sp);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    snprintf(base, sizeof base, "%s/tests/fid-out", NMRC_BINARY_DIR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_int32_big_endian),
        cmocka_unit_test(test_jcamp),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_cli_chloroform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
