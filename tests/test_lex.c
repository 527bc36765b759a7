/*
** test_lex.c: cmocka tests for the .spin lexer: token kinds and values,
** spans (line, column, length), isotopes versus numbers with units,
** strings and escapes, comments, lexical errors, and UTF-8 input (the unit
** µs, one error token per non-ASCII character).
*/
#include "nmrc_test.h"

#include <string.h>

#include "compiler/spec/lex.h"

/* Lexes src into at most max tokens (EOF included); returns the count. */
static size_t lex_all(const char *src, nmrc_token *out, size_t max)
{
    nmrc_lexer lx;
    nmrc_lex_init(&lx, src, strlen(src), 3);
    size_t n = 0;
    while (n < max) {
        out[n] = nmrc_lex_next(&lx);
        if (out[n++].kind == NMRC_TK_EOF)
            break;
    }
    return n;
}

static void assert_text(const nmrc_token *t, const char *s)
{
    assert_int_equal(t->len, strlen(s));
    assert_memory_equal(t->text, s, t->len);
}

static void test_kinds_and_spans(void **state)
{
    (void)state;
    nmrc_token t[32];
    size_t n = lex_all("param x = 2.5e-3 # comment\n  spin H 1H {}", t, 32);
    nmrc_tk want[] = {NMRC_TK_NAME, NMRC_TK_NAME, NMRC_TK_EQ, NMRC_TK_NUMBER, NMRC_TK_NAME,
                      NMRC_TK_NAME, NMRC_TK_ISOTOPE, NMRC_TK_LBRACE, NMRC_TK_RBRACE,
                      NMRC_TK_EOF};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t[i].kind, want[i]);
    assert_text(&t[0], "param");
    assert_close(t[3].num, 2.5e-3, 1e-15, 0);
    assert_int_equal(t[3].span.line, 1);
    assert_int_equal(t[3].span.col, 11);
    assert_int_equal(t[3].span.len, 6);
    assert_int_equal(t[3].span.file, 3);
    assert_int_equal(t[4].span.line, 2); /* after the comment */
    assert_int_equal(t[4].span.col, 3);
    assert_text(&t[6], "1H");
    assert_int_equal(t[7].space_before, 1);
    assert_int_equal(t[8].space_before, 0);
}

static void test_isotopes_and_units(void **state)
{
    (void)state;
    nmrc_token t[16];
    size_t n = lex_all("13C 129Xe 2T 400MHz 10us 3He", t, 16);
    assert_int_equal(n, 10);
    assert_int_equal(t[0].kind, NMRC_TK_ISOTOPE);
    assert_text(&t[0], "13C");
    assert_int_equal(t[1].kind, NMRC_TK_ISOTOPE);
    assert_text(&t[1], "129Xe");
    assert_int_equal(t[2].kind, NMRC_TK_NUMBER); /* 2 tesla, not an isotope */
    assert_int_equal(t[3].kind, NMRC_TK_NAME);
    assert_text(&t[3], "T");
    assert_int_equal(t[4].kind, NMRC_TK_NUMBER);
    assert_close(t[4].num, 400.0, 0, 0);
    assert_int_equal(t[5].kind, NMRC_TK_NAME);
    assert_text(&t[5], "MHz");
    assert_int_equal(t[5].space_before, 0);
    assert_int_equal(t[6].kind, NMRC_TK_NUMBER);
    assert_int_equal(t[7].kind, NMRC_TK_NAME);
    assert_int_equal(t[8].kind, NMRC_TK_ISOTOPE);
}

static void test_numbers(void **state)
{
    (void)state;
    nmrc_token t[16];
    size_t n = lex_all(".5 1e 1E+2 7.", t, 16);
    assert_int_equal(n, 6);
    assert_close(t[0].num, 0.5, 0, 0);
    assert_close(t[1].num, 1.0, 0, 0); /* "1e" is the number 1 and the name e */
    assert_int_equal(t[2].kind, NMRC_TK_NAME);
    assert_text(&t[2], "e");
    assert_close(t[3].num, 100.0, 0, 0);
    assert_close(t[4].num, 7.0, 0, 0);
    n = lex_all("1e999", t, 16);
    assert_int_equal(t[0].kind, NMRC_TK_NUMBER);
    assert_true(isinf(t[0].num)); /* overflow is reported by evaluation */
}

static void test_strings(void **state)
{
    (void)state;
    nmrc_token t[8];
    char buf[64];
    lex_all("\"a\\\"b\\\\c\" x", t, 8);
    assert_int_equal(t[0].kind, NMRC_TK_STRING);
    assert_int_equal(nmrc_lex_string_value(&t[0], buf, sizeof buf), 5);
    assert_string_equal(buf, "a\"b\\c");
    assert_int_equal(t[1].kind, NMRC_TK_NAME);
    /* truncation reports the full length */
    assert_int_equal(nmrc_lex_string_value(&t[0], buf, 3), 5);
    assert_string_equal(buf, "a\"");
}

static void test_errors(void **state)
{
    (void)state;
    nmrc_token t[8];
    size_t n = lex_all("\"open\nx", t, 8);
    assert_int_equal(t[0].kind, NMRC_TK_ERROR);
    assert_non_null(strstr(t[0].msg, "unterminated string"));
    assert_int_equal(t[0].span.col, 1);
    assert_int_equal(t[0].span.len, 5);
    assert_int_equal(t[1].kind, NMRC_TK_NAME); /* lexing continues */
    assert_int_equal(t[1].span.line, 2);
    assert_int_equal(n, 3);
    n = lex_all("a $ \"\\q\" \x80", t, 8);
    assert_int_equal(t[1].kind, NMRC_TK_ERROR);
    assert_string_equal(t[1].msg, "unexpected character");
    assert_int_equal(t[2].kind, NMRC_TK_ERROR);
    assert_non_null(strstr(t[2].msg, "escape"));
    assert_int_equal(t[3].kind, NMRC_TK_ERROR);
    assert_non_null(strstr(t[3].msg, "not printable"));
    assert_int_equal(t[4].kind, NMRC_TK_EOF);
}

/* "µs" (either micro sign) is one NAME token; any other non-ASCII
** character is one ERROR token however many bytes it has; a malformed
** byte is an ERROR token of its own. */
static void test_utf8(void **state)
{
    (void)state;
    nmrc_token t[16];
    size_t n = lex_all("8 \xC2\xB5s 9\xCE\xBCs \xC2\xB5sec \xE2\x88\x92 \xF0\x9F\x98\x80 \xC3(", t, 16);
    assert_int_equal(t[1].kind, NMRC_TK_NAME);
    assert_text(&t[1], "\xC2\xB5s");
    assert_int_equal(t[1].span.col, 3);
    assert_int_equal(t[3].kind, NMRC_TK_NAME); /* glued to the number */
    assert_text(&t[3], "\xCE\xBCs");
    assert_int_equal(t[3].space_before, 0);
    assert_int_equal(t[4].kind, NMRC_TK_ERROR); /* the micro sign alone */
    assert_int_equal(t[4].len, 2);
    assert_int_equal(t[5].kind, NMRC_TK_NAME);
    assert_text(&t[5], "sec");
    assert_int_equal(t[6].kind, NMRC_TK_ERROR); /* U+2212, three bytes */
    assert_int_equal(t[6].len, 3);
    assert_string_equal(t[6].msg, "unexpected character");
    assert_int_equal(t[7].kind, NMRC_TK_ERROR); /* U+1F600, four bytes */
    assert_int_equal(t[7].len, 4);
    assert_int_equal(t[8].kind, NMRC_TK_ERROR); /* C3 without its continuation */
    assert_int_equal(t[8].len, 1);
    assert_non_null(strstr(t[8].msg, "not printable"));
    assert_int_equal(t[9].kind, NMRC_TK_LPAREN);
    assert_int_equal(n, 11);
}

static void test_embedded_nul(void **state)
{
    (void)state;
    const char src[] = "a\0b";
    nmrc_lexer lx;
    nmrc_lex_init(&lx, src, 3, 0);
    nmrc_token t = nmrc_lex_next(&lx);
    assert_int_equal(t.kind, NMRC_TK_NAME);
    t = nmrc_lex_next(&lx);
    assert_int_equal(t.kind, NMRC_TK_ERROR);
    t = nmrc_lex_next(&lx);
    assert_int_equal(t.kind, NMRC_TK_NAME);
    t = nmrc_lex_next(&lx);
    assert_int_equal(t.kind, NMRC_TK_EOF);
    t = nmrc_lex_next(&lx);
    assert_int_equal(t.kind, NMRC_TK_EOF); /* EOF forever */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_spans), cmocka_unit_test(test_isotopes_and_units),
        cmocka_unit_test(test_numbers),         cmocka_unit_test(test_strings),
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
