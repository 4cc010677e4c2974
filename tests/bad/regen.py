#!/usr/bin/env python3
"""Regenerate the expected diagnostics (.err) of the hostile corpus: the stderr of
`rolepress build CASE` (sources) or `rolepress build tests/data/minimal.xml --style CASE`
(styles under tests/bad/styles/). Run from anywhere; review the diff before committing."""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import e2e_reliability  # noqa: E402

BIN = os.path.join(ROOT, "build", "rolepress")


def expect(args, err):
    r = subprocess.run([BIN] + args + ["--out-dir", "/nonexistent-dir"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    with open(err, "w", encoding="utf-8") as f:
        f.write(r.stderr)


e2e_reliability.materialise_generated()
for xml in sorted(glob.glob(os.path.join(HERE, "*.xml"))):
    expect(["build", os.path.relpath(xml, ROOT)], xml[:-4] + ".err")
for xml in sorted(glob.glob(os.path.join(HERE, "styles", "*.xml"))):
    expect(["build", "tests/data/minimal.xml", "--style", os.path.relpath(xml, ROOT)],
           xml[:-4] + ".err")
for name in e2e_reliability.generated_sources(None):
    expect(["build", os.path.join("build", "hostile", name)],
           os.path.join(HERE, "generated", os.path.splitext(name)[0] + ".err"))
