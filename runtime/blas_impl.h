/* blas_impl.h: the per-dtype kernels of blas.c. Included once per dtype by
 * blas.c with T (element type), SUF (name suffix) and FLT (1 for floating
 * types) and DSIZE defined (dtype_each.h); BL(name) is the cblas routine
 * of a floating type's precision (cblas_s##name or cblas_d##name). Floating types reach
 * OpenBLAS; integer types get plain loops that accumulate in int64 and
 * wrap to the dtype as Torch7's do. */
#define FN(name) NL_CAT(name, SUF)
#if FLT && DSIZE == 4
#define BL(name) cblas_s##name
#elif FLT
#define BL(name) cblas_d##name
#endif

/* r = b * r over one row; ctx: the double b. beta 0 never reaches here
 * (scale() fills zeros instead, which is NaN-safe). */
static void FN(scale_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   T *r = (T *)p[0];
   T b = (T)(*(const double *)ctx);
   if (s[0] == 1)
      for (int64_t i = 0; i < n; i++) r[i] = (T)(r[i] * b);
   else
      for (int64_t i = 0; i < n; i++) r[i * s[0]] = (T)(r[i * s[0]] * b);
}

#if FLT

/* r: (n, p) = beta * r + alpha * op(a): (n, k) @ op(b): (k, p), row-major;
 * ta/tb: the operand is stored transposed (CblasTrans). */
static void FN(blas_gemm_)(int ta, int tb, int n, int p, int k, double alpha, const void *a, int lda,
                           const void *b, int ldb, double beta, void *r, int ldr) {
   BL(gemm)(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, n, p, k, (T)alpha,
            (const T *)a, lda, (const T *)b, ldb, (T)beta, (T *)r, ldr);
}

/* r = beta * r + alpha * op(m) @ v, m stored (rows, cols) row-major */
static void FN(blas_gemv_)(int tm, int rows, int cols, double alpha, const void *m, int ldm, const void *v,
                           int incv, double beta, void *r, int incr) {
   BL(gemv)(CblasRowMajor, tm ? CblasTrans : CblasNoTrans, rows, cols, (T)alpha, (const T *)m, ldm,
            (const T *)v, incv, (T)beta, (T *)r, incr);
}

/* r: (n, p) += alpha * x: (n) outer y: (p), row-major */
static void FN(blas_ger_)(int n, int p, double alpha, const void *x, int incx, const void *y, int incy, void *r,
                          int ldr) {
   BL(ger)(CblasRowMajor, n, p, (T)alpha, (const T *)x, incx, (const T *)y, incy, (T *)r, ldr);
}

#else

/* r: (n, p) = beta * r + alpha * a: (n, k) @ b: (k, p), any strides */
static void FN(loop_gemm_)(nl_tensor *r, double beta, double alpha, const nl_tensor *a, const nl_tensor *b) {
   T *rp = (T *)nl_ptr(r);
   const T *ap = (const T *)nl_ptr(a), *bp = (const T *)nl_ptr(b);
   int64_t n = r->_size[0], p = r->_size[1], k = a->_size[1];
   int64_t rs0 = r->_stride[0], rs1 = r->_stride[1], as0 = a->_stride[0], as1 = a->_stride[1];
   int64_t bs0 = b->_stride[0], bs1 = b->_stride[1];
   T tb = (T)beta, ta = (T)alpha;
   for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < p; j++) {
         int64_t acc = 0;
         for (int64_t l = 0; l < k; l++) acc += (int64_t)ap[i * as0 + l * as1] * (int64_t)bp[l * bs0 + j * bs1];
         T *o = rp + i * rs0 + j * rs1;
         *o = beta == 0 ? (T)(ta * (T)acc) : (T)(tb * *o + ta * (T)acc);
      }
}

/* r: (n) = beta * r + alpha * m: (n, k) @ v: (k) */
static void FN(loop_gemv_)(nl_tensor *r, double beta, double alpha, const nl_tensor *m, const nl_tensor *v) {
   T *rp = (T *)nl_ptr(r);
   const T *mp = (const T *)nl_ptr(m), *vp = (const T *)nl_ptr(v);
   int64_t n = m->_size[0], k = m->_size[1];
   T tb = (T)beta, ta = (T)alpha;
   for (int64_t i = 0; i < n; i++) {
      int64_t acc = 0;
      for (int64_t l = 0; l < k; l++)
         acc += (int64_t)mp[i * m->_stride[0] + l * m->_stride[1]] * (int64_t)vp[l * v->_stride[0]];
      T *o = rp + i * r->_stride[0];
      *o = beta == 0 ? (T)(ta * (T)acc) : (T)(tb * *o + ta * (T)acc);
   }
}

/* r: (n, p) += alpha * x: (n) outer y: (p) */
static void FN(loop_ger_)(nl_tensor *r, double alpha, const nl_tensor *x, const nl_tensor *y) {
   T *rp = (T *)nl_ptr(r);
   const T *xp = (const T *)nl_ptr(x), *yp = (const T *)nl_ptr(y);
   T ta = (T)alpha;
   for (int64_t i = 0; i < r->_size[0]; i++)
      for (int64_t j = 0; j < r->_size[1]; j++) {
         T *o = rp + i * r->_stride[0] + j * r->_stride[1];
         *o = (T)(*o + ta * xp[i * x->_stride[0]] * yp[j * y->_stride[0]]);
      }
}

#endif

/* Adds the sum of a[i]*b[i] over one row to the double at ctx (the
 * iteration stays serial: one shared sum). */
static void FN(dot_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const T *a = (const T *)p[0], *b = (const T *)p[1];
   double acc = 0;
#if FLT
   if (n > 0 && s[0] > 0 && s[1] > 0 && n <= INT_MAX && s[0] <= INT_MAX && s[1] <= INT_MAX)
      acc = BL(dot)((int)n, a, (int)s[0], b, (int)s[1]);
   else
      for (int64_t i = 0; i < n; i++) acc += (double)a[i * s[0]] * (double)b[i * s[1]];
#else
   int64_t ia = 0;
   for (int64_t i = 0; i < n; i++) ia += (int64_t)a[i * s[0]] * (int64_t)b[i * s[1]];
   acc = (double)ia;
#endif
   *(double *)ctx += acc;
}

/* One slice: r = a x b, three elements each at stride it->dstride[k]. */
static void FN(cross_slice_)(void *ctx, const nl_iter *it, char **p) {
   (void)ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1], *b = (const T *)p[2];
   int64_t sr = it->dstride[0], sa = it->dstride[1], sb = it->dstride[2];
   T a0 = a[0], a1 = a[sa], a2 = a[2 * sa], b0 = b[0], b1 = b[sb], b2 = b[2 * sb];
   r[0] = (T)(a1 * b2 - a2 * b1);
   r[sr] = (T)(a2 * b0 - a0 * b2);
   r[2 * sr] = (T)(a0 * b1 - a1 * b0);
}

#undef FN
#undef BL
