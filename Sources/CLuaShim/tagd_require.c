/* require(name): loads plugins/<name with dots as slashes>.lua. Each root
   chunk has its own cache of loaded modules (an upvalue of its `require`),
   shared with the modules it requires, so one rule cannot change the module
   tables another rule sees. A module's source comes from the preloaded
   snapshot when the host put one there (an approved version's modules); in
   frozen mode only from there; otherwise from the file, which must not be or
   pass through a symbolic link, and what was read is recorded so the host
   can version it. */
#include "tagd_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *PRELOAD_KEY = "tagd.preload";
static const char *REQUIRED_KEY = "tagd.required";
static char LOADING_SENTINEL;

static int valid_module_name(const char *name) {
    if (name[0] == 0 || name[0] == '.') return 0;
    for (const char *p = name; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                 ch == '.' || ch == '-';
        if (!ok || (ch == '.' && (p[1] == '.' || p[1] == 0))) return 0;
    }
    return 1;
}

typedef enum { READ_OK, READ_MISSING, READ_SYMLINK, READ_NOT_FILE, READ_FAILED } read_status;

/* Reads `relative` under `root` without following any symbolic link. On
   READ_SYMLINK, `relative` is cut after the offending component. */
static read_status read_nofollow(const char *root, char *relative, char **content, size_t *length) {
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return READ_MISSING;
    char *component = relative;
    for (;;) {
        char *slash = strchr(component, '/');
        if (slash != NULL) *slash = 0;
        struct stat st;
        if (fstatat(dir, component, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            close(dir);
            if (slash != NULL) *slash = '/';
            return READ_MISSING;
        }
        if (S_ISLNK(st.st_mode)) {
            close(dir);
            return READ_SYMLINK;
        }
        if (slash == NULL) break;
        int next = openat(dir, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dir);
        *slash = '/';
        if (next < 0) return errno == ELOOP ? READ_SYMLINK : READ_MISSING;
        dir = next;
        component = slash + 1;
    }
    int fd = openat(dir, component, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int open_error = errno;
    close(dir);
    if (fd < 0) return open_error == ELOOP ? READ_SYMLINK : READ_MISSING;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return READ_NOT_FILE;
    }
    size_t capacity = (size_t)st.st_size + 1, used = 0;
    char *buffer = malloc(capacity);
    while (buffer != NULL) {
        if (used == capacity) {
            char *bigger = realloc(buffer, capacity * 2);
            if (bigger == NULL) { free(buffer); buffer = NULL; break; }
            buffer = bigger;
            capacity *= 2;
        }
        ssize_t n = read(fd, buffer + used, capacity - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { free(buffer); buffer = NULL; break; }
        if (n == 0) break;
        used += (size_t)n;
    }
    close(fd);
    if (buffer == NULL) return READ_FAILED;
    *content = buffer;
    *length = used;
    return READ_OK;
}

/* Pushes the source of module `name` (whose file is `relative`) or raises. */
static void push_module_source(lua_State *L, tagd_ctx *c, const char *name, const char *relative) {
    lua_getfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    if (lua_isstring(L, -1)) return;
    lua_pop(L, 1);
    if (c->frozen)
        luaL_error(L, "require: module '%s' is not part of the approved version (approve a new version to use it)", name);
    if (!c->has_plugins) luaL_error(L, "require: module '%s' not found (no plugins directory)", name);
    char path[1024];
    snprintf(path, sizeof path, "%s", relative);
    char *content = NULL;
    size_t length = 0;
    switch (read_nofollow(c->plugins_dir, path, &content, &length)) {
    case READ_OK: break;
    case READ_SYMLINK: luaL_error(L, "require: plugins/%s is a symbolic link (refused)", path); break;
    case READ_NOT_FILE: luaL_error(L, "require: plugins/%s is not a regular file", relative); break;
    case READ_FAILED: luaL_error(L, "require: cannot read plugins/%s", relative); break;
    default:
        luaL_error(L, "require: module '%s' not found in plugins/ (looked for %s/%s)", name, c->plugins_dir, relative);
    }
    lua_pushlstring(L, content, length);
    free(content);
    lua_getfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

int tagd_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    tagd_ctx *c = tagd_ctx_of(L);
    if (!valid_module_name(name)) return luaL_error(L, "require: invalid module name '%s'", name);
    lua_settop(L, 1);
    int loaded = lua_upvalueindex(1);
    lua_getfield(L, loaded, name);
    if (lua_touserdata(L, -1) == &LOADING_SENTINEL)
        return luaL_error(L, "require: module '%s' requires itself (a cycle)", name);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    char relative[512];
    size_t n = 0;
    for (const char *p = name; *p && n + 5 < sizeof relative; p++) relative[n++] = *p == '.' ? '/' : *p;
    memcpy(relative + n, ".lua", 5);
    push_module_source(L, c, name, relative);
    size_t len;
    const char *source = lua_tolstring(L, -1, &len);
    if (len > 0 && source[0] == 0x1B) return luaL_error(L, "require: binary chunks are not allowed in the sandbox");
    lua_pushfstring(L, "@plugins/%s", relative);
    if (luaL_loadbufferx(L, source, len, lua_tostring(L, -1), "t") != LUA_OK) return lua_error(L);
    /* The module gets globals of its own and shares its root's module cache. */
    tagd_push_env(L, loaded);
    lua_setupvalue(L, -2, 1);
    lua_pushlightuserdata(L, &LOADING_SENTINEL);
    lua_setfield(L, loaded, name);
    lua_pushstring(L, name);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pushnil(L);
        lua_setfield(L, loaded, name);
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, loaded, name);
    return 1;
}

void tagd_reset_modules(lua_State *L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY);
    tagd_ctx_of(L)->frozen = 0;
}

void tagd_set_frozen(lua_State *L, int frozen) { tagd_ctx_of(L)->frozen = frozen; }
void tagd_push_required(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, REQUIRED_KEY); }
void tagd_push_preload(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, PRELOAD_KEY); }
