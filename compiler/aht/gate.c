/*
** gate.c: the fidelity gate of `nmrc compile`: judges an analyzed sequence
** by its finite-pulse fidelity (the delta-pulse one when no pulse lengths
** are known) against a threshold and, when it fails, says which part loses
** the fidelity and what to change.
*/
#include "nmrc/compile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends printf-style text to the verdict (truncating). */
static void put(nmrc_gate *g, const char *fmt, ...)
{
    size_t n = strlen(g->verdict);
    if (n + 1 >= sizeof g->verdict)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->verdict + n, sizeof g->verdict - n, fmt, ap);
    va_end(ap);
}

/* Nonzero when the target needs Trotter steps (local and bilinear parts
** do not commute). */
static int trotterized(const nmrc_analysis *an)
{
    return nmrc_trotter_error_bound(&an->target, 1, 1) > 0;
}

/* The construction itself (delta pulses) misses the gate. */
static void advise_delta(nmrc_gate *g, const nmrc_model *m, const nmrc_analysis *an,
                         const nmrc_compile_cfg *cfg)
{
    int written = m && (m->n_uevents > 0 || m->sequence_name[0]);
    put(g, "the sequence misses the target even with ideal pulses");
    if (g->finite)
        put(g, " (delta-pulse fidelity %.6f)", an->fidelity_delta);
    if (written) {
        put(g, ": it is the spec's own sequence, not one compiled from the target; change the "
               "sequence or remove it so that the target is compiled");
        if (!an->whole.closed[0] || !an->whole.closed[1])
            put(g, " (its cycle is not closed)");
    } else if (trotterized(an)) {
        if (cfg && cfg->steps > 0)
            put(g, ": use more Trotter steps than --steps %d", cfg->steps);
        else
            put(g, ": use more Trotter steps (--steps N, or a smaller --max-error)");
    } else {
        put(g, ": the outer pulses lengthen the sequence by half their length; use shorter "
               "p90");
    }
}

/* The finite pulses lose what the construction has. */
static void advise_finite(nmrc_gate *g, const nmrc_analysis *an, const nmrc_compile_cfg *cfg)
{
    put(g, "the finite pulses lose it (delta-pulse fidelity %.6f): shorten p90 (the loss "
           "falls as p90^2)", an->fidelity_delta);
    if (cfg && !cfg->offset_compensation) /* helps on resonance too (+-100 Hz grid) */
        put(g, ", add --offset-compensation");
    if (cfg && cfg->composite != NMRC_COMPOSITE_NONE)
        put(g, ", drop --composite (its longer pulse trains add coupling and offset error)");
    if (cfg && cfg->decouple != NMRC_DECOUPLE_NONE)
        put(g, ", drop --decouple (its pi pulses add pulse error; the construction refocuses "
               "offsets already)");
    if (cfg && cfg->steps > 1 && trotterized(an))
        put(g, ", use fewer Trotter steps than --steps %d (or let nmrc choose)", cfg->steps);
    else if (cfg && cfg->steps > 1)
        put(g, ", drop --steps %d (this target needs one step)", cfg->steps);
}

void nmrc_compile_gate(const nmrc_model *m, const nmrc_analysis *an, const nmrc_compile_cfg *cfg,
                       double min_fidelity, nmrc_gate *g)
{
    memset(g, 0, sizeof *g);
    g->min_fidelity = min_fidelity;
    g->fidelity = NAN;
    g->judged = an->has_target;
    if (!g->judged) {
        g->pass = 1;
        snprintf(g->verdict, sizeof g->verdict,
                 "no target recorded: the fidelity gate does not apply");
        return;
    }
    g->finite = !isnan(an->fidelity_finite);
    g->fidelity = g->finite ? an->fidelity_finite : an->fidelity_delta;
    g->pass = g->fidelity >= min_fidelity; /* NaN fails */
    put(g, "%s fidelity %.6f %s the minimum %.6g", g->finite ? "finite-pulse" : "delta-pulse",
        g->fidelity, g->pass ? "meets" : "is below", min_fidelity);
    if (g->pass)
        return;
    put(g, "; ");
    if (!isfinite(g->fidelity))
        put(g, "the fidelity is not a finite number");
    else if (!(an->fidelity_delta >= min_fidelity))
        advise_delta(g, m, an, cfg);
    else
        advise_finite(g, an, cfg);
}
