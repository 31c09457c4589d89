#!/bin/sh
# Runs the thread-determinism script and a short training loop on the
# ThreadSanitizer build (build/tsan/, made by `make tsan`) with LLVM's
# Archer OMPT tool loaded, so OpenMP's own synchronisation is understood.
# Fails on any TSan report.
# usage: scripts/hardening/tsan.sh LLVM_LIB_DIR
set -u
cd "$(dirname "$0")/../.."
LIB=${1:-/usr/lib/llvm-14/lib}
ARCHER="$LIB/libarcher.so"
if [ ! -f "$ARCHER" ]; then
   echo "tsan: $ARCHER not found (Debian: libomp-dev of the same LLVM as clang)"; exit 1
fi
export NNLUA_BUILD=build/tsan
export OMP_TOOL_LIBRARIES="$ARCHER"
# ignore_noninstrumented_modules: LuaJIT and OpenBLAS are not instrumented
export TSAN_OPTIONS="ignore_noninstrumented_modules=1 exitcode=66"
export OPENBLAS_NUM_THREADS=1
export NNLUA_THREADS_SMALL=1
out=$(mktemp)
status=0
for script in "scripts/hardening/threads.lua 2" "scripts/hardening/tsan_train.lua"; do
   build/tsan/nnlua $script > "$out" 2>&1
   rc=$?
   races=$(grep -c 'WARNING: ThreadSanitizer' "$out")
   tail -3 "$out"
   echo "tsan: $script: exit $rc, $races reports"
   if [ "$rc" -ne 0 ] || [ "$races" -ne 0 ]; then
      status=1
      grep -A30 'WARNING: ThreadSanitizer' "$out" | head -80
   fi
done
rm -f "$out"
[ $status -eq 0 ] && echo "tsan: clean" || echo "tsan: FAILED"
exit $status
