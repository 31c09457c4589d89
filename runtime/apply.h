/* apply.h: the strided iteration every elementwise and per-slice kernel
 * uses. A kernel is written once as a row function over n elements with
 * per-tensor element strides (stride 1 in the contiguous case, so the
 * compiler vectorises it); the driver collapses dimensions, splits the work
 * across OpenMP threads above NL_OMP_MIN elements, and calls the row
 * function once per row, never once per element.
 *
 *   static void add_row(void *ctx, int64_t n, char **p, const int64_t *s) {
 *      float *r = (float *)p[0]; const float *a = (const float *)p[1]; ...
 *      for (int64_t i = 0; i < n; i++) r[i * s[0]] = a[i * s[1]] + ...;
 *   }
 *   nl_iter it;
 *   const nl_tensor *ts[] = {res, a, b};
 *   if (nl_iter_init("nl_add", &it, 3, ts)) return -1;
 *   nl_iter_run(&it, add_row, &ctx);
 */
#ifndef NL_APPLY_H
#define NL_APPLY_H
#include "core.h"

enum { NL_ITER_MAX = 4 };

typedef struct nl_iter {
   int nt;                                 /* tensors iterated together */
   int ndim;                               /* after collapsing */
   int64_t n;                              /* elements */
   int64_t size[NL_MAX_DIMS];
   int64_t stride[NL_ITER_MAX][NL_MAX_DIMS]; /* in elements */
   char *base[NL_ITER_MAX];                /* element 0 of each view */
   int esize[NL_ITER_MAX];
   /* for nl_iter_init_dim: the dimension taken out of the iteration */
   int64_t dsize;
   int64_t dstride[NL_ITER_MAX];
} nl_iter;

/* p[k]: first element of tensor k in this row; s[k]: its element stride. */
typedef void (*nl_row_fn)(void *ctx, int64_t n, char **p, const int64_t *s);

/* ts[0] gives the shape. Every other tensor has the same number of
 * elements and either the same shape or a contiguous layout (Torch7 lets
 * a 2x3 be added to a 6); otherwise an error naming fn is set. */
int nl_iter_init(const char *fn, nl_iter *it, int nt, const nl_tensor *const *ts);

/* Runs fn over all rows; parallel when it->n >= NL_OMP_MIN and more than
 * one thread is allowed. Row functions must not share mutable state. */
void nl_iter_run(const nl_iter *it, nl_row_fn fn, void *ctx);
/* Same, with an explicit grain (elements below which it stays serial). */
void nl_iter_run_grain(const nl_iter *it, nl_row_fn fn, void *ctx, int64_t grain);
/* Runs fn over fixed blocks of `block` elements (the last one shorter),
 * block b with the context ctxs + b * stride, in parallel over blocks. The
 * split does not depend on the thread count, so partial results combined
 * in block order are the same with any number of threads. */
void nl_iter_run_blocks(const nl_iter *it, nl_row_fn fn, void *ctxs, size_t stride, int64_t block);

/* A range of a parallel loop: processes items [begin, end); tid is the
 * OpenMP thread number (0 when serial), for per-thread buffers. */
typedef void (*nl_range_fn)(void *ctx, int64_t begin, int64_t end, int tid);

/* Runs fn over items [0, n), split in equal contiguous ranges (OpenMP's
 * static schedule) over up to nl_threads() threads when n > 1 and `work`
 * (the loop's whole cost in elementary steps) reaches NL_OMP_MIN; else as
 * one call fn(ctx, 0, n, 0) on this thread, without entering libgomp (an
 * OpenMP region with a false if() clause still costs microseconds). */
void nl_parallel_for(int64_t n, int64_t work, nl_range_fn fn, void *ctx);

/* Slice iteration: the tensors share a shape except along `dim` (each may
 * have its own size there, e.g. a reduction's output has 1); iterates over
 * every position of the other dimensions. dsize is ts[0]'s size along dim
 * (put the input first for a reduction into size 1). */
int nl_iter_init_dim(const char *fn, nl_iter *it, int nt, const nl_tensor *const *ts, int dim);
/* p[k]: first element of the slice of tensor k; the slice runs along the
 * removed dimension with it->dstride[k]. Parallel over slices when
 * slices * dsize >= NL_OMP_MIN. */
typedef void (*nl_slice_fn)(void *ctx, const nl_iter *it, char **p);
void nl_iter_run_slices(const nl_iter *it, nl_slice_fn fn, void *ctx);

#endif
