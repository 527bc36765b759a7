/*
** resolve_seq.c: resolves an explicit `sequence { ... }` into user events
** (pulses, delays, gradients, acquisition, loops), the `compile { ... }`
** options, and the whole-spec checks that run after every statement.
*/
#include "resolve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nmrc/consts.h"


static nmrc_uevent *new_event(nmrc_rctx *r, nmrc_uevent_kind kind, nmrc_span sp)
{
    nmrc_model *m = r->m;
    if (nmrc_grow((void **)&m->uevents, &r->cap_uevents, m->n_uevents + 1, sizeof *m->uevents)) {
        r->oom = 1;
        return NULL;
    }
    nmrc_uevent *e = &m->uevents[m->n_uevents++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->span = sp;
    return e;
}

static void pulse(nmrc_rctx *r, const nmrc_stmt *st)
{
    unsigned mask = 0;
    int bad = 0;
    for (size_t k = 0; k < st->n_names; k++) {
        int s = nmrc_r_spin(r, st, k);
        if (s < 0)
            bad = 1;
        else
            mask |= 1u << s;
    }
    double angle = 0.0, phase = st->sub * NMRC_PI / 2.0;
    bad |= nmrc_r_value(r, st, 0, NMRC_DIM_ANGLE, NMRC_PI / 180.0, "pulse angle", &angle);
    if (r->spec->args[st->ex0 + 1] >= 0)
        bad |= nmrc_r_value(r, st, 1, NMRC_DIM_ANGLE, NMRC_PI / 180.0, "pulse phase", &phase);
    nmrc_uevent *e = bad ? NULL : new_event(r, NMRC_UEV_PULSE, st->span);
    if (e) {
        e->mask = mask;
        e->angle = angle;
        e->phase = fmod(phase, 2.0 * NMRC_PI);
        if (e->phase < 0.0)
            e->phase += 2.0 * NMRC_PI;
    }
}

static void delay(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_value v;
    int ex = r->spec->args[st->ex0];
    if (nmrc_eval(r->spec, &r->pt, ex, &v))
        return;
    if (v.dim != NMRC_DIM_TIME && v.dim != NMRC_DIM_NONE) {
        nmrc_diag(r->spec, r->spec->ex[ex].span,
                  "a delay must be a time (s, ms, us) or omega*t, not a %s", nmrc_dim_name(v.dim));
        return;
    }
    if (v.v < 0.0) {
        nmrc_diag(r->spec, r->spec->ex[ex].span, "a delay must be >= 0");
        return;
    }
    nmrc_uevent *e = new_event(r, NMRC_UEV_DELAY, st->span);
    if (e) {
        e->duration = v.v;
        e->time_is_seconds = v.dim == NMRC_DIM_TIME;
    }
}

static void gradient(nmrc_rctx *r, const nmrc_stmt *st)
{
    double dur, amp;
    if (nmrc_r_value(r, st, 0, NMRC_DIM_TIME, 0.0, "gradient duration", &dur) |
        nmrc_r_value(r, st, 1, NMRC_DIM_GRAD, 0.0, "gradient amplitude", &amp))
        return;
    if (dur < 0.0) {
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "a gradient duration must be >= 0");
        return;
    }
    nmrc_uevent *e = new_event(r, NMRC_UEV_GRADIENT, st->span);
    if (e) {
        e->duration = dur;
        e->time_is_seconds = 1;
        e->amplitude = amp;
        e->axis = (char)st->sub;
    }
}

void nmrc_r_sequence(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_uevent *e;
    size_t count;
    switch (st->kind) {
    case NMRC_ST_SEQNAME:
    case NMRC_ST_SEQUENCE:
        /* one sequence: a library name or an explicit block, not both */
        r->seen[NMRC_ST_SEQNAME] = r->seen[NMRC_ST_SEQUENCE].line ? r->seen[NMRC_ST_SEQUENCE]
                                                                  : r->seen[NMRC_ST_SEQNAME];
        if (nmrc_r_once(r, st, "sequence"))
            return;
        r->seen[NMRC_ST_SEQNAME] = r->seen[NMRC_ST_SEQUENCE] = st->span;
        if (st->kind == NMRC_ST_SEQNAME)
            snprintf(r->m->sequence_name, NMRC_NAME_MAX, "%s", r->spec->names[st->name0].s);
        return;
    case NMRC_ST_PULSE:
        pulse(r, st);
        return;
    case NMRC_ST_DELAY:
        delay(r, st);
        return;
    case NMRC_ST_GRADIENT:
        gradient(r, st);
        return;
    case NMRC_ST_ACQUIRE:
        new_event(r, NMRC_UEV_ACQUIRE, st->span);
        return;
    case NMRC_ST_REPEAT:
        if (nmrc_r_count(r, st, 0, 1, 1e6, "the repeat count", &count))
            count = 1;
        if ((e = new_event(r, NMRC_UEV_LOOP_BEGIN, st->span)) != NULL)
            e->count = count;
        return;
    case NMRC_ST_ENDREPEAT:
        new_event(r, NMRC_UEV_LOOP_END, st->span);
        return;
    default:
        return;
    }
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

static int valid_decoupling(const char *s)
{
    static const char *const known[] = {"cpmg", "xy4", "xy8", "xy16", NULL};
    if (in_list(s, known))
        return 1;
    if (strncmp(s, "udd", 3) || !s[3] || strlen(s) > 6)
        return 0;
    for (const char *c = s + 3; *c; c++)
        if (*c < '0' || *c > '9')
            return 0;
    return atoi(s + 3) >= 1;
}

void nmrc_r_compile(nmrc_rctx *r, const nmrc_stmt *st)
{
    static const char *const composites[] = {"bb1", "corpse", "scrofulous", NULL};
    nmrc_compile_opts *c = &r->m->compile;
    const nmrc_name *n = st->n_names ? &r->spec->names[st->name0] : NULL;
    size_t steps;
    switch (st->kind) {
    case NMRC_ST_COMPILE:
        nmrc_r_once(r, st, "compile");
        return;
    case NMRC_ST_STEPS:
        if (!nmrc_r_once(r, st, "steps") &&
            !nmrc_r_count(r, st, 0, 1, 1e6, "steps", &steps))
            c->steps = (int)steps;
        return;
    case NMRC_ST_ORDER:
        if (!nmrc_r_once(r, st, "order"))
            c->symmetric = st->sub;
        return;
    case NMRC_ST_MAX_ERROR:
        if (!nmrc_r_once(r, st, "max_error") &&
            !nmrc_r_value(r, st, 0, NMRC_DIM_NONE, 0.0, "max_error", &c->max_error) &&
            !(c->max_error > 0.0))
            nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "max_error must be positive");
        return;
    case NMRC_ST_COMPOSITE:
        if (nmrc_r_once(r, st, "composite"))
            return;
        if (!in_list(n->s, composites))
            nmrc_diag(r->spec, n->span, "unknown composite pulse '%s' (known: bb1, corpse, scrofulous)",
                      n->s);
        else
            snprintf(c->composite, sizeof c->composite, "%.15s", n->s);
        return;
    case NMRC_ST_DECOUPLE:
        if (nmrc_r_once(r, st, "decouple"))
            return;
        if (!valid_decoupling(n->s))
            nmrc_diag(r->spec, n->span,
                      "unknown decoupling cycle '%s' (known: cpmg, xy4, xy8, xy16, udd<n>)", n->s);
        else
            snprintf(c->decouple, sizeof c->decouple, "%.15s", n->s);
        return;
    case NMRC_ST_OFFSET_COMP:
        c->offset_compensation = 1;
        return;
    case NMRC_ST_CTIME:
        if (!nmrc_r_once(r, st, "time") &&
            !nmrc_r_value(r, st, 0, NMRC_DIM_NONE, 0.0, "compile time", &c->time) &&
            c->time < 0.0)
            nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "the compile time must be >= 0");
        return;
    default:
        return;
    }
}

void nmrc_r_finish(nmrc_rctx *r)
{
    nmrc_model *m = r->m;
    nmrc_r_kelvin(r);
    if (m->has_charge && !r->charge_time && m->charge.span.line)
        nmrc_diag(r->spec, m->charge.span,
                  "the 'charge' block needs 'time start : stop : points'");
    if (m->init.kind == NMRC_INIT_CHARGED && !m->has_charge)
        nmrc_diag(r->spec, m->init.span, "'initial charged' needs a 'charge' block");
}
