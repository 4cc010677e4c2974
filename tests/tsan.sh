#!/bin/sh
# make check-thread: the runs that use threads, under ThreadSanitizer (build/tsan, built by
# the Makefile target). The guide's writer draws pages while the layout goes on
# (src/pipeline.c), patterns and fontconfig load on helper threads: any report is a failure.
# Ends with a line "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
bin=${ROLEPRESS_BUILD:-build/tsan}/rolepress
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export TSAN_OPTIONS
pass=0
fail=0
check() { # NAME COMMAND...: the command must exit 0 with no report
    name=$1
    shift
    if "$@" >"$tmp/out" 2>&1 && ! grep -q "ThreadSanitizer" "$tmp/out"; then
        pass=$((pass + 1))
        echo "ok: $name"
    else
        fail=$((fail + 1))
        echo "FAILED: $name"
        cat "$tmp/out"
    fi
}
python3 tests/gensource.py --pages 120 --roles 3 --seed 3 -o "$tmp/long.xml" || exit 2
python3 tests/gensource.py --pages 1060 --roles 3 --seed 7 -o "$tmp/longer.xml" || exit 2
mkdir -p "$tmp/cache" "$tmp/out1" "$tmp/out2" "$tmp/out3"
check "article, cold cache" env ROLEPRESS_CACHE_DIR="$tmp/cache" \
    "$bin" build source/article.xml --out-dir "$tmp/out1"
check "article, warm cache" env ROLEPRESS_CACHE_DIR="$tmp/cache" \
    "$bin" build source/article.xml --out-dir "$tmp/out2"
check "article, no cache" env ROLEPRESS_CACHE_DIR= \
    "$bin" build source/article.xml --out-dir "$tmp/out3"
check "120 pages" env ROLEPRESS_CACHE_DIR="$tmp/cache" \
    "$bin" guide "$tmp/long.xml" -o "$tmp/long.pdf"
check "1000+ pages, laid out again" env ROLEPRESS_CACHE_DIR="$tmp/cache" \
    "$bin" guide "$tmp/longer.xml" -o "$tmp/longer.pdf"
# the longer source has an underfull line: with --werror the run fails once its pages were
# handed to the writer, which must drop them
check "failure after pages were drawn" env ROLEPRESS_CACHE_DIR="$tmp/cache" \
    sh -c '! "$1" guide "$2" -o "$3" --werror' sh "$bin" "$tmp/longer.xml" "$tmp/fail.pdf"
check "validate" "$bin" validate source/article.xml
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
