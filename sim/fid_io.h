/*
** fid_io.h (private to the FID file writers bruker.c, jcamp.c and
** fid_plot.c): finishing a text built in an open_memstream and writing it
** to its file atomically.
*/
#ifndef NMRC_FID_IO_H
#define NMRC_FID_IO_H

#include <stdio.h>

#include "nmrc/fid.h"

/* Closes fp, an open_memstream on *text, writes the text to path with
** nmrc_io_write_atomic and frees it (*text is left dangling).  Returns
** NMRC_OK, NMRC_ENOMEM (the stream failed) or the write's status. */
nmrc_status nmrc_io_commit_text(FILE *fp, char **text, const char *path, nmrc_ctx *ctx);

#endif /* NMRC_FID_IO_H */
