/*
** xml_parse.c: the safe front door for sequence XML.  Bytes in (memory or a
** file of at most NMRC_XML_MAX_BYTES), any DOCTYPE/ENTITY refused before
** libxml2 sees the text, parsed as UTF-8 with no network and no entity
** substitution, validated against the built-in schema of its version.  No libxml2 message is ever printed: errors are captured.
*/
#define _POSIX_C_SOURCE 200809L     /* no extensions needed; keeps getenv etc. */

#include "nmrc/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "xml_read.h"
#include "nmrc/io.h"

/* The schema texts, generated at configure time from sequences/nmrc-seq.xsd
** (version 2) and sequences/nmrc-seq-1.xsd (build/generated/nmrc_xsd.c). */
extern const unsigned char nmrc_xsd_text[], nmrc_xsd1_text[];
extern const size_t nmrc_xsd_len, nmrc_xsd1_len;

const char *nmrc_xml_schema(size_t *len)
{
    if (len)
        *len = nmrc_xsd_len;
    return (const char *)nmrc_xsd_text;
}

/* ---- Error capture ---------------------------------------------------- */

typedef struct capture {
    int have;           /* an error was recorded */
    int line;
    char msg[512];
} capture;

/* Keeps the first error (not warnings), trimmed of its final newline. */
static void capture_error(capture *c, const xmlError *e)
{
    if (c->have || !e || e->level < XML_ERR_ERROR)
        return;
    c->have = 1;
    c->line = e->line;
    snprintf(c->msg, sizeof c->msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(c->msg);
    while (n && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
        c->msg[--n] = 0;
    for (char *s = c->msg; *s; s++)     /* one line: libxml2 adds "\nBytes: ..." */
        if (*s == '\n')
            *s = ' ';
}

/* Structured handler for schema parsing/validation: data is the capture. */
static void on_schema_error(void *data, xmlErrorPtr e)
{
    capture_error(data, e);
}

/* Structured handler for the parser: data is the parser context, whose
** _private points at the capture. */
static void on_parse_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr p = data;
    if (p && p->_private)
        capture_error(p->_private, e);
}

/* ---- Safety scan ------------------------------------------------------- */

/* Finds needle in buf[0..len); returns its offset or len. */
static size_t find(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (buf[i] == needle[0] && memcmp(buf + i, needle, n) == 0)
            return i;
    return len;
}

static long line_of(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* Refuses document type declarations and entity declarations outright: the
** format needs neither, and refusing them before parsing means no external
** entity is ever resolved and no entity can expand (billion laughs).  The
** input is parsed as UTF-8 only, so the byte scan cannot be bypassed by
** another encoding. */
static NMRC_NODISCARD nmrc_status safety_scan(const char *buf, size_t len, const char *name, nmrc_ctx *ctx)
{
    static const char *const banned[] = {"<!DOCTYPE", "<!ENTITY"};
    for (size_t k = 0; k < 2; k++) {
        size_t off = find(buf, len, banned[k]);
        if (off < len)
            return nmrc_ctx_error(ctx, NMRC_EXML,
                                  "%s:%ld: %s declarations are not allowed in nmrc sequence "
                                  "files (nothing was loaded)",
                                  name, line_of(buf, off), banned[k] + 2);
    }
    return NMRC_OK;
}

/* ---- Parse + validate -------------------------------------------------- */

static NMRC_NODISCARD nmrc_status parse_doc(const char *buf, size_t len, const char *name, nmrc_ctx *ctx,
                             xmlDoc **out)
{
    *out = NULL;
    if (len > NMRC_XML_MAX_BYTES)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "%s: %zu bytes, more than the %u allowed", name,
                              len, NMRC_XML_MAX_BYTES);
    nmrc_status st = safety_scan(buf, len, name, ctx);
    if (st != NMRC_OK)
        return st;
    xmlInitParser();
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "%s: out of memory", name);
    capture cap = {0};
    p->_private = &cap;
    p->sax->serror = on_parse_error;
    /* No NOENT (no substitution), no DTDLOAD/DTDATTR, no XINCLUDE, no HUGE. */
    xmlDoc *doc = xmlCtxtReadMemory(p, buf, (int)len, name, "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_NOWARNING);
    int wellformed = p->wellFormed;
    if ((!doc || !wellformed) && !cap.have)
        capture_error(&cap, xmlCtxtGetLastError(p));
    xmlFreeParserCtxt(p);
    if (!doc || !wellformed || cap.have) {
        xmlFreeDoc(doc);
        return nmrc_ctx_error(ctx, NMRC_EXML, "%s:%d: not well-formed XML: %s", name, cap.line,
                              cap.have ? cap.msg : "parse failed");
    }
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return nmrc_ctx_error(ctx, NMRC_EXML, "%s: DOCTYPE not allowed", name);
    }
    *out = doc;
    return NMRC_OK;
}

/* The parsed built-in schemas, made once per process (read-only afterwards;
** libxml2 allows one schema to serve many validation contexts): [0] the
** current version, [1] version 1. */
typedef struct schema_slot {
    const unsigned char *text;
    const size_t *len;
    xmlSchemaPtr schema;
    capture cap;
} schema_slot;

static schema_slot schemas[2] = {{nmrc_xsd_text, &nmrc_xsd_len, NULL, {0}},
                                 {nmrc_xsd1_text, &nmrc_xsd1_len, NULL, {0}}};
static once_flag schema_once = ONCE_FLAG_INIT;

static void schema_load(void)
{
    xmlInitParser();
    for (size_t k = 0; k < 2; k++) {
        schema_slot *sl = &schemas[k];
        xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt((const char *)sl->text,
                                                              (int)*sl->len);
        if (!pc)
            continue;
        xmlSchemaSetParserStructuredErrors(pc, on_schema_error, &sl->cap);
        sl->schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
}

/* Validates doc against the built-in schema of its version: version 1 when
** the root element is in NMRC_XML_NS_1, else the current one. */
static NMRC_NODISCARD nmrc_status validate_doc(xmlDoc *doc, const char *name, nmrc_ctx *ctx)
{
    call_once(&schema_once, schema_load);
    xmlNode *root = xmlDocGetRootElement(doc);
    const schema_slot *sl = &schemas[nmrc_xmlr_is_elem(root, NMRC_XML_NS_1, "sequence")];
    if (!sl->schema)
        return nmrc_ctx_error(ctx, NMRC_EXML, "built-in schema does not load: %s",
                              sl->cap.have ? sl->cap.msg : "out of memory");
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(sl->schema);
    if (!vc)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    capture cap = {0};
    xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &cap);
    int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    if (rc != 0)
        return nmrc_ctx_error(ctx, NMRC_EXML, "%s:%d: not a valid nmrc sequence: %s", name,
                              cap.line, cap.have ? cap.msg : "schema validation failed");
    return NMRC_OK;
}

nmrc_status nmrc_xml_validate_memory(const char *buf, size_t len, const char *name,
                                     nmrc_ctx *ctx)
{
    xmlDoc *doc;
    if (!buf)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_validate_memory: no buffer");
    nmrc_status st = parse_doc(buf, len, name ? name : "(memory)", ctx, &doc);
    if (st == NMRC_OK)
        st = validate_doc(doc, name ? name : "(memory)", ctx);
    xmlFreeDoc(doc);
    return st;
}

nmrc_status nmrc_xml_read_memory(const char *buf, size_t len, const char *name, nmrc_ctx *ctx,
                                 nmrc_seq **out)
{
    xmlDoc *doc;
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_read_memory: out is NULL");
    *out = NULL;
    if (!buf)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_read_memory: no buffer");
    name = name ? name : "(memory)";
    nmrc_status st = parse_doc(buf, len, name, ctx, &doc);
    if (st == NMRC_OK)
        st = validate_doc(doc, name, ctx);
    if (st == NMRC_OK)
        st = nmrc_xml_doc_to_seq(doc, name, ctx, out);
    xmlFreeDoc(doc);
    return st;
}

/* ---- Files --------------------------------------------------------------- */

nmrc_status nmrc_xml_read_file(const char *path, nmrc_ctx *ctx, nmrc_seq **out)
{
    char *buf;
    size_t len;
    if (!out || !path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_read_file: NULL argument");
    *out = NULL;
    nmrc_status st = nmrc_io_read_file(path, NMRC_XML_MAX_BYTES, ctx, &buf, &len);
    if (st != NMRC_OK)
        return st;
    st = nmrc_xml_read_memory(buf, len, path, ctx, out);
    free(buf);
    return st;
}
