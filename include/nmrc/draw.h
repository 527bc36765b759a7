/*
** nmrc/draw.h: a picture of a pulse sequence in the style of a paper's
** pulse-sequence figure, as SVG text (compiler/io/draw.c): one lane per
** channel (f1, f2, ... with their nuclei, gradients), pulses as boxes whose
** width follows the flip angle with their phases, delays with their TopSpin
** names and lengths, loops as brackets with their counts, acquisition as a
** decaying FID, virtual-Z marks.  docs/draw.md.
*/
#ifndef NMRC_DRAW_H
#define NMRC_DRAW_H

#include <stddef.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Renders seq as a standalone SVG document (UTF-8, NUL-terminated) into a
** new buffer *out (caller frees with free()) of *len bytes (len may be
** NULL).  `title` heads the picture (NULL: the sequence's name).  The time
** axis is schematic, and the picture says so: pulses are drawn by flip
** angle (90 degrees narrow and filled, 180 wide and open, other angles
** grey and labelled), delays and gradients on a compressed scale with a
** break mark where a delay is drawn much shorter than its share of the
** time.  seq is not changed.  Returns NMRC_OK, NMRC_EINVAL (seq fails
** nmrc_seq_check, or has no channel) or NMRC_ENOMEM; *out is NULL on
** failure. */
NMRC_NODISCARD nmrc_status nmrc_draw_svg_buffer(const nmrc_seq *seq, const char *title, char **out,
                                                size_t *len, nmrc_ctx *ctx);

/* Writes the picture of nmrc_draw_svg_buffer to `path` atomically (core's
** nmrc_io_write_atomic: temporary file, fsync, rename; on failure path is
** untouched).  Returns the statuses of nmrc_draw_svg_buffer or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_draw_svg_file(const nmrc_seq *seq, const char *title,
                                              const char *path, nmrc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_DRAW_H */
