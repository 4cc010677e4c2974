"""CI-grade behaviour: reproducible bytes, failures that leave nothing broken, strict mode,
dependency files, installation, and the corpus of hostile inputs with their expected
diagnostics (tests/bad/**/*.err)."""
import glob
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from e2e import ARTICLE, BIN, DATA, ROOT, Workdir, pdfinfo, rolepress, run

BAD = os.path.join(ROOT, "tests", "bad")
SANITIZED = "sanitize" in BIN
# bounds for hostile input: generous, far above what a healthy run needs
SECONDS = 20
MAX_RSS_KB = 2_000_000 if SANITIZED else 200_000


def run_measured(args, cwd=ROOT, env=None, timeout=SECONDS):
    """Run args; return (exit status, stdout, stderr, peak RSS in KB of the child)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                raise AssertionError(f"{args} took more than {timeout} s")
            time.sleep(0.01)
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return code, out.read().decode(), err.read().decode(errors="replace"), usage.ru_maxrss


class TestReproducible(Workdir):
    def build_in(self, where, epoch):
        """Build from a copy of the source and style in directory where."""
        os.makedirs(os.path.join(where, "styles"))
        os.makedirs(os.path.join(where, "out"))
        shutil.copy(ARTICLE, os.path.join(where, "article.xml"))
        shutil.copy(os.path.join(ROOT, "styles", "default.xml"), os.path.join(where, "styles"))
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
        r = subprocess.run([BIN, "build", "article.xml"], cwd=where, env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = {}
        for name in ("guide.pdf", "cheatsheet.pdf"):
            with open(os.path.join(where, "out", name), "rb") as f:
                files[name] = f.read()
        return files

    def test_same_bytes_from_two_directories(self):
        first = self.build_in(os.path.join(self.tmp, "a"), 1700000000)
        time.sleep(1.1)
        second = self.build_in(os.path.join(self.tmp, "elsewhere", "b"), 1700000000)
        self.assertEqual(first, second)
        other = self.build_in(os.path.join(self.tmp, "c"), 1600000000)
        self.assertNotEqual(first["guide.pdf"], other["guide.pdf"], "the date is not used")

    def test_dates_come_from_source_date_epoch(self):
        self.build_in(os.path.join(self.tmp, "a"), 1700000000)
        info = pdfinfo(os.path.join(self.tmp, "a", "out", "guide.pdf"))
        self.assertEqual(info["CreationDate"], "Tue Nov 14 22:13:20 2023 UTC")
        self.assertEqual(info["ModDate"], info["CreationDate"])
        g, _, _ = self.build()
        self.assertNotIn("CreationDate", pdfinfo(g), "no date without SOURCE_DATE_EPOCH")

    def test_no_paths_users_or_hosts_in_the_pdf(self):
        where = os.path.join(self.tmp, "secret-build-dir")
        self.build_in(where, 1700000000)
        expanded = os.path.join(self.tmp, "qdf.pdf")
        run("qpdf", "--qdf", "--object-streams=disable", os.path.join(where, "out", "guide.pdf"),
            expanded)
        with open(expanded, "rb") as f:
            data = f.read()
        needles = ["secret-build-dir", self.tmp, "/usr/share/fonts"]
        if len(socket.gethostname()) >= 8:  # a short name turns up by chance in font data
            needles.append(socket.gethostname())
        for needle in needles:
            self.assertNotIn(needle.encode(), data, f"{needle!r} leaked into the PDF")

    def test_bad_source_date_epoch(self):
        env = dict(os.environ, SOURCE_DATE_EPOCH="yesterday")
        r = subprocess.run([BIN, "build", ARTICLE, "--out-dir", self.tmp], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("SOURCE_DATE_EPOCH", r.stderr)
        self.assertEqual(os.listdir(self.tmp), [])


class TestFailuresLeaveNothingBroken(Workdir):
    def litter(self):
        return [f for f in os.listdir(self.tmp) if f.startswith(".")]

    def test_file_size_limit(self):
        keep = os.path.join(self.tmp, "guide.pdf")
        with open(keep, "wb") as f:
            f.write(b"previous")

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

        r = subprocess.run([BIN, "guide", ARTICLE, "-o", keep], preexec_fn=limit,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn(keep + ": error: cannot write: File too large", r.stderr)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), b"previous")
        self.assertEqual(self.litter(), [])

    def test_path_under_a_regular_file(self):
        blocker = os.path.join(self.tmp, "file")
        open(blocker, "w").close()
        r = rolepress("guide", ARTICLE, "-o", os.path.join(blocker, "guide.pdf"))
        self.assertEqual(r.returncode, 3)
        self.assertIn("Not a directory", r.stderr)

    def test_concurrent_builds_to_one_path(self):
        out = os.path.join(self.tmp, "guide.pdf")
        procs = [subprocess.Popen([BIN, "guide", ARTICLE, "-o", out], stderr=subprocess.PIPE)
                 for _ in range(4)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
        self.assertEqual(run("qpdf", "--check", out).returncode, 0)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["guide.pdf"])

    def test_signal_removes_the_temporary_file(self):
        # a long document, so the temporary file exists for a while; the signal is sent
        # as soon as it appears
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        para = "<p>" + " ".join(["Words that fill a long page of running text."] * 400) + "</p>"
        text = text.replace("<p>Writers write; editors edit.</p>", para * 60)
        src = os.path.join(self.tmp, "long.xml")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        outdir = os.path.join(self.tmp, "out")
        os.mkdir(outdir)
        seen = False
        for _ in range(5):
            p = subprocess.Popen([BIN, "guide", src, "-o", os.path.join(outdir, "g.pdf")],
                                 stderr=subprocess.DEVNULL)
            while p.poll() is None:
                if any(f.startswith(".g.pdf.") for f in os.listdir(outdir)):
                    p.send_signal(signal.SIGTERM)
                    seen = True
                    break
            p.wait(timeout=60)
            if seen:
                break
        if not seen:
            self.skipTest("the temporary file never existed long enough to be seen")
        self.assertEqual(p.returncode, -signal.SIGTERM)
        self.assertEqual([f for f in os.listdir(outdir) if f.startswith(".")], [])


class TestStrictAndMake(Workdir):
    def test_werror(self):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read().replace('name="Writer"', 'name="\u4f5c\u5bb6"')
        src = os.path.join(self.tmp, "cjk.xml")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)
        r = rolepress("build", src, "--out-dir", out)
        self.assertEqual(r.returncode, 0)
        self.assertIn("warning:", r.stderr)
        os.remove(os.path.join(out, "guide.pdf"))
        os.remove(os.path.join(out, "cheatsheet.pdf"))
        r = rolepress("build", src, "--out-dir", out, "--werror")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"cjk.xml:\d+: error: font .* \[--werror\]")
        self.assertEqual(os.listdir(out), [])

    def test_depfile(self):
        dep = os.path.join(self.tmp, "out.d")
        r = rolepress("build", ARTICLE, "--out-dir", self.tmp, "--depfile", dep)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(dep, encoding="utf-8") as f:
            text = f.read()
        rule = text.split("\n\n")[0].replace("\\\n", " ")
        targets, _, prereqs = rule.partition(":")
        self.assertEqual(targets.split(), [os.path.join(self.tmp, "guide.pdf"),
                                           os.path.join(self.tmp, "cheatsheet.pdf")])
        prereqs = prereqs.split()
        self.assertEqual(prereqs[0], ARTICLE)
        self.assertTrue(prereqs[1].endswith("default.xml"))
        fonts = prereqs[2:]
        self.assertTrue(fonts)
        for font in fonts:
            self.assertTrue(os.path.isfile(font), font)
            self.assertIn(f"\n{font}:\n", text + "\n", "no empty rule (gcc -MP style)")
        # every embedded font is listed
        embedded = run("pdffonts", os.path.join(self.tmp, "guide.pdf")).stdout
        families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split(",")[0]
                    for line in embedded.splitlines()[2:]}
        stems = {os.path.splitext(os.path.basename(f))[0] for f in fonts}
        self.assertLessEqual(families, stems)

    def test_depfile_failure_leaves_the_pdfs(self):
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)
        r = rolepress("build", ARTICLE, "--out-dir", out, "--depfile",
                      os.path.join(self.tmp, "missing", "out.d"))
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("cannot write the dependency file", r.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_make_rebuilds_from_the_depfile(self):
        """make remakes the PDFs when a prerequisite named only in the depfile changes."""
        work = os.path.join(self.tmp, "w")
        os.mkdir(work)
        shutil.copy(ARTICLE, os.path.join(work, "a.xml"))
        shutil.copy(os.path.join(ROOT, "styles", "default.xml"), os.path.join(work, "s.xml"))
        with open(os.path.join(work, "Makefile"), "w") as f:
            f.write(f"out/guide.pdf:\n\tmkdir -p out && {BIN} build a.xml --style s.xml "
                    "--depfile out.d\n-include out.d\n")
        self.assertEqual(run("make", "-s", cwd=work).returncode, 0)
        self.assertEqual(run("make", "-q", cwd=work).returncode, 0, "up to date")
        later = time.time() + 5
        os.utime(os.path.join(work, "s.xml"), (later, later))
        self.assertEqual(run("make", "-q", cwd=work).returncode, 1, "style change seen")


class TestInstall(Workdir):
    def test_install_and_uninstall(self):
        dest = os.path.join(self.tmp, "dest")
        r = run("make", "-s", "install", "PREFIX=/usr/local", f"DESTDIR={dest}", timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        binary = os.path.join(dest, "usr/local/bin/rolepress")
        for rel in ("usr/local/share/rolepress/styles/default.xml",
                    "usr/local/share/rolepress/styles/style.rng",
                    "usr/local/share/rolepress/source/article.rng",
                    "usr/local/share/man/man1/rolepress.1"):
            self.assertTrue(os.path.isfile(os.path.join(dest, rel)), rel)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.mkdir(elsewhere)
        shutil.copy(ARTICLE, elsewhere)
        os.mkdir(os.path.join(elsewhere, "out"))
        r = run(binary, "build", "article.xml", cwd=elsewhere)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(int(pdfinfo(os.path.join(elsewhere, "out", "cheatsheet.pdf"))["Pages"]), 1)
        r = run("man", "-l", os.path.join(dest, "usr/local/share/man/man1/rolepress.1"))
        self.assertIn("SOURCE_DATE_EPOCH", r.stdout)
        r = run("make", "-s", "uninstall", "PREFIX=/usr/local", f"DESTDIR={dest}")
        self.assertEqual(r.returncode, 0, r.stderr)
        left = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs]
        self.assertEqual(left, [])


def generated_sources(where):
    """Hostile inputs too big or too binary to commit: name -> bytes."""
    with open(os.path.join(DATA, "minimal.xml"), "rb") as f:
        good = f.read()
    return {
        "deep-nesting.xml": b"<article xmlns='urn:rolepress:article:1'>" + b"<x>" * 100_000
        + b"</x>" * 100_000 + b"</article>",
        "huge-text-node.xml": good.replace(b"Writers write;", b"W" * 50_000_000),
        "invalid-utf8.xml": good.replace(b"Writers write;", b"Writers \xff\xfe write;"),
        "nul-byte.xml": good.replace(b"Writers write;", b"Writers\x00 write;"),
        "binary.xml": bytes((i * 7919 + 13) % 256 for i in range(65536)),
        "overlong-attribute.xml": good.replace(b'title="Introduction"',
                                               b'title="' + b"A" * 2_000_000 + b'"'),
        "control-character.xml": good.replace(b"Writers write;", b"Writers\x01 write;"),
        "utf16-without-bom.xml": good.decode().encode("utf-16-le"),
        "many-attributes.xml": good.replace(
            b'<section id="intro"',
            b"<section " + b" ".join(b'a%d="x"' % i for i in range(120_000)) + b' id="intro"'),
    }


def corpus():
    """(name, path relative to ROOT, kind) of every hostile case with a golden .err."""
    cases = []
    for err in sorted(glob.glob(os.path.join(BAD, "**", "*.err"), recursive=True)):
        rel = os.path.relpath(err, ROOT)[:-4] + ".xml"
        kind = "style" if os.sep + "styles" + os.sep in rel else "source"
        gen = os.sep + "generated" + os.sep in rel
        path = os.path.join("build", "hostile", os.path.basename(rel)) if gen else rel
        cases.append((os.path.basename(rel), path, kind, err))
    return cases


def materialise_generated():
    where = os.path.join(ROOT, "build", "hostile")
    os.makedirs(where, exist_ok=True)
    for name, data in generated_sources(where).items():
        path = os.path.join(where, name)
        if not os.path.exists(path) or os.path.getsize(path) != len(data):
            with open(path, "wb") as f:
                f.write(data)


class TestHostileCorpus(Workdir):
    """Each broken or hostile input ends in bounded time and memory with exit 1, exactly
    its expected diagnostics, and no output. Regenerate goldens with tests/bad/regen.py."""

    def test_corpus(self):
        materialise_generated()
        cases = corpus()
        self.assertGreaterEqual(len(cases), 25)
        for name, path, kind, err in cases:
            with self.subTest(case=os.path.relpath(err, ROOT)):
                out = os.path.join(self.tmp, path.replace(os.sep, "_") + ".out")
                os.mkdir(out)
                if kind == "style":
                    args = [BIN, "build", "tests/data/minimal.xml", "--style", path]
                else:
                    args = [BIN, "build", path]
                code, _, stderr, rss = run_measured(args + ["--out-dir", out])
                with open(err, encoding="utf-8") as f:
                    expected = f.read()
                self.assertEqual(code, 1, stderr)
                self.assertEqual(stderr, expected)
                self.assertRegex(stderr.splitlines()[0], re.escape(path) + r":\d+(:\d+)?: error: ")
                self.assertEqual(os.listdir(out), [])
                self.assertLess(rss, MAX_RSS_KB, f"{rss} KB peak memory")


if __name__ == "__main__":
    unittest.main()
