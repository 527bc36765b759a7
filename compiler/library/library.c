/*
** library.c: finding a library sequence by name: an XML file in
** $NMRC_SEQUENCES, the caller's folder or the installed share/nmrc/sequences,
** else the built-in sequence of that name (seq_library.c).
*/
#define _POSIX_C_SOURCE 200809L
#include "nmrc/library.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nmrc/xml.h"

#ifndef NMRC_SHARE_SEQUENCES
#define NMRC_SHARE_SEQUENCES "/usr/local/share/nmrc/sequences"
#endif

static int good_name(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) >= NMRC_NAME_MAX)
        return 0;
    for (const char *s = name; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *s))
            return 0;
    return 1;
}

nmrc_status nmrc_library_load(const char *name, const char *search_dir, nmrc_ctx *ctx,
                                  nmrc_seq **out)
{
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_library_load: out is NULL");
    *out = NULL;
    if (!good_name(name))
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "bad sequence name '%s' (letters, digits, '_', '-', '.')",
                              name ? name : "(null)");
    const char *env = getenv("NMRC_SEQUENCES");
    const char *dirs[3] = {env, search_dir, NMRC_SHARE_SEQUENCES};
    char tried[1024] = "";
    for (int k = 0; k < 3; k++) {
        if (!dirs[k] || !*dirs[k])
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s.xml", dirs[k], name) >= (int)sizeof path)
            continue;
        if (access(path, F_OK) != 0) {
            size_t used = strlen(tried);
            snprintf(tried + used, sizeof tried - used, "%s%s", used ? ", " : "", dirs[k]);
            continue;
        }
        return nmrc_xml_read_file(path, ctx, out);
    }
    if (nmrc_library_build(name, ctx, out) == NMRC_OK)
        return NMRC_OK;
    return nmrc_ctx_error(ctx, NMRC_ENOTFOUND, "no library sequence '%s' (looked in %s)", name,
                          tried[0] ? tried : "no folder: set NMRC_SEQUENCES");
}
