/* math_index.h: result handling shared by math_index.c (indexing) and
 * math_shape.c (tril, triu, diag, eye, cat); defined in math_index.c.
 * Private to the runtime (hidden symbols). */
#ifndef NL_MATH_INDEX_H
#define NL_MATH_INDEX_H
#include "core.h"

/* rc, with the failure message prefixed by "fn: " unless it names fn
 * already (an allocation failure deep in a resize says "resize ..."). */
int nl_named_rc(const char *fn, int rc);

/* Resizes t to ndim/size unless it has that shape already. */
int nl_resize_if(nl_tensor *t, int ndim, const int64_t *size);

/* Where a result is built: res itself, or (when res shares storage with
 * one of the n inputs, which the kernel would overwrite while reading
 * them) tmp, which nl_out_finish then hands to res. tmp is always
 * initialised, on res's device. */
nl_tensor *nl_out_for(nl_tensor *res, nl_tensor *tmp, int n, const nl_tensor *const *inputs);

/* Hands out to res when it is tmp and rc is 0; releases tmp; returns rc. */
int nl_out_finish(nl_tensor *res, nl_tensor *out, nl_tensor *tmp, int rc);

#endif
