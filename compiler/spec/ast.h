/*
** ast.h: the parsed form of a .spin spec (internal to compiler/).
** struct nmrc_spec owns the source files, an arena of expression nodes, a
** flat statement list (blocks are flattened; includes are spliced in where
** they occur), the diagnostics and the --set overrides.  Expressions are
** evaluated only by resolve, so overrides propagate through parameters.
*/
#ifndef NMRC_AST_H
#define NMRC_AST_H

#include "core/defs.h"

#include <stdarg.h>
#include <stddef.h>

#include "nmrc/spec.h"

#define NMRC_MAX_FILE_BYTES (1u << 20)  /* largest spec or include file */
#define NMRC_MAX_INCLUDE_DEPTH 16       /* nested includes */
#define NMRC_MAX_EXPR_DEPTH 64          /* nested parentheses / unary minus */
#define NMRC_MAX_REPEAT_DEPTH 16        /* nested `repeat` blocks */
#define NMRC_MAX_TREE_DEPTH 512         /* expression tree height (long sums) */

/* Physical dimensions a value may carry.  Canonical units: Hz, s, rad, T,
** ppm, T/m, K; dimensionless values are multiples of omega or plain counts. */
typedef enum nmrc_dim {
    NMRC_DIM_NONE, NMRC_DIM_FREQ, NMRC_DIM_TIME, NMRC_DIM_ANGLE,
    NMRC_DIM_FIELD, NMRC_DIM_PPM, NMRC_DIM_GRAD, NMRC_DIM_TEMP
} nmrc_dim;

typedef struct nmrc_unit {
    const char *name;   /* as written: "Hz", "rad/s", ... */
    nmrc_dim dim;
    double scale;       /* value in the canonical unit of dim per 1 of this unit */
} nmrc_unit;

/* Returns the unit named name[0..len) or NULL. */
NMRC_INTERNAL const nmrc_unit *nmrc_unit_find(const char *name, size_t len);

/* If name[0..len) is a misspelt or unsupported unit ("hz", "uS", "sec",
** "ns"), writes the diagnostic into msg[size] and returns 1, with *meant the
** unit it stands for (NULL when nmrc has no such unit); else returns 0. */
NMRC_INTERNAL int nmrc_unit_typo(const char *name, size_t len, const nmrc_unit **meant, char *msg,
                                 size_t size);

/* Returns "frequency", "time", ... for messages. */
NMRC_INTERNAL const char *nmrc_dim_name(nmrc_dim d);

typedef enum nmrc_ekind {
    NMRC_EX_NUM, NMRC_EX_NAME, NMRC_EX_PI, NMRC_EX_IMAG, NMRC_EX_NEG,
    NMRC_EX_ADD, NMRC_EX_SUB, NMRC_EX_MUL, NMRC_EX_DIV, NMRC_EX_UNIT
} nmrc_ekind;

typedef struct nmrc_expr {
    nmrc_ekind kind;
    nmrc_span span;             /* whole expression */
    double num;                 /* NUM */
    int a, b;                   /* operands (node indices), -1 if unused */
    int height;                 /* tree height, bounded by NMRC_MAX_TREE_DEPTH */
    const nmrc_unit *unit;      /* UNIT: applied to operand a */
    char name[NMRC_NAME_MAX];   /* NAME */
} nmrc_expr;

/* Statement kinds; the comment gives the argument layout. */
typedef enum nmrc_skind {
    NMRC_ST_PARAM,      /* names[0] = name; ex[0] = value */
    NMRC_ST_SPIN,       /* names = label, isotope; ex = offset, T1, T2, p90, shift (-1 absent) */
    NMRC_ST_FIELD,      /* ex[0] */
    NMRC_ST_COUPLE,     /* pair set (pairs, names); ex = J, dipolar (-1 absent);
                           sub = nmrc_jform */
    NMRC_ST_OMEGA,      /* ex[0] */
    NMRC_ST_TARGET,     /* block marker */
    NMRC_ST_ZEEMAN,     /* names = [label]; ex = value, then axis (1 or 3) */
    NMRC_ST_DIPOLAR,    /* pair set; sub 0: ex = Delta, eps; sub 1: 9 tensor entries */
    NMRC_ST_DM,         /* pair set; ex = 3 */
    NMRC_ST_KSEA,       /* pair set; ex = 3 */
    NMRC_ST_TENSOR,     /* pair set; ex = 9 (rows) */
    NMRC_ST_CHARGE,     /* block marker */
    NMRC_ST_STRENGTH,   /* ex[0] */
    NMRC_ST_AXIS,       /* sub 'x'/'y' or 0 with ex[0] an angle */
    NMRC_ST_TIME,       /* ex = start, stop, points */
    NMRC_ST_TEMPERATURE,/* ex[0] */
    NMRC_ST_INITIAL,    /* sub = nmrc_init_kind; CHARGED ex[0]; PRODUCT names[0];
                           BELL sub2 (in names[0][0]); MATRIX ex = rows*cols, n_names = 0,
                           cols in `cols` */
    NMRC_ST_EVOLVE,     /* ex = start, stop, points */
    NMRC_ST_NOISE,      /* block marker */
    NMRC_ST_CHANNEL,    /* sub = nmrc_noise_kind; names = spins; ex[0] = rate */
    NMRC_ST_READOUT,    /* block marker */
    NMRC_ST_OBSERVE,    /* names = spins */
    NMRC_ST_TD,         /* ex[0] */
    NMRC_ST_SW,         /* ex[0] */
    NMRC_ST_TOMOGRAPHY, /* - */
    NMRC_ST_OBSERVABLES,/* names */
    NMRC_ST_SEQNAME,    /* names[0] = library sequence name */
    NMRC_ST_SEQUENCE,   /* block marker */
    NMRC_ST_PULSE,      /* names = spins; ex = angle, phase (phase -1: sub = quadrant) */
    NMRC_ST_DELAY,      /* ex[0] */
    NMRC_ST_GRADIENT,   /* sub = axis char; ex = duration, amplitude */
    NMRC_ST_ACQUIRE,    /* - */
    NMRC_ST_REPEAT,     /* ex[0] = count; matched by ENDREPEAT */
    NMRC_ST_ENDREPEAT,  /* - */
    NMRC_ST_COMPILE,    /* block marker */
    NMRC_ST_STEPS,      /* ex[0] */
    NMRC_ST_ORDER,      /* sub = 1 symmetric, 0 plain */
    NMRC_ST_MAX_ERROR,  /* ex[0] */
    NMRC_ST_COMPOSITE,  /* names[0] */
    NMRC_ST_DECOUPLE,   /* names[0] */
    NMRC_ST_OFFSET_COMP,/* - */
    NMRC_ST_CTIME,      /* ex[0] */
    NMRC_ST_SYSTEM,     /* block marker */
    NMRC_ST_CARRIER,    /* names[0] = isotope; ex[0] = carrier shift (ppm) */
    NMRC_ST_HOMONUCLEAR,/* sub = nmrc_jform (STRONG or WEAK) */
    NMRC_ST_NKINDS      /* number of statement kinds */
} nmrc_skind;

/* How a pair term or a coupling names its spin pairs (nmrc_stmt.pairs).
** PAIR: names[0], names[1].  The others list spins in names (a name "*"
** stands for every declared spin, in declaration order): CHAIN (1,2),
** (2,3), ...; RING the chain and (n,1); STAR (1,k) for every later k;
** ALL every (a,b) with a before b. */
typedef enum nmrc_pairs {
    NMRC_PAIRS_PAIR, NMRC_PAIRS_CHAIN, NMRC_PAIRS_RING, NMRC_PAIRS_STAR, NMRC_PAIRS_ALL
} nmrc_pairs;

/* The form of a natural coupling asked for in `couple` or `homonuclear`. */
typedef enum nmrc_jform { NMRC_JFORM_DEFAULT, NMRC_JFORM_STRONG, NMRC_JFORM_WEAK } nmrc_jform;

typedef struct nmrc_name {
    char s[NMRC_NAME_MAX];
    nmrc_span span;
} nmrc_name;

typedef struct nmrc_stmt {
    nmrc_skind kind;
    nmrc_span span;     /* the keyword */
    int sub;            /* kind-specific selector */
    nmrc_pairs pairs;   /* pair terms and couplings: how names list the pairs */
    nmrc_span pairs_span; /* the pair set as written (both labels, or "chain(...)") */
    size_t cols;        /* INITIAL MATRIX: row length */
    size_t name0, n_names;  /* slice of spec->names */
    size_t ex0, n_ex;       /* slice of spec->args (expr indices, -1 = absent) */
} nmrc_stmt;

typedef struct nmrc_srcfile {
    char *path;         /* as shown in diagnostics */
    char *real;         /* canonical path for include-cycle checks, or NULL */
    char *text;         /* contents, NUL-terminated */
    size_t len;
} nmrc_srcfile;

/* A hash index from names to positions in some array (names.c). */
typedef struct nmrc_index {
    size_t *slot;       /* position + 1, 0 = empty */
    size_t cap, n;      /* cap is a power of two */
} nmrc_index;

/* Returns the name at position pos of the indexed array (NULL if none). */
typedef const char *(*nmrc_key_fn)(const void *ctx, size_t pos);

/* Adds position pos (its key from key_of); 0 or -1 when out of memory. */
NMRC_INTERNAL int nmrc_index_add(nmrc_index *ix, size_t pos, nmrc_key_fn key_of, const void *ctx);

/* Returns the position whose key is s[0..n), or -1. */
NMRC_INTERNAL long nmrc_index_find(const nmrc_index *ix, const char *s, size_t n, nmrc_key_fn key_of,
                     const void *ctx);

/* Frees the index and empties it. */
NMRC_INTERNAL void nmrc_index_free(nmrc_index *ix);

typedef struct nmrc_override {
    char name[NMRC_NAME_MAX];
    double value;       /* canonical unit of dim when has_unit, else as given */
    nmrc_dim dim;
    int has_unit;
} nmrc_override;

struct nmrc_spec {
    nmrc_srcfile *files;
    size_t n_files, cap_files;
    nmrc_expr *ex;
    size_t n_ex, cap_ex;
    nmrc_stmt *st;
    size_t n_st, cap_st;
    nmrc_name *names;
    size_t n_names, cap_names;
    int *args;
    size_t n_args, cap_args;
    char *diags[NMRC_MAX_DIAGS];
    size_t n_diags;
    int n_errors;       /* errors seen (may exceed n_diags) */
    int oom;            /* an allocation failed */
    int parse_errors;   /* errors found while parsing: resolve refuses */
    nmrc_override *ov;
    size_t n_ov, cap_ov;
    nmrc_index params;  /* PARAM statements by name */
    nmrc_index spins;   /* SPIN statements by label */
};

/* ---- Shared helpers (diag.c) ----------------------------------------- */

/* Grows *p (elements of elsize, capacity *cap) to hold `need`; returns 0 on
** success, -1 when out of memory or when the size would overflow. */
NMRC_INTERNAL int nmrc_grow(void **p, size_t *cap, size_t need, size_t elsize);

/* Adds a source file (path and text are copied, without a leading UTF-8
** byte-order mark); returns its index or -1. */
NMRC_INTERNAL int nmrc_spec_add_file(nmrc_spec *spec, const char *path, const char *text, size_t len);

/* Records an error at span; returns 0 while fewer than NMRC_MAX_DIAGS
** errors were recorded, -1 once the cap is reached. */
NMRC_INTERNAL int nmrc_diag(nmrc_spec *spec, nmrc_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Returns a new empty spec or NULL. */
NMRC_INTERNAL nmrc_spec *nmrc_spec_new(void);

/* Span covering a through b (same line), or a with a long length. */
NMRC_INTERNAL nmrc_span nmrc_span_join(nmrc_span a, nmrc_span b);

/* Edit distance between two strings, capped at 99. */
NMRC_INTERNAL int nmrc_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* ---- Parser (parse.c) ------------------------------------------------- */

/* Parses file index `file` of spec (already loaded) and, recursively, its
** includes; statements go to spec->st.  `depth` is the include depth. */
NMRC_INTERNAL void nmrc_parse_file_index(nmrc_spec *spec, size_t file, int depth);

/* Parses text as one quantity (expression with optional unit) into spec's
** arena; returns the node index or -1 (diagnostics in spec). */
NMRC_INTERNAL int nmrc_parse_quantity_text(nmrc_spec *spec, size_t file);

/* Loads `path` (a regular file of at most NMRC_MAX_FILE_BYTES, read
** through core's nmrc_io_read_file) into spec as a new file; returns its
** index, or -1 with the reason in err[errsize]. */
NMRC_INTERNAL int nmrc_load_file(nmrc_spec *spec, const char *path, char *err, size_t errsize);

/* ---- Evaluation (eval.c) ---------------------------------------------- */

typedef struct nmrc_value {
    double v;
    nmrc_dim dim;
} nmrc_value;

/* Parameter table used while evaluating. */
typedef struct nmrc_ptable {
    size_t n, cap;
    char (*name)[NMRC_NAME_MAX];
    nmrc_value *val;
    const nmrc_unit **unit;     /* declared unit or NULL */
    size_t *stmt;               /* defining statement */
    nmrc_index index;           /* names -> positions */
} nmrc_ptable;

/* Key of statement pos of spec ctx: its first name (for spec->params/spins). */
NMRC_INTERNAL const char *nmrc_stmt_key(const void *ctx, size_t pos);

/* Key of parameter pos of ptable ctx. */
NMRC_INTERNAL const char *nmrc_ptable_key(const void *ctx, size_t pos);

/* Evaluates node e with parameters from pt (may be NULL).  Returns 0 and
** sets *out, or -1 after recording a diagnostic at the offending span.
** Rejects NaN and infinite results. */
NMRC_INTERNAL int nmrc_eval(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_value *out);

/* As nmrc_eval for complex, dimensionless expressions (matrix entries). */
NMRC_INTERNAL int nmrc_eval_complex(nmrc_spec *spec, const nmrc_ptable *pt, int e, nmrc_cplx *out);

#endif /* NMRC_AST_H */
