/*
** test_io_set.c: output sets (nmrc_io_write_set) land whole or not at all:
** new and replaced files, a refused member, a member that cannot be
** staged, and a rename that fails after the first member is in place (the
** first gets its old content back); no temporary or backup file stays.
** Also the source position an error context carries (nmrc_ctx_error_at).
*/
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nmrc_test.h"
#include "core/io_fault.h"
#include "nmrc/io.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/io_set_XXXXXX", NMRC_BINARY_DIR);
    return mkdtemp(dir) ? 0 : -1;
}

static void put_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Content of dir/name ("" if missing: *exists = 0). */
static const char *get_file(const char *name, int *exists)
{
    static char buf[256];
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    buf[0] = '\0';
    *exists = f != NULL;
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

/* Number of entries in dir besides . and .. */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void clear(void)
{
    DIR *d = opendir(dir);
    char p[512];
    for (struct dirent *e; (e = readdir(d));) {
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            remove(p);
    }
    closedir(d);
}

static nmrc_status write_pair(const char *a, const char *b, const char *ta, const char *tb,
                              nmrc_ctx *ctx)
{
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s", dir, a);
    snprintf(pb, sizeof pb, "%s/%s", dir, b);
    const char *paths[2] = {pa, pb};
    const void *data[2] = {ta, tb};
    size_t lens[2] = {strlen(ta), strlen(tb)};
    return nmrc_io_write_set(2, paths, data, lens, ctx);
}

static void test_new_and_replaced(void **state)
{
    (void)state;
    int ex;
    clear();
    assert_int_equal(write_pair("s.xml", "s.pp", "xml1", "pp1", NULL), NMRC_OK);
    assert_string_equal(get_file("s.xml", &ex), "xml1");
    assert_string_equal(get_file("s.pp", &ex), "pp1");
    assert_int_equal(entries(), 2);
    assert_int_equal(write_pair("s.xml", "s.pp", "xml2", "pp2", NULL), NMRC_OK);
    assert_string_equal(get_file("s.xml", &ex), "xml2");
    assert_string_equal(get_file("s.pp", &ex), "pp2");
    assert_int_equal(entries(), 2); /* no temporary or backup left */
}

static void test_refused_member(void **state)
{
    (void)state;
    int ex;
    char sub[512];
    nmrc_ctx *ctx = nmrc_ctx_create();
    clear();
    put_file("s.xml", "old");
    snprintf(sub, sizeof sub, "%s/d.pp", dir);
    assert_int_equal(mkdir(sub, 0755), 0); /* a directory where the .pp goes */
    assert_int_equal(write_pair("s.xml", "d.pp", "new", "pp", ctx), NMRC_EIO);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "is a directory"));
    assert_string_equal(get_file("s.xml", &ex), "old");
    assert_int_equal(entries(), 2);
    rmdir(sub);
    /* a member that cannot be staged (no such folder): the other one stays */
    assert_int_equal(write_pair("s.xml", "missing/x.pp", "new", "pp", ctx), NMRC_EIO);
    assert_string_equal(get_file("s.xml", &ex), "old");
    assert_int_equal(entries(), 1);
    /* the same file twice */
    assert_int_equal(write_pair("s.xml", "s.xml", "a", "b", ctx), NMRC_EINVAL);
    assert_string_equal(get_file("s.xml", &ex), "old");
    nmrc_ctx_destroy(ctx);
}

/* The second rename fails after the first file is in place: it is put back
** (old content, or removed when it was new). */
static void test_failed_rename_restores(void **state)
{
    (void)state;
    int ex;
    nmrc_ctx *ctx = nmrc_ctx_create();
    clear();
    put_file("s.xml", "old xml");
    put_file("s.pp", "old pp");
    nmrc_io_fault_rename(1);
    assert_int_equal(write_pair("s.xml", "s.pp", "new xml", "new pp", ctx), NMRC_EIO);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "s.pp"));
    assert_string_equal(get_file("s.xml", &ex), "old xml");
    assert_string_equal(get_file("s.pp", &ex), "old pp");
    assert_int_equal(entries(), 2);
    clear();
    nmrc_io_fault_rename(1);
    assert_int_equal(write_pair("n.xml", "n.pp", "new xml", "new pp", ctx), NMRC_EIO);
    get_file("n.xml", &ex);
    assert_false(ex);
    assert_int_equal(entries(), 0);
    /* the fault applies to one call only */
    assert_int_equal(write_pair("n.xml", "n.pp", "x", "p", ctx), NMRC_OK);
    assert_int_equal(entries(), 2);
    nmrc_ctx_destroy(ctx);
}

static void test_error_position(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_errpos pos;
    const char *text;
    assert_int_equal(nmrc_ctx_error_at(ctx, NMRC_ENOTSUP, (nmrc_errpos){1, 12, 3, 6}, "a.spin",
                                       "bad term %d", 7), NMRC_ENOTSUP);
    assert_string_equal(nmrc_ctx_errmsg(ctx), "a.spin:12:3: bad term 7");
    assert_true(nmrc_ctx_errpos(ctx, &pos, &text));
    assert_string_equal(text, "bad term 7");
    assert_int_equal(pos.file, 1);
    assert_int_equal(pos.line, 12);
    assert_int_equal(pos.col, 3);
    assert_int_equal(pos.len, 6);
    assert_int_equal(nmrc_ctx_error_at(ctx, NMRC_EINVAL, (nmrc_errpos){0, 2, 1, 1}, NULL, "x"),
                     NMRC_EINVAL);
    assert_string_equal(nmrc_ctx_errmsg(ctx), "x");
    assert_true(nmrc_ctx_errpos(ctx, NULL, &text));
    assert_string_equal(text, "x");
    (void)nmrc_ctx_error(ctx, NMRC_EIO, "plain"); /* a plain error drops the position */
    assert_false(nmrc_ctx_errpos(ctx, &pos, &text));
    nmrc_ctx_destroy(ctx);
}

static int teardown(void **state)
{
    (void)state;
    clear();
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_replaced),
        cmocka_unit_test(test_refused_member),
        cmocka_unit_test(test_failed_rename_restores),
        cmocka_unit_test(test_error_position),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
