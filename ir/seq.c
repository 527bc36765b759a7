/*
** seq.c: the pulse-program IR (nmrc/seq.h): creation, growth, deep copy,
** comparison and the small builders (channels, phase lists, parameters,
** shapes, experiments) every producer of a sequence shares.  Plain data,
** no I/O.
*/
#include "nmrc/seq.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies src into dst[size], always NUL-terminated (truncates). */
static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

nmrc_seq *nmrc_seq_create(const char *name)
{
    nmrc_seq *seq = calloc(1, sizeof *seq);
    if (!seq)
        return NULL;
    copy_str(seq->name, sizeof seq->name, name);
    seq->receiver_list = -1;
    seq->scans = 1;
    return seq;
}

static void free_shapes(nmrc_shape *shapes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(shapes[i].amp);
        free(shapes[i].phase);
    }
    free(shapes);
}

static void free_lists(nmrc_phase_list *lists, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lists[i].phase);
    free(lists);
}

void nmrc_seq_destroy(nmrc_seq *seq)
{
    if (!seq)
        return;
    free(seq->events);
    free_shapes(seq->shapes, seq->n_shapes);
    free_lists(seq->phase_lists, seq->n_phase_lists);
    free(seq->params);
    free(seq->experiments);
    free(seq->figures);
    free(seq);
}

nmrc_event nmrc_seq_event_init(nmrc_event_kind kind)
{
    nmrc_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.channel = -1;
    ev.shape = -1;
    for (int i = 0; i < NMRC_SEQ_MAX_CHANNELS; i++) {
        ev.pulse[i].channel = -1;
        ev.pulse[i].phase_list = -1;
    }
    return ev;
}

nmrc_status nmrc_seq_append(nmrc_seq *seq, const nmrc_event *ev)
{
    if (!seq || !ev)
        return NMRC_EINVAL;
    if (seq->n_events == seq->cap_events) {
        size_t cap = seq->cap_events ? 2 * seq->cap_events : 16;
        nmrc_event *p = realloc(seq->events, cap * sizeof *p);
        if (!p)
            return NMRC_ENOMEM;
        seq->events = p;
        seq->cap_events = cap;
    }
    seq->events[seq->n_events++] = *ev;
    return NMRC_OK;
}

size_t nmrc_seq_loop_end(const nmrc_seq *seq, size_t i)
{
    int depth = 0;
    for (size_t j = i; j < seq->n_events; j++) {
        depth += seq->events[j].kind == NMRC_EV_LOOP_BEGIN;
        depth -= seq->events[j].kind == NMRC_EV_LOOP_END;
        if (depth == 0)
            return j;
    }
    return seq->n_events;
}

/* Number of channels of the given kind already present. */
static int count_kind(const nmrc_seq *seq, nmrc_chan_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < seq->n_channels; i++)
        n += seq->channels[i].kind == kind;
    return n;
}

nmrc_status nmrc_seq_rf_channel(nmrc_seq *seq, const char *nucleus, double rf90, int *index)
{
    if (!seq || !nucleus || !index)
        return NMRC_EINVAL;
    for (size_t i = 0; i < seq->n_channels; i++) {
        const nmrc_channel *c = &seq->channels[i];
        if (c->kind == NMRC_CHAN_RF && strcmp(c->nucleus, nucleus) == 0) {
            *index = (int)i;
            return NMRC_OK;
        }
    }
    if (seq->n_channels >= NMRC_SEQ_MAX_CHANNELS)
        return NMRC_ELIMIT;
    nmrc_channel *c = &seq->channels[seq->n_channels];
    memset(c, 0, sizeof *c);
    c->kind = NMRC_CHAN_RF;
    /* fewer than NMRC_SEQ_MAX_CHANNELS (8) channels: one digit */
    c->name[0] = 'f';
    c->name[1] = (char)('1' + count_kind(seq, NMRC_CHAN_RF));
    copy_str(c->nucleus, sizeof c->nucleus, nucleus);
    c->rf90 = rf90;
    *index = (int)seq->n_channels++;
    return NMRC_OK;
}

nmrc_status nmrc_seq_grad_channel(nmrc_seq *seq, char axis, int *index)
{
    if (!seq || !index || (axis != 'x' && axis != 'y' && axis != 'z'))
        return NMRC_EINVAL;
    for (size_t i = 0; i < seq->n_channels; i++) {
        if (seq->channels[i].kind == NMRC_CHAN_GRAD && seq->channels[i].axis == axis) {
            *index = (int)i;
            return NMRC_OK;
        }
    }
    if (seq->n_channels >= NMRC_SEQ_MAX_CHANNELS)
        return NMRC_ELIMIT;
    nmrc_channel *c = &seq->channels[seq->n_channels];
    memset(c, 0, sizeof *c);
    c->kind = NMRC_CHAN_GRAD;
    c->axis = axis;
    snprintf(c->name, sizeof c->name, "g%c", axis);
    *index = (int)seq->n_channels++;
    return NMRC_OK;
}

/* Returns a malloc'ed copy of n doubles (NULL for n == 0 or on failure;
** *ok says which). */
static double *dup_doubles(const double *src, size_t n, int *ok)
{
    *ok = 1;
    if (n == 0)
        return NULL;
    double *p = malloc(n * sizeof *p);
    if (!p) {
        *ok = 0;
        return NULL;
    }
    memcpy(p, src, n * sizeof *p);
    return p;
}

nmrc_status nmrc_seq_add_phase_list(nmrc_seq *seq, const char *name, const double *phase,
                                    size_t n, int *index)
{
    if (!seq || !name || (n && !phase))
        return NMRC_EINVAL;
    int ok;
    double *copy = dup_doubles(phase, n, &ok);
    if (!ok)
        return NMRC_ENOMEM;
    for (size_t i = 0; i < seq->n_phase_lists; i++) {
        nmrc_phase_list *l = &seq->phase_lists[i];
        if (strcmp(l->name, name) == 0) {
            free(l->phase);
            l->phase = copy;
            l->n = n;
            if (index)
                *index = (int)i;
            return NMRC_OK;
        }
    }
    nmrc_phase_list *p = realloc(seq->phase_lists, (seq->n_phase_lists + 1) * sizeof *p);
    if (!p) {
        free(copy);
        return NMRC_ENOMEM;
    }
    seq->phase_lists = p;
    nmrc_phase_list *l = &p[seq->n_phase_lists];
    memset(l, 0, sizeof *l);
    copy_str(l->name, sizeof l->name, name);
    l->n = n;
    l->phase = copy;
    if (index)
        *index = (int)seq->n_phase_lists;
    seq->n_phase_lists++;
    return NMRC_OK;
}

const nmrc_param *nmrc_seq_find_param(const nmrc_seq *seq, const char *name)
{
    if (!seq || !name)
        return NULL;
    for (size_t i = 0; i < seq->n_params; i++)
        if (strcmp(seq->params[i].name, name) == 0)
            return &seq->params[i];
    return NULL;
}

nmrc_status nmrc_seq_set_param(nmrc_seq *seq, const char *name, double value, const char *unit,
                               const char *comment)
{
    if (!seq || !name || !*name)
        return NMRC_EINVAL;
    nmrc_param *par = (nmrc_param *)nmrc_seq_find_param(seq, name);
    if (!par) {
        nmrc_param *p = realloc(seq->params, (seq->n_params + 1) * sizeof *p);
        if (!p)
            return NMRC_ENOMEM;
        seq->params = p;
        par = &p[seq->n_params++];
        memset(par, 0, sizeof *par);
        copy_str(par->name, sizeof par->name, name);
    }
    par->value = value;
    copy_str(par->unit, sizeof par->unit, unit);
    copy_str(par->comment, sizeof par->comment, comment);
    return NMRC_OK;
}

nmrc_status nmrc_seq_add_shape(nmrc_seq *seq, const char *name, const double *amp,
                               const double *phase, size_t n, int *index)
{
    if (!seq || !name || (n && (!amp || !phase)))
        return NMRC_EINVAL;
    int ok_a, ok_p;
    double *a = dup_doubles(amp, n, &ok_a);
    double *ph = dup_doubles(phase, n, &ok_p);
    nmrc_shape *p = (ok_a && ok_p) ? realloc(seq->shapes, (seq->n_shapes + 1) * sizeof *p) : NULL;
    if (!p) {
        free(a);
        free(ph);
        return NMRC_ENOMEM;
    }
    seq->shapes = p;
    nmrc_shape *s = &p[seq->n_shapes];
    memset(s, 0, sizeof *s);
    copy_str(s->name, sizeof s->name, name);
    s->n = n;
    s->amp = a;
    s->phase = ph;
    if (index)
        *index = (int)seq->n_shapes;
    seq->n_shapes++;
    return NMRC_OK;
}

nmrc_status nmrc_seq_add_experiment(nmrc_seq *seq, const nmrc_experiment *ex)
{
    if (!seq || !ex)
        return NMRC_EINVAL;
    nmrc_experiment *p = realloc(seq->experiments, (seq->n_experiments + 1) * sizeof *p);
    if (!p)
        return NMRC_ENOMEM;
    seq->experiments = p;
    p[seq->n_experiments++] = *ex;
    return NMRC_OK;
}

nmrc_status nmrc_seq_set_figure(nmrc_seq *seq, const char *name, double value,
                                const char *unit)
{
    if (!seq || !name || !*name)
        return NMRC_EINVAL;
    nmrc_figure *f = NULL;
    for (size_t i = 0; i < seq->n_figures && !f; i++)
        if (strcmp(seq->figures[i].name, name) == 0)
            f = &seq->figures[i];
    if (!f) {
        nmrc_figure *p = realloc(seq->figures, (seq->n_figures + 1) * sizeof *p);
        if (!p)
            return NMRC_ENOMEM;
        seq->figures = p;
        f = &p[seq->n_figures++];
        memset(f, 0, sizeof *f);
        copy_str(f->name, sizeof f->name, name);
    }
    f->value = value;
    copy_str(f->unit, sizeof f->unit, unit);
    return NMRC_OK;
}

/* Deep-copies the owned arrays of src into dst (whose scalars are already
** copied and whose pointers are NULL).  Returns 0 on out of memory. */
static int clone_arrays(nmrc_seq *dst, const nmrc_seq *src)
{
    int ok = 1;
    if (src->n_events) {
        dst->events = malloc(src->n_events * sizeof *dst->events);
        if (!dst->events)
            return 0;
        memcpy(dst->events, src->events, src->n_events * sizeof *dst->events);
    }
    dst->n_events = dst->cap_events = src->n_events;
    for (size_t i = 0; ok && i < src->n_shapes; i++) {
        const nmrc_shape *s = &src->shapes[i];
        ok = nmrc_seq_add_shape(dst, s->name, s->amp, s->phase, s->n, NULL) == NMRC_OK;
    }
    for (size_t i = 0; ok && i < src->n_phase_lists; i++) {
        const nmrc_phase_list *l = &src->phase_lists[i];
        ok = nmrc_seq_add_phase_list(dst, l->name, l->phase, l->n, NULL) == NMRC_OK;
    }
    if (ok && src->n_params) {
        dst->params = malloc(src->n_params * sizeof *dst->params);
        ok = dst->params != NULL;
        if (ok) {
            memcpy(dst->params, src->params, src->n_params * sizeof *dst->params);
            dst->n_params = src->n_params;
        }
    }
    if (ok && src->n_figures) {
        dst->figures = malloc(src->n_figures * sizeof *dst->figures);
        ok = dst->figures != NULL;
        if (ok) {
            memcpy(dst->figures, src->figures, src->n_figures * sizeof *dst->figures);
            dst->n_figures = src->n_figures;
        }
    }
    if (ok && src->n_experiments) {
        dst->experiments = malloc(src->n_experiments * sizeof *dst->experiments);
        ok = dst->experiments != NULL;
        if (ok) {
            memcpy(dst->experiments, src->experiments,
                   src->n_experiments * sizeof *dst->experiments);
            dst->n_experiments = src->n_experiments;
        }
    }
    return ok;
}

nmrc_seq *nmrc_seq_clone(const nmrc_seq *seq)
{
    if (!seq)
        return NULL;
    nmrc_seq *dst = malloc(sizeof *dst);
    if (!dst)
        return NULL;
    *dst = *seq;
    dst->events = NULL;
    dst->n_events = dst->cap_events = 0;
    dst->shapes = NULL;
    dst->n_shapes = 0;
    dst->phase_lists = NULL;
    dst->n_phase_lists = 0;
    dst->params = NULL;
    dst->n_params = 0;
    dst->experiments = NULL;
    dst->n_experiments = 0;
    dst->figures = NULL;
    dst->n_figures = 0;
    if (!clone_arrays(dst, seq)) {
        nmrc_seq_destroy(dst);
        return NULL;
    }
    return dst;
}

/* ---- Comparison -------------------------------------------------------- */

/* Equal to a relative 1e-12 (exactly equal values, zeros included, pass). */
static int close_rel(double a, double b)
{
    if (a == b)
        return 1;
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

static int close_vec(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!close_rel(a[i], b[i]))
            return 0;
    return 1;
}

static int pulse_equal(const nmrc_pulse *a, const nmrc_pulse *b)
{
    return a->channel == b->channel && a->phase_list == b->phase_list &&
           close_rel(a->angle, b->angle) && close_rel(a->phase, b->phase) &&
           close_rel(a->amplitude, b->amplitude);
}

/* Compares the fields that matter for the event's kind (spans are source
** positions, not program, and are ignored). */
static int event_equal(const nmrc_event *a, const nmrc_event *b)
{
    if (a->kind != b->kind || strcmp(a->param, b->param) != 0 ||
        strcmp(a->amp_param, b->amp_param) != 0)
        return 0;
    switch (a->kind) {
    case NMRC_EV_PULSE:
        if (a->n_pulse != b->n_pulse || !close_rel(a->duration, b->duration))
            return 0;
        for (int i = 0; i < a->n_pulse && i < NMRC_SEQ_MAX_CHANNELS; i++)
            if (!pulse_equal(&a->pulse[i], &b->pulse[i]))
                return 0;
        return 1;
    case NMRC_EV_SHAPED:
        return close_rel(a->duration, b->duration) && a->channel == b->channel &&
               a->shape == b->shape && close_rel(a->amplitude, b->amplitude) &&
               close_rel(a->pulse[0].angle, b->pulse[0].angle) &&
               close_rel(a->pulse[0].phase, b->pulse[0].phase) &&
               a->pulse[0].phase_list == b->pulse[0].phase_list;
    case NMRC_EV_DELAY:
        return close_rel(a->duration, b->duration);
    case NMRC_EV_GRADIENT:
        return close_rel(a->duration, b->duration) && a->channel == b->channel &&
               a->shape == b->shape && close_rel(a->amplitude, b->amplitude);
    case NMRC_EV_ACQUIRE:
        return close_rel(a->duration, b->duration) && a->channel == b->channel;
    case NMRC_EV_VZ:
        return a->channel == b->channel && close_rel(a->vz_phase, b->vz_phase);
    case NMRC_EV_LOOP_BEGIN:
        return a->count == b->count;
    case NMRC_EV_LOOP_END:
        return 1;
    }
    return 0;
}

static int channel_equal(const nmrc_channel *a, const nmrc_channel *b)
{
    if (a->kind != b->kind || strcmp(a->name, b->name) != 0)
        return 0;
    if (a->kind == NMRC_CHAN_GRAD)
        return a->axis == b->axis;
    return strcmp(a->nucleus, b->nucleus) == 0 && close_rel(a->rf90, b->rf90);
}

static int lists_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    if (a->n_phase_lists != b->n_phase_lists || a->receiver_list != b->receiver_list)
        return 0;
    for (size_t i = 0; i < a->n_phase_lists; i++) {
        const nmrc_phase_list *x = &a->phase_lists[i], *y = &b->phase_lists[i];
        if (strcmp(x->name, y->name) != 0 || x->n != y->n || !close_vec(x->phase, y->phase, x->n))
            return 0;
    }
    if (a->n_shapes != b->n_shapes)
        return 0;
    for (size_t i = 0; i < a->n_shapes; i++) {
        const nmrc_shape *x = &a->shapes[i], *y = &b->shapes[i];
        if (strcmp(x->name, y->name) != 0 || x->n != y->n || !close_vec(x->amp, y->amp, x->n) ||
            !close_vec(x->phase, y->phase, x->n))
            return 0;
    }
    return 1;
}

static int params_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    if (a->n_params != b->n_params)
        return 0;
    for (size_t i = 0; i < a->n_params; i++) {
        const nmrc_param *x = &a->params[i], *y = &b->params[i];
        if (strcmp(x->name, y->name) != 0 || strcmp(x->unit, y->unit) != 0 ||
            !close_rel(x->value, y->value))
            return 0;
    }
    return 1;
}

static int experiments_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    if (a->n_experiments != b->n_experiments || a->scans != b->scans)
        return 0;
    for (size_t i = 0; i < a->n_experiments; i++) {
        const nmrc_experiment *x = &a->experiments[i], *y = &b->experiments[i];
        if (!close_rel(x->weight, y->weight) || x->prepend != y->prepend ||
            !close_vec(x->phase_offset, y->phase_offset, NMRC_SEQ_MAX_CHANNELS))
            return 0;
    }
    return 1;
}

static int target_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    if (a->has_target != b->has_target || strcmp(a->target_op, b->target_op) != 0)
        return 0;
    if (!a->has_target)
        return 1;
    if (a->target_spins != b->target_spins ||
        !close_rel(a->target_time, b->target_time) ||
        !close_vec(a->target_tensor, b->target_tensor, 9))
        return 0;
    for (size_t s = 0; s < NMRC_MAX_SPINS; s++)
        if (!close_vec(a->target_field[s], b->target_field[s], 3))
            return 0;
    return 1;
}

static int natural_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    return close_rel(a->nat_kappa, b->nat_kappa) &&
           close_vec(a->nat_offset, b->nat_offset, NMRC_SEQ_MAX_CHANNELS);
}

/* The spin systems: everything but the labels. */
static int system_equal(const nmrc_seq_system *a, const nmrc_seq_system *b)
{
    if (a->n_spins != b->n_spins || a->n_couplings != b->n_couplings || !close_rel(a->b0, b->b0))
        return 0;
    for (size_t i = 0; i < a->n_spins; i++) {
        const nmrc_seq_spin *x = &a->spins[i], *y = &b->spins[i];
        double u[4] = {x->offset_hz, x->t1, x->t2, x->p90}, v[4] = {y->offset_hz, y->t1, y->t2,
                                                                   y->p90};
        if (strcmp(x->nucleus, y->nucleus) != 0 || !close_vec(u, v, 4))
            return 0;
    }
    for (size_t c = 0; c < a->n_couplings; c++) {
        const nmrc_seq_coupling *x = &a->couplings[c], *y = &b->couplings[c];
        if (x->i != y->i || x->j != y->j || !close_rel(x->j_hz, y->j_hz) ||
            !close_rel(x->dipolar_hz, y->dipolar_hz) || (x->weak != 0) != (y->weak != 0))
            return 0;
    }
    return 1;
}

int nmrc_seq_equal(const nmrc_seq *a, const nmrc_seq *b)
{
    if (!a || !b)
        return a == b;
    if (a->n_channels != b->n_channels || a->n_events != b->n_events)
        return 0;
    for (size_t i = 0; i < a->n_channels; i++)
        if (!channel_equal(&a->channels[i], &b->channels[i]))
            return 0;
    for (size_t i = 0; i < a->n_events; i++)
        if (!event_equal(&a->events[i], &b->events[i]))
            return 0;
    return lists_equal(a, b) && params_equal(a, b) && experiments_equal(a, b) &&
           target_equal(a, b) && natural_equal(a, b) && system_equal(&a->system, &b->system);
}
