/*
** xml_write.h (private to the XML writer): the metadata part of a sequence
** file (conventions, target, natural and spin system, channels, parameters,
** phase lists, shapes, experiments, figures) that xml_write_meta.c prints
** for xml_write.c, which prints the root and the events.
*/
#ifndef NMRC_XML_WRITE_H
#define NMRC_XML_WRITE_H

#include "core/defs.h"

#include "nmrc/seq.h"
#include "xml_text.h"

/* Appends every metadata child of the root, in schema order, from
** nmrc:conventions to the last nmrc:figure (the description comes before,
** PULSE_PROGRAM after).  seq has passed nmrc_seq_check. */
NMRC_INTERNAL void nmrc_xmlw_meta(nmrc_text *t, const nmrc_seq *seq);

#endif /* NMRC_XML_WRITE_H */
