/* conv_engine.c: which CPU engine runs a float SpatialConvolution(MM):
 * the unfold + GEMM driver (conv_driver.c) or oneDNN's direct convolution
 * (build/libnnlua_dnnl.so, runtime/onednn/, opened with dlopen beside
 * libnnlua.so the first time it could serve, so libnnlua never requires
 * oneDNN).
 *
 * NNLUA_CONV_ENGINE=gemm|onednn|auto (default auto), or
 * nl_conv_set_engine. auto: the first call of each (direction, geometry)
 * big enough to matter (AUTO_MIN_FLOP) times both engines, interleaved,
 * best of three after a warm-up (one round for a layer slower than half
 * a second a round), and caches the faster one (cudnn.benchmark's
 * scheme); smaller ones run the GEMM. Double tensors, transposed and
 * grouped convolutions, calls inside a parallel region, and any oneDNN
 * failure run the GEMM. oneDNN threads itself through OpenMP: the call runs with
 * the runtime's current thread count (nl_threads: one while the cores are
 * busy). NNLUA_CONV_VERBOSE=1 prints auto's timings and choices. */
#define _GNU_SOURCE
#include "conv_engine.h"
#include "../onednn/conv_onednn.h"
#include <dlfcn.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { FWD, BWD, ACC };
#define AUTO_MIN_FLOP 1e7
#define CHOICES 64
#define ROUNDS 3                       /* timed runs of each engine: the best counts */
#define LONG_ROUND_S 0.5               /* ... or one, when a round takes longer */

static int mode = -1;                  /* NL_CONV_*; -1: not read from the environment yet */
static int load_state = 0;             /* 0: not tried, 1: loaded, -1: failed */
static const nl_dnnl_api *api;
static char load_msg[512] = "not loaded yet";
static int calls[3];                   /* served per engine (NL_CONV_GEMM, NL_CONV_ONEDNN) */

/* the per-shape choices of auto */
static struct choice {
   int op;
   nl_dnnl_geom g;
   int engine;
} choices[CHOICES];
static int nchoices, next_slot;

/* NNLUA_CONV_VERBOSE=1: auto's timings and choices on stderr */
static int verbose(void) {
   static int v = -1;
   if (v < 0) {
      const char *e = getenv("NNLUA_CONV_VERBOSE");
      v = e && e[0] && e[0] != '0';
   }
   return v;
}

static int get_mode(void) {
   if (mode < 0) {
      const char *e = getenv("NNLUA_CONV_ENGINE");
      mode = NL_CONV_AUTO;
      if (e && !strcmp(e, "gemm")) mode = NL_CONV_GEMM;
      else if (e && !strcmp(e, "onednn")) mode = NL_CONV_ONEDNN;
   }
   return mode;
}

NL_API int nl_conv_set_engine(int engine) {
   if (engine != NL_CONV_AUTO && engine != NL_CONV_GEMM && engine != NL_CONV_ONEDNN)
      return nl_errorf("nl_conv_set_engine: expected 0 (auto), 1 (gemm) or 2 (onednn), got %d", engine);
   mode = engine;
   return 0;
}

NL_API int nl_conv_get_engine(void) { return get_mode(); }

NL_API int nl_conv_engine_reset(void) {
   nchoices = next_slot = 0;
   calls[NL_CONV_GEMM] = calls[NL_CONV_ONEDNN] = 0;
   return 0;
}

NL_API int nl_conv_engine_calls(int engine) {
   return engine == NL_CONV_GEMM || engine == NL_CONV_ONEDNN ? calls[engine] : 0;
}

static int load(void) {
   if (load_state) return load_state > 0;
   load_state = -1;
   Dl_info info;
   char path[400];
   if (!dladdr((void *)nl_conv_set_engine, &info) || !info.dli_fname) {
      snprintf(load_msg, sizeof load_msg, "cannot locate libnnlua.so");
      return 0;
   }
   const char *slash = strrchr(info.dli_fname, '/');
   int dir = slash ? (int)(slash - info.dli_fname) : 0;
   snprintf(path, sizeof path, "%.*s%slibnnlua_dnnl.so", dir, info.dli_fname, slash ? "/" : "./");
   void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
   if (!h) {
      snprintf(load_msg, sizeof load_msg, "%s", dlerror());
      return 0;
   }
   nl_dnnl_api_fn get = (nl_dnnl_api_fn)dlsym(h, NL_DNNL_API_SYMBOL);
   const nl_dnnl_api *a = get ? get() : NULL;
   if (!a || a->abi != NL_DNNL_ABI) {
      snprintf(load_msg, sizeof load_msg, "%s: not the engine this libnnlua expects", path);
      return 0;
   }
   api = a;
   load_state = 1;
   snprintf(load_msg, sizeof load_msg, "%s", path);
   return 1;
}

NL_API int nl_conv_onednn_available(void) { return load(); }

/* where the library was loaded from, or why it was not */
NL_API const char *nl_conv_onednn_info(void) {
   load();
   return load_msg;
}

static void to_geom(const nl_conv *g, nl_dnnl_geom *d) {
   *d = (nl_dnnl_geom){(int)g->N, (int)g->nIn, (int)g->in[1], (int)g->in[2], (int)g->nOut, g->w.k[1], g->w.k[2],
                       g->w.d[1], g->w.d[2], g->w.pad[1], g->w.pad[2], g->w.dil[1], g->w.dil[2], (int)g->out[1],
                       (int)g->out[2]};
}

static int *find_choice(int op, const nl_dnnl_geom *d) {
   for (int i = 0; i < nchoices; i++)
      if (choices[i].op == op && !memcmp(&choices[i].g, d, sizeof *d)) return &choices[i].engine;
   return NULL;
}

static void set_choice(int op, const nl_dnnl_geom *d, int engine) {
   int i = nchoices < CHOICES ? nchoices++ : (next_slot++ % CHOICES);
   choices[i] = (struct choice){op, *d, engine};
}

static double now(void) {
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* one call's arguments, for either engine */
struct call {
   int op, nt;
   const nl_conv *g;
   nl_dnnl_geom d;
   nl_tensor *out, *columns, *gradBias, *partial;
   const nl_tensor *a, *b, *weight, *bias;   /* FWD: input; BWD: gradOutput; ACC: input, gradOutput */
   double scale;
};

static int run_gemm(const struct call *c) {
   calls[NL_CONV_GEMM]++;
   switch (c->op) {
   case FWD: return nl_conv_forward(c->g, c->nt, c->out, c->columns, c->a, c->weight, c->bias);
   case BWD: return nl_conv_backward(c->g, c->nt, c->out, c->columns, c->a, c->weight);
   default: return nl_conv_acc_grad(c->g, c->nt, c->out, c->gradBias, c->columns, c->partial, c->a, c->b, c->scale);
   }
}

/* 0, or -1 when oneDNN failed (no message set: the caller falls back) */
static int run_dnnl(const struct call *c) {
   nl_tensor t1, t2;
   int rc1, rc2 = 0, rc = -1;
   const nl_tensor *a = nl_nn_contig(c->a, &t1, &rc1);
   const nl_tensor *b = c->op == ACC ? nl_nn_contig(c->b, &t2, &rc2) : NULL;
   float *bias = NULL;
   int want = nl_threads(), had = omp_get_max_threads();
   if (rc1 || rc2) goto done;
   if (c->op == FWD && c->bias) {
      const float *src = nl_ptr(c->bias);
      int64_t n = c->g->nOut, s = c->bias->_stride[0];
      bias = (float *)src;
      if (s != 1) {
         if (!(bias = malloc(sizeof(float) * n))) goto done;
         for (int64_t i = 0; i < n; i++) bias[i] = src[i * s];
      }
   }
   if (want != had) omp_set_num_threads(want);
   switch (c->op) {
   case FWD: rc = api->forward(&c->d, nl_ptr(c->out), nl_ptr(a), nl_ptr(c->weight), bias); break;
   case BWD: rc = api->backward_data(&c->d, nl_ptr(c->out), nl_ptr(a), nl_ptr(c->weight)); break;
   default:
      rc = api->backward_weights(&c->d, nl_ptr(c->out), c->gradBias ? nl_ptr(c->gradBias) : NULL,
                                 c->gradBias ? (long)c->gradBias->_stride[0] : 0, nl_ptr(a), nl_ptr(b), c->scale);
   }
   if (want != had) omp_set_num_threads(had);
   if (!rc) calls[NL_CONV_ONEDNN]++;
done:
   if (c->op == FWD && c->bias && bias != nl_ptr(c->bias)) free(bias);
   nl_tensor_release(&t1);
   if (c->op == ACC) nl_tensor_release(&t2);
   return rc;
}

/* The accumulated gradients of ACC, kept so that every timed run starts
 * from the same values. */
struct snapshot { float *w, *b; int64_t nw, nb; };

static int take(struct snapshot *s, const struct call *c) {
   memset(s, 0, sizeof *s);
   if (c->op != ACC) return 0;
   s->nw = nl_numel(c->out);
   s->nb = c->gradBias ? c->g->nOut : 0;
   s->w = malloc(sizeof(float) * (s->nw + s->nb));
   if (!s->w) return -1;
   s->b = s->w + s->nw;
   memcpy(s->w, nl_ptr(c->out), sizeof(float) * s->nw);
   const float *gb = s->nb ? nl_ptr(c->gradBias) : NULL;
   for (int64_t i = 0; i < s->nb; i++) s->b[i] = gb[i * c->gradBias->_stride[0]];
   return 0;
}

static void restore(const struct snapshot *s, const struct call *c) {
   if (!s->w) return;
   memcpy(nl_ptr(c->out), s->w, sizeof(float) * s->nw);
   float *gb = s->nb ? nl_ptr(c->gradBias) : NULL;
   for (int64_t i = 0; i < s->nb; i++) gb[i * c->gradBias->_stride[0]] = s->b[i];
}

/* times both engines on this call; returns the faster (GEMM on a oneDNN
 * failure). The gradients of ACC are left as they were. */
static int benchmark(const struct call *c) {
   struct snapshot s;
   if (take(&s, c)) return NL_CONV_GEMM;
   int engine = NL_CONV_GEMM;
   double tg = 1e30, td = 1e30, t0;
   if (run_dnnl(c)) goto done;   /* warm-up: oneDNN compiles its kernels */
   for (int r = 0; r < ROUNDS; r++) {
      restore(&s, c);
      t0 = now();
      if (run_gemm(c)) goto done;
      tg = fmin(tg, now() - t0);
      restore(&s, c);
      t0 = now();
      if (run_dnnl(c)) goto done;
      td = fmin(td, now() - t0);
      /* a slow layer: one round tells enough, and the first step stays short */
      if (tg + td > LONG_ROUND_S) break;
   }
   engine = td < tg ? NL_CONV_ONEDNN : NL_CONV_GEMM;
done:
   if (verbose()) {
      const nl_dnnl_geom *d = &c->d;
      fprintf(stderr, "nnlua conv engine: %s %dx%dx%dx%d -> %d, %dx%d stride %dx%d pad %dx%d: gemm %.3f ms, onednn %.3f ms: %s\n",
              c->op == FWD ? "forward" : c->op == BWD ? "backward-data" : "backward-weights", d->N, d->C, d->H, d->W,
              d->K, d->kH, d->kW, d->sH, d->sW, d->padH, d->padW, tg * 1e3, td * 1e3,
              engine == NL_CONV_ONEDNN ? "onednn" : "gemm");
   }
   restore(&s, c);
   free(s.w);
   return engine;
}

static int dispatch(struct call *c) {
   const nl_conv *g = c->g;
   int m = get_mode();
   if (m == NL_CONV_GEMM || g->dt != NL_FLOAT || g->full || g->nd != 2 || g->G > 1 || nl_omp_in_parallel() || !load())
      return run_gemm(c);
   to_geom(g, &c->d);
   if (m == NL_CONV_ONEDNN) return run_dnnl(c) ? run_gemm(c) : 0;
   double flop = 2.0 * g->N * g->nOut * g->crows * g->ccols;
   if (flop < AUTO_MIN_FLOP) return run_gemm(c);
   int *known = find_choice(c->op, &c->d), engine;
   if (known) engine = *known;
   else set_choice(c->op, &c->d, engine = benchmark(c));
   if (engine == NL_CONV_ONEDNN && !run_dnnl(c)) return 0;
   if (engine == NL_CONV_ONEDNN) *find_choice(c->op, &c->d) = NL_CONV_GEMM;
   return run_gemm(c);
}

int nl_conv_run_forward(const nl_conv *g, int nt, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                        const nl_tensor *weight, const nl_tensor *bias) {
   struct call c = {.op = FWD, .nt = nt, .g = g, .out = output, .columns = columns, .a = input, .weight = weight,
                    .bias = bias};
   return dispatch(&c);
}

int nl_conv_run_backward(const nl_conv *g, int nt, nl_tensor *gradInput, nl_tensor *columns,
                         const nl_tensor *gradOutput, const nl_tensor *weight) {
   struct call c = {.op = BWD, .nt = nt, .g = g, .out = gradInput, .columns = columns, .a = gradOutput,
                    .weight = weight};
   return dispatch(&c);
}

int nl_conv_run_acc_grad(const nl_conv *g, int nt, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                         nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, double scale) {
   if (scale == 0) return nl_conv_acc_grad(g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
   struct call c = {.op = ACC, .nt = nt, .g = g, .out = gradWeight, .gradBias = gradBias, .columns = columns,
                    .partial = partial, .a = input, .b = gradOutput, .scale = scale};
   return dispatch(&c);
}
