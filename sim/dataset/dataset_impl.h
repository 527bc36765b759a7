/*
** dataset_impl.h (private to sim/dataset: bruker.c, jcamp.c, fid_plot.c):
** finishing a text built in an open_memstream and writing it to its file
** atomically through core's nmrc_io_write_atomic.
*/
#ifndef NMRC_DATASET_IMPL_H
#define NMRC_DATASET_IMPL_H

#include <stdio.h>

#include "core/defs.h"
#include "nmrc/dataset.h"
#include "nmrc/io.h"

/* Closes fp, an open_memstream on *text, writes the text to path with
** nmrc_io_write_atomic and frees it (*text is left dangling).  Returns
** NMRC_OK, NMRC_ENOMEM (the stream failed) or the write's status. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_io_commit_text(FILE *fp, char **text, const char *path, nmrc_ctx *ctx);

#endif /* NMRC_DATASET_IMPL_H */
