/*
** nmrc/spec.h: the .spin spec language front end.
** Parse a file (with its includes) into an opaque nmrc_spec, override named
** parameters, then resolve it into a plain nmrc_model.  Diagnostics are
** collected in the spec (up to NMRC_MAX_DIAGS) and formatted as
** `file:line:col: error: message`, the source line and a caret.
*/
#ifndef NMRC_SPEC_H
#define NMRC_SPEC_H

#include <stddef.h>

#include "nmrc/model.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_MAX_DIAGS 20       /* diagnostics kept per spec */

typedef struct nmrc_spec nmrc_spec;

/* Parses the file at `path` and the files it includes.  On return *out
** holds a spec (owned by the caller, free with nmrc_spec_destroy) whenever
** the status is NMRC_OK or NMRC_ESYNTAX; with NMRC_ESYNTAX its diagnostics
** say what is wrong (a file of nothing but comments is one: an empty spec).
** A UTF-8 byte-order mark opening a file is skipped.  Returns NMRC_EIO if
** the file cannot be read, NMRC_ENOMEM.  Detail goes to ctx. */
NMRC_NODISCARD nmrc_status nmrc_spec_parse_file(const char *path, nmrc_ctx *ctx, nmrc_spec **out);

/* As nmrc_spec_parse_file, for source text held in memory; `name` is the
** file name shown in diagnostics and the base for relative includes.  The
** text is copied. */
NMRC_NODISCARD nmrc_status nmrc_spec_parse_string(const char *name, const char *text, size_t len,
                                   nmrc_ctx *ctx, nmrc_spec **out);

/* Frees a spec; accepts NULL. */
void nmrc_spec_destroy(nmrc_spec *spec);

/* Overrides the named parameter with `value` (a dimensionless number, or
** the value in the parameter's own unit).  Returns NMRC_ENOTFOUND, with the
** list of known parameters in ctx, if the spec defines no such name. */
NMRC_NODISCARD nmrc_status nmrc_spec_set(nmrc_spec *spec, const char *name, double value, nmrc_ctx *ctx);

/* Parses "NAME=VALUE" (VALUE a number or constant expression, optionally
** with a unit) and applies it with nmrc_spec_set. */
NMRC_NODISCARD nmrc_status nmrc_spec_set_arg(nmrc_spec *spec, const char *arg, nmrc_ctx *ctx);

/* Returns nonzero if the spec defines parameter `name`. */
int nmrc_spec_has_param(const nmrc_spec *spec, const char *name);

/* Evaluates and checks the spec into a new model.  Returns NMRC_OK and sets
** *out (owned by the caller, free with nmrc_model_destroy), or
** NMRC_ESYNTAX with the semantic errors added to the spec's diagnostics
** (*out is then NULL; a spec that declares no spin is one of them).  The spec is not changed otherwise, so one spec can
** be resolved many times with different parameter values. */
NMRC_NODISCARD nmrc_status nmrc_spec_resolve(nmrc_spec *spec, nmrc_ctx *ctx, nmrc_model **out);

/* Number of diagnostics recorded so far. */
size_t nmrc_spec_diag_count(const nmrc_spec *spec);

/* Returns diagnostic i fully formatted: the `file:line:col: error: msg`
** line, the source line and the caret line, each ending in '\n'.  Owned by
** the spec. */
const char *nmrc_spec_diag_text(const nmrc_spec *spec, size_t i);

/* Formats an error that a later stage (the compiler) reports about a spec
** construct exactly as the front end's diagnostics: "PATH:LINE:COL: error:
** MESSAGE", the source line (read again from PATH) and a caret line under
** the span, each ending in '\n'; without the source lines when the file
** cannot be read, "PATH: error: ..." without a position, "error: ..."
** without a path.  path: the file's name (nmrc_model.files[pos->file]); pos
** from nmrc_ctx_errpos.  Returns a new string (caller frees with free()) or
** NULL when out of memory. */
char *nmrc_spec_format_error(const char *path, const nmrc_errpos *pos, const char *message);

/* Removes all diagnostics (before resolving again after an override). */
void nmrc_spec_diag_clear(nmrc_spec *spec);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_SPEC_H */
