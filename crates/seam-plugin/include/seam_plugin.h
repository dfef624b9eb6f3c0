/* seam_plugin.h: the C ABI of Seam native plugins, version 1.
 *
 * A plugin is a shared library exporting two functions:
 *
 *   uint32_t seam_module_abi_version(void);
 *       returns SEAM_PLUGIN_ABI_VERSION. The host calls it first and calls nothing else
 *       if the version is not the one it supports.
 *
 *   int32_t seam_module_init(const SeamHostApi *host, SeamModule *module);
 *       defines the module's functions and object types with host->define_fn and
 *       host->define_type; returns 0, or non-zero after host->init_error(module, ...).
 *
 * A function receives its arguments as SeamValues (strings and bytevectors are borrowed for
 * the call only) and answers through the host table: one of the ret_* functions, or raise
 * (an error Scheme code can catch with guard). Nothing a plugin gets from the host outlives
 * the call it came with, except `host`, which lives as long as the process.
 *
 * Threads: the engine may move between threads (never used by two at once), so a
 * function's data and the plugin's objects must not be tied to one thread.
 */
#ifndef SEAM_PLUGIN_H
#define SEAM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEAM_PLUGIN_ABI_VERSION 1u

/* SeamValue.tag */
#define SEAM_VOID 0u   /* no value (results only: an unspecified value) */
#define SEAM_BOOL 1u   /* as.boolean: 0 or 1 */
#define SEAM_INT 2u    /* as.integer: an exact integer in int64 range */
#define SEAM_FLOAT 3u  /* as.real: an inexact real */
#define SEAM_STRING 4u /* as.bytes: UTF-8, not NUL-terminated */
#define SEAM_BYTES 5u  /* as.bytes: a bytevector */
#define SEAM_OBJECT 6u /* as.object: an object of this plugin, of type `type` */
#define SEAM_OTHER 7u  /* any other Scheme value (a list, a symbol, another plugin's object) */

typedef struct SeamBytes {
    const uint8_t *ptr;
    size_t len;
} SeamBytes;

typedef struct SeamValue {
    uint32_t tag;
    uint32_t type; /* SEAM_OBJECT: the type number define_type returned */
    union {
        int32_t boolean;
        int64_t integer;
        double real;
        SeamBytes bytes;
        void *object;
    } as;
} SeamValue;

typedef struct SeamModule SeamModule; /* the module being initialised (host-owned) */
typedef struct SeamCall SeamCall;     /* a call in progress (host-owned) */
typedef struct SeamHostApi SeamHostApi;

/* A plugin function. `data` is what define_fn was given. */
typedef void (*SeamFn)(void *data, const SeamHostApi *host, SeamCall *call, const SeamValue *args,
                       size_t nargs);
/* Frees a function's data or an object; called once, by the thread that owns the engine. */
typedef void (*SeamFree)(void *ptr);

struct SeamHostApi {
    uint32_t abi_version; /* SEAM_PLUGIN_ABI_VERSION */
    uint32_t size;        /* sizeof(SeamHostApi) as the host built it */

    /* Defines function `name` (UTF-8; dots are ordinary characters) taking min_args to
     * max_args arguments (max_args -1: any number). `free_data`, if not NULL, is called
     * with `data` when the host drops the function. Returns 0, or -1 (with an init error
     * recorded) for a bad name or arity. */
    int32_t (*define_fn)(SeamModule *module, const char *name, size_t name_len, int32_t min_args,
                         int32_t max_args, SeamFn fn, void *data, SeamFree free_data);
    /* Defines an object type; returns its number (>= 0), or -1 for a bad name. `free_object`
     * is called with each object of the type when the collector finds it unreachable. */
    int32_t (*define_type)(SeamModule *module, const char *name, size_t name_len,
                           SeamFree free_object);
    /* Records why initialisation failed (seam_module_init then returns non-zero). */
    void (*init_error)(SeamModule *module, const char *message, size_t len);

    /* The result of a call (the last one given wins; none: unspecified). */
    void (*ret_bool)(SeamCall *call, int32_t value);
    void (*ret_int)(SeamCall *call, int64_t value);
    void (*ret_float)(SeamCall *call, double value);
    void (*ret_string)(SeamCall *call, const char *utf8, size_t len); /* copied */
    void (*ret_bytes)(SeamCall *call, const uint8_t *bytes, size_t len); /* copied */
    /* A new object of type `type` owning `object` (freed with the type's free_object). */
    void (*ret_object)(SeamCall *call, uint32_t type, void *object);
    /* Fails the call with `message` (copied): a Scheme error of kind `host`. */
    void (*raise)(SeamCall *call, const char *message, size_t len);
};

uint32_t seam_module_abi_version(void);
int32_t seam_module_init(const SeamHostApi *host, SeamModule *module);

#ifdef __cplusplus
}
#endif

#endif
