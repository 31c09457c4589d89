#!/bin/sh
# make valgrind: runs scripts/hardening/valgrind_train.lua under memcheck
# and fails on any error or definite leak with a libnnlua frame.
cd "$(dirname "$0")/../.."
log=$(mktemp)
export NNLUA_BUILD=build/vg
OMP_NUM_THREADS=1 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
   --num-callers=30 --log-file="$log" build/vg/nnlua scripts/hardening/valgrind_train.lua
status=$?
# an error block is a run of lines starting with ==PID== and ending in a blank one
ours=$(awk '/^==[0-9]+== *$/ { if (blk ~ /libnnlua/ && blk ~ /(Invalid|uninitialised|definitely lost|Mismatched|free)/) { print blk; n++ } blk=""; next } { blk = blk "\n" $0 } END { exit n > 0 }' "$log")
bad=$?
summary=$(grep -E 'ERROR SUMMARY|definitely lost' "$log" | head -2)
echo "$summary"
if [ $status -ne 0 ] || [ $bad -ne 0 ]; then
   echo "$ours"
   echo "valgrind: errors in libnnlua (log: $log)"
   exit 1
fi
echo "valgrind: no invalid access and no definite leak in libnnlua"
rm -f "$log"
