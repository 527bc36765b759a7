/*
** core/defs.h: definitions every library folder shares and no user sees
** (not installed): the visibility of internal functions, debug-build
** assertions of internal invariants, and the constants header.
*/
#ifndef NMRC_CORE_DEFS_H
#define NMRC_CORE_DEFS_H

#include <assert.h>

#include "nmrc/consts.h"
#include "nmrc/status.h"

/* Declares a function shared between the library's own files: hidden from
** libnmrc.so's dynamic symbol table, so only the public API is exported. */
#if defined(__GNUC__) || defined(__clang__)
#define NMRC_INTERNAL __attribute__((visibility("hidden")))
#else
#define NMRC_INTERNAL
#endif

/* States an internal invariant: checked in debug builds (NDEBUG unset),
** compiled out in release builds.  Never for conditions input can cause. */
#define NMRC_ASSERT(cond) assert(cond)

/* Evaluates a call whose failure would be a bug in nmrc itself, such as a
** product of matrices whose shapes the caller has just made conform: the
** status is asserted NMRC_OK in debug builds and dropped in release builds.
** Calls that can fail on input, memory or LAPACK propagate their status. */
#define NMRC_CHECKED(call) nmrc_checked_((call))
static inline void nmrc_checked_(nmrc_status st)
{
    NMRC_ASSERT(st == NMRC_OK);
    (void)st;
}

#endif /* NMRC_CORE_DEFS_H */
