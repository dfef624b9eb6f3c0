/* A plugin written in C against crates/seam-plugin/include/seam_plugin.h, for
 * tests/packages/plugins.rs, which compiles it several ways:
 *   (nothing)        the module "cmath": numbers, strings, bytevectors, objects, errors
 *   -DABI=2          claims plugin ABI 2 (the host must refuse it before calling init)
 *   -DFAIL_INIT      init fails with a message
 *   -DNOT_A_PLUGIN   exports neither function
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seam_plugin.h"

#ifndef ABI
#define ABI SEAM_PLUGIN_ABI_VERSION
#endif

int cplugin_loaded(void) { return 1; }

#ifndef NOT_A_PLUGIN

typedef struct Point {
    double x, y;
} Point;

static int point_type = -1;
static long points_freed = 0;

static void free_point(void *p) {
    points_freed++;
    free(p);
}

static void fail(const SeamHostApi *host, SeamCall *call, const char *message) {
    host->raise(call, message, strlen(message));
}

static int number(const SeamValue *v, double *out) {
    if (v->tag == SEAM_FLOAT) { *out = v->as.real; return 1; }
    if (v->tag == SEAM_INT) { *out = (double)v->as.integer; return 1; }
    return 0;
}

static void hypot_fn(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    double a, b;
    (void)data; (void)n;
    if (!number(&args[0], &a) || !number(&args[1], &b)) { fail(host, call, "expected two numbers"); return; }
    host->ret_float(call, hypot(a, b));
}

/* (cmath.greet name [punctuation]) */
static void greet(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    char buffer[256];
    const char *prefix = data;
    if (args[0].tag != SEAM_STRING) { fail(host, call, "expected a string"); return; }
    int len = snprintf(buffer, sizeof buffer, "%s, %.*s%s", prefix, (int)args[0].as.bytes.len,
                       (const char *)args[0].as.bytes.ptr, n > 1 && args[1].tag == SEAM_BOOL && args[1].as.boolean ? "!" : "");
    host->ret_string(call, buffer, (size_t)len);
}

static void free_prefix(void *p) { free(p); }

/* (cmath.sum . numbers-or-bytevectors) → an integer */
static void sum(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    int64_t total = 0;
    (void)data;
    for (size_t i = 0; i < n; i++) {
        if (args[i].tag == SEAM_INT) total += args[i].as.integer;
        else if (args[i].tag == SEAM_BYTES)
            for (size_t j = 0; j < args[i].as.bytes.len; j++) total += args[i].as.bytes.ptr[j];
        else { fail(host, call, "expected integers or bytevectors"); return; }
    }
    host->ret_int(call, total);
}

static void reverse_bytes(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    uint8_t out[64];
    (void)data; (void)n;
    if (args[0].tag != SEAM_BYTES || args[0].as.bytes.len > sizeof out) { fail(host, call, "expected a short bytevector"); return; }
    size_t len = args[0].as.bytes.len;
    for (size_t i = 0; i < len; i++) out[i] = args[0].as.bytes.ptr[len - 1 - i];
    host->ret_bytes(call, out, len);
}

static void make_point(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    Point *p;
    (void)data; (void)n;
    p = malloc(sizeof *p);
    if (!number(&args[0], &p->x) || !number(&args[1], &p->y)) { free(p); fail(host, call, "expected two numbers"); return; }
    host->ret_object(call, (uint32_t)point_type, p);
}

static void point_x(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    (void)data; (void)n;
    if (args[0].tag != SEAM_OBJECT || args[0].type != (uint32_t)point_type) { fail(host, call, "expected a point"); return; }
    host->ret_float(call, ((Point *)args[0].as.object)->x);
}

static void points_freed_fn(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    (void)data; (void)args; (void)n;
    host->ret_int(call, points_freed);
}

static void is_other(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    (void)data; (void)n;
    host->ret_bool(call, args[0].tag == SEAM_OTHER);
}

/* Returns nothing: an unspecified value. */
static void nothing(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    (void)data; (void)host; (void)call; (void)args; (void)n;
}

/* Returns a string that is not UTF-8: the host must make it an error. */
static void bad_string(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args, size_t n) {
    (void)data; (void)args; (void)n;
    host->ret_string(call, "\xff\xfe", 2);
}

#define DEFINE(name, min, max, fn, data, free)                                                      \
    if (host->define_fn(module, name, strlen(name), min, max, fn, data, free) != 0) return 1;

uint32_t seam_module_abi_version(void) { return ABI; }

int32_t seam_module_init(const SeamHostApi *host, SeamModule *module) {
#ifdef FAIL_INIT
    const char *message = "no licence for cmath";
    host->init_error(module, message, strlen(message));
    return 1;
#else
    char *prefix = malloc(6);
    if (host->abi_version != SEAM_PLUGIN_ABI_VERSION) return 1;
    point_type = host->define_type(module, "point", 5, free_point);
    if (point_type < 0) return 1;
    strcpy(prefix, "hello");
    DEFINE("cmath.hypot", 2, 2, hypot_fn, NULL, NULL);
    DEFINE("cmath.greet", 1, 2, greet, prefix, free_prefix);
    DEFINE("cmath.sum", 0, -1, sum, NULL, NULL);
    DEFINE("cmath.reverse-bytes", 1, 1, reverse_bytes, NULL, NULL);
    DEFINE("cmath.point", 2, 2, make_point, NULL, NULL);
    DEFINE("cmath.point-x", 1, 1, point_x, NULL, NULL);
    DEFINE("cmath.points-freed", 0, 0, points_freed_fn, NULL, NULL);
    DEFINE("cmath.other?", 1, 1, is_other, NULL, NULL);
    DEFINE("cmath.nothing", 0, 0, nothing, NULL, NULL);
    DEFINE("cmath.bad-string", 0, 0, bad_string, NULL, NULL);
#ifdef BAD_ARITY
    DEFINE("cmath.bad", 3, 1, nothing, NULL, NULL);
#endif
    return 0;
#endif
}

#endif
