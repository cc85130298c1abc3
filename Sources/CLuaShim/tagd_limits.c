/* Per-call limits: the instruction budget (count hook plus work charged by C
   functions), the wall-time deadline and the external interrupt. A tripped
   limit is sticky: every later check raises it again until the host re-arms
   the state, so a script cannot catch its way past a limit. */
#include "tagd_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

static int64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Prefers the innermost frame of a file chunk ("@..."): a limit tripped in
   code a script made with load() is reported at the script's line. */
void tagd_where(lua_State *L, char *buffer, size_t size) {
    lua_Debug ar;
    buffer[0] = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int level = 0; level < 64 && lua_getstack(L, level, &ar); level++) {
            if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
            if (pass == 0 && ar.source[0] != '@') continue;
            snprintf(buffer, size, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
}

static void limit_hook(lua_State *L, lua_Debug *ar);

static void raise_tripped(lua_State *L, tagd_ctx *c) {
    lua_pushstring(L, c->trip_message);
    lua_error(L);
}

/* Records why the call stops, makes every hook fire at once and raises. */
static void trip(lua_State *L, tagd_ctx *c, int kind, const char *what) {
    char where[TAGD_WHERE_SIZE];
    tagd_where(L, where, sizeof where);
    snprintf(c->trip_message, sizeof c->trip_message, "%s%s%s", where, where[0] ? ": " : "", what);
    c->tripped = kind;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
    raise_tripped(L, c);
}

static void format_seconds(char *buffer, size_t size, int64_t ns) {
    if (ns % 1000000000 == 0) snprintf(buffer, size, "%lld s", (long long)(ns / 1000000000));
    else snprintf(buffer, size, "%.3g s", (double)ns / 1e9);
}

/* Checks the limits; `read_clock` forces a look at the clock. */
static void check_limits(lua_State *L, tagd_ctx *c, int read_clock) {
    char what[TAGD_MESSAGE_SIZE];
    if (c->tripped) raise_tripped(L, c);
    if (c->budget > 0 && c->spent > c->budget) {
        snprintf(what, sizeof what, "instruction budget of %lld instructions exceeded", (long long)c->budget);
        trip(L, c, TAGD_TRIP_BUDGET, what);
    }
    if (c->interrupt != NULL && atomic_load_explicit(&c->interrupt->flag, memory_order_acquire)) {
        pthread_mutex_lock(&c->interrupt->lock);
        snprintf(what, sizeof what, "cancelled: %s", c->interrupt->reason);
        pthread_mutex_unlock(&c->interrupt->lock);
        trip(L, c, TAGD_TRIP_CANCELLED, what);
    }
    if (c->deadline_ns > 0 && (read_clock || c->since_clock >= TAGD_HOOK_EVERY)) {
        c->since_clock = 0;
        if (monotonic_ns() > c->deadline_ns) {
            char limit[64];
            format_seconds(limit, sizeof limit, c->wall_limit_ns);
            snprintf(what, sizeof what, "wall-time limit of %s exceeded", limit);
            trip(L, c, TAGD_TRIP_TIMEOUT, what);
        }
    }
}

static void limit_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    tagd_ctx *c = tagd_ctx_of(L);
    if (c->tripped) raise_tripped(L, c);
    if (c->hurried) {
        c->hurried = 0;
        check_limits(L, c, 1);
        lua_sethook(L, limit_hook, LUA_MASKCOUNT, TAGD_HOOK_EVERY);
        return;
    }
    c->spent += TAGD_HOOK_EVERY;
    check_limits(L, c, 1);
}

void tagd_hurry(tagd_ctx *c) {
    c->spent += (int64_t)(c->grown / TAGD_BYTES_PER_UNIT_ALLOCATED);
    c->grown = 0;
    if (c->L == NULL || c->tripped) return;
    c->hurried = 1;
    lua_sethook(c->L, limit_hook, LUA_MASKCOUNT, 1);
}

void tagd_charge(lua_State *L, int64_t units) {
    tagd_ctx *c = tagd_ctx_of(L);
    if (units < 0) units = INT64_MAX / 4;
    c->spent += units;
    c->since_clock += units;
    check_limits(L, c, 0);
}

void tagd_reraise_if_tripped(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    if (c->tripped) raise_tripped(L, c);
}

void tagd_arm(lua_State *L, int64_t budget, int64_t wall_limit_ns) {
    tagd_ctx *c = tagd_ctx_of(L);
    c->budget = budget > 0 ? budget : 0;
    c->spent = 0;
    c->since_clock = 0;
    c->tripped = TAGD_TRIP_NONE;
    c->trip_message[0] = 0;
    c->grown = 0;
    c->hurried = 0;
    c->wall_limit_ns = wall_limit_ns > 0 ? wall_limit_ns : 0;
    c->deadline_ns = c->wall_limit_ns > 0 ? monotonic_ns() + c->wall_limit_ns : 0;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, TAGD_HOOK_EVERY);
}

void tagd_set_budget(lua_State *L, int64_t budget) { tagd_arm(L, budget, 0); }

int tagd_tripped(lua_State *L) { return tagd_ctx_of(L)->tripped; }
const char *tagd_trip_message(lua_State *L) { return tagd_ctx_of(L)->trip_message; }

void tagd_clear_trip(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    c->tripped = TAGD_TRIP_NONE;
    c->hurried = 0;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, TAGD_HOOK_EVERY);
}

/* MARK: interrupts */

tagd_interrupt *tagd_interrupt_new(void) {
    tagd_interrupt *i = calloc(1, sizeof(tagd_interrupt));
    if (i == NULL) return NULL;
    atomic_init(&i->flag, 0);
    pthread_mutex_init(&i->lock, NULL);
    return i;
}

void tagd_interrupt_free(tagd_interrupt *i) {
    if (i == NULL) return;
    pthread_mutex_destroy(&i->lock);
    free(i);
}

void tagd_interrupt_set(tagd_interrupt *i, const char *reason) {
    pthread_mutex_lock(&i->lock);
    snprintf(i->reason, sizeof i->reason, "%s", reason ? reason : "interrupted by the host");
    pthread_mutex_unlock(&i->lock);
    atomic_store_explicit(&i->flag, 1, memory_order_release);
}

void tagd_interrupt_clear(tagd_interrupt *i) { atomic_store_explicit(&i->flag, 0, memory_order_release); }

int tagd_interrupt_is_set(tagd_interrupt *i) { return atomic_load_explicit(&i->flag, memory_order_acquire); }

void tagd_set_interrupt(lua_State *L, tagd_interrupt *i) { tagd_ctx_of(L)->interrupt = i; }

/* MARK: protected calls that cannot swallow a tripped limit */

/* The `true` of a successful call is pushed before the call, so that the
   results never need a stack slot the call did not reserve. */
static int sandbox_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
    tagd_reraise_if_tripped(L);
    if (status != LUA_OK) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L);
}

/* The message handler xpcall really installs: once a limit tripped it runs
   no script code (a handler called for an error raised by the hook would run
   with hooks disabled, so an endless handler could not be stopped). */
static int guarded_handler(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    if (c->tripped) {
        lua_pushstring(L, c->trip_message);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sandbox_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2); /* f, handler, true, f, args... */
    int status = lua_pcall(L, n - 2, LUA_MULTRET, 2);
    tagd_reraise_if_tripped(L);
    if (status != LUA_OK) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - 2;
}

void tagd_open_protected_calls(lua_State *L) {
    lua_pushcfunction(L, sandbox_pcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, sandbox_xpcall);
    lua_setfield(L, -2, "xpcall");
}

/* MARK: C functions whose time grows with their input */

enum { CHARGE_STRINGS, CHARGE_REP, CHARGE_LENGTH, CHARGE_SORT, CHARGE_MOVE };

#define BYTES_PER_UNIT 16

static int64_t string_bytes(lua_State *L, int from, int to) {
    int64_t total = 0;
    for (int i = from; i <= to; i++)
        if (lua_type(L, i) == LUA_TSTRING) total += (int64_t)lua_rawlen(L, i);
    return total;
}

static int64_t saturate(double units) { return units > 1e15 ? (int64_t)1e15 : (int64_t)units; }

static int charged_call(lua_State *L) {
    int mode = (int)lua_tointeger(L, lua_upvalueindex(2));
    int n = lua_gettop(L);
    int64_t before = 1 + string_bytes(L, 1, n) / BYTES_PER_UNIT;
    switch (mode) {
    case CHARGE_REP: {
        double count = (double)luaL_optinteger(L, 2, 0);
        double len = lua_type(L, 1) == LUA_TSTRING ? (double)lua_rawlen(L, 1) : 0;
        double sep = lua_type(L, 3) == LUA_TSTRING ? (double)lua_rawlen(L, 3) : 0;
        if (count > 0) before += saturate((len * count + sep * (count - 1) + count) / BYTES_PER_UNIT);
        break;
    }
    case CHARGE_LENGTH:
        if (lua_type(L, 1) == LUA_TTABLE) before += (int64_t)(lua_rawlen(L, 1) / BYTES_PER_UNIT);
        if (lua_isinteger(L, 3) && lua_isinteger(L, 4)) /* table.concat(t, sep, i, j) */
            before += saturate(((double)lua_tointeger(L, 4) - (double)lua_tointeger(L, 3)) / BYTES_PER_UNIT);
        break;
    case CHARGE_SORT:
        if (lua_type(L, 1) == LUA_TTABLE) {
            double count = (double)lua_rawlen(L, 1);
            before += saturate(count * log2(count + 2));
        }
        break;
    case CHARGE_MOVE:
        if (lua_isinteger(L, 2) && lua_isinteger(L, 3))
            before += saturate(((double)lua_tointeger(L, 3) - (double)lua_tointeger(L, 2)) / BYTES_PER_UNIT);
        break;
    default: break;
    }
    tagd_charge(L, before);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    int results = lua_gettop(L);
    tagd_charge(L, results + string_bytes(L, 1, results) / BYTES_PER_UNIT);
    return results;
}

typedef struct { const char *name; int mode; } charged_entry;

static const charged_entry STRING_CHARGED[] = {
    {"rep", CHARGE_REP}, {"format", CHARGE_STRINGS}, {"upper", CHARGE_STRINGS}, {"lower", CHARGE_STRINGS},
    {"reverse", CHARGE_STRINGS}, {"byte", CHARGE_STRINGS}, {"char", CHARGE_STRINGS}, {"sub", CHARGE_STRINGS},
    {"pack", CHARGE_STRINGS}, {"unpack", CHARGE_STRINGS}, {NULL, 0}};
static const charged_entry TABLE_CHARGED[] = {
    {"concat", CHARGE_LENGTH}, {"insert", CHARGE_LENGTH}, {"remove", CHARGE_LENGTH}, {"unpack", CHARGE_STRINGS},
    {"sort", CHARGE_SORT}, {"move", CHARGE_MOVE}, {NULL, 0}};
static const charged_entry UTF8_CHARGED[] = {
    {"char", CHARGE_STRINGS}, {"codepoint", CHARGE_STRINGS}, {"len", CHARGE_STRINGS}, {"offset", CHARGE_STRINGS},
    {NULL, 0}};
static const charged_entry BASE_CHARGED[] = {{"tostring", CHARGE_STRINGS}, {"tonumber", CHARGE_STRINGS}, {NULL, 0}};

void tagd_wrap_charged(lua_State *L, const char *name) {
    const charged_entry *entries =
        strcmp(name, LUA_STRLIBNAME) == 0 ? STRING_CHARGED
        : strcmp(name, LUA_TABLIBNAME) == 0 ? TABLE_CHARGED
        : strcmp(name, LUA_UTF8LIBNAME) == 0 ? UTF8_CHARGED
        : strcmp(name, LUA_GNAME) == 0 ? BASE_CHARGED : NULL;
    if (entries == NULL) return;
    for (const charged_entry *e = entries; e->name; e++) {
        if (lua_getfield(L, -1, e->name) != LUA_TFUNCTION) { lua_pop(L, 1); continue; }
        lua_pushinteger(L, e->mode);
        lua_pushcclosure(L, charged_call, 2);
        lua_setfield(L, -2, e->name);
    }
}
