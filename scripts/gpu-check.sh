#!/bin/sh
# The device checks, as one short script for a lent GPU machine (run by the
# device tool from the repository root, with `build/nnlua`,
# `build/libnnlua.so`, `build/libnnlua_cuda.so`, `build/libnnlua_standin.so`
# and `build/devcarry` carried: make && scripts/devcarry.sh here first).
# Prints the GPU, the CUDA specs' TAP summary (they compare every CUDA
# kernel with the CPU), the conformance harness's line per backend
# (`cuda: N of M entry points`) and the CUDA benchmark; copies the full
# logs to $OUT when set. Fails when a spec fails, when no spec ran, or when
# the conformance harness did not run on CUDA (library not loaded, no
# device). tests/cuda/cuentry_spec.lua covers the entry points of
# cuda/{blas,index,shape,sort,random,optim}.cu through the Lua API.
set -u
cd "$(dirname "$0")/.."
. scripts/device-env.sh
nvidia-smi -L 2>/dev/null || echo "gpu-check: nvidia-smi not found"
out=${OUT:-/tmp}
nnlua_busted -o TAP tests/cuda tests/torch/abi_spec.lua tests/conformance > "$out/gpu-specs.tap" 2>&1
grep -E '^(standin|cuda): [0-9]+ of [0-9]+ entry points|^  not (covered|served):' "$out/gpu-specs.tap"
# the harness ran its cases on the CUDA backend (not only read what the
# library declares, as it does without a device)
cuda_ran=$(grep -cE '^cuda: [0-9]+ of [0-9]+ entry points$' "$out/gpu-specs.tap")
[ "$cuda_ran" -gt 0 ] || echo "gpu-check: the conformance harness did not run on CUDA (library not loaded or no device)"
passed=$(grep -cE '^ok [0-9]+' "$out/gpu-specs.tap")
skipped=$(grep -cE '^ok [0-9]+.*# (SKIP|skip)' "$out/gpu-specs.tap")
failed=$(grep -cE '^not ok [0-9]+' "$out/gpu-specs.tap")
grep -A12 '^not ok' "$out/gpu-specs.tap" | head -120
echo "gpu-check specs: $((passed - skipped)) passed, $skipped skipped, $failed failed"
timeout 120 build/nnlua scripts/bench/cuda.lua 2>&1 | tee "$out/gpu-bench.txt"
[ "$failed" -eq 0 ] && [ $((passed - skipped)) -gt 0 ] && [ "$cuda_ran" -gt 0 ]
