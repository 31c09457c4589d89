/* conv_onednn.c: libnnlua_dnnl.so, the oneDNN engine for float 2-D
 * convolutions (forward, backward-data, backward-weights with bias), behind
 * the plain interface of conv_onednn.h.
 *
 * oneDNN picks its own memory layouts (format "any": on AVX-512, blocks of
 * 16 channels); the caller's tensors stay in Torch7's layouts, so each
 * call reorders its inputs in and its outputs out where the layouts
 * differ. A cache keeps, per (direction, geometry, bias), the primitive,
 * its reorders and its blocked buffers (LRU: CACHE entries, CACHE_BYTES of
 * buffers; these bytes are oneDNN's, outside nnlua's memory accounting). Reordered
 * weights are reused while the weights are unchanged: the entry keeps the
 * pointer and a plain copy of the weights it reordered, and reorders again
 * when either differs (training updates weights in place every step, so a
 * pointer check alone would be wrong). One lock serialises calls: the
 * cached buffers are shared. oneDNN threads itself with OpenMP (libgomp),
 * so omp_set_num_threads (torch.setnumthreads) governs it. */
#include "conv_onednn.h"
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

enum { FWD, BWD_DATA, BWD_WEIGHTS };
#define CACHE 16
/* the blocked buffers the cache may hold in all; older entries go first
 * (the entry in use always stays) */
#define CACHE_BYTES ((size_t)512 << 20)

/* one tensor argument: the caller's memory (handle set per call) and the
 * primitive's (the same object when the layouts agree) with the reorder
 * between them */
typedef struct slot {
   dnnl_memory_t user, prim;
   dnnl_primitive_t reorder;
   int out;
   size_t bytes;   /* the primitive's own buffer, 0 when it uses the caller's */
} slot;

typedef struct entry {
   int used, op, bias;
   nl_dnnl_geom g;
   unsigned long stamp;
   dnnl_primitive_t p;
   /* FWD: src, weights, dst, bias; BWD_DATA: diff_src, weights, diff_dst;
    * BWD_WEIGHTS: src, diff_weights, diff_dst, diff_bias */
   slot s[4];
   /* reordered weights: valid while wptr and wcopy match the caller's */
   const float *wptr;
   float *wcopy;
   size_t wbytes;
   /* BWD_WEIGHTS: the plain results before they are added to the caller's */
   float *gw, *gb;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static dnnl_engine_t eng;
static dnnl_stream_t stream;
static entry cache[CACHE];
static unsigned long clock_;
static size_t cached_bytes;
static char msg[256];

static const char *error(void) { return msg; }

static int fail(const char *what, dnnl_status_t st) {
   snprintf(msg, sizeof msg, "oneDNN: %s failed (status %d)", what, (int)st);
   return -1;
}

#define TRY(call)                                                                                                      \
   do {                                                                                                                \
      dnnl_status_t st_ = (call);                                                                                      \
      if (st_ != dnnl_success) return fail(#call, st_);                                                                \
   } while (0)

static int init(void) {
   if (eng) return 0;
   TRY(dnnl_engine_create(&eng, dnnl_cpu, 0));
   TRY(dnnl_stream_create(&stream, eng, dnnl_stream_default_flags));
   return 0;
}

static void free_slot(slot *s) {
   if (s->reorder) dnnl_primitive_destroy(s->reorder);
   if (s->prim && s->prim != s->user) dnnl_memory_destroy(s->prim);
   if (s->user) dnnl_memory_destroy(s->user);
   memset(s, 0, sizeof *s);
}

static void free_entry(entry *e) {
   for (int i = 0; i < 4; i++) cached_bytes -= e->s[i].bytes;
   if (e->p) dnnl_primitive_destroy(e->p);
   for (int i = 0; i < 4; i++) free_slot(&e->s[i]);
   free(e->wcopy);
   free(e->gw);
   free(e->gb);
   memset(e, 0, sizeof *e);
}

/* the caller's memory of layout tag over dims, and the primitive's (md
 * from the primitive descriptor); out: the primitive writes it */
static int make_slot(slot *s, int nd, const dnnl_dim_t *dims, dnnl_format_tag_t tag, const dnnl_memory_desc_t *pmd,
                     int out) {
   dnnl_memory_desc_t umd;
   s->out = out;
   TRY(dnnl_memory_desc_init_by_tag(&umd, nd, dims, dnnl_f32, tag));
   TRY(dnnl_memory_create(&s->user, &umd, eng, DNNL_MEMORY_NONE));
   if (dnnl_memory_desc_equal(&umd, pmd)) {
      s->prim = s->user;
      return 0;
   }
   dnnl_primitive_desc_t rpd;
   TRY(dnnl_memory_create(&s->prim, pmd, eng, DNNL_MEMORY_ALLOCATE));
   s->bytes = dnnl_memory_desc_get_size(pmd);
   cached_bytes += s->bytes;
   TRY(out ? dnnl_reorder_primitive_desc_create(&rpd, pmd, eng, &umd, eng, NULL)
           : dnnl_reorder_primitive_desc_create(&rpd, &umd, eng, pmd, eng, NULL));
   dnnl_status_t st = dnnl_primitive_create(&s->reorder, rpd);
   dnnl_primitive_desc_destroy(rpd);
   if (st != dnnl_success) return fail("dnnl_primitive_create (reorder)", st);
   return 0;
}

static int run_reorder(slot *s) {
   dnnl_exec_arg_t a[2] = {{DNNL_ARG_FROM, s->out ? s->prim : s->user}, {DNNL_ARG_TO, s->out ? s->user : s->prim}};
   TRY(dnnl_primitive_execute(s->reorder, stream, 2, a));
   return 0;
}

/* sets the caller's pointer; an input is reordered in now */
static int bind_in(slot *s, const void *p) {
   TRY(dnnl_memory_set_data_handle(s->user, (void *)p));
   return s->reorder ? run_reorder(s) : 0;
}

static int bind_out(slot *s, void *p) {
   TRY(dnnl_memory_set_data_handle(s->user, p));
   return 0;
}

static int same_geom(const nl_dnnl_geom *a, const nl_dnnl_geom *b) { return !memcmp(a, b, sizeof *a); }

/* the convolution descriptor of one direction; the memory descriptors
 * have format "any" so that oneDNN picks its layouts */
static int conv_desc(dnnl_convolution_desc_t *cd, int op, const nl_dnnl_geom *g, int bias) {
   dnnl_memory_desc_t src, wei, dst, b;
   dnnl_dims_t sd = {g->N, g->C, g->H, g->W}, wd = {g->K, g->C, g->kH, g->kW}, dd = {g->N, g->K, g->oH, g->oW},
               bd = {g->K};
   dnnl_dims_t strides = {g->sH, g->sW}, dil = {g->dilH - 1, g->dilW - 1}, pl = {g->padH, g->padW};
   /* Torch7 pads both sides alike and drops the rows a stride leaves
    * over; oneDNN checks the output size with the same floor */
   dnnl_dims_t pr = {g->padH, g->padW};
   TRY(dnnl_memory_desc_init_by_tag(&src, 4, sd, dnnl_f32, dnnl_format_tag_any));
   TRY(dnnl_memory_desc_init_by_tag(&wei, 4, wd, dnnl_f32, dnnl_format_tag_any));
   TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, dnnl_format_tag_any));
   TRY(dnnl_memory_desc_init_by_tag(&b, 1, bd, dnnl_f32, dnnl_x));
   switch (op) {
   case FWD:
      TRY(dnnl_dilated_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei,
                                                     bias ? &b : NULL, &dst, strides, dil, pl, pr));
      break;
   case BWD_DATA:
      TRY(dnnl_dilated_convolution_backward_data_desc_init(cd, dnnl_convolution_direct, &src, &wei, &dst, strides, dil,
                                                           pl, pr));
      break;
   default:
      TRY(dnnl_dilated_convolution_backward_weights_desc_init(cd, dnnl_convolution_direct, &src, &wei,
                                                              bias ? &b : NULL, &dst, strides, dil, pl, pr));
   }
   return 0;
}

static int build(entry *e) {
   const nl_dnnl_geom *g = &e->g;
   dnnl_convolution_desc_t cd, fd;
   dnnl_primitive_desc_t pd = NULL, hint = NULL;
   if (conv_desc(&cd, e->op, g, e->bias)) return -1;
   if (e->op != FWD) {
      /* backward primitives are chosen against a forward one */
      if (conv_desc(&fd, FWD, g, e->bias)) return -1;
      TRY(dnnl_primitive_desc_create(&hint, &fd, NULL, eng, NULL));
   }
   dnnl_status_t st = dnnl_primitive_desc_create(&pd, &cd, NULL, eng, hint);
   if (hint) dnnl_primitive_desc_destroy(hint);
   if (st != dnnl_success) return fail("dnnl_primitive_desc_create (convolution)", st);
   dnnl_dim_t sd[4] = {g->N, g->C, g->H, g->W}, wd[4] = {g->K, g->C, g->kH, g->kW}, dd[4] = {g->N, g->K, g->oH, g->oW},
              bd[1] = {g->K};
   int rc;
   switch (e->op) {
   case FWD:
      rc = make_slot(&e->s[0], 4, sd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), 0) ||
           make_slot(&e->s[1], 4, wd, dnnl_oihw, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), 0) ||
           make_slot(&e->s[2], 4, dd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), 1) ||
           (e->bias && make_slot(&e->s[3], 1, bd, dnnl_x, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1), 0));
      break;
   case BWD_DATA:
      rc = make_slot(&e->s[0], 4, sd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_src_md, 0), 1) ||
           make_slot(&e->s[1], 4, wd, dnnl_oihw, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), 0) ||
           make_slot(&e->s[2], 4, dd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0), 0);
      break;
   default:
      rc = make_slot(&e->s[0], 4, sd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), 0) ||
           make_slot(&e->s[1], 4, wd, dnnl_oihw, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md, 0), 1) ||
           make_slot(&e->s[2], 4, dd, dnnl_nchw, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0), 0) ||
           (e->bias &&
            make_slot(&e->s[3], 1, bd, dnnl_x, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md, 1), 1));
      if (!rc) {
         e->gw = malloc(sizeof(float) * g->K * g->C * g->kH * g->kW);
         e->gb = malloc(sizeof(float) * g->K);
         if (!e->gw || !e->gb) rc = (snprintf(msg, sizeof msg, "oneDNN: out of memory"), -1);
      }
   }
   if (!rc) {
      st = dnnl_primitive_create(&e->p, pd);
      if (st != dnnl_success) rc = fail("dnnl_primitive_create (convolution)", st);
   }
   dnnl_primitive_desc_destroy(pd);
   return rc;
}

/* the cached entry of (op, g, bias), built on a miss (LRU eviction) */
static entry *lookup(int op, const nl_dnnl_geom *g, int bias) {
   if (init()) return NULL;
   entry *old = &cache[0];
   for (int i = 0; i < CACHE; i++) {
      entry *e = &cache[i];
      if (e->used && e->op == op && e->bias == bias && same_geom(&e->g, g)) {
         e->stamp = ++clock_;
         return e;
      }
      if (!e->used || (old->used && e->stamp < old->stamp)) old = e;
   }
   free_entry(old);
   old->used = 1, old->op = op, old->bias = bias, old->g = *g, old->stamp = ++clock_;
   if (build(old)) {
      free_entry(old);
      return NULL;
   }
   while (cached_bytes > CACHE_BYTES) {
      entry *lru = NULL;
      for (int i = 0; i < CACHE; i++)
         if (cache[i].used && &cache[i] != old && (!lru || cache[i].stamp < lru->stamp)) lru = &cache[i];
      if (!lru) break;
      free_entry(lru);
   }
   return old;
}

/* the weights into the primitive's layout, unless the last reorder was of
 * these very values */
static int bind_weights(entry *e, const float *w) {
   slot *s = &e->s[1];
   size_t bytes = sizeof(float) * e->g.K * e->g.C * e->g.kH * e->g.kW;
   if (!s->reorder) return bind_in(s, w);
   if (e->wcopy && e->wptr == w && e->wbytes == bytes && !memcmp(e->wcopy, w, bytes)) return 0;
   if (bind_in(s, w)) return -1;
   if (!e->wcopy) e->wcopy = malloc(bytes);
   if (e->wcopy) memcpy(e->wcopy, w, bytes), e->wptr = w, e->wbytes = bytes;
   return 0;
}

static int execute(entry *e, int n, dnnl_exec_arg_t *a) {
   TRY(dnnl_primitive_execute(e->p, stream, n, a));
   return 0;
}

static int forward(const nl_dnnl_geom *g, float *out, const float *in, const float *w, const float *bias) {
   pthread_mutex_lock(&lock);
   entry *e = lookup(FWD, g, bias != NULL);
   int rc = !e || bind_in(&e->s[0], in) || bind_weights(e, w) || bind_out(&e->s[2], out) ||
            (bias && bind_in(&e->s[3], bias));
   if (!rc) {
      dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, e->s[0].prim}, {DNNL_ARG_WEIGHTS, e->s[1].prim},
                              {DNNL_ARG_DST, e->s[2].prim}, {DNNL_ARG_BIAS, bias ? e->s[3].prim : NULL}};
      rc = execute(e, bias ? 4 : 3, a) || (e->s[2].reorder && run_reorder(&e->s[2]));
   }
   if (!rc && dnnl_stream_wait(stream) != dnnl_success) rc = fail("dnnl_stream_wait", dnnl_runtime_error);
   pthread_mutex_unlock(&lock);
   return rc ? -1 : 0;
}

static int backward_data(const nl_dnnl_geom *g, float *gin, const float *gout, const float *w) {
   pthread_mutex_lock(&lock);
   entry *e = lookup(BWD_DATA, g, 0);
   int rc = !e || bind_out(&e->s[0], gin) || bind_weights(e, w) || bind_in(&e->s[2], gout);
   if (!rc) {
      dnnl_exec_arg_t a[3] = {{DNNL_ARG_DIFF_SRC, e->s[0].prim}, {DNNL_ARG_WEIGHTS, e->s[1].prim},
                              {DNNL_ARG_DIFF_DST, e->s[2].prim}};
      rc = execute(e, 3, a) || (e->s[0].reorder && run_reorder(&e->s[0]));
   }
   if (!rc && dnnl_stream_wait(stream) != dnnl_success) rc = fail("dnnl_stream_wait", dnnl_runtime_error);
   pthread_mutex_unlock(&lock);
   return rc ? -1 : 0;
}

static int backward_weights(const nl_dnnl_geom *g, float *gw, float *gb, long gbs, const float *in, const float *gout,
                            double scale) {
   pthread_mutex_lock(&lock);
   entry *e = lookup(BWD_WEIGHTS, g, gb != NULL);
   int rc = !e || bind_in(&e->s[0], in) || bind_out(&e->s[1], e->gw) || bind_in(&e->s[2], gout) ||
            (gb && bind_out(&e->s[3], e->gb));
   if (!rc) {
      dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, e->s[0].prim}, {DNNL_ARG_DIFF_WEIGHTS, e->s[1].prim},
                              {DNNL_ARG_DIFF_DST, e->s[2].prim}, {DNNL_ARG_DIFF_BIAS, gb ? e->s[3].prim : NULL}};
      rc = execute(e, gb ? 4 : 3, a) || (e->s[1].reorder && run_reorder(&e->s[1])) ||
           (gb && e->s[3].reorder && run_reorder(&e->s[3]));
   }
   if (!rc && dnnl_stream_wait(stream) != dnnl_success) rc = fail("dnnl_stream_wait", dnnl_runtime_error);
   if (!rc) {
      /* the caller's gradients accumulate, as Torch7's accGradParameters */
      long n = (long)g->K * g->C * g->kH * g->kW;
      float s = (float)scale;
      for (long i = 0; i < n; i++) gw[i] += s * e->gw[i];
      for (long k = 0; gb && k < g->K; k++) gb[k * gbs] += s * e->gb[k];
   }
   pthread_mutex_unlock(&lock);
   return rc ? -1 : 0;
}

static const nl_dnnl_api api = {NL_DNNL_ABI, forward, backward_data, backward_weights, error};

EXPORT const nl_dnnl_api *nl_dnnl_get_api(void) { return &api; }
