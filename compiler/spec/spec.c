/*
** spec.c: named-parameter overrides (`--set NAME=VALUE`) on a parsed
** spec.  Overrides are stored, not applied: nmrc_spec_resolve evaluates
** every parameter afresh, so an override propagates to the parameters and
** values that depend on it.
*/
#include "ast.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const nmrc_stmt *find_param(const nmrc_spec *spec, const char *name)
{
    if (!spec)
        return NULL;
    long i = nmrc_index_find(&spec->params, name, strlen(name), nmrc_stmt_key, spec);
    return i >= 0 ? &spec->st[i] : NULL;
}

int nmrc_spec_has_param(const nmrc_spec *spec, const char *name)
{
    return name && find_param(spec, name) != NULL;
}

static NMRC_NODISCARD nmrc_status unknown(const nmrc_spec *spec, const char *name, nmrc_ctx *ctx)
{
    char list[512] = "";
    size_t n = 0;
    for (size_t i = 0; i < spec->n_st && n < sizeof list - 80; i++)
        if (spec->st[i].kind == NMRC_ST_PARAM)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
                                  spec->names[spec->st[i].name0].s);
    if (!n)
        return nmrc_ctx_error(ctx, NMRC_ENOTFOUND,
                              "unknown parameter '%s' (the spec defines no parameters)", name);
    return nmrc_ctx_error(ctx, NMRC_ENOTFOUND, "unknown parameter '%s' (known: %s)", name, list);
}

static NMRC_NODISCARD nmrc_status set_value(nmrc_spec *spec, const char *name, nmrc_value v, int has_unit,
                             nmrc_ctx *ctx)
{
    if (!spec || !name)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "no spec or parameter name");
    if (!find_param(spec, name))
        return unknown(spec, name, ctx);
    if (!isfinite(v.v))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "value of '%s' is not finite", name);
    nmrc_override *ov = NULL;
    for (size_t i = 0; i < spec->n_ov; i++)
        if (!strcmp(spec->ov[i].name, name))
            ov = &spec->ov[i];
    if (!ov) {
        if (nmrc_grow((void **)&spec->ov, &spec->cap_ov, spec->n_ov + 1, sizeof *spec->ov))
            return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
        ov = &spec->ov[spec->n_ov++];
        snprintf(ov->name, sizeof ov->name, "%s", name);
    }
    ov->value = v.v;
    ov->dim = v.dim;
    ov->has_unit = has_unit;
    return NMRC_OK;
}

nmrc_status nmrc_spec_set(nmrc_spec *spec, const char *name, double value, nmrc_ctx *ctx)
{
    nmrc_value v = {value, NMRC_DIM_NONE};
    return set_value(spec, name, v, 0, ctx);
}

/* Message part of a formatted diagnostic: after "error: ", up to the newline. */
static void diag_message(const char *d, char *buf, size_t size)
{
    const char *m = strstr(d, "error: ");
    m = m ? m + 7 : d;
    size_t n = strcspn(m, "\n");
    snprintf(buf, size, "%.*s", (int)n, m);
}

nmrc_status nmrc_spec_set_arg(nmrc_spec *spec, const char *arg, nmrc_ctx *ctx)
{
    const char *eq = arg ? strchr(arg, '=') : NULL;
    if (!eq || eq == arg || (size_t)(eq - arg) >= NMRC_NAME_MAX)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "expected NAME=VALUE, e.g. D=0.3 or J='200 Hz'");
    char name[NMRC_NAME_MAX];
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    if (!find_param(spec, name))
        return unknown(spec, name, ctx);
    nmrc_spec *tmp = nmrc_spec_new();
    if (!tmp)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    nmrc_status st = NMRC_OK;
    nmrc_value v;
    int idx = nmrc_spec_add_file(tmp, "--set", eq + 1, strlen(eq + 1));
    int e = idx < 0 ? -1 : nmrc_parse_quantity_text(tmp, (size_t)idx);
    if (tmp->oom) {
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    } else if (e < 0 || nmrc_eval(tmp, NULL, e, &v)) {
        char msg[256];
        diag_message(tmp->n_diags ? tmp->diags[0] : "bad value", msg, sizeof msg);
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "bad value '%s': %s", eq + 1, msg);
    } else {
        st = set_value(spec, name, v, v.dim != NMRC_DIM_NONE, ctx);
    }
    nmrc_spec_destroy(tmp);
    return st;
}
