/* error.c: per-thread error messages. Every runtime entry point returns a
 * status; the message left here is raised by the Lua side at the caller. */
#include "core.h"
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

NL_API const char *nl_last_error(void) { return last_error; }

int nl_errorf(const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(last_error, sizeof last_error, fmt, ap);
   va_end(ap);
   return -1;
}

const char *nl_shape_str(char *buf, size_t n, const nl_tensor *t) {
   if (t->_ndim == 0) { snprintf(buf, n, "[empty]"); return buf; }
   size_t k = 0;
   buf[0] = 0;
   for (int i = 0; i < t->_ndim && k < n; i++)
      k += snprintf(buf + k, n - k, i ? "x%lld" : "%lld", (long long)t->_size[i]);
   return buf;
}

const char *nl_type_name(const nl_tensor *t) {
   const char *name = nl_dtype_tensor_name(t->_dtype, t->_device);
   return name ? name : "torch.?Tensor";
}

int nl_check_same_dtype(const char *fn, const nl_tensor *a, const nl_tensor *b) {
   if (a->_dtype != b->_dtype || a->_device != b->_device)
      return nl_errorf("%s: tensor types differ: %s and %s", fn, nl_type_name(a), nl_type_name(b));
   return 0;
}

int nl_check_same_numel(const char *fn, const nl_tensor *a, const nl_tensor *b) {
   if (nl_numel(a) != nl_numel(b)) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: sizes do not match: %s (%lld elements) and %s (%lld elements)", fn,
                       nl_shape_str(sa, sizeof sa, a), (long long)nl_numel(a),
                       nl_shape_str(sb, sizeof sb, b), (long long)nl_numel(b));
   }
   return 0;
}

int nl_check_dim(const char *fn, const nl_tensor *t, int dim) {
   if (dim < 0 || dim >= t->_ndim) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: dimension %lld out of range for a %s tensor", fn, (long long)dim + 1,
                       nl_shape_str(s, sizeof s, t));
   }
   return 0;
}
