/* linalg_impl.h: the per-dtype LAPACK calls of linalg.c. Included once per
 * dtype (float, double) by linalg.c (dtype_each_float.h: T, SUF, DSIZE);
 * LP(name), the Fortran routine of that precision (s##name##_ or
 * d##name##_), is picked below.
 *
 * Each routine reads its arguments from the call (which fields: its
 * line) and takes the workspace w of *lwork elements; *lwork = -1 asks
 * for the size it wants, which it stores as a T in w[0]. */

/* the routines of this precision */
#if DSIZE == 4
#define LP(name) s##name##_
#else
#define LP(name) d##name##_
#endif
#define FN(name) NL_CAT(name, SUF)
#define P(t) ((T *)nl_ptr(t))

/* A: n x n, B: n x k, ipiv: n */
static void FN(gesv_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   (void)w, (void)lwork;
   LP(gesv)(&c->n, &c->k, P(c->A), &c->n, c->ints, P(c->B), &c->n, info);
}

/* A: m x n, B: ld x k */
static void FN(gels_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(gels)("N", &c->m, &c->n, &c->k, P(c->A), &c->m, P(c->B), &c->ld, (T *)w, lwork, info, 1);
}

/* A: n x n, ipiv: n */
static void FN(getrf_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   (void)w, (void)lwork;
   LP(getrf)(&c->n, &c->n, P(c->A), &c->n, c->ints, info);
}

static void FN(getri_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(getri)(&c->n, P(c->A), &c->n, c->ints, (T *)w, lwork, info);
}

/* A: n x n, W: n eigenvalues */
static void FN(syev_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(syev)(&c->job, &c->uplo, &c->n, P(c->A), &c->n, P(c->W), (T *)w, lwork, info, 1, 1);
}

/* A: n x n, W: n x 2 (real parts, then imaginary parts), V: ld x ld right
 * eigenvectors (ld 1 when not wanted); no left eigenvectors */
static void FN(geev_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   T vl = 0;
   lp_int one = 1;
   LP(geev)("N", &c->job, &c->n, P(c->A), &c->n, P(c->W), P(c->W) + c->n, &vl, &one, P(c->V), &c->ld, (T *)w,
            lwork, info, 1, 1);
}

/* A: m x n, W: min(m, n) singular values, U: m x m or m x k, V: V^T, ld
 * rows (n or k); iwork: 8 min(m, n) */
static void FN(gesdd_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(gesdd)(&c->job, &c->m, &c->n, P(c->A), &c->m, P(c->W), P(c->U), &c->m, P(c->V), &c->ld, (T *)w, lwork,
             c->ints, info, 1);
}

/* A: n x n */
static void FN(potrf_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   (void)w, (void)lwork;
   LP(potrf)(&c->uplo, &c->n, P(c->A), &c->n, info, 1);
}

/* A: n x n factor, B: n x k */
static void FN(potrs_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   (void)w, (void)lwork;
   LP(potrs)(&c->uplo, &c->n, &c->k, P(c->A), &c->n, P(c->B), &c->n, info, 1);
}

static void FN(potri_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   (void)w, (void)lwork;
   LP(potri)(&c->uplo, &c->n, P(c->A), &c->n, info, 1);
}

/* A: m x n, W: k = min(m, n) reflector scales (tau) */
static void FN(geqrf_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(geqrf)(&c->m, &c->n, P(c->A), &c->m, P(c->W), (T *)w, lwork, info);
}

/* A: m x k, from geqrf; W: tau */
static void FN(orgqr_)(const call *c, void *w, const lp_int *lwork, lp_int *info) {
   LP(orgqr)(&c->m, &c->k, &c->k, P(c->A), &c->m, P(c->W), (T *)w, lwork, info);
}

/* The workspace size a query stored in q[0]. */
static double FN(work_size_)(const void *q) { return (double)*(const T *)q; }

/* 1 when every element of the contiguous buffer is finite */
static int FN(all_finite_)(const nl_tensor *buf) {
   int64_t n = nl_numel(buf);
   const T *p = P(buf);
   for (int64_t i = 0; i < n; i++)
      if (!isfinite(p[i])) return 0;
   return 1;
}

/* Sets the strict lower (keep_upper) or upper triangle of a column-major
 * n x n matrix (leading dimension ld) to zero, or (mirror) to the other
 * triangle's values. */
static void FN(triangle_)(nl_tensor *buf, int64_t n, int64_t ld, int keep_upper, int mirror) {
   T *p = P(buf);
   for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++) {
         int in_other = keep_upper ? i > j : i < j;
         if (in_other) p[i + j * ld] = mirror ? p[j + i * ld] : 0;
      }
}

#undef P
#undef FN
#undef LP
