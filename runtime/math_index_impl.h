/* math_index_impl.h: the indexing kernels for one dtype. Included once
 * per dtype by math_index.c with T (element type) and SUF (name suffix)
 * defined; defines the kernels and the table FN(index_kernels_) that
 * math_index.c dispatches through. Index values are 1-based and were
 * checked by the front function; masks are 0/1 bytes. */
#define FN(name) NL_CAT(name, SUF)

/* ------------------------------------------------ masked rows
 * p[0]: the tensor, p[1]: the mask (uint8_t). msel/mcopy run serially:
 * the output (source) is consumed in order through ctx. */

static void FN(msel_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   T **o = (T **)&((seq_ctx *)ctx)->out;     /* next element of the result */
   const T *a = (const T *)p[0];
   const uint8_t *m = (const uint8_t *)p[1];
   for (int64_t i = 0; i < n; i++)
      if (m[i * s[1]]) *(*o)++ = a[i * s[0]];
}

static void FN(mcopy_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const T **src = (const T **)&((seq_ctx *)ctx)->out;   /* next source element */
   T *a = (T *)p[0];
   const uint8_t *m = (const uint8_t *)p[1];
   for (int64_t i = 0; i < n; i++)
      if (m[i * s[1]]) a[i * s[0]] = *(*src)++;
}

static void FN(mfill_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   T v = (T)(*(const double *)ctx), *a = (T *)p[0];
   const uint8_t *m = (const uint8_t *)p[1];
   for (int64_t i = 0; i < n; i++)
      if (m[i * s[1]]) a[i * s[0]] = v;
}

/* ------------------------------------- slices along a dimension
 * index*: p[0] the tensor written, p[1] the other one (read); c->idx holds
 * c->n positions along the slice. */

static void FN(isel_)(void *ctx, const nl_iter *it, char **p) {
   const index_ctx *c = (const index_ctx *)ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   int64_t sr = it->dstride[0], sa = it->dstride[1];
   for (int64_t j = 0; j < c->n; j++) r[j * sr] = a[(c->idx[j] - 1) * sa];
}

static void FN(icopy_)(void *ctx, const nl_iter *it, char **p) {
   const index_ctx *c = (const index_ctx *)ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   int64_t sr = it->dstride[0], sa = it->dstride[1];
   for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = a[j * sa];
}

static void FN(iadd_)(void *ctx, const nl_iter *it, char **p) {
   const index_ctx *c = (const index_ctx *)ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   int64_t sr = it->dstride[0], sa = it->dstride[1];
   for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = (T)(r[(c->idx[j] - 1) * sr] + a[j * sa]);
}

static void FN(ifill_)(void *ctx, const nl_iter *it, char **p) {
   const index_ctx *c = (const index_ctx *)ctx;
   T *r = (T *)p[0], v = (T)c->value;
   int64_t sr = it->dstride[0];
   for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = v;
}

/* gather: p = {res, t, index}; scatter: p = {index, t, src}. The index
 * slice has it->dsize elements (the size of ts[0] along the dimension). */

static void FN(gather_)(void *ctx, const nl_iter *it, char **p) {
   (void)ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   const int64_t *ix = (const int64_t *)p[2];
   for (int64_t j = 0; j < it->dsize; j++) r[j * it->dstride[0]] = a[(ix[j * it->dstride[2]] - 1) * it->dstride[1]];
}

static void FN(scatter_)(void *ctx, const nl_iter *it, char **p) {
   (void)ctx;
   const int64_t *ix = (const int64_t *)p[0];
   T *r = (T *)p[1];
   const T *a = (const T *)p[2];
   for (int64_t j = 0; j < it->dsize; j++) r[(ix[j * it->dstride[0]] - 1) * it->dstride[1]] = a[j * it->dstride[2]];
}

static void FN(scatterv_)(void *ctx, const nl_iter *it, char **p) {
   T v = (T)(*(const double *)ctx);
   const int64_t *ix = (const int64_t *)p[0];
   T *r = (T *)p[1];
   for (int64_t j = 0; j < it->dsize; j++) r[(ix[j * it->dstride[0]] - 1) * it->dstride[1]] = v;
}

/* ------------------------------------------------------ nonzero
 * Writes the 1-based coordinates of t's nonzero elements, row-major
 * order, into out: (count, ndim); with out NULL only counts. */

static int64_t FN(nonzero_)(const nl_tensor *t, int64_t *out) {
   const T *p = (const T *)nl_ptr(t);
   int nd = t->_ndim;
   int64_t c[NL_MAX_DIMS] = {0}, off = 0, k = 0, n = nl_numel(t);
   for (int64_t i = 0; i < n; i++) {
      if (p[off] != 0) {
         if (out)
            for (int d = 0; d < nd; d++) out[k * nd + d] = c[d] + 1;
         k++;
      }
      for (int d = nd - 1; d >= 0; d--) {
         off += t->_stride[d];
         if (++c[d] < t->_size[d]) break;
         off -= c[d] * t->_stride[d];
         c[d] = 0;
      }
   }
   return k;
}

static const index_kernels FN(index_kernels_) = {
   FN(msel_), FN(mcopy_), FN(mfill_),
   FN(isel_), FN(icopy_), FN(iadd_), FN(ifill_),
   FN(gather_), FN(scatter_), FN(scatterv_),
   FN(nonzero_),
};

#undef FN
