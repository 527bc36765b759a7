/*
** input.c: loading what a command works on: a .spin spec (parsed, with its
** NAME=VALUE overrides, usually resolved) or an XML program with an
** optional spin-system spec; the full diagnostic text as the error message;
** accessors; fresh models and spec copies for sweeps; the compiled
** experiment of a model.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/compile.h"
#include "nmrc/sim.h"
#include "nmrc/xml.h"
#include "run_impl.h"

nmrc_status nmrc_run_fail_(nmrc_ctx *ctx, nmrc_status st, const char *what)
{
    const char *m = nmrc_ctx_errmsg(ctx);
    char *detail = strdup(m && *m ? m : nmrc_strerror(st));
    nmrc_ctx_error(ctx, st, "%s: %s", what, detail ? detail : nmrc_strerror(st));
    free(detail);
    return st;
}

double nmrc_run_grid_value_(const nmrc_grid *g, size_t k)
{
    if (g->n < 2)
        return g->start;
    return g->start + (g->stop - g->start) * (double)k / (double)(g->n - 1);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Records every diagnostic of spec (text, source line, caret), and the line
** saying the list stopped at NMRC_MAX_DIAGS, as the message of ctx. */
static nmrc_status diagnostics(const nmrc_spec *spec, nmrc_ctx *ctx)
{
    size_t n = nmrc_spec_diag_count(spec), len = 1;
    char tail[80];
    snprintf(tail, sizeof tail, n >= NMRC_MAX_DIAGS ? "nmrc: too many errors; stopped after "
                                                      "the first %d\n" : "", NMRC_MAX_DIAGS);
    for (size_t i = 0; i < n; i++)
        len += strlen(nmrc_spec_diag_text(spec, i));
    char *text = malloc(len + strlen(tail));
    if (!text)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for the spec's diagnostics");
    text[0] = '\0';
    for (size_t i = 0, at = 0; i < n; i++) {
        const char *d = nmrc_spec_diag_text(spec, i);
        memcpy(text + at, d, strlen(d) + 1);
        at += strlen(d);
    }
    strcat(text, tail);
    nmrc_ctx_error(ctx, NMRC_ESYNTAX, "%s", text);
    free(text);
    return NMRC_ESYNTAX;
}

/* Parses path and applies the overrides; the message names the path or the
** override that failed. */
static NMRC_NODISCARD nmrc_status parse_spec(const char *path, char *const *sets, size_t n_sets,
                                             nmrc_ctx *ctx, nmrc_spec **out)
{
    nmrc_spec *spec = NULL;
    nmrc_status st = nmrc_spec_parse_file(path, ctx, &spec);
    if (st == NMRC_ESYNTAX && spec)
        st = diagnostics(spec, ctx);
    else if (st != NMRC_OK) {
        char *msg = strdup(nmrc_ctx_errmsg(ctx));
        nmrc_ctx_error(ctx, st, "%s: %s", path, msg ? msg : nmrc_strerror(st));
        free(msg);
    }
    for (size_t i = 0; st == NMRC_OK && i < n_sets; i++)
        if ((st = nmrc_spec_set_arg(spec, sets[i], ctx)) != NMRC_OK) {
            char *msg = strdup(nmrc_ctx_errmsg(ctx));
            nmrc_ctx_error(ctx, st, "--set %s: %s", sets[i], msg ? msg : nmrc_strerror(st));
            free(msg);
        }
    if (st != NMRC_OK) {
        nmrc_spec_destroy(spec);
        spec = NULL;
    }
    *out = spec;
    return st;
}

nmrc_status nmrc_run_resolve_spec_(nmrc_spec *spec, nmrc_ctx *ctx, nmrc_model **out)
{
    nmrc_status st = nmrc_spec_resolve(spec, ctx, out);
    if (st == NMRC_ESYNTAX)
        st = diagnostics(spec, ctx);
    nmrc_spec_diag_clear(spec);
    return st;
}

nmrc_status nmrc_run_spec_copy_(const nmrc_run_input *in, nmrc_ctx *ctx, nmrc_spec **out)
{
    *out = NULL;
    if (!in->spin_path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: the input has no .spin spec", in->path);
    return parse_spec(in->spin_path, in->sets, in->n_sets, ctx, out);
}

static NMRC_NODISCARD nmrc_status copy_args(nmrc_run_input *in, const char *path,
                                            const char *spin_path, const char *const *sets,
                                            size_t n_sets)
{
    in->path = strdup(path);
    in->spin_path = spin_path ? strdup(spin_path) : NULL;
    in->sets = n_sets ? calloc(n_sets, sizeof *in->sets) : NULL;
    int bad = !in->path || (spin_path && !in->spin_path) || (n_sets && !in->sets);
    for (size_t i = 0; !bad && i < n_sets; i++, in->n_sets++)
        bad = !(in->sets[i] = strdup(sets[i]));
    return bad ? NMRC_ENOMEM : NMRC_OK;
}

nmrc_status nmrc_run_load(const char *path, const char *spec_path, const char *const *sets,
                          size_t n_sets, unsigned flags, nmrc_ctx *ctx, nmrc_run_input **out)
{
    *out = NULL;
    nmrc_ctx_clear(ctx);
    if (!path || (n_sets && !sets))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "run: no input file");
    int xml = ends_with(path, ".xml");
    if (!xml && spec_path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: a spin-system spec goes with an XML "
                              "input only", path);
    const char *spin = xml ? spec_path : path;
    if (!spin && n_sets)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--set needs a spec: give --spec FILE.spin "
                              "with an XML input");
    nmrc_run_input *in = calloc(1, sizeof *in);
    nmrc_status st = in ? copy_args(in, path, spin, sets, n_sets) : NMRC_ENOMEM;
    if (st != NMRC_OK)
        nmrc_ctx_error(ctx, st, "out of memory");
    if (in)
        in->xml = xml;
    if (st == NMRC_OK && spin)
        st = parse_spec(spin, in->sets, in->n_sets, ctx, &in->spec);
    if (st == NMRC_OK && spin && !(flags & NMRC_RUN_LOAD_UNRESOLVED))
        st = nmrc_run_resolve_spec_(in->spec, ctx, &in->model);
    if (st != NMRC_OK) {
        nmrc_run_input_destroy(in);
        return st;
    }
    *out = in;
    return NMRC_OK;
}

void nmrc_run_input_destroy(nmrc_run_input *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n_sets; i++)
        free(in->sets[i]);
    free(in->sets);
    free(in->path);
    free(in->spin_path);
    nmrc_spec_destroy(in->spec);
    nmrc_model_destroy(in->model);
    nmrc_seq_destroy(in->seq);
    free(in);
}

nmrc_status nmrc_run_load_sequence(nmrc_run_input *in, nmrc_ctx *ctx)
{
    nmrc_ctx_clear(ctx);
    if (!in->xml)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: not an XML sequence file", in->path);
    return in->seq ? NMRC_OK : nmrc_xml_read_file(in->path, ctx, &in->seq);
}

int nmrc_run_input_is_xml(const nmrc_run_input *in) { return in->xml; }

const char *nmrc_run_input_path(const nmrc_run_input *in) { return in->path; }

const nmrc_model *nmrc_run_input_model(const nmrc_run_input *in) { return in->model; }

const nmrc_seq *nmrc_run_input_seq(const nmrc_run_input *in) { return in->seq; }

nmrc_status nmrc_run_resolve(const nmrc_run_input *in, nmrc_ctx *ctx, nmrc_model **out)
{
    *out = NULL;
    nmrc_ctx_clear(ctx);
    if (!in->spec)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s: the input has no .spin spec", in->path);
    return nmrc_run_resolve_spec_(in->spec, ctx, out);
}

size_t nmrc_run_model_spins(const nmrc_model *m) { return m->n_spins; }

size_t nmrc_run_model_dim(const nmrc_model *m) { return nmrc_sim_dim(m->n_spins); }

nmrc_status nmrc_run_compile_(const nmrc_model *m, int delta, nmrc_ctx *ctx, nmrc_seq **out)
{
    nmrc_compile_cfg cfg;
    *out = NULL;
    nmrc_compile_cfg_default(&cfg);
    nmrc_status st = nmrc_compile_cfg_apply(&cfg, &m->compile, ctx);
    if (delta)
        cfg.finite = 0;
    if (st == NMRC_OK)
        st = nmrc_compile_model(m, &cfg, ctx, out);
    return st;
}
