/* Private to the shim: the per-state bookkeeping shared by its C files. */
#ifndef TAGD_INTERNAL_H
#define TAGD_INTERNAL_H

#include "CLuaShim.h"
#include <stdatomic.h>
#include <pthread.h>

#define TAGD_HOOK_EVERY 1000
#define TAGD_WHERE_SIZE 256
#define TAGD_MESSAGE_SIZE 512
#define TAGD_HURRY_BYTES (1 << 20)
#define TAGD_BYTES_PER_UNIT_ALLOCATED 64

/* Why the running call was stopped; once set it stays set (sticky) until the
   host re-arms the state for its next call. */
enum { TAGD_TRIP_NONE = 0, TAGD_TRIP_BUDGET = 1, TAGD_TRIP_TIMEOUT = 2, TAGD_TRIP_CANCELLED = 3 };

/* An interrupt request, settable from any thread. */
struct tagd_interrupt {
    atomic_int flag;
    pthread_mutex_t lock;
    char reason[TAGD_MESSAGE_SIZE];
};

/* Per-state bookkeeping, reachable from the allocator's ud. */
typedef struct {
    size_t used, peak, limit;
    int64_t budget, spent;
    int64_t wall_limit_ns, deadline_ns;
    int64_t since_clock; /* charged work since the clock was last read */
    size_t grown;        /* bytes allocated since the limits were last checked early */
    int hurried;         /* the hook was set to fire at the next instruction */
    int tripped;
    char trip_message[TAGD_MESSAGE_SIZE];
    tagd_interrupt *interrupt;
    lua_State *L;
    char fault_where[TAGD_WHERE_SIZE];
    void *host;
    tagd_host_dispatch dispatch;
    char plugins_dir[1024];
    int has_plugins;
    int frozen;
} tagd_ctx;

tagd_ctx *tagd_ctx_of(lua_State *L);

/* Writes "file:line" of the innermost Lua function with a line (or ""). */
void tagd_where(lua_State *L, char *buffer, size_t size);

/* Charges `units` instructions of work done in C to the running call's
   budget and checks the deadline and the interrupt; raises (sticky) when a
   limit is exhausted. */
void tagd_charge(lua_State *L, int64_t units);

/* Called by the allocator after a lot of growth: VM operations such as
   concatenation do work proportional to the bytes they allocate, so the
   bytes are charged (1 unit per 64) and the limits are checked at the next
   instruction rather than up to 1000 instructions later. Async-safe. */
void tagd_hurry(tagd_ctx *c);

/* Raises the sticky limit error again if the state is tripped. */
void tagd_reraise_if_tripped(lua_State *L);

/* Installs the bounded pattern functions into the string table on top of the stack. */
void tagd_open_patterns(lua_State *L);

/* Wraps the C functions whose time grows with their input so they charge the budget;
   `lib` is the library table on top of the stack, `name` its global name. */
void tagd_wrap_charged(lua_State *L, const char *name);

/* Pushes a fresh globals table for a chunk: copies of the template's values
   and library tables, `_G` pointing to itself, and `require`/`load` sharing
   the module cache at `loaded` (a stack index; 0 = a new cache). */
void tagd_push_env(lua_State *L, int loaded);

/* The sandbox `require`; upvalue 1 is the root chunk's module cache. */
int tagd_require(lua_State *L);

/* Replaces pcall and xpcall in the table on top of the stack. */
void tagd_open_protected_calls(lua_State *L);

#endif
