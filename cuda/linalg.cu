// linalg.cu: the LAPACK entry points of runtime/linalg.c (gesv, gels,
// inverse, symeig, eig, svd, potrf, potrs, potri, qr) for CUDA tensors,
// through the host: the inputs and the results' current contents are copied
// to CPU tensors, the CPU function runs on them (OpenBLAS's LAPACK, the same
// checks and messages: a singular matrix is named as on the CPU), and each
// result is copied back (resized first when the CPU gave it another size).
// Correct by construction and slow for large matrices: a stop-gap until
// cuSOLVER is linked. The front functions checked types and sizes.
#include "cuda_common.h"

// A CPU copy of a device tensor; NULL stays NULL.
struct Host {
   nl_cuda_tmp h;
   const nl_tensor *d;
   explicit Host(const nl_tensor *dev) : h(dev ? dev->_dtype : NL_DOUBLE, NL_CPU), d(dev) {}
   int load() { return d && d->_ndim > 0 ? nl_cuda_to_host(h, d) : 0; }
   nl_tensor *p() { return d ? &h.t : nullptr; }
};

// Result h (CPU) into device tensor d.
static int store(nl_tensor *d, const nl_tensor *h) {
   if (!d) return 0;
   if (h->_ndim == 0) return d->_ndim == 0 ? 0 : nl_tensor_resize(d, 0, NULL);
   bool same = d->_ndim == h->_ndim;
   for (int i = 0; same && i < h->_ndim; i++) same = d->_size[i] == h->_size[i];
   if (!same && nl_tensor_resize(d, h->_ndim, h->_size)) return -1;
   return nl_copy(d, h);
}

static int load_all(Host *const *hs, int n) {
   for (int i = 0; i < n; i++)
      if (hs[i]->load()) return -1;
   return 0;
}

static int cuda_gesv(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   Host hrb(rb), hra(ra), hb(b), ha(a);
   Host *all[4] = {&hrb, &hra, &hb, &ha};
   if (load_all(all, 4) || nl_gesv(hrb.p(), hra.p(), hb.p(), ha.p())) return -1;
   return store(rb, hrb.p()) || store(ra, hra.p()) ? -1 : 0;
}

static int cuda_gels(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   Host hrb(rb), hra(ra), hb(b), ha(a);
   Host *all[4] = {&hrb, &hra, &hb, &ha};
   if (load_all(all, 4) || nl_gels(hrb.p(), hra.p(), hb.p(), ha.p())) return -1;
   return store(rb, hrb.p()) || store(ra, hra.p()) ? -1 : 0;
}

static int cuda_inverse(nl_tensor *res, const nl_tensor *a) {
   Host hr(res), ha(a);
   Host *all[2] = {&hr, &ha};
   if (load_all(all, 2) || nl_inverse(hr.p(), ha.p())) return -1;
   return store(res, hr.p());
}

static int cuda_symeig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobz, int uplo) {
   Host he(re), hv(rv), ha(a);
   Host *all[3] = {&he, &hv, &ha};
   if (load_all(all, 3) || nl_symeig(he.p(), hv.p(), ha.p(), jobz, uplo)) return -1;
   return store(re, he.p()) || (rv && store(rv, hv.p())) ? -1 : 0;
}

static int cuda_eig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobvr) {
   Host he(re), hv(rv), ha(a);
   Host *all[3] = {&he, &hv, &ha};
   if (load_all(all, 3) || nl_eig(he.p(), hv.p(), ha.p(), jobvr)) return -1;
   return store(re, he.p()) || (rv && store(rv, hv.p())) ? -1 : 0;
}

static int cuda_svd(nl_tensor *ru, nl_tensor *rs, nl_tensor *rv, const nl_tensor *a, int jobu) {
   Host hu(ru), hs(rs), hv(rv), ha(a);
   Host *all[4] = {&hu, &hs, &hv, &ha};
   if (load_all(all, 4) || nl_svd(hu.p(), hs.p(), hv.p(), ha.p(), jobu)) return -1;
   return store(ru, hu.p()) || store(rs, hs.p()) || store(rv, hv.p()) ? -1 : 0;
}

static int cuda_potrf(nl_tensor *res, const nl_tensor *a, int uplo) {
   Host hr(res), ha(a);
   Host *all[2] = {&hr, &ha};
   if (load_all(all, 2) || nl_potrf(hr.p(), ha.p(), uplo)) return -1;
   return store(res, hr.p());
}

static int cuda_potrs(nl_tensor *res, const nl_tensor *b, const nl_tensor *chol, int uplo) {
   Host hr(res), hb(b), hc(chol);
   Host *all[3] = {&hr, &hb, &hc};
   if (load_all(all, 3) || nl_potrs(hr.p(), hb.p(), hc.p(), uplo)) return -1;
   return store(res, hr.p());
}

static int cuda_potri(nl_tensor *res, const nl_tensor *chol, int uplo) {
   Host hr(res), hc(chol);
   Host *all[2] = {&hr, &hc};
   if (load_all(all, 2) || nl_potri(hr.p(), hc.p(), uplo)) return -1;
   return store(res, hr.p());
}

static int cuda_qr(nl_tensor *rq, nl_tensor *rr, const nl_tensor *a) {
   Host hq(rq), hr(rr), ha(a);
   Host *all[3] = {&hq, &hr, &ha};
   if (load_all(all, 3) || nl_qr(hq.p(), hr.p(), ha.p())) return -1;
   return store(rq, hq.p()) || store(rr, hr.p()) ? -1 : 0;
}

extern "C" void nl_cuda_register_linalg(nl_backend *b) {
   b->ops.gesv = cuda_gesv;
   b->ops.gels = cuda_gels;
   b->ops.inverse = cuda_inverse;
   b->ops.symeig = cuda_symeig;
   b->ops.eig = cuda_eig;
   b->ops.svd = cuda_svd;
   b->ops.potrf = cuda_potrf;
   b->ops.potrs = cuda_potrs;
   b->ops.potri = cuda_potri;
   b->ops.qr = cuda_qr;
}
