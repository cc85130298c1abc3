#include "tagd_internal.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* The template every chunk's globals are copied from (the state's own global
   table, reachable only through the registry). */
static const char *TEMPLATE_KEY = "tagd.template";
/* The metatable of every chunk environment: it only hides itself. */
static const char *ENV_META_KEY = "tagd.envmeta";
/* Stock pattern functions, kept for differential tests. */
static const char *STOCK_KEY = "tagd.stock";

tagd_ctx *tagd_ctx_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (tagd_ctx *)ud;
}

static void *tagd_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    tagd_ctx *c = (tagd_ctx *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->used -= old;
        return NULL;
    }
    if (c->limit && nsize > old && c->used - old + nsize > c->limit) {
        if (c->fault_where[0] == 0 && c->L != NULL) tagd_where(c->L, c->fault_where, sizeof c->fault_where);
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    if (nsize > old && (c->grown += nsize - old) >= TAGD_HURRY_BYTES) tagd_hurry(c);
    c->used = c->used - old + nsize;
    if (c->used > c->peak) c->peak = c->used;
    return p;
}

static int traceback(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    if (c->tripped) {
        /* Run no script code (such as __tostring) once a limit tripped. */
        lua_pushstring(L, c->trip_message);
        return 1;
    }
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int tagd_pcall(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

/* Copies the table at `index` (one level: library tables hold functions). */
static void push_copy(lua_State *L, int index) {
    index = lua_absindex(L, index);
    lua_createtable(L, 0, 32);
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

static int safe_load(lua_State *L);

void tagd_push_env(lua_State *L, int loaded) {
    if (loaded != 0) loaded = lua_absindex(L, loaded);
    lua_createtable(L, 0, 64);
    int env = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY);
    int template = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, template) != 0) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            push_copy(L, -1);
            lua_remove(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, env);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, env);
    lua_setfield(L, env, LUA_GNAME);
    if (loaded != 0) lua_pushvalue(L, loaded);
    else lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, tagd_require, 1);
    lua_setfield(L, env, "require");
    lua_pushcclosure(L, safe_load, 1);
    lua_setfield(L, env, "load");
    lua_getfield(L, LUA_REGISTRYINDEX, ENV_META_KEY);
    lua_setmetatable(L, env);
}

/* load(chunk [, chunkname [, mode [, env]]]) restricted to text chunks; without
   an env the chunk gets globals of its own sharing the caller's module cache. */
static int safe_load(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b') != NULL) return luaL_error(L, "binary chunks are not allowed in the sandbox");
    tagd_charge(L, 1 + (int64_t)len / 16);
    int status = luaL_loadbufferx(L, s, len, name, "t");
    if (status != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (!lua_isnone(L, 4)) lua_pushvalue(L, 4);
    else tagd_push_env(L, lua_upvalueindex(1));
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    return 1;
}

static int safe_print(lua_State *L) {
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t l;
        const char *s = luaL_tolstring(L, i, &l);
        tagd_charge(L, 1 + (int64_t)l / 16);
        if (i > 1) fputc('\t', stderr);
        fwrite(s, 1, l, stderr);
        lua_pop(L, 1);
    }
    fputc('\n', stderr);
    return 0;
}

static int safe_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") == 0) {
        lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) + (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
        return 1;
    }
    if (strcmp(opt, "collect") == 0) {
        tagd_charge(L, 1 + (int64_t)tagd_ctx_of(L)->used / 64);
        lua_gc(L, LUA_GCCOLLECT, 0);
        lua_pushinteger(L, 0);
        return 1;
    }
    return luaL_error(L, "collectgarbage(\"%s\") is not allowed in the sandbox", opt);
}

/* setmetatable(t, mt) refusing finalizers: a __gc would run outside any limit. */
static int safe_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "finalizers (__gc) are not allowed in the sandbox");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* The level to blame for a host function's error: its caller, or past the
   host's own Lua wrappers (chunks named "=tagd:..."), the script that called
   them; 0 (no location) when a tail call left no such frame. */
static int blamed_level(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "S", &ar)) break;
        if (strncmp(ar.source, "=tagd:", 6) != 0) return level;
    }
    return 0;
}

static int host_trampoline(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    int index = (int)lua_tointeger(L, lua_upvalueindex(1));
    if (c->dispatch == NULL) return luaL_error(L, "host function called after the host went away");
    int n = c->dispatch(L, c->host, index);
    tagd_reraise_if_tripped(L);
    if (n < 0) {
        luaL_where(L, blamed_level(L));
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    return n;
}

void tagd_push_host_function(lua_State *L, int index) {
    lua_pushinteger(L, index);
    lua_pushcclosure(L, host_trampoline, 1);
}

void tagd_set_host(lua_State *L, void *host, tagd_host_dispatch dispatch) {
    tagd_ctx *c = tagd_ctx_of(L);
    c->host = host;
    c->dispatch = dispatch;
}

/* Keeps the stock pattern functions of the string table on top of the stack. */
static void keep_stock_patterns(lua_State *L) {
    static const char *names[] = {"find", "match", "gmatch", "gsub", NULL};
    lua_newtable(L);
    for (const char **n = names; *n; n++) {
        lua_getfield(L, -2, *n);
        lua_setfield(L, -2, *n);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, STOCK_KEY);
}

lua_State *tagd_newstate(size_t memory_limit, const char *plugins_dir) {
    tagd_ctx *c = calloc(1, sizeof(tagd_ctx));
    if (c == NULL) return NULL;
    c->limit = 0; /* opening the libraries is never limited */
    lua_State *L = lua_newstate(tagd_alloc, c);
    if (L == NULL) { free(c); return NULL; }
    c->L = L;
    if (plugins_dir != NULL) {
        strncpy(c->plugins_dir, plugins_dir, sizeof c->plugins_dir - 1);
        c->has_plugins = 1;
    }
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        tagd_wrap_charged(L, lib->name);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    /* warn would let a script write to the server's stderr at will. */
    static const char *removed[] = {"dofile", "loadfile", "require", "load", "warn", NULL};
    for (const char **r = removed; *r; r++) { lua_pushnil(L); lua_setfield(L, -2, *r); }
    lua_pushcfunction(L, safe_print); lua_setfield(L, -2, "print");
    lua_pushcfunction(L, safe_collectgarbage); lua_setfield(L, -2, "collectgarbage");
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    tagd_open_protected_calls(L);
    /* The host's pristine string table: bounded pattern functions, no dump.
       Scripts get copies; only the hidden string metatable points here. */
    lua_getfield(L, -1, LUA_STRLIBNAME);
    keep_stock_patterns(L);
    tagd_open_patterns(L);
    lua_pushnil(L); lua_setfield(L, -2, "dump");
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3); lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);
    /* _G is set per environment (pointing to the environment itself). */
    lua_pushnil(L); lua_setfield(L, -2, LUA_GNAME);
    lua_setfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY);
    lua_newtable(L);
    lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_META_KEY);
    tagd_reset_modules(L);
    /* The registry's _LOADED still lists the libraries; scripts cannot reach it. */
    tagd_arm(L, 0, 0);
    c->limit = memory_limit;
    return L;
}

void tagd_close(lua_State *L) {
    tagd_ctx *c = tagd_ctx_of(L);
    lua_close(L);
    free(c);
}

size_t tagd_memory_used(lua_State *L) { return tagd_ctx_of(L)->used; }
size_t tagd_memory_peak(lua_State *L) { return tagd_ctx_of(L)->peak; }
void tagd_set_memory_limit(lua_State *L, size_t limit) { tagd_ctx_of(L)->limit = limit; }
const char *tagd_memory_fault_where(lua_State *L) { return tagd_ctx_of(L)->fault_where; }
void tagd_clear_memory_fault(lua_State *L) { tagd_ctx_of(L)->fault_where[0] = 0; }

void tagd_push_globals(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY); }

void tagd_expose_stock_patterns(lua_State *L, const char *name) {
    lua_getfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY);
    lua_getfield(L, LUA_REGISTRYINDEX, STOCK_KEY);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

int tagd_run_chunk(lua_State *L, const char *source, size_t len, const char *chunkname) {
    int status = luaL_loadbufferx(L, source, len, chunkname, "t");
    if (status != LUA_OK) return status;
    tagd_push_env(L, 0);
    lua_setupvalue(L, -2, 1);
    return tagd_pcall(L, 0, 1);
}

void tagd_pop(lua_State *L, int n) { lua_pop(L, n); }
const char *tagd_tostring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
int tagd_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
void tagd_newtable(lua_State *L) { lua_newtable(L); }
int tagd_upvalueindex(int i) { return lua_upvalueindex(i); }
int tagd_registryindex(void) { return LUA_REGISTRYINDEX; }
