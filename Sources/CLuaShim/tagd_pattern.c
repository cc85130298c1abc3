/* Lua 5.4 pattern matching (string.find, match, gmatch, gsub) written for the
   sandbox: every matching step is charged to the running call's instruction
   budget, so a pathological pattern hits the budget, the wall-time limit or
   the interrupt instead of running unbounded in C where no hook can fire. */
#include "tagd_internal.h"
#include <ctype.h>
#include <string.h>

#define MAX_CAPTURES 32
#define MAX_DEPTH 200
#define CAPTURE_OPEN (-1)
#define CAPTURE_POSITION (-2)
#define STEPS_PER_CHARGE 64
#define ESCAPE '%'
#define SPECIALS "^$*+?.([%-"

typedef struct {
    const char *subject, *subject_end, *pattern_end;
    lua_State *L;
    int depth, captured;
    int64_t steps; /* uncharged steps */
    struct { const char *start; ptrdiff_t len; } capture[MAX_CAPTURES];
} matcher;

static void step(matcher *m) {
    if (++m->steps >= STEPS_PER_CHARGE) {
        tagd_charge(m->L, m->steps);
        m->steps = 0;
    }
}

static void settle(matcher *m) {
    if (m->steps > 0) tagd_charge(m->L, m->steps);
    m->steps = 0;
}

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->steps = 0;
}

static void matcher_reset(matcher *m) {
    m->captured = 0;
    m->depth = MAX_DEPTH;
}

/* Whether byte `c` is in class `cls` (a letter after '%'; upper case negates). */
static int in_class(int c, int cls) {
    int yes;
    switch (tolower(cls)) {
    case 'a': yes = isalpha(c); break;
    case 'c': yes = iscntrl(c); break;
    case 'd': yes = isdigit(c); break;
    case 'g': yes = isgraph(c); break;
    case 'l': yes = islower(c); break;
    case 'p': yes = ispunct(c); break;
    case 's': yes = isspace(c); break;
    case 'u': yes = isupper(c); break;
    case 'w': yes = isalnum(c); break;
    case 'x': yes = isxdigit(c); break;
    case 'z': yes = c == 0; break; /* deprecated, still accepted by Lua 5.4 */
    default: return cls == c;
    }
    if (isupper(cls)) yes = !yes;
    return yes != 0;
}

/* The end of the single-character class starting at `p`. */
static const char *class_end(matcher *m, const char *p) {
    char first = *p++;
    if (first == ESCAPE) {
        if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (first == '[') {
        if (*p == '^') p++;
        do {
            if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            char c = *p++;
            if (c == ESCAPE && p < m->pattern_end) p++;
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

/* Whether `c` is in the set `[...]` spanning `p` (at '[') to `last` (at ']'). */
static int in_set(int c, const char *p, const char *last) {
    int wanted = 1;
    if (p[1] == '^') {
        wanted = 0;
        p++;
    }
    while (++p < last) {
        if (*p == ESCAPE) {
            p++;
            if (in_class(c, (unsigned char)*p)) return wanted;
        } else if (p[1] == '-' && p + 2 < last) {
            int low = (unsigned char)p[0], high = (unsigned char)p[2];
            p += 2;
            if (low <= c && c <= high) return wanted;
        } else if ((unsigned char)*p == c) {
            return wanted;
        }
    }
    return !wanted;
}

/* Whether the subject byte at `s` matches the class `p`..`ep`. */
static int single(matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESCAPE: return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match(matcher *m, const char *s, const char *p);

static const char *balanced(matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0]) return NULL;
    char open = p[0], close = p[1];
    int depth = 1;
    while (++s < m->subject_end) {
        step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

static const char *greedy(matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t count = 0;
    while (single(m, s + count, p, ep)) {
        count++;
        step(m);
    }
    for (; count >= 0; count--) {
        const char *r = match(m, s + count, ep + 1);
        if (r != NULL) return r;
    }
    return NULL;
}

static const char *lazy(matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *r = match(m, s, ep + 1);
        if (r != NULL) return r;
        if (!single(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(matcher *m, const char *s, const char *p, ptrdiff_t what) {
    if (m->captured >= MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->captured].start = s;
    m->capture[m->captured].len = what;
    m->captured++;
    const char *r = match(m, s, p);
    if (r == NULL) m->captured--;
    return r;
}

static const char *close_capture(matcher *m, const char *s, const char *p) {
    int level = m->captured - 1;
    while (level >= 0 && m->capture[level].len != CAPTURE_OPEN) level--;
    if (level < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[level].len = s - m->capture[level].start;
    const char *r = match(m, s, p);
    if (r == NULL) m->capture[level].len = CAPTURE_OPEN;
    return r;
}

static int capture_index(matcher *m, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= m->captured || m->capture[index].len == CAPTURE_OPEN)
        return luaL_error(m->L, "invalid capture index %%%d", index + 1);
    return index;
}

static const char *back_reference(matcher *m, const char *s, int digit) {
    int index = capture_index(m, digit);
    ptrdiff_t len = m->capture[index].len;
    if (len < 0 || m->subject_end - s < len) return NULL;
    tagd_charge(m->L, 1 + len / 16);
    return memcmp(m->capture[index].start, s, (size_t)len) == 0 ? s + len : NULL;
}

static const char *frontier(matcher *m, const char *s, const char *p) {
    if (*p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
    const char *ep = class_end(m, p);
    int previous = s == m->subject ? 0 : (unsigned char)s[-1];
    int current = s < m->subject_end ? (unsigned char)*s : 0;
    if (!in_set(previous, p, ep - 1) && in_set(current, p, ep - 1)) return ep;
    return NULL;
}

/* Matches pattern `p` at subject position `s`; returns the end of the match or NULL. */
static const char *match(matcher *m, const char *s, const char *p) {
    if (m->depth-- == 0) luaL_error(m->L, "pattern too complex");
    const char *result = NULL;
    for (;;) {
        step(m);
        if (p == m->pattern_end) { result = s; break; }
        if (*p == '(') {
            result = p + 1 < m->pattern_end && p[1] == ')' ? open_capture(m, s, p + 2, CAPTURE_POSITION)
                                                           : open_capture(m, s, p + 1, CAPTURE_OPEN);
            break;
        }
        if (*p == ')') { result = close_capture(m, s, p + 1); break; }
        if (*p == '$' && p + 1 == m->pattern_end) {
            result = s == m->subject_end ? s : NULL;
            break;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end) {
            if (p[1] == 'b') {
                s = balanced(m, s, p + 2);
                if (s == NULL) break;
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                const char *next = frontier(m, s, p + 2);
                if (next == NULL) break;
                p = next;
                continue;
            }
            if (isdigit((unsigned char)p[1])) {
                s = back_reference(m, s, (unsigned char)p[1]);
                if (s == NULL) break;
                p += 2;
                continue;
            }
        }
        const char *ep = class_end(m, p);
        char suffix = ep < m->pattern_end ? *ep : 0;
        if (!single(m, s, p, ep)) {
            if (suffix == '*' || suffix == '?' || suffix == '-') { p = ep + 1; continue; }
            break;
        }
        if (suffix == '?') {
            const char *r = match(m, s + 1, ep + 1);
            if (r != NULL) { result = r; break; }
            p = ep + 1;
            continue;
        }
        if (suffix == '+') { result = greedy(m, s + 1, p, ep); break; }
        if (suffix == '*') { result = greedy(m, s, p, ep); break; }
        if (suffix == '-') { result = lazy(m, s, p, ep); break; }
        s++;
        p = ep;
    }
    m->depth++;
    return result;
}

/* MARK: captures */

/* Pushes capture `i` (or the whole match `s`..`e` when there are none and i == 0). */
static void push_capture(matcher *m, int i, const char *s, const char *e) {
    if (i >= m->captured) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t len = m->capture[i].len;
    if (len == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (len == CAPTURE_POSITION) lua_pushinteger(m->L, (m->capture[i].start - m->subject) + 1);
    else lua_pushlstring(m->L, m->capture[i].start, (size_t)len);
}

static int push_captures(matcher *m, const char *s, const char *e) {
    int count = (m->captured == 0 && s != NULL) ? 1 : m->captured;
    luaL_checkstack(m->L, count, "too many captures");
    for (int i = 0; i < count; i++) push_capture(m, i, s, e);
    return count;
}

/* MARK: find and match */

static size_t start_offset(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++)
        if (p[i] != 0 && strchr(SPECIALS, p[i]) != NULL) return 1;
    return 0;
}

static const char *find_plain(lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *last = s + (ls - lp);
    int64_t candidates = 0;
    while (s <= last) {
        const char *hit = memchr(s, p[0], (size_t)(last - s) + 1);
        if (hit == NULL) break;
        if (++candidates % STEPS_PER_CHARGE == 0) tagd_charge(L, STEPS_PER_CHARGE * (1 + (int64_t)lp / 16));
        if (memcmp(hit + 1, p + 1, lp - 1) == 0) return hit;
        s = hit + 1;
    }
    tagd_charge(L, 1 + (int64_t)ls / 16);
    return NULL;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *hit = find_plain(L, s + init, ls - init, p, lp);
        if (hit == NULL) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (hit - s) + 1);
        lua_pushinteger(L, (lua_Integer)((hit - s) + lp));
        return 2;
    }
    matcher m;
    int anchored = lp > 0 && *p == '^';
    if (anchored) { p++; lp--; }
    matcher_init(&m, L, s, ls, p, lp);
    const char *at = s + init;
    do {
        matcher_reset(&m);
        const char *e = match(&m, at, p);
        if (e != NULL) {
            settle(&m);
            if (find) {
                lua_pushinteger(L, (at - s) + 1);
                lua_pushinteger(L, e - s);
                return push_captures(&m, NULL, NULL) + 2;
            }
            return push_captures(&m, at, e);
        }
    } while (at++ < m.subject_end && !anchored);
    settle(&m);
    luaL_pushfail(L);
    return 1;
}

static int pattern_find(lua_State *L) { return find_or_match(L, 1); }
static int pattern_match(lua_State *L) { return find_or_match(L, 0); }

/* MARK: gmatch */

typedef struct {
    const char *at, *last_match;
    const char *pattern;
    matcher m;
} gmatch_state;

static int gmatch_next(lua_State *L) {
    gmatch_state *g = (gmatch_state *)lua_touserdata(L, lua_upvalueindex(3));
    g->m.L = L;
    for (const char *at = g->at; at <= g->m.subject_end; at++) {
        matcher_reset(&g->m);
        const char *e = match(&g->m, at, g->pattern);
        if (e != NULL && e != g->last_match) {
            settle(&g->m);
            g->at = g->last_match = e;
            return push_captures(&g->m, at, e);
        }
    }
    settle(&g->m);
    g->at = g->m.subject_end + 1;
    return 0;
}

static int pattern_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1;
    lua_settop(L, 2);
    gmatch_state *g = (gmatch_state *)lua_newuserdatauv(L, sizeof(gmatch_state), 0);
    matcher_init(&g->m, L, s, ls, p, lp);
    g->at = s + init;
    g->last_match = NULL;
    g->pattern = p;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* MARK: gsub */

static void append_template(matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    size_t len;
    const char *t = lua_tolstring(m->L, 3, &len);
    const char *end = t + len;
    tagd_charge(m->L, 1 + (int64_t)len / 16);
    for (; t < end; t++) {
        if (*t != ESCAPE) {
            luaL_addchar(b, *t);
            continue;
        }
        t++;
        if (t < end && *t == ESCAPE) {
            luaL_addchar(b, ESCAPE);
        } else if (t < end && *t == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (t < end && isdigit((unsigned char)*t)) {
            push_capture(m, *t - '1', s, e);
            luaL_tolstring(m->L, -1, NULL);
            lua_remove(m->L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(m->L, "invalid use of '%c' in replacement string", ESCAPE);
        }
    }
}

/* Appends the replacement of match `s`..`e`; returns whether it changed the text. */
static int append_replacement(matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        append_template(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int pattern_gsub(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
                     "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored) { p++; lp--; }
    const char *last_match = NULL;
    lua_Integer count = 0;
    int changed = 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    matcher m;
    matcher_init(&m, L, src, ls, p, lp);
    while (count < max) {
        matcher_reset(&m);
        const char *e = match(&m, src, p);
        if (e != NULL && e != last_match) {
            count++;
            settle(&m);
            changed = append_replacement(&m, &b, src, e, kind) | changed;
            src = last_match = e;
        } else if (src < m.subject_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored) break;
    }
    settle(&m);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(m.subject_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, count);
    return 2;
}

void tagd_open_patterns(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", pattern_find}, {"match", pattern_match}, {"gmatch", pattern_gmatch}, {"gsub", pattern_gsub},
        {NULL, NULL}};
    luaL_setfuncs(L, functions, 0);
}
