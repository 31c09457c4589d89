/* sort_impl.h: the per-dtype slice sort of sort.c. Included once per dtype
 * by sort.c with T (element type) and SUF (name suffix) defined. */
#define FN(name) NL_CAT(name, SUF)

/* Sorts the positions a[0..n) by key, stably (a merge sort; insertion
 * below 16 elements); tmp holds n / 2 + 1 positions. */
static void FN(msort_)(const T *key, int64_t *a, int64_t *tmp, int64_t n, int desc) {
   if (n < 16) {
      for (int64_t i = 1; i < n; i++) {
         int64_t v = a[i], j = i;
         while (j > 0 && (desc ? LESS_NAN(key[a[j - 1]], key[v]) : LESS_NAN(key[v], key[a[j - 1]])))
            a[j] = a[j - 1], j--;
         a[j] = v;
      }
      return;
   }
   int64_t h = n / 2;
   FN(msort_)(key, a, tmp, h, desc);
   FN(msort_)(key, a + h, tmp, n - h, desc);
   memcpy(tmp, a, (size_t)h * sizeof *a);
   int64_t i = 0, j = h, o = 0;
   while (i < h && j < n) {
      /* take from the right only when strictly before: stability */
      int right = desc ? LESS_NAN(key[tmp[i]], key[a[j]]) : LESS_NAN(key[a[j]], key[tmp[i]]);
      a[o++] = right ? a[j++] : tmp[i++];
   }
   while (i < h) a[o++] = tmp[i++];
}

/* p[0]: input slice (it->dsize elements), p[1]: values, p[2]: indices,
 * each at its own stride along the dimension; writes c->k elements. */
static void FN(sort_slice_)(void *ctx, const nl_iter *it, char **p) {
   sort_ctx *c = (sort_ctx *)ctx;
   int64_t n = it->dsize;
   T *key = malloc((size_t)n * sizeof(T));
   int64_t *perm = malloc((size_t)n * sizeof(int64_t)), *tmp = malloc((size_t)(n / 2 + 1) * sizeof(int64_t));
   if (!key || !perm || !tmp) {
      c->failed = 1;
   } else {
      const T *x = (const T *)p[0];
      for (int64_t i = 0; i < n; i++) key[i] = x[i * it->dstride[0]], perm[i] = i;
      FN(msort_)(key, perm, tmp, n, c->descending);
      T *v = (T *)p[1];
      int64_t *ix = (int64_t *)p[2];
      for (int64_t i = 0; i < c->k; i++) {
         v[i * it->dstride[1]] = key[perm[i]];
         ix[i * it->dstride[2]] = perm[i] + 1;
      }
   }
   free(key);
   free(perm);
   free(tmp);
}

#undef FN
