/*
** spec_replay.c: replays every file of a fuzz corpus folder through the
** spec fuzz target (tests/fuzz/fuzz_spec.c) without libFuzzer, so the
** corpus guards against regressions in every build, with or without clang.
** Usage: spec_replay DIR.  Exits 0 when every input ran (crashes abort).
*/
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 1;
    uint8_t *buf = malloc(1u << 21);
    size_t n = buf ? fread(buf, 1, 1u << 21, fp) : 0;
    fclose(fp);
    if (!buf)
        return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: spec_replay DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "spec_replay: cannot open %s\n", argv[1]);
        return 1;
    }
    size_t count = 0, bad = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        bad += (size_t)replay(path);
        count++;
    }
    closedir(d);
    printf("spec_replay: %zu inputs replayed, %zu unreadable\n", count, bad);
    return count > 0 && bad == 0 ? 0 : 1;
}
