/*
** nmrc/library.h: the named sequence library (compiler/library): library
** sequences found as XML files in the search folders or built in (dm_z,
** xy8, udd<n>, ...), and the pulse tables the library and the compiler
** share: composite pulses and decoupling blocks.  docs/sequences.md lists
** every entry with its source.
*/
#ifndef NMRC_LIBRARY_H
#define NMRC_LIBRARY_H

#include <stddef.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_DECOUPLE_MAX_PULSES 64 /* pi pulses per decoupling block */

/* ---- Pulse tables (pulses.c) ----------------------------------------------- */

typedef enum nmrc_composite_kind {
    NMRC_COMPOSITE_NONE, NMRC_COMPOSITE_BB1, NMRC_COMPOSITE_CORPSE, NMRC_COMPOSITE_SCROFULOUS
} nmrc_composite_kind;

typedef enum nmrc_decouple_kind {
    NMRC_DECOUPLE_NONE, NMRC_DECOUPLE_CPMG, NMRC_DECOUPLE_XY8, NMRC_DECOUPLE_UDD,
    NMRC_DECOUPLE_XY4, NMRC_DECOUPLE_XY16
} nmrc_decouple_kind;

/* Parses a --composite NAME ("bb1", "corpse", "scrofulous", "none"). */
NMRC_NODISCARD nmrc_status nmrc_composite_parse(const char *name, nmrc_composite_kind *kind, nmrc_ctx *ctx);

/* Parses a --decouple NAME ("cpmg", "xy4", "xy8", "xy16", "udd<n>" with
** n >= 2 even, "none"). */
NMRC_NODISCARD nmrc_status nmrc_decouple_parse(const char *name, nmrc_decouple_kind *kind, int *udd_n,
                                nmrc_ctx *ctx);

/* Writes the composite replacement of theta_phi into angle[]/phase[] (at most
** 4 elements, time order) and returns the count (1 for NONE). */
int nmrc_composite_expand(nmrc_composite_kind kind, double theta, double phi, double angle[4],
                          double phase[4]);

/* Writes the n pi-pulse times (s, from the block start) of a decoupling
** block of length T into t[] (cpmg: 2 pulses, xy4: 4, xy8: 8, xy16: 16,
** udd: n; equally spaced except UDD) with their
** phases into phase[]; returns the pulse count (<= 64) or 0 if n is bad.
** UDD: t_j = T sin^2(pi j / (2n + 2)). */
int nmrc_decouple_times(nmrc_decouple_kind kind, int n, double T, double t[], double phase[]);

/* ---- Library sequences (library.c) ------------------------------------------ */

/* Loads the library sequence `name` (file <name>.xml) into *out (caller
** owns).  The folders searched, in order: $NMRC_SEQUENCES, search_dir (may
** be NULL; the CLI passes NMRC_SOURCE_DIR "/sequences"), the installed
** share/nmrc/sequences; when no file exists, a built-in sequence of that
** name (nmrc_library_build, e.g. udd<n> for any n) is built instead.
** A name may hold only letters, digits, '_', '-' and '.' (not first).
** Returns NMRC_OK, NMRC_EINVAL (bad name), NMRC_ENOTFOUND (neither a file
** nor built in; the message lists the folders) or the statuses of
** nmrc_xml_read_file. */
NMRC_NODISCARD nmrc_status nmrc_library_load(const char *name, const char *search_dir, nmrc_ctx *ctx,
                                  nmrc_seq **out);

/* Returns the name of built-in library sequence k (0, 1, ...; "dm_z",
** "xy8", ...; static) or NULL past the end.  sequences/<name>.xml is
** generated from each. */
const char *nmrc_library_name(size_t k);

/* Builds the built-in sequence `name` (a library name, or udd<n> for any
** n in 1..64) into *out (caller owns).  Returns NMRC_OK, NMRC_ENOTFOUND
** (unknown name) or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_library_build(const char *name, nmrc_ctx *ctx, nmrc_seq **out);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_LIBRARY_H */
