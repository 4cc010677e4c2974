#!/bin/sh
# Regenerate the golden layout dumps: tests/golden/KIND--SOURCE.dump is the output of
# `rolepress KIND tests/data/SOURCE.xml --dump=layout`. Review the diff before committing.
cd "$(dirname "$0")/../.." || exit 2
for f in tests/golden/*.dump; do
    name=$(basename "$f" .dump)
    kind=${name%%--*}
    source=${name#*--}
    build/rolepress "$kind" "tests/data/$source.xml" --dump=layout > "$f" || exit 1
done
