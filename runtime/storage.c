/* storage.c: refcounted storages. A storage owns (or wraps) one block of
 * elements; tensors are views that each hold one reference. Filling and
 * copying elements is copy.c's (storage.c calls no tensor function). */
#include "backend.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static nl_storage *storage_alloc(int dtype, int device, int64_t size) {
   if (dtype < 0 || dtype >= NL_NUM_DTYPES) { nl_errorf("storage: bad dtype %d", dtype); return NULL; }
   if (device < 0 || device >= NL_NUM_DEVICES) { nl_errorf("storage: bad device %d", device); return NULL; }
   if (size < 0) { nl_errorf("storage: negative size %lld", (long long)size); return NULL; }
   int es = nl_dtypes[dtype].size;
   if (size > INT64_MAX / 64 / es) { nl_errorf("storage: size %lld is too large", (long long)size); return NULL; }
   nl_storage *s = calloc(1, sizeof *s);
   if (!s) { nl_errorf("storage: out of memory"); return NULL; }
   size_t bytes = (size_t)size * es;
   if (bytes) {
      s->_data = nl_mem_alloc(device, bytes);
      if (!s->_data) { free(s); return NULL; }
   }
   s->_size = size;
   s->_capacity = (int64_t)bytes;
   s->_dtype = dtype;
   s->_device = device;
   s->_refcount = 1;
   s->_flags = NL_STORAGE_OWNS_DATA | NL_STORAGE_RESIZABLE;
   return s;
}

nl_storage *nl_storage_create(int dtype, int device, int64_t size) {
   return storage_alloc(dtype, device, size);
}

NL_API int nl_storage_new(nl_storage_ref *ref, int dtype, int device, int64_t size) {
   nl_storage *s = storage_alloc(dtype, device, size);
   if (!s) {
      char msg[1024];
      strncpy(msg, nl_last_error(), sizeof msg - 1);
      msg[sizeof msg - 1] = 0;
      return nl_errorf("torch.%sStorage(%lld): %s", dtype >= 0 && dtype < NL_NUM_DTYPES ? nl_dtypes[dtype].name : "?",
                       (long long)size, msg);
   }
   if (ref->_p) nl_storage_release(ref->_p);
   ref->_p = s;
   return 0;
}

NL_API int nl_storage_resize(nl_storage *s, int64_t size) {
   if (!s) return nl_errorf("storage resize: no storage");
   if (size < 0) return nl_errorf("storage resize: negative size %lld", (long long)size);
   if (!(s->_flags & NL_STORAGE_RESIZABLE))
      return nl_errorf("storage resize: this storage is a view of another (or wraps external memory) and cannot be resized");
   int es = nl_dtypes[s->_dtype].size;
   if (size > INT64_MAX / 64 / es) return nl_errorf("storage resize: size %lld is too large", (long long)size);
   size_t bytes = (size_t)size * es;
   if ((int64_t)bytes <= s->_capacity) { s->_size = size; return 0; }
   if (s->_flags & NL_STORAGE_VIEWED)
      return nl_errorf("storage resize to %lld elements: the storage has views (Storage(s, offset, size)) "
                       "and cannot move; its capacity is %lld elements", (long long)size,
                       (long long)(s->_capacity / es));
   void *p = nl_mem_alloc(s->_device, bytes);
   if (!p) {
      char msg[1024];
      strncpy(msg, nl_last_error(), sizeof msg - 1);
      msg[sizeof msg - 1] = 0;
      return nl_errorf("storage resize to %lld elements: %s", (long long)size, msg);
   }
   size_t old = (size_t)s->_size * es;
   if (old && s->_data) {
      if (s->_device == NL_CPU) memcpy(p, s->_data, old);
      else {
         const nl_backend *b = nl_backend_get("storage resize", s->_device);
         if (!b || b->memcpy_d2d(p, s->_data, old)) { nl_mem_free(s->_device, p, bytes); return -1; }
      }
   }
   if (s->_flags & NL_STORAGE_OWNS_DATA) nl_mem_free(s->_device, s->_data, (size_t)s->_capacity);
   s->_data = p;
   s->_size = size;
   s->_capacity = (int64_t)bytes;
   s->_flags |= NL_STORAGE_OWNS_DATA;
   return 0;
}

NL_API void nl_storage_retain(nl_storage *s) {
   if (s) __atomic_add_fetch(&s->_refcount, 1, __ATOMIC_RELAXED);
}

NL_API void nl_storage_release(nl_storage *s) {
   if (!s) return;
   if (__atomic_sub_fetch(&s->_refcount, 1, __ATOMIC_ACQ_REL) == 0) {
      if (s->_flags & NL_STORAGE_OWNS_DATA) nl_mem_free(s->_device, s->_data, (size_t)s->_capacity);
      if ((s->_flags & NL_STORAGE_MAPPED) && s->_data) munmap(s->_data, (size_t)s->_capacity);
      nl_storage *parent = s->_parent;
      free(s);
      nl_storage_release(parent);
   }
}

NL_API int nl_storage_view(nl_storage_ref *ref, nl_storage *parent, int64_t offset, int64_t size) {
   if (!parent) return nl_errorf("storage view: no storage");
   if (offset < 0 || size < 0 || offset > parent->_size || size > parent->_size - offset)
      return nl_errorf("storage view: elements %lld to %lld are out of range for a storage of size %lld",
                       (long long)offset + 1, (long long)(offset + size), (long long)parent->_size);
   nl_storage *s = calloc(1, sizeof *s);
   if (!s) return nl_errorf("storage view: out of memory");
   int es = nl_dtypes[parent->_dtype].size;
   s->_data = parent->_data ? (char *)parent->_data + offset * es : NULL;
   s->_size = size;
   s->_capacity = size * es;
   s->_dtype = parent->_dtype;
   s->_device = parent->_device;
   s->_refcount = 1;
   s->_flags = 0;
   s->_parent = parent;
   nl_storage_retain(parent);
   __atomic_or_fetch(&parent->_flags, NL_STORAGE_VIEWED, __ATOMIC_RELAXED);
   if (ref->_p) nl_storage_release(ref->_p);
   ref->_p = s;
   return 0;
}

NL_API void nl_storage_ref_release(nl_storage_ref *ref) {
   if (ref && ref->_p) {
      nl_storage_release(ref->_p);
      ref->_p = NULL;
   }
}

NL_API int nl_storage_map(nl_storage_ref *ref, const char *path, int dtype, int shared, int64_t size) {
   if (dtype < 0 || dtype >= NL_NUM_DTYPES) return nl_errorf("storage map: bad dtype %d", dtype);
   if (!path) return nl_errorf("storage map: no file name");
   if (size < 0) return nl_errorf("storage map: negative size %lld", (long long)size);
   int fd = open(path, shared ? O_RDWR : O_RDONLY);
   if (fd < 0)
      return nl_errorf("torch.%sStorage: cannot open <%s> for %s: %s", nl_dtypes[dtype].name, path,
                       shared ? "reading and writing" : "reading", strerror(errno));
   struct stat st;
   if (fstat(fd, &st) != 0) {
      int e = errno;
      close(fd);
      return nl_errorf("torch.%sStorage: cannot read the size of <%s>: %s", nl_dtypes[dtype].name, path, strerror(e));
   }
   int es = nl_dtypes[dtype].size;
   int64_t file_bytes = (int64_t)st.st_size;
   if (size == 0) size = file_bytes / es;
   if (size > INT64_MAX / 64 / es) {
      close(fd);
      return nl_errorf("torch.%sStorage: size %lld is too large", nl_dtypes[dtype].name, (long long)size);
   }
   int64_t bytes = size * es;
   if (bytes > file_bytes) {
      if (!shared) {
         close(fd);
         return nl_errorf("torch.%sStorage: file <%s> has %lld bytes, fewer than the %lld of %lld elements",
                          nl_dtypes[dtype].name, path, (long long)file_bytes, (long long)bytes, (long long)size);
      }
      if (ftruncate(fd, (off_t)bytes) != 0) {
         int e = errno;
         close(fd);
         return nl_errorf("torch.%sStorage: cannot grow <%s> to %lld bytes: %s", nl_dtypes[dtype].name, path,
                          (long long)bytes, strerror(e));
      }
   }
   void *p = NULL;
   if (bytes > 0) {
      p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
         int e = errno;
         close(fd);
         return nl_errorf("torch.%sStorage: cannot map <%s>: %s", nl_dtypes[dtype].name, path, strerror(e));
      }
   }
   close(fd);
   nl_storage *s = calloc(1, sizeof *s);
   if (!s) {
      if (p) munmap(p, (size_t)bytes);
      return nl_errorf("storage map: out of memory");
   }
   s->_data = p;
   s->_size = size;
   s->_capacity = bytes;
   s->_dtype = dtype;
   s->_device = NL_CPU;
   s->_refcount = 1;
   s->_flags = p ? NL_STORAGE_MAPPED : 0;
   if (ref->_p) nl_storage_release(ref->_p);
   ref->_p = s;
   return 0;
}
