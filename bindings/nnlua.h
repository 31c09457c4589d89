/* nnlua.h: the whole C ABI of libnnlua, read by LuaJIT's ffi.cdef.
 *
 * Rules (see DESIGN.md): this file compiles as C and, with its '#' lines
 * removed, is valid input to ffi.cdef. So: constants are enums, no macros in
 * declarations, no extern "C" here, functions return int (0 = ok, -1 = error,
 * message in nl_last_error()) or plain scalars, never an enum type.
 * Outputs come first, then inputs, then sizes and scalars. Tensor headers are
 * owned by the caller (Lua); storages are owned and refcounted by C.
 *
 * Sections are grouped by op family; each family adds its declarations in
 * its own section so that parallel work merges cleanly.
 */
#ifndef NNLUA_H
#define NNLUA_H
#include <stdint.h>
#include <stddef.h>

enum {
   NL_MAX_DIMS = 8
};

/* dtypes: the order is part of the ABI (Lua indexes tables by it). */
enum {
   NL_BYTE = 0,
   NL_CHAR = 1,
   NL_SHORT = 2,
   NL_INT = 3,
   NL_LONG = 4,
   NL_FLOAT = 5,
   NL_DOUBLE = 6,
   NL_HALF = 7,
   NL_NUM_DTYPES = 8
};
/* A Half element: IEEE binary16 bits (storage only; math converts) */
typedef uint16_t nl_half;

/* devices */
enum {
   NL_CPU = 0,
   NL_CUDA = 1,
   NL_TESTDEV = 2,      /* the conformance stand-in: host memory, CPU kernels (tests/standin/) */
   NL_NUM_DEVICES = 3
};

/* A storage: a refcounted block of elements of one dtype on one device. */
typedef struct nl_storage {
   void *_data;          /* element 0, 64-byte aligned when owned */
   int64_t _size;        /* number of elements */
   int64_t _capacity;    /* allocated bytes */
   int _dtype;
   int _device;
   int _refcount;        /* atomic */
   int _flags;           /* NL_STORAGE_* */
   struct nl_storage *_parent;   /* a view's storage (one reference held), or NULL */
} nl_storage;

enum {
   NL_STORAGE_OWNS_DATA = 1,   /* data freed with the storage */
   NL_STORAGE_RESIZABLE = 2,
   NL_STORAGE_VIEWED = 4,      /* has views: its block may not move */
   NL_STORAGE_MAPPED = 8       /* data is a file mapping (munmap on free) */
};

/* A reference to a storage, held by Lua (metatype __gc drops the ref). */
typedef struct nl_storage_ref {
   nl_storage *_p;
} nl_storage_ref;

/* A tensor header: a strided view of a storage. Lua owns the header; the
 * header holds one reference on its storage (NULL for an empty tensor). */
typedef struct nl_tensor {
   nl_storage *_storage;
   int64_t _offset;                 /* in elements */
   int64_t _size[NL_MAX_DIMS];
   int64_t _stride[NL_MAX_DIMS];    /* in elements */
   int _ndim;
   int _dtype;
   int _device;
   int _pad;
} nl_tensor;

/* ---------------------------------------------------------------- errors */
const char *nl_last_error(void);

/* ------------------------------------------------------ dtypes, threads */
/* The dtype traits (runtime/dtype.c): element bytes (0 for a bad dtype);
 * name ("Float"); element C type ("float"); 1 for floating types. The Lua
 * side builds its classes from these. Names are NULL for a bad dtype. */
int nl_dtype_size(int dtype);
const char *nl_dtype_name(int dtype);
const char *nl_dtype_ctype(int dtype);
int nl_dtype_is_float(int dtype);
/* Torch7's class name of a tensor of dtype on device: "torch.FloatTensor",
 * "torch.CudaTensor", "torch.CudaDoubleTensor"; NULL for a bad dtype. */
const char *nl_dtype_tensor_name(int dtype, int device);
/* Half conversions: round to nearest even (overflow to inf), inf and nan
 * kept; a half to double is exact. */
nl_half nl_half_from_double(double v);
double nl_half_to_double(nl_half h);
int nl_set_num_threads(int n);
int nl_get_num_threads(void);

/* ---------------------------------------------------- memory accounting */
int64_t nl_mem_live(int device);        /* live bytes counted per device */
int64_t nl_mem_peak(int device);
int64_t nl_mem_soft_limit(int device);
/* 1 when, since the last nl_mem_collected(), the live bytes on a device
 * passed its soft limit or the bytes allocated on it passed the allocation
 * budget: the Lua side then runs its collector. */
int nl_mem_should_collect(void);
/* Called by Lua after a collection: rearms the limit (grows it when the
 * memory in use stays high) and the budget. */
void nl_mem_collected(void);
/* The allocation budget: at least 64 MB, a quarter of the live bytes, and
 * lua_bytes (the Lua side passes 4x its heap after a collection, so that a
 * large Lua heap is not traversed too often). */
void nl_mem_set_budget_floor(int64_t lua_bytes);
/* Freed CPU blocks of 128 KB and more are kept for reuse (256 MB in all by
 * default; NNLUA_CPU_CACHE_MB sets it): nl_mem_cached() bytes held,
 * nl_mem_trim() returns them to the system, nl_mem_set_cache(0) turns the
 * cache off. */
int64_t nl_mem_cached(void);
void nl_mem_trim(void);
void nl_mem_set_cache(int64_t bytes);
/* 1 while the runtime runs on one thread because other processes keep the
 * cores busy (threads.c) */
int nl_threads_degraded(void);

/* -------------------------------------------------------------- storage */
/* [OUT] ref: receives a new storage of size elements (contents undefined). */
int nl_storage_new(nl_storage_ref *ref, int dtype, int device, int64_t size);
int nl_storage_resize(nl_storage *s, int64_t size);
void nl_storage_retain(nl_storage *s);
void nl_storage_release(nl_storage *s);
/* Drops the ref held by a Lua nl_storage_ref (the metatype's __gc). */
void nl_storage_ref_release(nl_storage_ref *ref);
int nl_storage_fill(nl_storage *s, double value);
/* Copies min(size) elements, converting dtypes. */
int nl_storage_copy(nl_storage *dst, const nl_storage *src);
/* [OUT] ref: a view of size elements of parent from element offset (0-based),
 * sharing its memory (Torch7's Storage(s, offset, size)); the view holds a
 * reference on parent, cannot be resized, and parent cannot grow after. */
int nl_storage_view(nl_storage_ref *ref, nl_storage *parent, int64_t offset, int64_t size);
/* [OUT] ref: a CPU storage over the file at path (Torch7's Storage(filename,
 * shared, size)): shared maps it so that writes reach the file (growing it to
 * size elements when shorter), otherwise a private copy-on-write mapping;
 * size 0 takes the whole file. Cannot be resized. */
int nl_storage_map(nl_storage_ref *ref, const char *path, int dtype, int shared, int64_t size);

/* -------------------------------------------------------- tensor header */
/* Initialises a header (no storage, no dimension). Safe on zeroed memory. */
int nl_tensor_init(nl_tensor *t, int dtype, int device);
/* Drops the storage reference (the metatype's __gc). */
void nl_tensor_release(nl_tensor *t);
/* Makes t a view of src's storage with src's geometry. */
int nl_tensor_set(nl_tensor *t, const nl_tensor *src);
/* Makes t a view of storage s (s may be NULL: empty tensor). stride NULL or
 * stride[i] < 0 means contiguous. */
int nl_tensor_set_storage(nl_tensor *t, nl_storage *s, int64_t offset,
                          int ndim, const int64_t *size, const int64_t *stride);
/* Resizes t to the given sizes with contiguous strides, keeping its storage
 * and offset and growing the storage when it is too small. ndim 0 empties. */
int nl_tensor_resize(nl_tensor *t, int ndim, const int64_t *size);
/* Resizes res to src's sizes (a no-op when they match already). */
int nl_tensor_resize_as(nl_tensor *res, const nl_tensor *src);
int64_t nl_tensor_numel(const nl_tensor *t);
int nl_tensor_is_contiguous(const nl_tensor *t);
/* Pointer to element 0 of the view (CPU or device address). */
void *nl_tensor_data(const nl_tensor *t);

/* views: all write the new geometry into res (which may be t itself) */
int nl_tensor_narrow(nl_tensor *res, const nl_tensor *t, int dim, int64_t first, int64_t size);
int nl_tensor_select(nl_tensor *res, const nl_tensor *t, int dim, int64_t index);
int nl_tensor_transpose(nl_tensor *res, const nl_tensor *t, int dim1, int dim2);
int nl_tensor_unfold(nl_tensor *res, const nl_tensor *t, int dim, int64_t size, int64_t step);
/* view: size may hold one -1; fails on a non-viewable (non-contiguous) input */
int nl_tensor_view(nl_tensor *res, const nl_tensor *t, int ndim, const int64_t *size);
int nl_tensor_expand(nl_tensor *res, const nl_tensor *t, int ndim, const int64_t *size);
/* dim < 0: all singleton dimensions */
int nl_tensor_squeeze(nl_tensor *res, const nl_tensor *t, int dim);
int nl_tensor_unsqueeze(nl_tensor *res, const nl_tensor *t, int dim);
/* perm: 0-based permutation of t's dimensions */
int nl_tensor_permute(nl_tensor *res, const nl_tensor *t, const int *perm);

/* --------------------------------------------------------- copy and fill */
/* dst and src have the same number of elements (shapes may differ, as in
 * Torch7's copy); any dtypes; CPU here, CUDA through the backend. */
int nl_copy(nl_tensor *dst, const nl_tensor *src);
int nl_fill(nl_tensor *t, double value);
int nl_zero(nl_tensor *t);
/* Reads/writes one element at a flat (row-major) index of the view. */
int nl_get1(double *out, const nl_tensor *t, int64_t index);
int nl_set1(nl_tensor *t, int64_t index, double value);

/* ------------------------------------------------- math: elementwise ops */
/* (math family: runtime/math_pointwise.c) */
/* Unary ops with up to two scalar parameters: res = f(a; p1, p2). res is
 * resized to a's shape; res may be a (in place). */
enum {
   NL_U_NEG = 0, NL_U_ABS, NL_U_SIGN, NL_U_EXP, NL_U_LOG, NL_U_LOG1P, NL_U_SQRT, NL_U_RSQRT,
   NL_U_SIN, NL_U_COS, NL_U_TAN, NL_U_ASIN, NL_U_ACOS, NL_U_ATAN, NL_U_SINH, NL_U_COSH,
   NL_U_TANH, NL_U_SIGMOID, NL_U_FLOOR, NL_U_CEIL, NL_U_ROUND, NL_U_TRUNC, NL_U_FRAC, NL_U_CINV,
   NL_U_ADD,        /* a + p1 */
   NL_U_MUL,        /* a * p1 */
   NL_U_DIV,        /* a / p1 */
   NL_U_POW,        /* a ^ p1 */
   NL_U_RPOW,       /* p1 ^ a */
   NL_U_CLAMP,      /* min(max(a, p1), p2) */
   NL_U_FMOD,       /* C fmod(a, p1) */
   NL_U_REMAINDER,  /* a - p1 * floor(a / p1) */
   NL_U_CMAX,       /* max(a, p1) */
   NL_U_CMIN,       /* min(a, p1) */
   NL_U_COUNT
};
int nl_unary(nl_tensor *res, const nl_tensor *a, int op, double p1, double p2);
/* Binary ops: res = a op b, elementwise, same number of elements. */
enum {
   NL_B_ADD = 0,    /* a + alpha * b */
   NL_B_MUL,        /* a * b */
   NL_B_DIV,        /* a / b */
   NL_B_POW,        /* a ^ b */
   NL_B_FMOD, NL_B_REMAINDER, NL_B_CMAX, NL_B_CMIN, NL_B_ATAN2,
   NL_B_LERP,       /* a + alpha * (b - a) */
   NL_B_COUNT
};
int nl_binary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double alpha);
/* res = a + v * b * c (addcmul) or a + v * b / c (addcdiv) */
enum { NL_T_ADDCMUL = 0, NL_T_ADDCDIV = 1 };
int nl_ternary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, const nl_tensor *c, int op, double v);
/* Comparisons: res (a ByteTensor, or a's type) = a op b, or a op v when b
 * is NULL. */
enum { NL_C_LT = 0, NL_C_LE, NL_C_GT, NL_C_GE, NL_C_EQ, NL_C_NE };
int nl_compare(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double v);

/* ------------------------------------------------- math: reductions */
/* (math family: runtime/math_reduce.c) */
/* Whole-tensor reductions to a double (long values exact up to 2^53). */
enum {
   NL_R_SUM = 0, NL_R_PROD, NL_R_MEAN, NL_R_MAX, NL_R_MIN, NL_R_NORM /* p in arg */,
   NL_R_VAR /* arg: 1 = biased */, NL_R_STD, NL_R_ALL, NL_R_ANY,
   NL_R_COUNT
};
int nl_reduce_all(double *out, const nl_tensor *a, int op, double arg);
/* Along dimension dim (0-based): res keeps dim with size 1; idx (a
 * LongTensor, 1-based, may be NULL) receives argmax/argmin for max/min. */
int nl_reduce_dim(nl_tensor *res, nl_tensor *idx, const nl_tensor *a, int dim, int op, double arg);
/* Cumulative sum/product along dim (op NL_R_SUM or NL_R_PROD). */
int nl_cumulate(nl_tensor *res, const nl_tensor *a, int dim, int op);
/* sum over all of |a - b|^p, to the 1/p */
int nl_dist(double *out, const nl_tensor *a, const nl_tensor *b, double p);

/* ------------------------------------------------- math: BLAS */
/* (blas family: runtime/blas.c) */
/* Torch7's products; res is resized to the result's size (kept when it
 * already has it, so views are written in place). m may be res itself.
 * Float/double through OpenBLAS, integer dtypes by loops. CPU only except
 * nl_addmm/nl_mm, which dispatch to the device backend. */
/* res: (n, p) = beta * m: (n, p) + alpha * a: (n, k) @ b: (k, p) */
int nl_addmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b);
int nl_mm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b);
/* res: (n) = beta * m: (n) + alpha * mat: (n, k) @ vec: (k) */
int nl_addmv(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *mat, const nl_tensor *vec);
int nl_mv(nl_tensor *res, const nl_tensor *mat, const nl_tensor *vec);
/* res: (n, p) = beta * m: (n, p) + alpha * x: (n) outer y: (p) */
int nl_addr(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *x, const nl_tensor *y);
int nl_ger(nl_tensor *res, const nl_tensor *x, const nl_tensor *y);
/* res: (B, n, p) = beta * m + alpha * a[i]: (n, k) @ b[i]: (k, p) for each i */
int nl_baddbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b);
int nl_bmm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b);
/* res: (n, p) = beta * m + alpha * sum_i a[i]: (n, k) @ b[i]: (k, p) */
int nl_addbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b);
/* *out = sum a .* b (same number of elements, any shapes) */
int nl_dot(double *out, const nl_tensor *a, const nl_tensor *b);
/* res = a x b along dim (0-based; -1: the first dimension of size 3) */
int nl_cross(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int dim);
/* torch.conv2/xcorr2 (nd 2) and conv3/xcorr3 (nd 3), Torch7's direct
 * convolutions (runtime/math_conv.c): x (n, [D,] H, W) and k contiguous,
 * same dtype; map 0: k (m, n, [kD,] kH, kW), out[j] = sum_i x[i] * k[j][i];
 * map 1: k (n, [kD,] kH, kW), out[i] = x[i] * k[i]. full: 'F' (the input
 * padded with k - 1 zeros) else 'V'; flip: convolution (kernel reversed)
 * else cross-correlation. out resized to (m or n, [oD,] oH, oW). */
int nl_conv_direct(nl_tensor *out, const nl_tensor *x, const nl_tensor *k, int nd, int full, int flip, int map);

/* ------------------------------------------------- linear algebra (LAPACK) */
/* (linalg family: runtime/linalg.c) */
/* Torch7's LAPACK functions on CPU Float/Double matrices (any strides).
 * Result tensors (all non-NULL, except rv of symeig/eig) have the input's
 * type; one that already has the result's size is written in place, any
 * other becomes a new column-major (stride 1, m) matrix as in Torch7. Results
 * may alias inputs. Character options are passed as their code ('U'). */
/* rb: (n, k) solution of a: (n, n) X = b: (n, k) or (n); ra: (n, n) LU factors */
int nl_gesv(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a);
/* least squares / least norm for a: (m, n) full rank, b: (m, k);
 * rb: (max(m, n), k), its first n rows the solution; ra: (m, n) the QR factors */
int nl_gels(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a);
/* res: (n, n) = a^-1 */
int nl_inverse(nl_tensor *res, const nl_tensor *a);
/* symmetric a: (n, n) (triangle uplo 'U'/'L' read); re: (n) ascending
 * eigenvalues; rv: (n, n) eigenvectors in columns when jobz is 'V' */
int nl_symeig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobz, int uplo);
/* general a: (n, n); re: (n, 2) real and imaginary parts; rv: (n, n) right
 * eigenvectors (LAPACK's geev convention) when jobvr is 'V' */
int nl_eig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobvr);
/* a: (m, n) = ru diag(rs) rv^T; k = min(m, n); jobu 'S': ru (m, k), rs (k),
 * rv (n, k); 'A': ru (m, m), rv (n, n) */
int nl_svd(nl_tensor *ru, nl_tensor *rs, nl_tensor *rv, const nl_tensor *a, int jobu);
/* Cholesky: res = U with a = U^T U (uplo 'U') or L with a = L L^T ('L') */
int nl_potrf(nl_tensor *res, const nl_tensor *a, int uplo);
/* res: (n, k) solution of A X = b from A's Cholesky factor chol: (n, n) */
int nl_potrs(nl_tensor *res, const nl_tensor *b, const nl_tensor *chol, int uplo);
/* res: (n, n) = A^-1 from A's Cholesky factor */
int nl_potri(nl_tensor *res, const nl_tensor *chol, int uplo);
/* thin QR of a: (m, n); k = min(m, n); rq: (m, k) orthonormal columns, rr: (k, n) upper */
int nl_qr(nl_tensor *rq, nl_tensor *rr, const nl_tensor *a);

/* ------------------------------------------------- math: indexing, sort, cat */
/* (index family: runtime/math_index.c, runtime/sort.c) */
/* Index tensors are LongTensors of Torch7's 1-based positions (checked);
 * dims are 0-based. Results (res, values, indices) are resized. Masks are
 * ByteTensors of 0/1 with the tensor's number of elements. CPU. */
int nl_masked_select(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask);
int nl_masked_fill(nl_tensor *t, const nl_tensor *mask, double value);
int nl_masked_copy(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src);
/* res = t's slices index[j] along dim (Torch7's index / indexSelect) */
int nl_index_select(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index);
int nl_index_copy(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src);
int nl_index_add(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src);
int nl_index_fill(nl_tensor *t, int dim, const nl_tensor *index, double value);
/* res[..i..] = t[.. index[..i..] ..] along dim; res takes index's size */
int nl_gather(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index);
/* t[.. index[..i..] ..] = src[..i..] (or value) along dim */
int nl_scatter(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src);
int nl_scatter_fill(nl_tensor *t, int dim, const nl_tensor *index, double value);
/* res: LongTensor (count, ndim) of 1-based coordinates of nonzeros */
int nl_nonzero(nl_tensor *res, const nl_tensor *t);
int nl_tril(nl_tensor *res, const nl_tensor *t, int64_t k);
int nl_triu(nl_tensor *res, const nl_tensor *t, int64_t k);
/* vector -> square matrix with it on diagonal k; matrix -> its diagonal k */
int nl_diag(nl_tensor *res, const nl_tensor *t, int64_t k);
int nl_eye(nl_tensor *res, int64_t n, int64_t m);
/* concatenation along dim (-1: the last dimension); empty tensors skipped */
int nl_cat(nl_tensor *res, const nl_tensor *const *ts, int n, int dim);
/* sort along dim (Torch7's quicksort: ties in its order); indices: LongTensor of 1-based positions */
int nl_sort(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending);
/* the k largest (largest = 1) or smallest along dim (Torch7's quickselect; sorted when asked) */
int nl_topk(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest, int sorted);

/* ------------------------------------------------- random */
/* (random family: runtime/random.c) */
/* Torch7's generator (MT19937, THRandom's draws): one global generator,
 * not thread-safe: draw from one thread at a time. Fills follow the
 * tensor's row-major element order, serially. Seeded from /dev/urandom
 * on first use unless nl_random_manual_seed was called. */
enum {
   NL_RNG_UNIFORM = 0,      /* a, b: [a, b) */
   NL_RNG_NORMAL = 1,       /* a mean, b standard deviation (> 0) */
   NL_RNG_EXPONENTIAL = 2,  /* a rate (lambda) */
   NL_RNG_CAUCHY = 3,       /* a median, b sigma */
   NL_RNG_LOGNORMAL = 4,    /* a mean, b standard deviation (> 0) of the result */
   NL_RNG_GEOMETRIC = 5,    /* a probability in (0, 1) */
   NL_RNG_BERNOULLI = 6,    /* a probability in [0, 1] */
   NL_RNG_RANDOM = 7,       /* scalar: a 32-bit draw; tensor: the dtype's positive range */
   NL_RNG_RANDOM1 = 8,      /* integers in [1, b] */
   NL_RNG_RANDOM2 = 9,      /* integers in [a, b] */
   NL_RNG_NUM = 10
};
int nl_random_manual_seed(int64_t seed);
int64_t nl_random_seed(void);            /* reseeds from /dev/urandom; returns the seed (< 2^53) */
int64_t nl_random_initial_seed(void);
/* [OUT] res: a ByteTensor resized to the state's bytes */
int nl_random_get_state(nl_tensor *res);
int nl_random_set_state(const nl_tensor *state);
/* *out = one draw of dist (NL_RNG_*) with parameters a, b */
int nl_random_draw(double *out, int dist, double a, double b);
/* Fills t in element order. uniform..logNormal: float and double tensors
 * only (a float tensor gets float parameters, as in Torch7). */
int nl_random_fill(nl_tensor *t, int dist, double a, double b);
/* t[i] = bernoulli(p[i]); p: a double tensor with t's number of elements */
int nl_random_bernoulli_tensor(nl_tensor *t, const nl_tensor *p);
/* [OUT] res: (n) a random permutation of 1..n */
int nl_random_randperm(nl_tensor *res, int64_t n);
/* Timer (runtime/timer.c): *real, *user, *sys in seconds since an
 * arbitrary origin (wall clock, process user and system CPU time). */
int nl_timer_now(double *real, double *user, double *sys);

/* ------------------------------------------------- nn: activations, criterions */
/* (nn family: runtime/nn/) */
/* Pointwise activations: forward out = f(in); backward gradInput =
 * gradOutput * f'(in, out). p1, p2: the module's parameters. */
enum {
   NL_ACT_TANH = 0, NL_ACT_SIGMOID, NL_ACT_RELU /* Threshold(p1, p2) */, NL_ACT_HARDTANH /* (p1, p2) */,
   NL_ACT_LEAKYRELU /* slope p1 */, NL_ACT_ELU /* alpha p1 */, NL_ACT_SOFTPLUS /* beta p1, threshold p2 */,
   NL_ACT_SOFTSIGN, NL_ACT_SOFTSHRINK /* lambda p1 */, NL_ACT_HARDSHRINK /* lambda p1 */, NL_ACT_TANHSHRINK,
   NL_ACT_LOGSIGMOID, NL_ACT_RELU6, NL_ACT_SQUARE, NL_ACT_SQRT, NL_ACT_ABS, NL_ACT_EXP, NL_ACT_LOG,
   NL_ACT_POWER /* p1 */, NL_ACT_COUNT
};
int nl_act_forward(nl_tensor *output, const nl_tensor *input, int op, double p1, double p2);
int nl_act_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                    const nl_tensor *output, int op, double p1, double p2);
/* (Log)SoftMax over the last dimension of a 1D or 2D input, or over the
 * feature dimension of (N,)C,H,W as Torch7. log: 1 for LogSoftMax. */
int nl_softmax_forward(nl_tensor *output, const nl_tensor *input, int log);
int nl_softmax_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *output, int log);
/* ClassNLL: input (N, C) or (C) log-probabilities; target LongTensor (N)
 * or (1) of 1-based classes; weights (C) or NULL. */
int nl_classnll_forward(double *loss, double *total_weight, const nl_tensor *input, const nl_tensor *target,
                        const nl_tensor *weights, int size_average, int64_t ignore_index);
int nl_classnll_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                         const nl_tensor *weights, int size_average, int64_t ignore_index, double total_weight);
/* Elementwise criterions between input and target of the same size. */
enum { NL_CRIT_MSE = 0, NL_CRIT_ABS, NL_CRIT_SMOOTHL1, NL_CRIT_BCE /* weights optional */, NL_CRIT_DISTKLDIV,
       NL_CRIT_SOFTMARGIN, NL_CRIT_COUNT };
int nl_pointwise_criterion_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                   const nl_tensor *weights, int op, int size_average);
int nl_pointwise_criterion_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                    const nl_tensor *weights, int op, int size_average);

/* ------------------------------------------------- nn: convolution, pooling */
/* (conv family: runtime/nn/) */
/* 2D convolutions by im2col + GEMM, batched across images with OpenMP.
 * input (N, nIn, H, W) or (nIn, H, W); weight contiguous, (nOut, nIn, kH,
 * kW) for SpatialConvolution(MM)/Dilated and (nIn, nOut, kH, kW) for
 * SpatialFullConvolution (transposed); bias/gradBias (nOut) or NULL.
 * columns [BUFFER]: per-thread column matrices; partial [BUFFER]:
 * per-thread weight-gradient sums. Output (N, nOut, oH, oW) with
 *   conv: oH = (H + 2 padH - (dilH (kH-1) + 1)) / dH + 1
 *   full: oH = (H - 1) dH - 2 padH + kH + adjH  (adjH < dH). */
int nl_spatial_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight,
                            const nl_tensor *bias, int nIn, int nOut, int kW, int kH, int dW, int dH, int padW,
                            int padH, int dilW, int dilH);
int nl_spatial_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                             const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kW, int kH,
                             int dW, int dH, int padW, int padH, int dilW, int dilH);
int nl_spatial_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial,
                             const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut, int kW, int kH,
                             int dW, int dH, int padW, int padH, int dilW, int dilH, double scale);
/* The CPU engines of the three functions above on float tensors
 * (runtime/nn/conv_engine.c): im2col + GEMM, or oneDNN from
 * build/libnnlua_dnnl.so when it loads. NL_CONV_AUTO (the default, or
 * NNLUA_CONV_ENGINE=auto|gemm|onednn) times both once per direction and
 * shape and keeps the faster. nl_conv_engine_calls: calls each engine
 * served since the last nl_conv_engine_reset (which also forgets the
 * choices). nl_conv_onednn_info: the library's path, or why it did not
 * load. */
enum { NL_CONV_AUTO = 0, NL_CONV_GEMM = 1, NL_CONV_ONEDNN = 2 };
int nl_conv_set_engine(int engine);
int nl_conv_get_engine(void);
int nl_conv_onednn_available(void);
const char *nl_conv_onednn_info(void);
int nl_conv_engine_calls(int engine);
int nl_conv_engine_reset(void);
int nl_spatial_full_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight,
                                 const nl_tensor *bias, int nIn, int nOut, int kW, int kH, int dW, int dH, int padW,
                                 int padH, int adjW, int adjH);
int nl_spatial_full_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                  const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kW,
                                  int kH, int dW, int dH, int padW, int padH, int adjW, int adjH);
int nl_spatial_full_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial,
                                  const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut, int kW,
                                  int kH, int dW, int dH, int padW, int padH, int adjW, int adjH, double scale);
/* Max and average pooling over (N,)C,H,W; indices (same shape as output,
 * flat 0-based offsets in the input plane) for max. */
int nl_spatial_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int kH, int dW,
                                int dH, int padW, int padH, int ceil_mode);
int nl_spatial_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                 const nl_tensor *indices);
int nl_spatial_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kW, int kH, int dW, int dH, int padW,
                                int padH, int ceil_mode, int count_include_pad);
int nl_spatial_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int kW,
                                 int kH, int dW, int dH, int padW, int padH, int ceil_mode, int count_include_pad);
/* Adaptive pooling to oH x oW cells (cell i: rows [floor(i H/oH),
 * ceil((i+1) H/oH))); indices (LongTensor) for max, NULL for average.
 * The max backward is nl_spatial_max_pool_backward. */
int nl_spatial_adaptive_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int oW, int oH);
int nl_spatial_adaptive_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                          int oW, int oH);
/* Max unpooling with a max pooling's indices (shaped like input):
 * forward result (planes, oH, oW) from src = input; backward result
 * shaped like input from src = gradOutput. */
int nl_spatial_max_unpool(nl_tensor *result, const nl_tensor *input, const nl_tensor *src, const nl_tensor *indices,
                          int oW, int oH, int backward);
/* Padding of the last two dimensions by l, r, t, b (left, right, top,
 * bottom); mode 0 zero (negative pads crop), 1 reflection, 2 replication. */
int nl_spatial_padding_forward(nl_tensor *output, const nl_tensor *input, int l, int r, int t, int b, int mode);
int nl_spatial_padding_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int l, int r,
                                int t, int b, int mode);
/* Upsampling of the last two dimensions: nearest by an integer scale;
 * bilinear to oH x oW on the align-corners grid. */
int nl_spatial_upsample_nearest_forward(nl_tensor *output, const nl_tensor *input, int scale);
int nl_spatial_upsample_nearest_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                         int scale);
int nl_spatial_upsample_bilinear_forward(nl_tensor *output, const nl_tensor *input, int oH, int oW);
int nl_spatial_upsample_bilinear_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                          int oH, int oW);
/* Cross-map LRN over the channels of (N,)C,H,W: scale [BUFFER] =
 * k + alpha/size * sum of squares over the size channels around each. */
int nl_spatial_lrn_forward(nl_tensor *output, nl_tensor *scale, const nl_tensor *input, int size, double alpha,
                           double beta, double k);
int nl_spatial_lrn_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                            nl_tensor *output, nl_tensor *scale, int size, double alpha, double beta, double k);
/* Batch normalisation over dimension 2 of (N, C) or (N, C, H, W).
 * training: batch statistics (save_mean, save_invstd kept for backward),
 * running statistics updated with momentum; else running statistics. */
int nl_batchnorm_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias,
                         nl_tensor *running_mean, nl_tensor *running_var, nl_tensor *save_mean,
                         nl_tensor *save_invstd, int training, double momentum, double eps);
int nl_batchnorm_backward(nl_tensor *gradInput, nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input,
                          const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *running_mean,
                          const nl_tensor *running_var, const nl_tensor *save_mean, const nl_tensor *save_invstd,
                          int training, double scale, double eps);

/* ------------------------------------------------- nn: margin and embedding criterions */
/* (nncrit family: runtime/nn/criterion_margin.c) Rows of a 1D (C) or 2D
 * (N, C) float/double input; sizeAverage divides by N (and MultiMargin,
 * MultiLabelMargin by C always, MultiLabelSoftMargin by N*C), as Torch7. */
/* target: 1D LongTensor (N), classes 1..C; weights (C) or NULL; p 1 or 2 */
int nl_multimargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                           const nl_tensor *weights, int p, double margin, int size_average);
int nl_multimargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                            const nl_tensor *weights, int p, double margin, int size_average);
/* target: LongTensor shaped like input, each row's classes 1..C ended by a
 * value < 1; is_target [BUFFER]: shaped like input, 1 at each row's targets */
int nl_multilabelmargin_forward(double *loss, nl_tensor *is_target, const nl_tensor *input,
                                const nl_tensor *target, int size_average);
int nl_multilabelmargin_backward(nl_tensor *gradInput, nl_tensor *is_target, const nl_tensor *input,
                                 const nl_tensor *target, int size_average);
/* Sigmoid then binary cross-entropy (eps 1e-12); target 0/1 shaped like
 * input, of its type; weights (C) or NULL */
int nl_multilabelsoftmargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                    const nl_tensor *weights, int size_average);
int nl_multilabelsoftmargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                     const nl_tensor *weights, int size_average);
/* x1, x2: (D) or (N, D); y: float/double (N) of +-1 */
int nl_cosine_embedding_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, const nl_tensor *y,
                                double margin, int size_average);
int nl_cosine_embedding_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2,
                                 const nl_tensor *y, double margin, int size_average);
/* x1, x2: any shapes with the same number of elements; y a number */
int nl_l1hinge_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, double y, double margin);
int nl_l1hinge_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2, double y,
                        double margin);
/* ------------------------------------------------- nn: temporal and volumetric */
/* (conv family: runtime/nn/conv_temporal.c, runtime/nn/conv_volumetric.c) */
/* TemporalConvolution over input (T, F) or (N, T, F), F = inputFrameSize:
 * output (oT, outputFrameSize), oT = (T - kW) / dW + 1; weight
 * (outputFrameSize, kW * F) contiguous; bias (outputFrameSize) or NULL. */
int nl_temporal_conv_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias,
                             int inputFrameSize, int outputFrameSize, int kW, int dW);
int nl_temporal_conv_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                              const nl_tensor *weight, int inputFrameSize, int outputFrameSize, int kW, int dW);
int nl_temporal_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input,
                              const nl_tensor *gradOutput, int inputFrameSize, int outputFrameSize, int kW, int dW,
                              double scale);
/* TemporalMaxPooling: indices [OUT] (LongTensor shaped like output) hold
 * the frame within each window (0..kW-1) of the maximum. */
int nl_temporal_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int dW);
int nl_temporal_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                  const nl_tensor *indices, int kW, int dW);
/* VolumetricConvolution over input (nIn, T, H, W) or (N, nIn, T, H, W),
 * weight (nOut, nIn, kT, kH, kW) contiguous, bias (nOut) or NULL; output
 * sizes (T + 2 padT - kT) / dT + 1 etc. columns [BUFFER]: per-thread
 * vol2col matrices; partial [BUFFER]: per-thread weight-gradient sums. */
int nl_volumetric_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight,
                               const nl_tensor *bias, int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH,
                               int padT, int padW, int padH);
int nl_volumetric_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kT, int kW,
                                int kH, int dT, int dW, int dH, int padT, int padW, int padH);
int nl_volumetric_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial,
                                const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut, int kT, int kW,
                                int kH, int dT, int dW, int dH, int padT, int padW, int padH, double scale);
/* Volumetric pooling over the last three dimensions of (C, T, H, W) or
 * (N, C, T, H, W), padding at most half the kernel, ceil or floor output
 * sizes. Max: indices [OUT] (LongTensor shaped like output) hold the flat
 * position t*H*W + h*W + w of each maximum in its plane. */
int nl_volumetric_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kT, int kW, int kH,
                                   int dT, int dW, int dH, int padT, int padW, int padH, int ceil_mode);
int nl_volumetric_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                    const nl_tensor *indices);
int nl_volumetric_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kT, int kW, int kH, int dT, int dW,
                                   int dH, int padT, int padW, int padH, int ceil_mode, int count_include_pad);
int nl_volumetric_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int kT,
                                    int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH, int ceil_mode,
                                    int count_include_pad);
/* SpatialConvolutionLocal (runtime/nn/conv_local.c): unshared filters,
 * input (nIn, iH, iW) or (N, nIn, iH, iW); weight (oH, oW, nOut, nIn, kH,
 * kW) and bias (nOut, oH, oW) contiguous; rows [BUFFER]: per-thread patch
 * matrices (oH*oW, nIn*kH*kW). */
int nl_spatial_conv_local_forward(nl_tensor *output, nl_tensor *rows, const nl_tensor *input, const nl_tensor *weight,
                                  const nl_tensor *bias, int nIn, int nOut, int iW, int iH, int kW, int kH, int dW,
                                  int dH, int padW, int padH);
int nl_spatial_conv_local_backward(nl_tensor *gradInput, nl_tensor *rows, const nl_tensor *input,
                                   const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int iW,
                                   int iH, int kW, int kH, int dW, int dH, int padW, int padH);
int nl_spatial_conv_local_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *rows, const nl_tensor *input,
                                   const nl_tensor *gradOutput, int nIn, int nOut, int iW, int iH, int kW, int kH,
                                   int dW, int dH, int padW, int padH, double scale);
/* ------------------------------------------------- nn: remaining layers */
/* (nnlayers family: runtime/nn/layers.c) */
/* PReLU on a contiguous input: y = x > 0 ? x : w[c] x, c the plane of the
 * element (dimension 2 of a 2D+ input, 1 of a vector); nOutputPlane 0:
 * one shared weight w[0]. acc_grad: gradWeight[c] += scale * sum x go
 * over x <= 0. gradOutput contiguous. */
int nl_prelu_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, int64_t nOutputPlane);
int nl_prelu_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                      const nl_tensor *weight, int64_t nOutputPlane);
int nl_prelu_acc_grad(nl_tensor *gradWeight, const nl_tensor *input, const nl_tensor *gradOutput,
                      int64_t nOutputPlane, double scale);
/* RReLU: training draws noise = uniform(lower, upper) from the torch
 * generator for each x <= 0 in element order (1 elsewhere) and y = x *
 * noise; evaluation uses (lower + upper) / 2. inplace: input is
 * overwritten (forward) / gradOutput is (backward). noise [BUFFER]. */
int nl_rrelu_forward(nl_tensor *output, nl_tensor *noise, nl_tensor *input, double lower, double upper, int train,
                     int inplace);
int nl_rrelu_backward(nl_tensor *gradInput, nl_tensor *gradOutput, const nl_tensor *input, const nl_tensor *noise,
                      double lower, double upper, int train, int inplace);
/* Euclidean (diagCov NULL) and WeightedEuclidean: input (N, I) or (I),
 * weight and diagCov (I, J): y[n][j] = || diagCov[:,j] .* (x[n,:] -
 * weight[:,j]) ||. Backward divides by y + 1e-7 as Torch7; output is the
 * forward's. acc_grad: gradDiagCov NULL for Euclidean. */
int nl_euclidean_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                         const nl_tensor *diagCov);
int nl_euclidean_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                          const nl_tensor *weight, const nl_tensor *diagCov, const nl_tensor *output);
int nl_euclidean_acc_grad(nl_tensor *gradWeight, nl_tensor *gradDiagCov, const nl_tensor *input,
                          const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *diagCov,
                          const nl_tensor *output, double scale);
/* Normalize rows of input (N, D) or (D): normp = sum |x|^p + eps, norm =
 * normp^(1/p) (p = inf: norm = normp = max |x| + eps); y = x / norm.
 * norm, normp [BUFFER] (N), kept from forward for backward. */
int nl_normalize_forward(nl_tensor *output, nl_tensor *norm, nl_tensor *normp, const nl_tensor *input, double p,
                         double eps);
int nl_normalize_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                          const nl_tensor *norm, const nl_tensor *normp, double p, double eps);
/* LookupTable: input a contiguous LongTensor (R) or (B, R) of 1-based
 * rows of weight (V, D); output (R, D) or (B, R, D). acc_grad:
 * gradWeight[i] += scale * gradOutput[r] for input[r] = i != padding_value
 * (divided by the count of i with scale_by_freq; count [BUFFER] Long).
 * renorm: each row used rescaled to max_norm when its norm_type-norm
 * exceeds it; rows [BUFFER] Long. */
int nl_lookup_table_forward(nl_tensor *output, const nl_tensor *weight, const nl_tensor *input);
int nl_lookup_table_acc_grad(nl_tensor *gradWeight, nl_tensor *count, const nl_tensor *input,
                             const nl_tensor *gradOutput, int scale_by_freq, int64_t padding_value, double scale);
int nl_lookup_table_renorm(nl_tensor *weight, nl_tensor *rows, const nl_tensor *input, double max_norm,
                           double norm_type);

/* --- LSTM cell (runtime/nn/lstm.c; nn.SeqLSTM, nn.FastLSTM) --- */
/* One step's pointwise work. gates (N, 4H): the pre-activations x Wx +
 * h_prev Wh + b in the order i, f, o, g; forward replaces them by the
 * activations (sigmoid i, f, o; tanh g) and writes c = f * prev_c + i * g
 * and h = o * tanh(c) (N, H). backward: from the activations, prev_c, c
 * and the gradient of h (grad_h + grad_h2; grad_h2 NULL: none) writes the
 * pre-activation gradients grad_gates (N, 4H) and, in place, turns grad_c
 * (N, H) from the gradient of c (from the next step) into that of prev_c. */
int nl_lstm_cell_forward(nl_tensor *h, nl_tensor *c, nl_tensor *gates, const nl_tensor *prev_c);
int nl_lstm_cell_backward(nl_tensor *grad_gates, nl_tensor *grad_c, const nl_tensor *gates, const nl_tensor *prev_c,
                          const nl_tensor *c, const nl_tensor *grad_h, const nl_tensor *grad_h2);

/* ------------------------------------------------- nn: issue 14 convolutions and poolings */
/* (conv family: runtime/nn/conv_volumetric.c, conv_spatial.c; pooling: runtime/nn/pool_window.c) */
/* VolumetricDilatedConvolution: nl_volumetric_conv_* with taps dilT, dilW,
 * dilH apart; output sizes (T + 2 padT - (dilT (kT - 1) + 1)) / dT + 1. */
int nl_volumetric_dilated_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                       const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT,
                                       int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH, int dilT,
                                       int dilW, int dilH);
int nl_volumetric_dilated_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                        const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                        int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                        int dilT, int dilW, int dilH);
int nl_volumetric_dilated_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                        nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                        int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH, int padT,
                                        int padW, int padH, int dilT, int dilW, int dilH, double scale);
/* VolumetricFullConvolution (transposed): weight (nIn, nOut, kT, kH, kW)
 * contiguous; output sizes (T - 1) dT - 2 padT + kT + adjT, adj below
 * the stride; buffers as nl_volumetric_conv_*. */
int nl_volumetric_full_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                    const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT, int kW,
                                    int kH, int dT, int dW, int dH, int padT, int padW, int padH, int adjT, int adjW,
                                    int adjH);
int nl_volumetric_full_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                     const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kT,
                                     int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH, int adjT,
                                     int adjW, int adjH);
int nl_volumetric_full_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                     nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, int nIn,
                                     int nOut, int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                     int padH, int adjT, int adjW, int adjH, double scale);
/* Grouped 2D convolution (SpatialDepthWiseConvolution: groups = nIn):
 * nl_spatial_conv_* whose input and output planes split into `groups`
 * blocks, output block i from input block i; weight (nOut, nIn/groups,
 * kH, kW) contiguous; groups divides nIn and nOut. */
int nl_spatial_grouped_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                    const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kW, int kH,
                                    int dW, int dH, int padW, int padH, int groups);
int nl_spatial_grouped_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                     const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kW,
                                     int kH, int dW, int dH, int padW, int padH, int groups);
int nl_spatial_grouped_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                     nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, int nIn,
                                     int nOut, int kW, int kH, int dW, int dH, int padW, int padH, int groups,
                                     double scale);
/* Max pooling with dilated windows (Torch7's output sizes, ceil or floor;
 * padding at most half the kernel). indices [OUT] (LongTensor shaped like
 * output): flat offsets in the input plane, so the backward passes are
 * nl_spatial_max_pool_backward and nl_volumetric_max_pool_backward. */
int nl_spatial_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int kH,
                                        int dW, int dH, int padW, int padH, int dilW, int dilH, int ceil_mode);
int nl_volumetric_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kT,
                                           int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                           int dilT, int dilW, int dilH, int ceil_mode);
/* Fractional max pooling (Torch7's): windows of pool cells at
 * pseudo-random starts drawn from samples (N, C, 2) or (N, C, 3) (N = 1
 * without a batch) in [0, 1), the input's dtype. Spatial: sample 0 drives
 * W, 1 drives H. Volumetric, as Torch7: the last input dimension takes
 * oT, poolT and sample 0, the one before oW, poolW and sample 1, the
 * third-last oH, poolH and sample 2. Indices and backward as above. */
int nl_spatial_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                           const nl_tensor *samples, int oW, int oH, int poolW, int poolH);
int nl_volumetric_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                              const nl_tensor *samples, int oT, int oW, int oH, int poolT, int poolW,
                                              int poolH);

/* ------------------------------------------------- optim */
/* (optim family: runtime/optim.c) */
/* One fused SGD step over a flat parameter vector, Torch7's optim.sgd:
 *   dfdx += wd * x                              (weight decay, in place)
 *   buf = init ? dfdx : mom * buf + (1 - damp) * dfdx     (when mom != 0)
 *   dfdx += mom * buf (nesterov) | step = buf
 *   x -= lr * step
 * x, dfdx, buf: contiguous, same size and float type; buf NULL when mom = 0. */
int nl_sgd_step(nl_tensor *x, nl_tensor *dfdx, nl_tensor *buf, double lr, double wd, double mom, double damp,
                int nesterov, int init);
/* Adam, Torch7's formulas: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * x -= step_size * m / (sqrt(v) + eps), step_size computed by the caller. */
int nl_adam_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, nl_tensor *v, double b1, double b2, double eps,
                 double step_size);
/* Adagrad, Torch7's formulas: var += g^2; x -= lr * g / (sqrt(var) + 1e-10). */
int nl_adagrad_step(nl_tensor *x, const nl_tensor *g, nl_tensor *var, double lr);
/* RMSprop, Torch7's formulas: m = alpha m + (1-alpha) g^2; x -= lr * g / (sqrt(m) + eps). */
int nl_rmsprop_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, double lr, double alpha, double eps);

/* ------------------------------------------------- serialization */
/* (file family: runtime/file.c) */

/* ------------------------------------------------- backends */
/* The device gate (runtime/backend.h): every function above that takes a
 * tensor, except the nl_tensor_* header functions, is an entry point a
 * backend may serve. 1 when t's device serves the one named name
 * ("nl_sgd_step"). */
int nl_supports(const nl_tensor *t, const char *name);
/* The entry points, in the order of this header (the conformance spec's list). */
int nl_op_count(void);
const char *nl_op_name(int op);
/* The CUDA library registers itself by calling this when it is loaded
 * (table layout: runtime/backend.h, private). Returns 0 when registered. */
int nl_backend_cuda_available(void);
int nl_cuda_init(void);          /* in libnnlua_cuda: registers the backend */
int nl_cuda_device_count(void);  /* in libnnlua_cuda */
int nl_cuda_empty_cache(void);   /* in libnnlua_cuda: frees cached blocks */
int nl_cuda_synchronize(void);   /* in libnnlua_cuda: waits for the launched kernels */

#endif
