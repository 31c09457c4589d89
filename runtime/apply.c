/* apply.c: the iteration driver described in apply.h. */
#include "apply.h"
#include <string.h>
#include <omp.h>

static int same_shape(const nl_tensor *a, const nl_tensor *b) {
   if (a->_ndim != b->_ndim) return 0;
   for (int i = 0; i < a->_ndim; i++)
      if (a->_size[i] != b->_size[i]) return 0;
   return 1;
}

/* Drops size-1 dimensions and merges dimensions that are contiguous with
 * their inner neighbour in every tensor. */
static void collapse(nl_iter *it) {
   int k = 0;
   for (int i = 0; i < it->ndim; i++) {
      if (it->size[i] == 1) continue;
      it->size[k] = it->size[i];
      for (int t = 0; t < it->nt; t++) it->stride[t][k] = it->stride[t][i];
      k++;
   }
   it->ndim = k;
   if (k == 0) return;
   int out = 0;
   for (int i = 1; i < it->ndim; i++) {
      int merge = 1;
      for (int t = 0; t < it->nt && merge; t++)
         merge = it->stride[t][out] == it->stride[t][i] * it->size[i];
      if (merge) {
         it->size[out] *= it->size[i];
         for (int t = 0; t < it->nt; t++) it->stride[t][out] = it->stride[t][i];
      } else {
         out++;
         it->size[out] = it->size[i];
         for (int t = 0; t < it->nt; t++) it->stride[t][out] = it->stride[t][i];
      }
   }
   it->ndim = out + 1;
}

/* Strides that walk x's elements, in x's element order, over the sizes of
 * s (the same number of elements): x viewed with s's shape. Possible when
 * each run of x's dimensions that is contiguous in memory covers a whole
 * run of s's dimensions; returns 0 when it is not. */
static int strides_as(int64_t *out, const nl_tensor *s, const nl_tensor *x) {
   int view_d = s->_ndim - 1;
   if (x->_ndim == 0) return 0;
   int64_t chunk = x->_stride[x->_ndim - 1];
   int64_t tensor_n = 1, view_n = 1;
   for (int d = x->_ndim - 1; d >= 0; d--) {
      tensor_n *= x->_size[d];
      if (d == 0 || (x->_size[d - 1] != 1 && x->_stride[d - 1] != tensor_n * chunk)) {
         while (view_d >= 0 && (view_n < tensor_n || s->_size[view_d] == 1)) {
            out[view_d] = view_n * chunk;
            view_n *= s->_size[view_d];
            view_d--;
         }
         if (view_n != tensor_n) return 0;
         if (d > 0) {
            chunk = x->_stride[d - 1];
            tensor_n = 1;
            view_n = 1;
         }
      }
   }
   return view_d == -1;
}

static void setup_base(nl_iter *it, int nt, const nl_tensor *const *ts) {
   it->nt = nt;
   for (int t = 0; t < nt; t++) {
      it->esize[t] = nl_dtypes[ts[t]->_dtype].size;
      it->base[t] = (char *)nl_ptr(ts[t]);
   }
}

int nl_iter_init(const char *fn, nl_iter *it, int nt, const nl_tensor *const *ts) {
   memset(it, 0, sizeof *it);
   if (nt < 1 || nt > NL_ITER_MAX) return nl_errorf("%s: internal: %d tensors in one iteration", fn, nt);
   const nl_tensor *s = ts[0];
   setup_base(it, nt, ts);
   it->n = nl_numel(s);
   it->ndim = s->_ndim;
   for (int i = 0; i < s->_ndim; i++) it->size[i] = s->_size[i];
   for (int t = 0; t < nt; t++) {
      const nl_tensor *x = ts[t];
      if (same_shape(x, s)) {
         for (int i = 0; i < s->_ndim; i++) it->stride[t][i] = x->_stride[i];
         continue;
      }
      if (nl_numel(x) != it->n) {
         char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
         return nl_errorf("%s: sizes do not match: %s and %s", fn, nl_shape_str(a, sizeof a, s),
                          nl_shape_str(b, sizeof b, x));
      }
      if (nl_tensor_is_contiguous(x)) {
         int64_t st = 1;
         for (int i = s->_ndim - 1; i >= 0; i--) it->stride[t][i] = st, st *= s->_size[i];
      } else if (!strides_as(it->stride[t], s, x)) {
         /* TH walks any two layouts in element order; a layout no strides
          * describe (a transposed matrix against a vector) is refused */
         char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
         return nl_errorf("%s: a non-contiguous %s tensor cannot be combined with a %s tensor of other shape "
                          "(make it contiguous first, or give both the same shape)", fn,
                          nl_shape_str(b, sizeof b, x), nl_shape_str(a, sizeof a, s));
      }
   }
   collapse(it);
   return 0;
}

/* Runs rows covering linear elements [begin, end). */
static void run_range(const nl_iter *it, nl_row_fn fn, void *ctx, int64_t begin, int64_t end) {
   int nt = it->nt;
   char *p[NL_ITER_MAX];
   int64_t s[NL_ITER_MAX];
   if (it->ndim == 0) {
      if (begin < end) {
         for (int t = 0; t < nt; t++) p[t] = it->base[t], s[t] = 1;
         fn(ctx, 1, p, s);
      }
      return;
   }
   int last = it->ndim - 1;
   int64_t coord[NL_MAX_DIMS];
   int64_t rem = begin;
   for (int i = last; i >= 0; i--) coord[i] = rem % it->size[i], rem /= it->size[i];
   for (int t = 0; t < nt; t++) s[t] = it->stride[t][last];
   int64_t pos = begin;
   while (pos < end) {
      int64_t n = it->size[last] - coord[last];
      if (n > end - pos) n = end - pos;
      for (int t = 0; t < nt; t++) {
         int64_t off = 0;
         for (int i = 0; i <= last; i++) off += coord[i] * it->stride[t][i];
         p[t] = it->base[t] + off * it->esize[t];
      }
      fn(ctx, n, p, s);
      pos += n;
      coord[last] += n;
      for (int i = last; i > 0 && coord[i] >= it->size[i]; i--) coord[i] = 0, coord[i - 1]++;
   }
}

void nl_iter_run_grain(const nl_iter *it, nl_row_fn fn, void *ctx, int64_t grain) {
   int64_t n = it->n;
   if (n <= 0) return;
   int nth = nl_threads();
   if (nth > 1 && n >= grain && !omp_in_parallel()) {
      int64_t chunks = n / (grain / 2 > 0 ? grain / 2 : 1);
      if (chunks < nth) nth = (int)(chunks > 1 ? chunks : 1);
      nl_region_begin();
#pragma omp parallel num_threads(nth)
      {
         nl_region_arrive();
         int id = omp_get_thread_num(), k = omp_get_num_threads();
         int64_t b = n * id / k, e = n * (id + 1) / k;
         run_range(it, fn, ctx, b, e);
      }
      nl_region_end();
   } else {
      run_range(it, fn, ctx, 0, n);
   }
}

void nl_iter_run(const nl_iter *it, nl_row_fn fn, void *ctx) { nl_iter_run_grain(it, fn, ctx, NL_OMP_MIN); }

void nl_iter_run_blocks(const nl_iter *it, nl_row_fn fn, void *ctxs, size_t stride, int64_t block) {
   int64_t n = it->n;
   if (n <= 0 || block <= 0) return;
   int64_t nb = (n + block - 1) / block;
   int nth = nl_threads();
   if (nth > nb) nth = (int)nb;
   char *base = ctxs;
   if (nth <= 1 || omp_in_parallel()) {
      /* no team at all for one block: a serial region still costs a
       * libgomp call on every small reduction */
      for (int64_t b = 0; b < nb; b++) {
         int64_t e = (b + 1) * block;
         run_range(it, fn, base + (size_t)b * stride, b * block, e < n ? e : n);
      }
      return;
   }
#pragma omp parallel for num_threads(nth) schedule(static)
   for (int64_t b = 0; b < nb; b++) {
      int64_t e = (b + 1) * block;
      run_range(it, fn, base + (size_t)b * stride, b * block, e < n ? e : n);
   }
}

int nl_iter_init_dim(const char *fn, nl_iter *it, int nt, const nl_tensor *const *ts, int dim) {
   memset(it, 0, sizeof *it);
   if (nt < 1 || nt > NL_ITER_MAX) return nl_errorf("%s: internal: %d tensors in one iteration", fn, nt);
   const nl_tensor *s = ts[0];
   if (nl_check_dim(fn, s, dim)) return -1;
   for (int t = 1; t < nt; t++) {
      const nl_tensor *x = ts[t];
      int ok = x->_ndim == s->_ndim;
      for (int i = 0; ok && i < s->_ndim; i++) ok = i == dim || x->_size[i] == s->_size[i];
      if (!ok) {
         char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
         return nl_errorf("%s: sizes do not match outside dimension %lld: %s and %s", fn, (long long)dim + 1,
                          nl_shape_str(a, sizeof a, s), nl_shape_str(b, sizeof b, x));
      }
   }
   setup_base(it, nt, ts);
   it->dsize = s->_size[dim];
   int k = 0;
   for (int i = 0; i < s->_ndim; i++) {
      if (i == dim) continue;
      it->size[k] = s->_size[i];
      for (int t = 0; t < nt; t++) it->stride[t][k] = ts[t]->_stride[i];
      k++;
   }
   for (int t = 0; t < nt; t++) it->dstride[t] = ts[t]->_stride[dim];
   it->ndim = k;
   it->n = 1;
   for (int i = 0; i < k; i++) it->n *= it->size[i];
   if (nl_numel(s) == 0) it->n = 0;
   collapse(it);
   return 0;
}

static void run_slices(const nl_iter *it, nl_slice_fn fn, void *ctx, int64_t begin, int64_t end) {
   char *p[NL_ITER_MAX];
   for (int64_t j = begin; j < end; j++) {
      int64_t rem = j;
      int64_t off[NL_ITER_MAX] = {0};
      for (int i = it->ndim - 1; i >= 0; i--) {
         int64_t c = rem % it->size[i];
         rem /= it->size[i];
         for (int t = 0; t < it->nt; t++) off[t] += c * it->stride[t][i];
      }
      for (int t = 0; t < it->nt; t++) p[t] = it->base[t] + off[t] * it->esize[t];
      fn(ctx, it, p);
   }
}

void nl_iter_run_slices(const nl_iter *it, nl_slice_fn fn, void *ctx) {
   int64_t n = it->n;
   if (n <= 0) return;
   int nth = nl_threads();
   if (nth > 1 && n > 1 && n * it->dsize >= NL_OMP_MIN && !omp_in_parallel()) {
      if (n < nth) nth = (int)n;
      nl_region_begin();
#pragma omp parallel num_threads(nth)
      {
         nl_region_arrive();
         int id = omp_get_thread_num(), k = omp_get_num_threads();
         run_slices(it, fn, ctx, n * id / k, n * (id + 1) / k);
      }
      nl_region_end();
   } else {
      run_slices(it, fn, ctx, 0, n);
   }
}

void nl_parallel_for(int64_t n, int64_t work, nl_range_fn fn, void *ctx) {
   if (n <= 0) return;
   int nth = nl_threads();
   if (n < 2 || nth < 2 || work < NL_OMP_MIN || omp_in_parallel()) {
      fn(ctx, 0, n, 0);
      return;
   }
   if (nth > n) nth = (int)n;
   nl_region_begin();
#pragma omp parallel num_threads(nth)
   {
      nl_region_arrive();
      int t = omp_get_thread_num(), k = omp_get_num_threads();
      int64_t q = n / k, r = n % k;
      int64_t b = t * q + (t < r ? t : r), e = b + q + (t < r);
      if (b < e) fn(ctx, b, e, t);
   }
   nl_region_end();
}
