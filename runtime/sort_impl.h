/* sort_impl.h: the per-dtype slice sort of sort.c. Included once per dtype
 * by sort.c with T (element type) and SUF (name suffix) defined. */
#define FN(name) NL_CAT(name, SUF)

/* Torch7's sort, so that equal keys (and NaNs) come out in Torch7's order:
 * Sedgewick's quicksort (median of three, partitions of at most SMALL
 * elements left for one insertion pass at the end, the larger partition
 * pushed), sorting a[] and carrying the positions ix[]. BEFORE(x, y) is
 * x < y ascending and x > y descending; NaN compares false both ways as in
 * Torch7. The scans carry bounds that the median of three already implies
 * for numbers, so a NaN pivot cannot run them off the slice. */
#define BEFORE(x, y) (desc ? (x) > (y) : (x) < (y))
#define SWAP2(i, j) do { T t_ = a[i]; a[i] = a[j]; a[j] = t_; int64_t u_ = ix[i]; ix[i] = ix[j]; ix[j] = u_; } while (0)

/* median of three into a[L] (pivot), a[L+1] and a[R]; then partitions
 * (L, R) around a[L]; returns j, the pivot's place, and sets *ip = i */
static int64_t FN(partition_)(T *a, int64_t *ix, int64_t L, int64_t R, int desc, int64_t *ip) {
   int64_t P = (L + R) >> 1;
   SWAP2(P, L + 1);
   if (BEFORE(a[R], a[L + 1])) SWAP2(L + 1, R);
   if (BEFORE(a[R], a[L])) SWAP2(L, R);
   if (BEFORE(a[L], a[L + 1])) SWAP2(L + 1, L);
   T piv = a[L];
   int64_t i = L + 1, j = R;
   for (;;) {
      do i++; while (i < R && BEFORE(a[i], piv));
      do j--; while (j > L && BEFORE(piv, a[j]));
      if (j < i) break;
      SWAP2(i, j);
   }
   SWAP2(L, j);
   *ip = i;
   return j;
}

#define SMALL 10

static void FN(qsort_)(T *a, int64_t *ix, int64_t n, int desc) {
   int64_t lo[64], hi[64], top = 0;
   int64_t L = 0, R = n - 1;
   int done = n - 1 <= SMALL;
   while (!done) {
      int64_t i, j = FN(partition_)(a, ix, L, R, desc, &i);
      int64_t nleft = j - L, nright = R - i + 1;
      if (nleft <= SMALL && nright <= SMALL) {
         if (top == 0) done = 1;
         else top--, L = lo[top], R = hi[top];
      } else if (nleft <= SMALL || nright <= SMALL) {
         if (nleft > nright) R = j - 1;
         else L = i;
      } else if (nleft > nright) {
         lo[top] = L, hi[top] = j - 1, top++;
         L = i;
      } else {
         lo[top] = i, hi[top] = R, top++;
         R = j - 1;
      }
   }
   /* one insertion pass from the right over the nearly sorted slice */
   for (int64_t i = n - 2; i >= 0; i--) {
      if (BEFORE(a[i + 1], a[i])) {
         T v = a[i];
         int64_t p = ix[i], j = i + 1;
         do {
            a[j - 1] = a[j], ix[j - 1] = ix[j];
            j++;
         } while (j < n && BEFORE(a[j], v));
         a[j - 1] = v, ix[j - 1] = p;
      }
   }
}

/* Torch7's quickselect: afterwards a[k] is the (k+1)-th in order, with the
 * ones before it not after it (ascending only, as Torch7 used it) */
static void FN(qselect_)(T *a, int64_t *ix, int64_t k, int64_t n) {
   const int desc = 0;
   int64_t L = 0, R = n - 1;
   for (;;) {
      if (R <= L) return;
      if (R == L + 1) {
         if (BEFORE(a[R], a[L])) SWAP2(L, R);
         return;
      }
      int64_t i, j = FN(partition_)(a, ix, L, R, 0, &i);
      if (j <= k) L = i;
      if (j >= k) R = j - 1;
   }
}

#undef SMALL
#undef SWAP2
#undef BEFORE

/* p[0]: input slice (it->dsize elements), p[1]: values, p[2]: indices,
 * each at its own stride along the dimension. A sort writes the whole
 * slice; a topk the k smallest (Torch7: quickselect, then the first k - 1
 * sorted when asked) or the k largest (quickselect of the n - k smallest,
 * then the last k sorted descending when asked). */
static void FN(sort_slice_)(void *ctx, const nl_iter *it, char **p) {
   sort_ctx *c = (sort_ctx *)ctx;
   int64_t n = it->dsize, k = c->k;
   T *key = malloc((size_t)n * sizeof(T));
   int64_t *perm = malloc((size_t)n * sizeof(int64_t));
   if (!key || !perm) {
      c->failed = 1;
   } else {
      const T *x = (const T *)p[0];
      for (int64_t i = 0; i < n; i++) key[i] = x[i * it->dstride[0]], perm[i] = i;
      int64_t first = 0;
      if (!c->topk) {
         FN(qsort_)(key, perm, n, c->descending);
      } else if (c->descending) {
         first = n - k;
         if (first > 0) FN(qselect_)(key, perm, first - 1, n);
         if (c->sorted) FN(qsort_)(key + first, perm + first, k, 1);
      } else {
         FN(qselect_)(key, perm, k - 1, n);
         if (c->sorted) FN(qsort_)(key, perm, k - 1, 0);
      }
      T *v = (T *)p[1];
      int64_t *ix = (int64_t *)p[2];
      for (int64_t i = 0; i < k; i++) {
         v[i * it->dstride[1]] = key[first + i];
         ix[i * it->dstride[2]] = perm[first + i] + 1;
      }
   }
   free(key);
   free(perm);
}

#undef FN
