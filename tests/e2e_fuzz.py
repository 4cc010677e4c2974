"""Inputs that once crashed, hung or leaked under fuzzing (tests/fuzz/regressions/TARGET/*)
are replayed through the program: each ends in bounded time with an exit status (0 to 3),
never a signal or a sanitizer report. When `make fuzz` has built the fuzz targets, each
case is also replayed through its target, which runs the same code with ASan, UBSan and
LeakSanitizer."""
import glob
import os
import unittest

from e2e import BIN, ROOT, Workdir, run
from e2e_reliability import SECONDS, run_measured

REGRESSIONS = os.path.join(ROOT, "tests", "fuzz", "regressions")
FUZZ_BUILD = os.path.join(ROOT, "build", "fuzz")


def cases(target):
    return sorted(glob.glob(os.path.join(REGRESSIONS, target, "*")))


def commands(target, path):
    """The runs of the program that reach what fuzz_TARGET reaches (no PDF is written)."""
    if target == "source":
        return [[BIN, "validate", path], [BIN, "build", path, "--dump=layout"]]
    minimal = os.path.join(ROOT, "tests", "data", "minimal.xml")
    return [[BIN, "validate", minimal, "--style", path],
            [BIN, "build", minimal, "--style", path, "--dump=layout"]]


class TestFuzzRegressions(Workdir):
    def check_target(self, target):
        if not cases(target):
            self.skipTest(f"no regression cases for fuzz_{target}")
        for path in cases(target):
            for args in commands(target, path):
                with self.subTest(case=os.path.relpath(path, ROOT), command=args[1]):
                    code, _, stderr, _ = run_measured(args, cwd=self.tmp)
                    self.assertIn(code, (0, 1, 2, 3), stderr[-2000:])
                    self.assertNotIn("Sanitizer", stderr)

    def test_sources(self):
        self.check_target("source")

    def test_styles(self):
        self.check_target("style")

    def test_replay_through_fuzz_targets(self):
        for target in ("source", "style"):
            fuzzer = os.path.join(FUZZ_BUILD, "fuzz_" + target)
            if not cases(target) or not os.access(fuzzer, os.X_OK):
                continue
            with self.subTest(target=target):
                r = run(fuzzer, "-timeout=%d" % SECONDS, *cases(target), cwd=self.tmp,
                        timeout=SECONDS * (1 + len(cases(target))))
                self.assertEqual(r.returncode, 0, r.stderr[-4000:])


if __name__ == "__main__":
    unittest.main()
