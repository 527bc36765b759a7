/*
** xml_read.h (private): the step from a parsed, schema-valid libxml2
** document to an nmrc_seq (xml_read.c), used by the safe parser in
** xml_parse.c.
*/
#ifndef NMRC_XML_READ_H
#define NMRC_XML_READ_H

#include <libxml/tree.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

/* Builds a sequence from doc (not modified) into *out (caller owns).
** `name` prefixes messages ("name:line: ...").  Returns NMRC_OK,
** NMRC_EXML, NMRC_EINVAL, NMRC_ELIMIT or NMRC_ENOMEM; *out NULL on failure. */
nmrc_status nmrc_xml_doc_to_seq(xmlDoc *doc, const char *name, nmrc_ctx *ctx, nmrc_seq **out);

#endif /* NMRC_XML_READ_H */
