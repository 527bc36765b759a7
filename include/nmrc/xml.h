/*
** nmrc/xml.h: nmrc sequence files (Bruker-style XML pulse programs with
** nmrc metadata in the namespace urn:nmrc:seq:2; version-1 files in
** urn:nmrc:seq:1 are still read), the schemas they follow
** (sequences/nmrc-seq.xsd and nmrc-seq-1.xsd, compiled into the library)
** and the TopSpin pulse-program writer (compiler/io).  The named sequence library that reads
** such files: nmrc/library.h.  docs/xml-format.md
** describes the format.
*/
#ifndef NMRC_XML_H
#define NMRC_XML_H

#include <stddef.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_XML_NS "urn:nmrc:seq:2"          /* namespace of nmrc metadata, version 2 */
#define NMRC_XML_NS_1 "urn:nmrc:seq:1"        /* version-1 files: read, never written */
#define NMRC_XML_VERSION 2                    /* the version nmrc writes */
#define NMRC_XML_MAX_BYTES (16u * 1024u * 1024u) /* largest file the reader accepts */

/* ---- Writing -------------------------------------------------------- */

/* Serializes seq to a new NUL-terminated buffer *out (caller frees with
** free()) of *len bytes (len may be NULL).  The text is checked against the
** schema before it is returned.  Returns NMRC_OK, NMRC_EINVAL (a value that
** cannot be written: NaN, bad index, unbalanced loop, duplicate name; the
** message names the event), NMRC_EXML (output not schema-valid) or
** NMRC_ENOMEM.  *out is NULL on failure. */
NMRC_NODISCARD nmrc_status nmrc_xml_write_buffer(const nmrc_seq *seq, char **out, size_t *len, nmrc_ctx *ctx);

/* Writes seq to `path` atomically (temporary file in the same folder, then
** rename); on failure no file is left behind and `path` is untouched.
** Returns the statuses of nmrc_xml_write_buffer or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_xml_write_file(const nmrc_seq *seq, const char *path, nmrc_ctx *ctx);

/* ---- Reading -------------------------------------------------------- */

/* Parses and schema-validates the XML in buf[0..len-1] and builds the
** sequence into *out (caller owns; nmrc_seq_destroy).  A root element in
** the namespace NMRC_XML_NS_1 is a version-1 file and is validated against
** the version-1 schema (it has no conventions and no spin system); any
** other is validated against the current one.  `name` is used in
** messages ("name:line: ...").  Safe settings: input is read as UTF-8, any
** DOCTYPE or entity declaration is rejected before parsing, no network, no
** external resource is ever opened, at most NMRC_XML_MAX_BYTES.  Returns
** NMRC_OK, NMRC_EXML (not well formed, not valid, DOCTYPE), NMRC_EINVAL
** (valid but inconsistent: unknown channel, list or shape name, bad number),
** NMRC_ELIMIT (too large) or NMRC_ENOMEM; *out is NULL on failure. */
NMRC_NODISCARD nmrc_status nmrc_xml_read_memory(const char *buf, size_t len, const char *name, nmrc_ctx *ctx,
                                 nmrc_seq **out);

/* Reads the file at `path` (at most NMRC_XML_MAX_BYTES) and parses it as
** nmrc_xml_read_memory does.  Returns those statuses, or NMRC_EIO when the
** file cannot be read. */
NMRC_NODISCARD nmrc_status nmrc_xml_read_file(const char *path, nmrc_ctx *ctx, nmrc_seq **out);

/* Checks only well-formedness, safety and schema validity of buf (no IR is
** built), against the schema of the file's version as nmrc_xml_read_memory
** does.  Returns NMRC_OK, NMRC_EXML, NMRC_ELIMIT or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_xml_validate_memory(const char *buf, size_t len, const char *name,
                                     nmrc_ctx *ctx);

/* Returns the schema text of the current version (sequences/nmrc-seq.xsd
** as built into the library; static, NUL-terminated) and its length in *len
** (may be NULL). */
const char *nmrc_xml_schema(size_t *len);

/* ---- TopSpin pulse programs ---------------------------------------- */

/* Renders seq as a TopSpin pulse program (header comments, #include
** <Avance.incl> and <Grad.incl> when there are gradients, `1 ze`, the
** events, loops as `lo to N times lN`, `go=2 ph31`, `wr #0`, `exit`, phase
** lists with (360) resolution where phases are not multiples of 90 degrees,
** and the parameter-comment block) into a new NUL-terminated buffer *out
** (caller frees), length in *len (may be NULL).  Returns NMRC_OK,
** NMRC_EINVAL (bad index, unbalanced loop, non-finite value) or
** NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_topspin_write_buffer(const nmrc_seq *seq, char **out, size_t *len,
                                      nmrc_ctx *ctx);

/* Writes the TopSpin pulse program of seq to `path` atomically.  Returns the
** statuses of nmrc_topspin_write_buffer or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_topspin_write_file(const nmrc_seq *seq, const char *path, nmrc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_XML_H */
