#include "CLuaShim.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define TAGD_HOOK_EVERY 1000

/* Per-state bookkeeping, reachable from the allocator's ud and the extra space. */
typedef struct {
    size_t used, peak, limit;
    int64_t budget, spent;
    lua_State *L;
    char fault_where[256];
    void *host;
    tagd_host_dispatch dispatch;
    char plugins_dir[1024];
    int has_plugins;
} tagd_ctx;

static const char *GLOBALS_KEY = "tagd.globals";
static const char *LOADED_KEY = "tagd.loaded";
static const char *PRELOAD_KEY = "tagd.preload";
static const char *REQUIRED_KEY = "tagd.required";

static tagd_ctx *ctx_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (tagd_ctx *)ud;
}

/* Records "file:line" of the innermost Lua function, without allocating. */
static void record_where(tagd_ctx *c) {
    lua_Debug ar;
    c->fault_where[0] = 0;
    if (c->L == NULL) return;
    for (int level = 0; level < 32 && lua_getstack(c->L, level, &ar); level++) {
        if (lua_getinfo(c->L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(c->fault_where, sizeof c->fault_where, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
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
        if (c->fault_where[0] == 0) record_where(c);
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->used = c->used - old + nsize;
    if (c->used > c->peak) c->peak = c->used;
    return p;
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    tagd_ctx *c = ctx_of(L);
    c->spent += TAGD_HOOK_EVERY;
    if (c->budget > 0 && c->spent > c->budget) {
        c->spent = 0; /* let the error handler run */
        /* A hook runs without a frame of its own: level 0 is the running script. */
        luaL_where(L, 0);
        lua_pushfstring(L, "instruction budget of %I instructions exceeded", (lua_Integer)c->budget);
        lua_concat(L, 2);
        lua_error(L);
    }
}

void tagd_set_budget(lua_State *L, int64_t budget) {
    tagd_ctx *c = ctx_of(L);
    c->budget = budget;
    c->spent = 0;
    lua_sethook(L, budget > 0 ? budget_hook : NULL, budget > 0 ? LUA_MASKCOUNT : 0, TAGD_HOOK_EVERY);
}

static int traceback(lua_State *L) {
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

/* load(chunk [, chunkname [, mode [, env]]]) restricted to text chunks. */
/* Pushes a fresh environment table whose reads fall through to the sandbox
   globals; its metatable is hidden so scripts cannot reach the shared globals. */
static void push_env(lua_State *L) {
    lua_newtable(L);
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

static int safe_load(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b') != NULL) return luaL_error(L, "binary chunks are not allowed in the sandbox");
    int status = luaL_loadbufferx(L, s, len, name, "t");
    if (status != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (!lua_isnone(L, 4)) {
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    } else {
        push_env(L);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

static int safe_print(lua_State *L) {
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t l;
        const char *s = luaL_tolstring(L, i, &l);
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
    if (strcmp(opt, "collect") == 0) { lua_gc(L, LUA_GCCOLLECT, 0); lua_pushinteger(L, 0); return 1; }
    return luaL_error(L, "collectgarbage(\"%s\") is not allowed in the sandbox", opt);
}

/* require(name): loads plugins/<name with dots as slashes>.lua once per
   state. A module's source comes from the preload table when the host put a
   snapshot there (an approved version's modules), else from the file, and
   what was read from files is recorded so the host can version it. */
static int safe_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    tagd_ctx *c = ctx_of(L);
    for (const char *p = name; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
        if (!ok || (ch == '.' && p[1] == '.')) return luaL_error(L, "require: invalid module name '%s'", name);
    }
    lua_getfield(L, LUA_REGISTRYINDEX, LOADED_KEY);
    int loaded = lua_gettop(L);
    lua_getfield(L, loaded, name);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    /* The chunk name errors show: @plugins/lib/csv.lua */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "@plugins/");
    for (const char *p = name; *p; p++) luaL_addchar(&b, *p == '.' ? '/' : *p);
    luaL_addstring(&b, ".lua");
    luaL_pushresult(&b);
    int chunkname = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        if (!c->has_plugins) return luaL_error(L, "require: module '%s' not found (no plugins directory)", name);
        luaL_Buffer path;
        luaL_buffinit(L, &path);
        luaL_addstring(&path, c->plugins_dir);
        luaL_addstring(&path, lua_tostring(L, chunkname) + 8); /* skip "@plugins" */
        luaL_pushresult(&path);
        FILE *f = fopen(lua_tostring(L, -1), "rb");
        if (f == NULL) return luaL_error(L, "require: module '%s' not found in plugins/ (looked for %s)", name, lua_tostring(L, -1));
        lua_pop(L, 1);
        luaL_Buffer content;
        luaL_buffinit(L, &content);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) luaL_addlstring(&content, chunk, n);
        fclose(f);
        luaL_pushresult(&content);
        lua_getfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY);
        lua_pushvalue(L, -2);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
    size_t len;
    const char *source = lua_tolstring(L, -1, &len);
    if (len > 0 && source[0] == 0x1B) return luaL_error(L, "require: binary chunks are not allowed in the sandbox");
    if (luaL_loadbufferx(L, source, len, lua_tostring(L, chunkname), "t") != LUA_OK) return lua_error(L);
    /* Each module gets its own environment inheriting the sandbox globals. */
    push_env(L);
    lua_setupvalue(L, -2, 1);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 1); }
    lua_pushvalue(L, -1);
    lua_setfield(L, loaded, name);
    return 1;
}

void tagd_reset_modules(lua_State *L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LOADED_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY);
}

void tagd_push_required(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY); }
void tagd_push_preload(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY); }

static int host_trampoline(lua_State *L) {
    tagd_ctx *c = ctx_of(L);
    int index = (int)lua_tointeger(L, lua_upvalueindex(1));
    if (c->dispatch == NULL) return luaL_error(L, "host function called after the host went away");
    int n = c->dispatch(L, c->host, index);
    if (n < 0) {
        luaL_where(L, 1);
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
    tagd_ctx *c = ctx_of(L);
    c->host = host;
    c->dispatch = dispatch;
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
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    static const char *removed[] = {"dofile", "loadfile", NULL};
    for (const char **r = removed; *r; r++) { lua_pushnil(L); lua_setfield(L, -2, *r); }
    lua_pushcfunction(L, safe_load); lua_setfield(L, -2, "load");
    lua_pushcfunction(L, safe_print); lua_setfield(L, -2, "print");
    lua_pushcfunction(L, safe_collectgarbage); lua_setfield(L, -2, "collectgarbage");
    lua_pushcfunction(L, safe_require); lua_setfield(L, -2, "require");
    /* math.random stays (seeded by Lua); string.dump would expose bytecode. */
    lua_getfield(L, -1, "string"); lua_pushnil(L); lua_setfield(L, -2, "dump"); lua_pop(L, 1);
    /* Hide the shared string metatable so one script cannot alter another's strings. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY);
    tagd_reset_modules(L);
    /* The registry's _LOADED still lists the libraries; scripts cannot reach it. */
    c->limit = memory_limit;
    return L;
}

void tagd_close(lua_State *L) {
    tagd_ctx *c = ctx_of(L);
    lua_close(L);
    free(c);
}

size_t tagd_memory_used(lua_State *L) { return ctx_of(L)->used; }
size_t tagd_memory_peak(lua_State *L) { return ctx_of(L)->peak; }
void tagd_set_memory_limit(lua_State *L, size_t limit) { ctx_of(L)->limit = limit; }
const char *tagd_memory_fault_where(lua_State *L) { return ctx_of(L)->fault_where; }
void tagd_clear_memory_fault(lua_State *L) { ctx_of(L)->fault_where[0] = 0; }

void tagd_push_globals(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, GLOBALS_KEY); }

int tagd_run_chunk(lua_State *L, const char *source, size_t len, const char *chunkname) {
    int status = luaL_loadbufferx(L, source, len, chunkname, "t");
    if (status != LUA_OK) return status;
    push_env(L);
    lua_setupvalue(L, -2, 1);
    return tagd_pcall(L, 0, 1);
}

void tagd_pop(lua_State *L, int n) { lua_pop(L, n); }
const char *tagd_tostring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
int tagd_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
void tagd_newtable(lua_State *L) { lua_newtable(L); }
int tagd_upvalueindex(int i) { return lua_upvalueindex(i); }
int tagd_registryindex(void) { return LUA_REGISTRYINDEX; }
