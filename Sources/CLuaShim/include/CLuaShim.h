#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>
#include <stddef.h>
#include <stdint.h>

/// Callback into the host: runs host function `index` with the Lua stack as
/// arguments. Returns the number of results pushed, or -1 after pushing an
/// error message (the shim then raises it as a Lua error).
typedef int (*tagd_host_dispatch)(lua_State *L, void *host, int index);

/// Creates a sandboxed state whose allocator refuses to grow past `memory_limit`
/// bytes (0 = unlimited). Opens only base (minus dofile/loadfile, text-only
/// load), string, table, math and utf8, and installs `require` restricted to
/// `plugins_dir` (NULL = require always fails).
lua_State *tagd_newstate(size_t memory_limit, const char *plugins_dir);
void tagd_close(lua_State *L);

size_t tagd_memory_used(lua_State *L);
size_t tagd_memory_peak(lua_State *L);
void tagd_set_memory_limit(lua_State *L, size_t limit);
/// Where the allocator last refused memory ("file:line"), or "" if it never did.
const char *tagd_memory_fault_where(lua_State *L);
void tagd_clear_memory_fault(lua_State *L);

/// Arms the instruction budget for the next call: after `budget` VM
/// instructions (checked every 1000) the running script raises an error.
/// 0 disables the budget. Same as `tagd_arm(L, budget, 0)`.
void tagd_set_budget(lua_State *L, int64_t budget);

/// Arms the limits for the next call from the host: `budget` instructions
/// (VM instructions plus work charged by C functions such as pattern
/// matching; 0 = unlimited) and `wall_limit_ns` nanoseconds of wall time
/// (0 = unlimited). Clears a tripped limit.
void tagd_arm(lua_State *L, int64_t budget, int64_t wall_limit_ns);

/// Which limit stopped the current call, sticky until the next `tagd_arm`
/// or `tagd_clear_trip`: 0 none, 1 instruction budget, 2 wall time, 3 interrupt.
int tagd_tripped(lua_State *L);
/// The message of the tripped limit ("file:line: ..."), or "".
const char *tagd_trip_message(lua_State *L);
/// Forgets a tripped limit (the host calls this once it has reported it).
void tagd_clear_trip(lua_State *L);

/// An interrupt request that any thread may set; the state it is attached to
/// fails its running call at the next check.
typedef struct tagd_interrupt tagd_interrupt;
tagd_interrupt *tagd_interrupt_new(void);
void tagd_interrupt_free(tagd_interrupt *interrupt);
/// Requests the interrupt with `reason` (copied; thread-safe).
void tagd_interrupt_set(tagd_interrupt *interrupt, const char *reason);
/// Withdraws the request (thread-safe).
void tagd_interrupt_clear(tagd_interrupt *interrupt);
/// Whether the interrupt is requested (thread-safe).
int tagd_interrupt_is_set(tagd_interrupt *interrupt);
/// Attaches `interrupt` to `L` (NULL detaches); it must outlive the attachment.
void tagd_set_interrupt(lua_State *L, tagd_interrupt *interrupt);

/// Loads `source` as a text chunk named `chunkname` and runs it with a fresh
/// environment inheriting the sandbox globals. On success leaves the chunk's
/// first result on the stack and returns LUA_OK; on failure leaves the error
/// message (with traceback) and returns the status.
int tagd_run_chunk(lua_State *L, const char *source, size_t len, const char *chunkname);

/// Calls the function below `nargs` arguments with a traceback handler,
/// keeping `nresults` results (LUA_MULTRET allowed).
int tagd_pcall(lua_State *L, int nargs, int nresults);

/// Registers a host function as global `name` in the sandbox globals (or in
/// the table on top of the stack when `name` is NULL: pushes the function).
void tagd_push_host_function(lua_State *L, int index);
void tagd_set_host(lua_State *L, void *host, tagd_host_dispatch dispatch);

/// Pushes the globals template: every chunk gets fresh copies of its values
/// (library tables copied one level deep).
void tagd_push_globals(lua_State *L);

/// Makes the stock (unbounded) find/match/gmatch/gsub visible to chunks as
/// global table `name`; for differential tests only.
void tagd_expose_stock_patterns(lua_State *L, const char *name);

/// Forgets recorded module sources and preloaded snapshots and leaves frozen mode
/// (loaded modules are cached per root chunk, so every new chunk starts afresh).
void tagd_reset_modules(lua_State *L);
/// In frozen mode `require` resolves modules only from the preloaded snapshots.
void tagd_set_frozen(lua_State *L, int frozen);
/// Pushes the table of module sources `require` read from files (name -> source).
void tagd_push_required(lua_State *L);
/// Pushes the table of module snapshots `require` prefers to files (name -> source).
void tagd_push_preload(lua_State *L);

/* Macro wrappers Swift cannot import. */
void tagd_pop(lua_State *L, int n);
const char *tagd_tostring(lua_State *L, int idx, size_t *len);
int tagd_isinteger(lua_State *L, int idx);
void tagd_newtable(lua_State *L);
int tagd_upvalueindex(int i);
int tagd_registryindex(void);

#endif
