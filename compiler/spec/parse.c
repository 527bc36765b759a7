/*
** parse.c: the .spin statement parser (recursive descent).  Top-level
** statements, blocks with error recovery (synchronize at the next keyword
** of the context, ';' or '}'), keyword suggestions by edit distance,
** includes (depth-bounded, cycle-checked) and the public parse entry points.
*/
#define _XOPEN_SOURCE 700
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_param(nmrc_parser *p, nmrc_token kw);
static int parse_include(nmrc_parser *p, nmrc_token kw);
static int parse_system(nmrc_parser *p, nmrc_token kw);
static int parse_omega(nmrc_parser *p, nmrc_token kw);
static int parse_target(nmrc_parser *p, nmrc_token kw);
static int parse_charge(nmrc_parser *p, nmrc_token kw);
static int parse_temperature(nmrc_parser *p, nmrc_token kw);
static int parse_evolve(nmrc_parser *p, nmrc_token kw);
static int parse_noise(nmrc_parser *p, nmrc_token kw);
static int parse_readout(nmrc_parser *p, nmrc_token kw);
static int parse_sequence(nmrc_parser *p, nmrc_token kw);
static int parse_compile(nmrc_parser *p, nmrc_token kw);

static const nmrc_keyword toplevel[] = {
    {"param", parse_param},       {"include", parse_include},
    {"system", parse_system},     {"omega", parse_omega},
    {"target", parse_target},     {"charge", parse_charge},
    {"temperature", parse_temperature}, {"initial", nmrc_p_initial},
    {"evolve", parse_evolve},     {"noise", parse_noise},
    {"readout", parse_readout},   {"sequence", parse_sequence},
    {"compile", parse_compile},   {NULL, NULL},
};

static const nmrc_keyword *find_kw(const nmrc_keyword *table, const nmrc_token *t)
{
    for (const nmrc_keyword *k = table; k->name; k++)
        if (nmrc_lex_is(t, k->name))
            return k;
    return NULL;
}

int nmrc_p_is_keyword(const nmrc_keyword *table, const nmrc_token *t)
{
    return find_kw(table, t) != NULL;
}

int nmrc_p_is_toplevel(const nmrc_token *t)
{
    return find_kw(toplevel, t) != NULL;
}

int nmrc_p_is_spin_label(const nmrc_parser *p, const nmrc_token *t)
{
    return t->kind == NMRC_TK_NAME &&
           nmrc_index_find(&p->spec->spins, t->text, t->len, nmrc_stmt_key, p->spec) >= 0;
}

void nmrc_p_unknown_keyword(nmrc_parser *p, const nmrc_keyword *table, const char *where)
{
    const nmrc_token *t = &p->tok;
    const char *best = NULL;
    int bestd = 99;
    /* the context's keywords first, then the top level (a typo there
    ** usually means a block was left open) */
    for (int pass = 0; pass < 2; pass++)
        for (const nmrc_keyword *k = pass ? toplevel : table; k->name; k++) {
            int d = nmrc_edit_distance(t->text, t->len, k->name, strlen(k->name));
            if (d < bestd) {
                bestd = d;
                best = k->name;
            }
        }
    char name[64];
    nmrc_p_tokstr(t, name, sizeof name);
    if (best && bestd <= 1 + (int)t->len / 4) {
        nmrc_p_error(p, t->span, "unknown keyword '%s'%s; did you mean '%s'?", name, where, best);
        return;
    }
    char list[400] = "";
    size_t n = 0;
    for (const nmrc_keyword *k = table; k->name && n < sizeof list - 40; k++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k == table ? "" : ", ", k->name);
    nmrc_p_error(p, t->span, "unknown keyword '%s'%s; expected one of: %s", name, where, list);
}

/* Skips tokens up to a statement boundary of `table`'s context: one of
** its keywords, a top-level keyword, ';', '}', or a name that starts a new
** line (statements are line-oriented, so that is most likely the next
** statement, perhaps with a misspelt keyword).  With force, first skips the
** current token. */
static void sync(nmrc_parser *p, const nmrc_keyword *table, int force)
{
    uint32_t line = p->tok.span.line;
    if (force && p->tok.kind != NMRC_TK_EOF)
        nmrc_p_next(p);
    while (!p->stop) {
        const nmrc_token *t = &p->tok;
        if (t->kind == NMRC_TK_EOF || t->kind == NMRC_TK_RBRACE || t->kind == NMRC_TK_SEMI)
            return;
        if (t->kind == NMRC_TK_NAME && (find_kw(table, t) || find_kw(toplevel, t)))
            return;
        if (t->kind == NMRC_TK_NAME && t->span.line > line && p->prev_end.line < t->span.line)
            return;
        nmrc_p_next(p);
    }
}

/* Runs one keyword statement; on failure drops what it added and syncs. */
static void run_statement(nmrc_parser *p, const nmrc_keyword *kw, const nmrc_keyword *table)
{
    nmrc_spec *s = p->spec;
    size_t nst = s->n_st, nargs = s->n_args, nnames = s->n_names;
    nmrc_token kwt = p->tok;
    nmrc_p_next(p);
    if (kw->fn(p, kwt) < 0) {
        s->n_st = nst;
        s->n_args = nargs;
        s->n_names = nnames;
        sync(p, table, 0);
    }
}

/* block = "{" { keyword-statement [ ";" ] } "}" ; */
int nmrc_p_block(nmrc_parser *p, nmrc_token kw, const nmrc_keyword *table)
{
    char what[64], where[96];
    nmrc_p_tokstr(&kw, what, sizeof what);
    snprintf(where, sizeof where, " in '%s' block", what);
    if (p->tok.kind != NMRC_TK_LBRACE) {
        char exp[96];
        snprintf(exp, sizeof exp, "'{' after '%s'", what);
        return nmrc_p_unexpected(p, exp);
    }
    nmrc_p_next(p);
    while (!p->stop) {
        nmrc_token *t = &p->tok;
        const nmrc_keyword *k;
        if (t->kind == NMRC_TK_RBRACE) {
            nmrc_p_next(p);
            return 0;
        }
        if (t->kind == NMRC_TK_EOF || (t->kind == NMRC_TK_NAME && !find_kw(table, t) &&
                                       find_kw(toplevel, t))) {
            nmrc_p_error(p, t->kind == NMRC_TK_EOF ? p->prev_end : t->span,
                         "expected '}' to close '%s' block opened at %u:%u", what,
                         (unsigned)kw.span.line, (unsigned)kw.span.col);
            return 0;
        }
        if (nmrc_p_accept(p, NMRC_TK_SEMI))
            continue;
        if (t->kind == NMRC_TK_NAME && (k = find_kw(table, t)) != NULL) {
            run_statement(p, k, table);
        } else if (t->kind == NMRC_TK_NAME) {
            nmrc_p_unknown_keyword(p, table, where);
            sync(p, table, 1);
        } else {
            char exp[96];
            snprintf(exp, sizeof exp, "a keyword of the '%s' block or '}'", what);
            nmrc_p_unexpected(p, exp);
            sync(p, table, 1);
        }
    }
    return 0;
}

int nmrc_p_name_list(nmrc_parser *p, const nmrc_keyword *table, const char *stopword)
{
    int n = 0;
    while (p->tok.kind == NMRC_TK_NAME && !find_kw(table, &p->tok) &&
           !find_kw(toplevel, &p->tok) && !(stopword && nmrc_lex_is(&p->tok, stopword))) {
        if (nmrc_p_push_name(p, &p->tok))
            return -1;
        nmrc_p_next(p);
        n++;
    }
    return n;
}

static void parse_statements(nmrc_parser *p)
{
    while (!p->stop && p->tok.kind != NMRC_TK_EOF) {
        const nmrc_keyword *k;
        if (nmrc_p_accept(p, NMRC_TK_SEMI))
            continue;
        if (p->tok.kind == NMRC_TK_NAME && (k = find_kw(toplevel, &p->tok)) != NULL) {
            run_statement(p, k, toplevel);
        } else if (p->tok.kind == NMRC_TK_NAME) {
            nmrc_p_unknown_keyword(p, toplevel, "");
            sync(p, toplevel, 1);
        } else if (p->tok.kind == NMRC_TK_RBRACE) {
            nmrc_p_error(p, p->tok.span, "unexpected '}' (no block is open)");
            nmrc_p_next(p);
        } else {
            nmrc_p_unexpected(p, "a statement keyword (param, system, target, ...)");
            sync(p, toplevel, 1);
        }
    }
}

/* ---- top-level statements ------------------------------------------- */

/* param = "param" NAME "=" quantity ; */
static int parse_param(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token name = p->tok;
    if (name.kind != NMRC_TK_NAME)
        return nmrc_p_unexpected(p, "a parameter name after 'param'");
    if (nmrc_lex_is(&name, "pi") || nmrc_lex_is(&name, "i"))
        return nmrc_p_error(p, name.span, "'%.*s' is a constant and cannot be a parameter",
                            (int)name.len, name.text);
    nmrc_spec *s = p->spec;
    long prev = nmrc_index_find(&s->params, name.text, name.len, nmrc_stmt_key, s);
    if (prev >= 0)
        return nmrc_p_error(p, name.span, "duplicate parameter '%.*s' (first defined at %u:%u)",
                            (int)name.len, name.text, (unsigned)s->st[prev].span.line,
                            (unsigned)s->st[prev].span.col);
    int st = nmrc_p_new_stmt(p, NMRC_ST_PARAM, kw.span, 0);
    if (st < 0 || nmrc_p_push_name(p, &name))
        return -1;
    nmrc_p_next(p);
    if (nmrc_p_expect(p, NMRC_TK_EQ, "'=' after the parameter name"))
        return -1;
    int e = nmrc_p_quantity(p);
    if (e < 0 || nmrc_p_push_arg(p, e))
        return -1;
    nmrc_p_finish_stmt(p, st);
    if (nmrc_index_add(&s->params, (size_t)st, nmrc_stmt_key, s)) {
        s->oom = 1;
        p->stop = 1;
        return -1;
    }
    return 0;
}

/* Joins the includer's folder and `name` into buf. */
static void include_path(const char *includer, const char *name, char *buf, size_t size)
{
    const char *slash = strrchr(includer, '/');
    if (name[0] == '/' || !slash)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "%.*s/%s", (int)(slash - includer), includer, name);
}

static int include_cycle(const nmrc_parser *p, const char *real)
{
    for (const nmrc_parser *q = p; q; q = q->parent) {
        const char *r = p->spec->files[q->file].real;
        if (r && !strcmp(r, real))
            return 1;
    }
    return 0;
}

static void parse_file_at(nmrc_spec *spec, size_t file, int depth, const nmrc_parser *parent);

/* include = "include" STRING ; */
static int parse_include(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token t = p->tok;
    if (t.kind != NMRC_TK_STRING)
        return nmrc_p_unexpected(p, "a file name in double quotes after 'include'");
    char name[1024], path[2048];
    if (nmrc_lex_string_value(&t, name, sizeof name) >= sizeof name || !name[0])
        return nmrc_p_error(p, t.span, "bad include file name");
    nmrc_p_next(p);
    include_path(p->spec->files[p->file].path, name, path, sizeof path);
    if (p->include_depth + 1 > NMRC_MAX_INCLUDE_DEPTH)
        return nmrc_p_error(p, t.span, "includes nested too deeply (limit %d)",
                            NMRC_MAX_INCLUDE_DEPTH);
    char *real = realpath(path, NULL);
    int cyc = real && include_cycle(p, real);
    free(real);
    if (cyc)
        return nmrc_p_error(p, t.span, "include cycle: '%s' is already being read", path);
    char err[256];
    int idx = nmrc_load_file(p->spec, path, err, sizeof err);
    if (idx < 0)
        return nmrc_p_error(p, t.span, "cannot read included file '%s': %s", path, err);
    (void)kw;
    parse_file_at(p->spec, (size_t)idx, p->include_depth + 1, p);
    return 0;
}

static int marker_block(nmrc_parser *p, nmrc_token kw, nmrc_skind kind,
                        const nmrc_keyword *table)
{
    if (nmrc_p_simple_stmt(p, kw, kind, 0, 0))
        return -1;
    return nmrc_p_block(p, kw, table);
}

/* system = "system" "{" { spin | field | couple | homonuclear | carrier } "}" ; */
static int parse_system(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_SYSTEM, nmrc_kw_system);
}

/* target = "target" "{" { term } "}" ; */
static int parse_target(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_TARGET, nmrc_kw_target);
}

/* charge = "charge" "{" { "strength" quantity | "axis" ... | "time" grid } "}" ; */
static int parse_charge(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_CHARGE, nmrc_kw_charge);
}

/* noise = "noise" "{" { channel } "}" ; */
static int parse_noise(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_NOISE, nmrc_kw_noise);
}

/* readout = "readout" "{" { observe | td | sw | tomography | observables } "}" ; */
static int parse_readout(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_READOUT, nmrc_kw_readout);
}

/* compile = "compile" "{" { option } "}" ; */
static int parse_compile(nmrc_parser *p, nmrc_token kw)
{
    return marker_block(p, kw, NMRC_ST_COMPILE, nmrc_kw_compile);
}

/* omega = "omega" [ "=" ] quantity ; */
static int parse_omega(nmrc_parser *p, nmrc_token kw)
{
    nmrc_p_accept(p, NMRC_TK_EQ);
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_OMEGA, 0, 1);
}

/* temperature = "temperature" quantity ; */
static int parse_temperature(nmrc_parser *p, nmrc_token kw)
{
    return nmrc_p_simple_stmt(p, kw, NMRC_ST_TEMPERATURE, 0, 1);
}

/* evolve = "evolve" grid ; */
static int parse_evolve(nmrc_parser *p, nmrc_token kw)
{
    int st = nmrc_p_new_stmt(p, NMRC_ST_EVOLVE, kw.span, 0);
    if (st < 0 || nmrc_p_grid(p))
        return -1;
    nmrc_p_finish_stmt(p, st);
    return 0;
}

/* sequence = "sequence" ( STRING | NAME | "{" { event } "}" ) ; */
static int parse_sequence(nmrc_parser *p, nmrc_token kw)
{
    nmrc_token t = p->tok;
    if (t.kind == NMRC_TK_STRING || (t.kind == NMRC_TK_NAME && !nmrc_p_is_toplevel(&t))) {
        char name[NMRC_NAME_MAX];
        if (t.kind == NMRC_TK_STRING) {
            if (nmrc_lex_string_value(&t, name, sizeof name) >= sizeof name || !name[0])
                return nmrc_p_error(p, t.span, "bad sequence name (1 to %d characters)",
                                    NMRC_NAME_MAX - 1);
        } else {
            if (t.len >= sizeof name)
                return nmrc_p_error(p, t.span, "sequence name too long");
            snprintf(name, sizeof name, "%.*s", (int)t.len, t.text);
        }
        int st = nmrc_p_new_stmt(p, NMRC_ST_SEQNAME, kw.span, 0);
        if (st < 0 || nmrc_p_push_name_str(p, name, t.span))
            return -1;
        nmrc_p_next(p);
        nmrc_p_finish_stmt(p, st);
        return 0;
    }
    if (t.kind != NMRC_TK_LBRACE)
        return nmrc_p_unexpected(p, "a sequence name in quotes or '{' after 'sequence'");
    return marker_block(p, kw, NMRC_ST_SEQUENCE, nmrc_kw_sequence);
}

/* ---- files and entry points ----------------------------------------- */

static void parse_file_at(nmrc_spec *spec, size_t file, int depth, const nmrc_parser *parent)
{
    nmrc_parser p;
    memset(&p, 0, sizeof p);
    p.spec = spec;
    p.file = (uint32_t)file;
    p.include_depth = depth;
    p.parent = parent;
    nmrc_lex_init(&p.lx, spec->files[file].text, spec->files[file].len, (uint32_t)file);
    p.tok = nmrc_lex_next(&p.lx);
    p.prev_end = p.tok.span;
    parse_statements(&p);
    if (p.stop && parent)
        ((nmrc_parser *)parent)->stop = 1;
}

void nmrc_parse_file_index(nmrc_spec *spec, size_t file, int depth)
{
    parse_file_at(spec, file, depth, NULL);
}

/* Returns nonzero if the file holds nothing but white space, comments and
** ';' (included files may be empty; the main file may not). */
static int only_comments(const nmrc_spec *spec, size_t file)
{
    nmrc_lexer lx;
    nmrc_token t;
    nmrc_lex_init(&lx, spec->files[file].text, spec->files[file].len, (uint32_t)file);
    do
        t = nmrc_lex_next(&lx);
    while (t.kind == NMRC_TK_SEMI);
    return t.kind == NMRC_TK_EOF;
}

static NMRC_NODISCARD nmrc_status finish(nmrc_spec *spec, size_t file, nmrc_ctx *ctx, nmrc_spec **out)
{
    if (only_comments(spec, file))
        nmrc_diag(spec, (nmrc_span){(uint32_t)file, 1, 1, 1},
                  "empty spec: nothing but comments and white space (a spec needs at least a "
                  "'system' block with one spin)");
    nmrc_parse_file_index(spec, file, 0);
    if (spec->oom) {
        nmrc_spec_destroy(spec);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory while parsing");
    }
    spec->parse_errors = spec->n_errors;
    *out = spec;
    if (spec->n_errors)
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "%s: %d error(s)", spec->files[0].path,
                              spec->n_errors);
    return NMRC_OK;
}

nmrc_status nmrc_spec_parse_file(const char *path, nmrc_ctx *ctx, nmrc_spec **out)
{
    *out = NULL;
    nmrc_spec *spec = nmrc_spec_new();
    if (!spec)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    char err[256];
    int idx = nmrc_load_file(spec, path, err, sizeof err);
    if (idx < 0) {
        nmrc_spec_destroy(spec);
        return nmrc_ctx_error(ctx, NMRC_EIO, "cannot read file: %s", err);
    }
    return finish(spec, (size_t)idx, ctx, out);
}

nmrc_status nmrc_spec_parse_string(const char *name, const char *text, size_t len,
                                   nmrc_ctx *ctx, nmrc_spec **out)
{
    *out = NULL;
    if (len > NMRC_MAX_FILE_BYTES)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "%s: spec too large (limit 1 MiB)", name);
    nmrc_spec *spec = nmrc_spec_new();
    if (!spec)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    int idx = nmrc_spec_add_file(spec, name ? name : "<string>", text ? text : "", len);
    if (idx < 0) {
        nmrc_spec_destroy(spec);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    return finish(spec, (size_t)idx, ctx, out);
}

int nmrc_parse_quantity_text(nmrc_spec *spec, size_t file)
{
    nmrc_parser p;
    memset(&p, 0, sizeof p);
    p.spec = spec;
    p.file = (uint32_t)file;
    nmrc_lex_init(&p.lx, spec->files[file].text, spec->files[file].len, (uint32_t)file);
    p.tok = nmrc_lex_next(&p.lx);
    p.prev_end = p.tok.span;
    int e = nmrc_p_quantity(&p);
    if (e >= 0 && p.tok.kind != NMRC_TK_EOF) {
        nmrc_p_unexpected(&p, "the end of the value");
        return -1;
    }
    return e;
}
