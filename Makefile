# nnlua build. `make` builds build/libnnlua.so, build/nnlua and, when the
# CUDA toolkit's nvcc is found (CUDA_HOME or PATH), build/libnnlua_cuda.so.
PREFIX ?= /usr/local
BUILD ?= build
CC ?= gcc
SAN ?=
OPT ?= -O3 -march=native
# -ffp-contract=off: no fused multiply-adds where the C says a*b + c, so
# x + a*y rounds twice as in Torch7's TH and optimisation trajectories
# (optim.lbfgs on Rosenbrock is chaotic) match Torch7's to the last bit.
CFLAGS_ALL = -std=gnu11 $(OPT) -ffp-contract=off -g -fPIC -Wall -Wextra -Werror=implicit-function-declaration \
   -fvisibility=hidden -fopenmp -I$(GEN) -Iruntime $(SAN) $(CFLAGS)

# OpenBLAS: the OpenMP build shares libgomp's thread pool with our kernels.
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)
OPENBLAS_OMP := /usr/lib/$(MULTIARCH)/openblas-openmp
ifneq ($(wildcard $(OPENBLAS_OMP)/libopenblas.so.0),)
  BLAS_LIBS = -L$(OPENBLAS_OMP) -l:libopenblas.so.0 -Wl,-rpath,$(OPENBLAS_OMP)
else
  BLAS_LIBS = -lopenblas
endif
BLAS_CFLAGS := $(if $(wildcard /usr/include/$(MULTIARCH)/openblas-openmp),-I/usr/include/$(MULTIARCH)/openblas-openmp,$(shell pkg-config --cflags openblas 2>/dev/null))

LUAJIT_CFLAGS := $(shell pkg-config --cflags luajit)
LUAJIT_LIBS := $(shell pkg-config --libs luajit)

RUNTIME_SRC := $(wildcard runtime/*.c runtime/nn/*.c)
# The backend op table, derived from the header at build time (backend.h)
GEN := $(BUILD)/gen
GEN_FILES := $(GEN)/nl_ops.h $(GEN)/nl_ops.c $(GEN)/standin_ops.c
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/nl_ops.o
HEADERS := bindings/nnlua.h $(wildcard runtime/*.h runtime/nn/*.h) $(GEN)/nl_ops.h

# CUDA, found from CUDA_HOME or the PATH
NVCC := $(shell if [ -n "$$CUDA_HOME" ] && [ -x "$$CUDA_HOME/bin/nvcc" ]; then echo "$$CUDA_HOME/bin/nvcc"; \
          else command -v nvcc 2>/dev/null; fi)
CUDA_ROOT := $(if $(NVCC),$(patsubst %/bin/nvcc,%,$(NVCC)))
CUDA_SRC := $(wildcard cuda/*.cu)
CUDA_OBJ := $(CUDA_SRC:%.cu=$(BUILD)/obj/%.o)
# 186: `x < 0` on unsigned element types in kernels written once for all.
# Code for sm_90 (H100/H200) and PTX for compute_80, which the driver
# compiles for A100-class and newer GPUs on first use: two passes per file
# instead of three keeps the CUDA build a few minutes on two cores
NVCCFLAGS ?= -O3 -std=c++17 -I$(GEN) -Xcompiler -fPIC,-fvisibility=hidden -diag-suppress 186 \
   -gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=compute_80

TARGETS := $(BUILD)/libnnlua.so $(BUILD)/nnlua $(BUILD)/libnnlua_standin.so
ifneq ($(NVCC),)
  TARGETS += $(BUILD)/libnnlua_cuda.so
endif

# oneDNN convolution engine (runtime/onednn/): its own library, built only
# where oneDNN's headers are (Debian libdnnl-dev); libnnlua opens it with
# dlopen from the same folder (runtime/nn/conv_engine.c)
DNNL_H := $(wildcard /usr/include/oneapi/dnnl/dnnl.h)
ifneq ($(DNNL_H),)
  TARGETS += $(BUILD)/libnnlua_dnnl.so
endif
all: $(TARGETS)

# (oneDNN engine, see above)
$(BUILD)/libnnlua_dnnl.so: runtime/onednn/conv_onednn.c runtime/onednn/conv_onednn.h
	@mkdir -p $(BUILD)
	$(CC) -std=gnu11 $(OPT) -g -fPIC -Wall -Wextra -fvisibility=hidden $(SAN) -shared -o $@ $< -ldnnl -lpthread

$(GEN_FILES) &: bindings/nnlua.h scripts/gen-ops.lua
	@mkdir -p $(GEN)
	luajit scripts/gen-ops.lua bindings/nnlua.h $(GEN)

$(BUILD)/obj/gen/%.o: $(GEN)/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# the conformance spec's stand-in backend (tests/standin/): host memory
# presented as a device, every entry point counted and run on the CPU kernels
$(BUILD)/libnnlua_standin.so: tests/standin/standin.c tests/standin/standin.h $(GEN)/standin_ops.c $(HEADERS) $(BUILD)/libnnlua.so
	$(CC) $(CFLAGS_ALL) -Itests/standin -shared -o $@ tests/standin/standin.c $(GEN)/standin_ops.c \
	   -L$(BUILD) -lnnlua -Wl,-rpath,'$$ORIGIN'

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(BLAS_CFLAGS) -c $< -o $@

# -z nodelete: LuaJIT unloads ffi.load'ed libraries at lua_close; libgomp
# would go with libnnlua while its idle worker threads still run (SIGSEGV
# at exit in any process that ran a parallel region)
$(BUILD)/libnnlua.so: $(RUNTIME_OBJ)
	$(CC) -shared -fopenmp $(SAN) -o $@ $^ $(BLAS_LIBS) -lm -Wl,-soname,libnnlua.so -Wl,-z,nodelete

# NNLUA_DATADIR: where an installed nnlua finds share/nnlua when it is not
# beside its executable (luarocks keeps it in the rock's folder); baked
# into the program, rebuilt when it changes
NNLUA_DATADIR ?=
$(GEN)/datadir.h: FORCE
	@mkdir -p $(GEN)
	@echo '#define NNLUA_DATADIR "$(NNLUA_DATADIR)"' > $@.tmp; cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
FORCE:

$(BUILD)/nnlua: bindings/host.c $(GEN)/datadir.h
	@mkdir -p $(BUILD)
	$(CC) -std=gnu11 $(OPT) -g -Wall -Wextra $(SAN) $(LUAJIT_CFLAGS) -I$(GEN) -o $@ $< $(LUAJIT_LIBS) -ldl -lm -Wl,-E

$(BUILD)/obj/cuda/%.o: cuda/%.cu cuda/*.h $(HEADERS)
	@mkdir -p $(dir $@)
	$(NVCC) $(NVCCFLAGS) -c $< -o $@

$(BUILD)/libnnlua_cuda.so: $(CUDA_OBJ) $(BUILD)/libnnlua.so
	$(NVCC) -shared -o $@ $(CUDA_OBJ) -L$(BUILD) -lnnlua -L$(CUDA_ROOT)/lib64 -lcudart -lcublas \
	   -Xlinker -rpath,'$$ORIGIN' -Xlinker -rpath,$(CUDA_ROOT)/lib64

# the README's test command: set-up, build, every spec, one summary line
# Runs the suite twice: on the normal build, then on the sanitizer build
# (AddressSanitizer + UBSan); then the CUDA specs on the CUDA emulator
# (docs/cudaemu.md); the last line sums the three.
test:
	@scripts/setup
	@$(MAKE) --no-print-directory all asan-build cudaemu
	@scripts/test-all

# the README's main command: trains an MLP on Fashion-MNIST
train:
	@scripts/setup
	@$(MAKE) --no-print-directory all
	$(BUILD)/nnlua examples/train.lua

asan-build:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -fno-omit-frame-pointer" \
	   SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" build/asan/libnnlua.so build/asan/nnlua \
	   build/asan/libnnlua_standin.so $(if $(DNNL_H),build/asan/libnnlua_dnnl.so)

asan: asan-build
	@scripts/test --asan

bench: all
	$(BUILD)/nnlua scripts/bench/tensor.lua

# NNLUA_LIBDIR: where the libraries go (luarocks: share/nnlua/lib, which
# it leaves in place; its lib/ folder is for Lua C modules)
NNLUA_LIBDIR ?= $(PREFIX)/lib/nnlua
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(NNLUA_LIBDIR) $(DESTDIR)$(PREFIX)/share/nnlua
	install -m 755 $(BUILD)/nnlua $(DESTDIR)$(PREFIX)/bin/nnlua
	install -m 644 $(BUILD)/libnnlua*.so $(DESTDIR)$(NNLUA_LIBDIR)/
	cp -r lua $(DESTDIR)$(PREFIX)/share/nnlua/
	install -m 644 bindings/nnlua.h bindings/nnlua_loader.lua $(DESTDIR)$(PREFIX)/share/nnlua/lua/

clean:
	rm -rf build

.PHONY: all test train asan asan-build bench install clean FORCE

# A short training script under valgrind memcheck: no invalid reads or
# writes, no definitely-lost bytes from our libraries. LuaJIT's own
# interpreter is not valgrind-clean without its valgrind build, so the
# errors are filtered to frames of libnnlua. Built without -march=native:
# valgrind does not decode AVX-512.
valgrind:
	@$(MAKE) --no-print-directory BUILD=build/vg OPT="-O1" build/vg/libnnlua.so build/vg/nnlua
	@scripts/hardening/valgrind.sh
.PHONY: valgrind

# A mutation fuzzer on torch.load's reader for FUZZ_SECONDS (default 60),
# under the sanitizer build; a crash leaves its input in build/fuzz-out/.
FUZZ_SECONDS ?= 60
fuzz: asan-build
	@LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" NNLUA_BUILD=build/asan FUZZ_OUT=build/fuzz-out \
	   ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1" UBSAN_OPTIONS="halt_on_error=1" \
	   build/asan/nnlua scripts/fuzz/load.lua $(FUZZ_SECONDS) || \
	   { echo "fuzz: the loader crashed; the input is build/fuzz-out/current.t7"; exit 1; }
.PHONY: fuzz

# ThreadSanitizer: the runtime and the host built with clang and LLVM's
# OpenMP runtime, whose Archer tool (libarcher) tells TSan about OpenMP's
# barriers (libgomp's futexes would read as races), linked to OpenBLAS's
# pthreads build (the OpenMP build would bring libgomp in beside libomp);
# then scripts/hardening/threads.lua (kernels with 1 and 2 threads) and
# scripts/hardening/tsan_train.lua (training steps) run under it. LuaJIT
# and OpenBLAS are not instrumented (ignore_noninstrumented_modules).
# Not in CI; run it after touching a parallel kernel.
TSAN_CC ?= clang
OPENBLAS_PTHREAD := /usr/lib/$(MULTIARCH)/openblas-pthread
tsan:
	@NNLUA_SETUP_EXTRA="clang libomp-dev libopenblas0-pthread" scripts/setup
	@$(MAKE) --no-print-directory BUILD=build/tsan CC="$(TSAN_CC)" OPT="-O1 -fno-omit-frame-pointer" \
	   SAN="-fsanitize=thread -fopenmp=libomp" \
	   BLAS_LIBS="-L$(OPENBLAS_PTHREAD) -l:libopenblas.so.0 -Wl,-rpath,$(OPENBLAS_PTHREAD)" \
	   build/tsan/libnnlua.so build/tsan/nnlua
	@scripts/hardening/tsan.sh "$$(d=$$($(TSAN_CC) -print-resource-dir); echo $${d%/lib/clang/*}/lib)"
.PHONY: tsan

# ---- distributed training (docs/distributed.md) -------------------------
# build/libnnlua_mpi.so: the MPI shim (runtime/mpi/), built only when
# OpenMPI's mpicc is found, so the normal build never requires MPI.
MPICC := $(shell command -v mpicc 2>/dev/null)
ifneq ($(MPICC),)
  MPI_CFLAGS := $(shell $(MPICC) --showme:compile 2>/dev/null)
  MPI_LIBS := $(shell $(MPICC) --showme:link 2>/dev/null)
  all: $(BUILD)/libnnlua_mpi.so
endif
# -z nodelete: the shim's exit handler must outlive LuaJIT's lua_close
$(BUILD)/libnnlua_mpi.so: runtime/mpi/mpi_shim.c runtime/mpi/mpi_shim.h
	@mkdir -p $(BUILD)
	$(CC) -std=gnu11 $(OPT) -g -fPIC -Wall -Wextra -fvisibility=hidden $(SAN) $(MPI_CFLAGS) -shared -o $@ $< \
	   $(MPI_LIBS) -Wl,-soname,libnnlua_mpi.so -Wl,-z,nodelete
# the shim's declarations, which lua/mpi reads, beside nnlua.h
install: install-mpi
install-mpi:
	install -d $(DESTDIR)$(PREFIX)/share/nnlua/lua
	install -m 644 runtime/mpi/mpi_shim.h $(DESTDIR)$(PREFIX)/share/nnlua/lua/
.PHONY: install-mpi

# ---- image package: libnnlua_image.so (PNG/JPEG codecs and the pixel loops
# of lua/image), its own library so libnnlua.so needs neither libpng nor
# libjpeg. Sources live in runtime/image/ (outside RUNTIME_SRC's wildcard).
IMAGE_SRC := $(wildcard runtime/image/*.c)
IMAGE_HDR := $(wildcard runtime/image/*.h)
$(BUILD)/libnnlua_image.so: $(IMAGE_SRC) $(IMAGE_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_ALL) -shared -o $@ $(IMAGE_SRC) -lpng -ljpeg -lm -Wl,-z,nodelete
all: $(BUILD)/libnnlua_image.so
asan-build: image-asan
image-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -fno-omit-frame-pointer" \
	   SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" build/asan/libnnlua_image.so
.PHONY: image-asan

# --- Jupyter kernel (lua/nnlua/kernel/): the heartbeat thread in its own
# small library, built with `all` when Debian's libzmq5 is present (its
# package has no development symlink: linked by file name; -z nodelete: its
# thread must outlive LuaJIT's lua_close on an error path). `make kernel`
# installs the kernelspecs nnlua and itorch (KERNEL_FLAGS: --user (the
# default), --prefix DIR, or empty for the system-wide folder).
ZMQ_SO := $(wildcard /usr/lib/$(MULTIARCH)/libzmq.so.5)
ifneq ($(ZMQ_SO),)
all: $(BUILD)/libnnlua_kernel.so
endif
$(BUILD)/libnnlua_kernel.so: runtime/kernel/heartbeat.c
	@mkdir -p $(BUILD)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -fPIC -fvisibility=hidden $(SAN) -shared -o $@ $< \
	   -l:libzmq.so.5 -lpthread -Wl,-soname,libnnlua_kernel.so -Wl,-z,nodelete
KERNEL_FLAGS ?= --user
kernel:
	@scripts/setup
	@$(MAKE) --no-print-directory all $(BUILD)/libnnlua_kernel.so
	$(BUILD)/nnlua --install-kernel $(KERNEL_FLAGS)
.PHONY: kernel
# --- end of the Jupyter kernel's part

# The API pages, read by the REPL's ?name and help(x) (lua/nnlua/docs.lua
# finds them at <prefix>/share/nnlua/docs/api, beside share/nnlua/lua).
install: install-docs
install-docs:
	install -d $(DESTDIR)$(PREFIX)/share/nnlua/docs/api
	install -m 644 docs/api/*.md $(DESTDIR)$(PREFIX)/share/nnlua/docs/api/
.PHONY: install-docs

# ---- CUDA emulator (docs/cudaemu.md): every cuda/*.cu but nccl.cu compiled
# as host C++ against tests/cudaemu/ (kernels run as fibers on the CPU,
# cuBLAS over OpenBLAS, thrust's CPP system from Debian's libthrust-dev),
# so CI runs the CUDA kernels' code and compares it with the CPU. A test
# tool: loaded only when NNLUA_CUDA_LIB names it; kept in its own folder so
# that `make install` (build/libnnlua*.so) never ships it. No nvcc needed.
CUDAEMU_DIR := $(BUILD)/cudaemu
CUDAEMU_SRC := $(filter-out cuda/nccl.cu,$(wildcard cuda/*.cu)) tests/cudaemu/selftest.cu
CUDAEMU_HDR := $(patsubst cuda/%,$(CUDAEMU_DIR)/cuda/%,$(wildcard cuda/*.h cuda/*.cuh))
CUDAEMU_OBJ := $(patsubst %.cu,$(CUDAEMU_DIR)/obj/%.o,$(notdir $(CUDAEMU_SRC))) $(CUDAEMU_DIR)/obj/emu.o $(CUDAEMU_DIR)/obj/cublas.o
CUDAEMU_INC := $(wildcard tests/cudaemu/include/*.h)
CUDAEMU_CXXFLAGS := -std=c++17 -O1 -g -fPIC -fvisibility=hidden -Wall -Wno-unused-function -Wno-unused-variable \
   -Wno-sign-compare -Itests/cudaemu/include -I$(GEN) -Icuda -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CPP \
   -DNL_HAVE_CUDNN=0 $(BLAS_CFLAGS)
cudaemu: $(CUDAEMU_DIR)/libnnlua_cudaemu.so
$(CUDAEMU_DIR)/cuda/%.cc: cuda/%.cu tests/cudaemu/translate.lua
	@mkdir -p $(dir $@)
	luajit tests/cudaemu/translate.lua $< $@
$(CUDAEMU_DIR)/cuda/selftest.cc: tests/cudaemu/selftest.cu tests/cudaemu/translate.lua
	@mkdir -p $(dir $@)
	luajit tests/cudaemu/translate.lua $< $@
$(CUDAEMU_DIR)/cuda/%: cuda/% tests/cudaemu/translate.lua
	@mkdir -p $(dir $@)
	luajit tests/cudaemu/translate.lua $< $@
$(CUDAEMU_DIR)/obj/%.o: $(CUDAEMU_DIR)/cuda/%.cc $(CUDAEMU_HDR) $(CUDAEMU_INC) $(HEADERS)
	@mkdir -p $(dir $@)
	g++ $(CUDAEMU_CXXFLAGS) -c $< -o $@
$(CUDAEMU_DIR)/obj/%.o: tests/cudaemu/%.cc $(CUDAEMU_INC)
	@mkdir -p $(dir $@)
	g++ $(CUDAEMU_CXXFLAGS) -c $< -o $@
$(CUDAEMU_DIR)/libnnlua_cudaemu.so: $(CUDAEMU_OBJ) $(BUILD)/libnnlua.so tests/cudaemu/odr.sh
	tests/cudaemu/odr.sh $(CUDAEMU_OBJ)
	g++ -shared -o $@ $(CUDAEMU_OBJ) -L$(BUILD) -lnnlua $(BLAS_LIBS) -Wl,-rpath,'$$ORIGIN/..'
.PHONY: cudaemu
.SECONDARY: $(patsubst %.cu,$(CUDAEMU_DIR)/cuda/%.cc,$(notdir $(CUDAEMU_SRC)))
# --- end of the CUDA emulator's part
