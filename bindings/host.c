/* host.c: the nnlua program. Embeds LuaJIT (shape of luajit.c: a protected
 * pmain, GC stopped while opening libraries, Torch7's `arg` table, -e/-l/-i,
 * a traceback handler, a SIGINT hook that interrupts a running loop), finds
 * its Lua packages relative to its own executable, preloads torch as th
 * does, then runs a script or the REPL (lua/nnlua/repl.lua). */
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <luajit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "datadir.h"   /* NNLUA_DATADIR, from the Makefile */

static lua_State *globalL;
static const char *progname = "nnlua";

/* Ctrl-C. The handler sets a hook that raises "interrupted!" at the next
 * Lua instruction; a script then ends with one line, "interrupted at
 * <the user's file:line>", and exit status 130. Hooks do not run inside
 * JIT-compiled loops (`while true do end`): when the hook has not run half
 * a second after Ctrl-C, a script is stopped there (same message, no line).
 * The REPL runs typed code interpreted, and keeps its state. */
static volatile sig_atomic_t interrupted = 0, hook_ran = 0, in_repl = 0;

static void lstop(lua_State *L, lua_Debug *ar) {
   (void)ar;
   hook_ran = 1;
   lua_sethook(L, NULL, 0, 0);
   luaL_error(L, "interrupted!");
}

static void stuck(int i) {
   (void)i;
   if (hook_ran || in_repl) return;
   static const char msg[] = "nnlua: interrupted (inside a compiled loop)\n";
   ssize_t w = write(2, msg, sizeof msg - 1);
   (void)w;
   _exit(130);
}

static void laction(int i) {
   signal(i, SIG_DFL);
   interrupted = 1;
   hook_ran = 0;
   lua_sethook(globalL, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
   if (!in_repl) {
      signal(SIGALRM, stuck);
      struct itimerval t = {{0, 0}, {0, 500000}};
      setitimer(ITIMER_REAL, &t, NULL);
   }
}

/* For the REPL: re-arms the Ctrl-C handler before each evaluation (the
 * handler resets itself to the default after one interrupt). */
static int arm_sigint(lua_State *L) {
   (void)L;
   in_repl = 1;
   signal(SIGINT, laction);
   return 0;
}

/* While the REPL waits for a line (readline's callback interface, polling
 * stdin), Ctrl-C only sets a flag: the REPL then drops the typed text and
 * shows a fresh prompt. */
static volatile sig_atomic_t read_int = 0;
static void raction(int i) { (void)i; read_int = 1; }
static int sigint_read(lua_State *L) {
   (void)L;
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = raction;
   sigemptyset(&sa.sa_mask);
   sigaction(SIGINT, &sa, NULL);
   read_int = 0;
   return 0;
}
static int read_interrupted(lua_State *L) {
   lua_pushboolean(L, read_int);
   read_int = 0;
   return 1;
}

/* "interrupted at file:line": the first frame outside nnlua's packages */
static int interrupted_at(lua_State *L) {
   lua_getfield(L, LUA_REGISTRYINDEX, "nnlua.libroot");
   const char *lib = lua_tostring(L, -1);
   size_t nlib = lib ? strlen(lib) : 0;
   lua_Debug ar;
   for (int level = 1; lua_getstack(L, level, &ar); level++) {
      if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || ar.source[0] != '@') continue;
      if (lib && strncmp(ar.source + 1, lib, nlib) == 0) continue;
      lua_pushfstring(L, "interrupted at %s:%d", ar.short_src, ar.currentline);
      return 1;
   }
   lua_pushliteral(L, "interrupted");
   return 1;
}

static int traceback(lua_State *L) {
   if (interrupted && lua_isstring(L, 1) && strstr(lua_tostring(L, 1), "interrupted!")) return interrupted_at(L);
   if (!lua_isstring(L, 1)) {
      if (lua_isnoneornil(L, 1) || !luaL_callmeta(L, 1, "__tostring") || !lua_isstring(L, -1)) return 1;
      lua_remove(L, 1);
   }
   /* a module failure in user code carries the traceback taken where it
    * failed (nn.utils.failureTraceback) */
   lua_getfield(L, LUA_REGISTRYINDEX, "nnlua.traceback");
   if (lua_isfunction(L, -1)) {
      lua_pushvalue(L, 1);
      if (lua_pcall(L, 1, 1, 0) == 0 && lua_isstring(L, -1)) return 1;
   }
   lua_settop(L, 1);
   luaL_traceback(L, L, lua_tostring(L, 1), 1);
   return 1;
}

static int report(lua_State *L, int status) {
   if (status && !lua_isnil(L, -1)) {
      const char *msg = lua_tostring(L, -1);
      if (!msg) msg = "(error object is not a string)";
      fprintf(stderr, "%s: %s\n", progname, msg);
      fflush(stderr);
      lua_pop(L, 1);
   }
   return status;
}

static int docall(lua_State *L, int narg, int nres) {
   int base = lua_gettop(L) - narg;
   lua_pushcfunction(L, traceback);
   lua_insert(L, base);
   signal(SIGINT, laction);
   int status = lua_pcall(L, narg, nres, base);
   signal(SIGINT, SIG_DFL);
   lua_remove(L, base);
   if (status) lua_gc(L, LUA_GCCOLLECT, 0);
   return status;
}

static int dostring(lua_State *L, const char *s, const char *name) {
   int status = luaL_loadbuffer(L, s, strlen(s), name) || docall(L, 0, 0);
   return report(L, status);
}

static int dolibrary(lua_State *L, const char *name) {
   lua_getglobal(L, "require");
   lua_pushstring(L, name);
   return report(L, docall(L, 1, 1) ? 1 : (lua_setglobal(L, name), 0));
}

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

/* Sets package.path/cpath so that the build trees (build/nnlua, and the
 * sanitizer builds build/asan/nnlua, ..., below the root's lua/) and an
 * install (bin/nnlua next to share/nnlua/lua) all work. */
static void setup_paths(lua_State *L) {
   char exe[PATH_MAX], dir[PATH_MAX], probe[PATH_MAX + 64], luadir[PATH_MAX + 64], bindir[PATH_MAX + 64];
   ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
   if (n <= 0) return;
   exe[n] = 0;
   snprintf(dir, sizeof dir, "%s", exe);
   char *slash = strrchr(dir, '/');
   if (slash) *slash = 0;
   snprintf(probe, sizeof probe, "%s/../lua/torch/init.lua", dir);
   char probe2[PATH_MAX + 64];
   snprintf(probe2, sizeof probe2, "%s/../../lua/torch/init.lua", dir);
   if (file_exists(probe)) {
      snprintf(luadir, sizeof luadir, "%s/../lua", dir);
      snprintf(bindir, sizeof bindir, "%s/../bindings", dir);
   } else if (file_exists(probe2)) {
      snprintf(luadir, sizeof luadir, "%s/../../lua", dir);
      snprintf(bindir, sizeof bindir, "%s/../../bindings", dir);
   } else {
      snprintf(luadir, sizeof luadir, "%s/../share/nnlua/lua", dir);
      snprintf(bindir, sizeof bindir, "%s/../share/nnlua/lua", dir);
      /* installed elsewhere (luarocks keeps share/nnlua in the rock's
       * folder): the folder baked in at build time */
      char probe3[PATH_MAX + 128];
      snprintf(probe3, sizeof probe3, "%s/torch/init.lua", luadir);
      if (!file_exists(probe3) && NNLUA_DATADIR[0]) {
         snprintf(luadir, sizeof luadir, "%s/lua", NNLUA_DATADIR);
         snprintf(bindir, sizeof bindir, "%s/lua", NNLUA_DATADIR);
      }
   }
   lua_getglobal(L, "package");
   lua_getfield(L, -1, "path");
   const char *old = lua_tostring(L, -1);
   lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s/?.lua;%s", luadir, luadir, bindir, old ? old : "");
   lua_setfield(L, -3, "path");
   lua_pop(L, 1);
   lua_pop(L, 1);
   lua_pushstring(L, exe);
   lua_setglobal(L, "_NNLUA_EXE");
}

static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
   lua_createtable(L, argc - script, script + 1);
   for (int i = 0; i < argc; i++) {
      lua_pushstring(L, argv[i]);
      lua_rawseti(L, -2, i - script);
   }
   lua_setglobal(L, "arg");
}

static void print_usage(FILE *f) {
   fprintf(f,
           "usage: %s [options] [script [args]]\n"
           "  -e code          run code\n"
           "  -l name          require library name\n"
           "  -i               enter the REPL after running a script\n"
           "  -v, --version    show version\n"
           "  -h, --help       show this help\n"
           "  --               stop handling options\n"
           "  -                run stdin\n"
           "  --kernel FILE    run as a Jupyter kernel (FILE: the connection file)\n"
           "  --install-kernel [--user | --prefix DIR]  install the kernelspecs nnlua and itorch\n"
           "With no script and no -e, nnlua starts the REPL (reads a script from stdin when it is not a terminal).\n",
           progname);
}

struct smain {
   int argc;
   char **argv;
   int status;
};

/* A bad command line: what was wrong, then the usage, on stderr. */
static int usage_error(struct smain *st, const char *fmt, const char *what) {
   fprintf(stderr, "%s: ", progname);
   fprintf(stderr, fmt, what);
   fputc('\n', stderr);
   print_usage(stderr);
   st->status = 1;
   return 0;
}



static int run_repl(lua_State *L) {
   lua_getglobal(L, "require");
   lua_pushliteral(L, "nnlua.repl");
   if (report(L, docall(L, 1, 1))) return 1;
   lua_getfield(L, -1, "run");
   lua_remove(L, -2);
   return report(L, docall(L, 0, 0));
}

/* --- Jupyter kernel (lua/nnlua/kernel/): `--kernel CONNECTION_FILE` and
 * `--install-kernel [--user | --prefix DIR]` are handed to nnlua.kernel.main
 * with the arguments that follow; its return value is the exit status. */
static int run_kernel_option(lua_State *L, int argc, char **argv) {
   if (strcmp(argv[1], "--kernel") == 0 && dolibrary(L, "torch")) return 1;
   lua_getglobal(L, "require");
   lua_pushliteral(L, "nnlua.kernel");
   if (report(L, docall(L, 1, 1))) return 1;
   lua_getfield(L, -1, "main");
   lua_remove(L, -2);
   for (int i = 1; i < argc; i++) lua_pushstring(L, argv[i]);
   if (report(L, docall(L, argc - 1, 1))) return 1;
   int rc = (int)lua_tointeger(L, -1);
   lua_pop(L, 1);
   return rc;
}
/* --- end of the Jupyter kernel's part */

static int pmain(lua_State *L) {
   struct smain *s = lua_touserdata(L, 1);
   char **argv = s->argv;
   int argc = s->argc;
   globalL = L;
   lua_gc(L, LUA_GCSTOP, 0);
   luaL_openlibs(L);
   lua_gc(L, LUA_GCRESTART, -1);
   setup_paths(L);
   lua_pushcfunction(L, arm_sigint);
   lua_setglobal(L, "_nnlua_arm_sigint");
   lua_pushcfunction(L, sigint_read);
   lua_setglobal(L, "_nnlua_sigint_read");
   lua_pushcfunction(L, read_interrupted);
   lua_setglobal(L, "_nnlua_read_interrupted");

   int interactive = 0, script = 0, version = 0, i;
   if (argc > 1 && (strcmp(argv[1], "--kernel") == 0 || strcmp(argv[1], "--install-kernel") == 0)) {
      create_arg_table(L, argv, argc, 1);
      s->status = run_kernel_option(L, argc, argv);
      return 0;
   }
   for (i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (a[0] != '-' || strcmp(a, "-") == 0) { script = i; break; }
      if (strcmp(a, "--") == 0) { script = i + 1 < argc ? i + 1 : 0; break; }
      if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { print_usage(stdout); return 0; }
      if (strcmp(a, "-i") == 0) interactive = 1;
      else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
         printf("nnlua 0.1 (%s)\n", LUAJIT_VERSION);
         fflush(stdout);
         version = 1;
      } else if ((strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0)) {
         if (++i >= argc) return usage_error(s, "'%s' needs an argument", a);
      } else if (strncmp(a, "-e", 2) == 0 || strncmp(a, "-l", 2) == 0) {
      } else return usage_error(s, "unrecognized option '%s'", a);
   }
   /* `nnlua -v` alone prints the version and stops, as lua and luajit do */
   if (version && !script && !interactive) {
      int other = 0;
      for (i = 1; i < argc; i++) other |= strcmp(argv[i], "-v") != 0 && strcmp(argv[i], "--version") != 0;
      if (!other) return 0;
   }
   create_arg_table(L, argv, argc, script ? script : argc);
   if (dolibrary(L, "torch")) { s->status = 1; return 0; }
   /* th's environment: paths, sys, xlua, Penlight, print, require (lua/nnlua/env.lua) */
   if (dostring(L, "require('nnlua.env')", "=nnlua")) { s->status = 1; return 0; }

   /* -e and -l in order */
   int last = script ? script : argc;
   for (i = 1; i < last; i++) {
      const char *a = argv[i], *v = NULL;
      if (strncmp(a, "-e", 2) == 0 || strncmp(a, "-l", 2) == 0) {
         v = a[2] ? a + 2 : argv[++i];
         if (a[1] == 'e' ? dostring(L, v, "=(command line)") : dolibrary(L, v)) { s->status = 1; return 0; }
      }
   }
   int ran_something = 0;
   for (i = 1; i < last; i++) if (argv[i][0] == '-' && (argv[i][1] == 'e')) ran_something = 1;

   if (script) {
      const char *fname = strcmp(argv[script], "-") == 0 ? NULL : argv[script];
      int status = luaL_loadfile(L, fname);
      if (status == 0) {
         int narg = argc - script - 1;
         for (int k = script + 1; k < argc; k++) lua_pushstring(L, argv[k]);
         status = docall(L, narg, 0);
      }
      if (report(L, status)) { s->status = 1; return 0; }
      if (interactive) s->status = run_repl(L);
   } else if (interactive || (!ran_something && isatty(0))) {
      s->status = run_repl(L);
   } else if (!ran_something) {
      if (report(L, luaL_loadfile(L, NULL) || docall(L, 0, 0))) s->status = 1;
   }
   return 0;
}

int main(int argc, char **argv) {
   /* Idle OpenMP threads spin briefly, then sleep: a training step runs a
    * dozen parallel regions back to back, and waking a sleeping thread
    * costs tens of microseconds on a VM (MLP epoch about 7% faster than
    * with a passive policy), while a spin of 10,000 polls (a few
    * microseconds) steals nothing worth having from the other core. Long
    * spins (libgomp's default) do. Unless the user says otherwise; set
    * before libgomp is loaded (by the FFI, later). */
   if (!getenv("OMP_WAIT_POLICY")) {
      setenv("OMP_WAIT_POLICY", "ACTIVE", 1);
      setenv("GOMP_SPINCOUNT", "10000", 0);
   }
   if (argv[0] && argv[0][0]) progname = "nnlua";
   lua_State *L = luaL_newstate();
   if (!L) { fprintf(stderr, "%s: cannot create state: not enough memory\n", progname); return 1; }
   struct smain s = {argc, argv, 0};
   int status = lua_cpcall(L, pmain, &s);
   report(L, status);
   lua_close(L);
   if ((status || s.status) && interrupted && !in_repl) return 130;
   return (status || s.status) ? EXIT_FAILURE : EXIT_SUCCESS;
}
