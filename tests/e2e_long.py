#!/usr/bin/env python3
"""End-to-end tests of long guides: drawn page by page while they are laid out (src/pipeline.c).

The guide of a long generated source (tests/gensource.py) must come out as it does when it
is drawn only once laid out (ROLEPRESS_PIPELINE=0): the same text, page by page, and the
same pixels; with right footers and contents, read back with poppler and qpdf. One source
runs past 999 pages, so the contents need a fourth digit and the guide is laid out again
while its first pages are already drawn."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import ARTICLE, ROOT, Workdir, pdfinfo, rolepress, run  # noqa: E402


def gen(tmp, pages, seed):
    path = os.path.join(tmp, f"long-{pages}.xml")
    r = run(sys.executable, os.path.join(ROOT, "tests", "gensource.py"), "--pages", str(pages),
            "--roles", "3", "--seed", str(seed), "-o", path)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return path


class TestLongGuides(Workdir):
    def guide(self, source, name, **env):
        out = os.path.join(self.tmp, name)
        r = run(*(["env"] + [f"{k}={v}" for k, v in env.items()]),
                os.path.join(ROOT, os.environ.get("ROLEPRESS_BUILD", "build"), "rolepress"),
                "guide", source, "-o", out, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out, r.stderr

    def pages_text(self, pdf, *mode):
        return run("pdftotext", *mode, pdf, "-").stdout.split("\f")

    def check_same(self, source, sample_pages):
        streamed, err1 = self.guide(source, "streamed.pdf")
        after, err2 = self.guide(source, "after.pdf", ROLEPRESS_PIPELINE="0")
        self.assertEqual(err1, err2, "the same warnings, once each")
        r = run("qpdf", "--check", streamed)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        n = int(pdfinfo(streamed)["Pages"])
        self.assertEqual(n, int(pdfinfo(after)["Pages"]))
        # the text in the order it is drawn, page by page; and poppler's reading order as
        # a multiset of lines: how it groups lines into blocks, and the blank lines between
        # them, depend on more than what is drawn (a contents page drawn pixel for pixel the
        # same had its blocks in another order when its page numbers were in a second
        # content stream)
        a, b = self.pages_text(streamed, "-raw"), self.pages_text(after, "-raw")
        self.assertEqual(len(a), len(b))
        for p, (x, y) in enumerate(zip(a, b)):
            self.assertEqual(x, y, f"page {p + 1} differs")
        a, b = self.pages_text(streamed), self.pages_text(after)
        for p, (x, y) in enumerate(zip(a, b)):
            self.assertEqual(sorted(filter(None, x.split("\n"))), sorted(filter(None, y.split("\n"))),
                             f"page {p + 1} differs")
        for p in sample_pages(n):
            imgs = []
            for pdf in (streamed, after):
                prefix = os.path.join(self.tmp, os.path.basename(pdf) + f"-{p}")
                r = run("pdftoppm", "-r", "40", "-gray", "-f", str(p), "-l", str(p), "-singlefile",
                        pdf, prefix)
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(prefix + ".pgm", "rb") as f:
                    imgs.append(f.read())
            self.assertEqual(imgs[0], imgs[1], f"page {p} renders differently")
        return streamed, n, self.pages_text(streamed, "-layout")

    def check_footers_and_contents(self, n, texts):
        for p in (1, 2, n // 2, n):
            self.assertIn(f"page {p} of {n}", texts[p - 1])
        # contents entries: "1.2   Title ..... 345"; the title's first words are on that page
        entries = []
        for t in texts[:6]:
            entries += re.findall(r"^\s*(\d+(?:\.\d+)?)\s{2,}(\S.*?\S)\s{2,}(\d+)\s*$", t, re.M)
        self.assertGreaterEqual(len(entries), 10)
        pages = [int(e[2]) for e in entries]
        self.assertEqual(pages, sorted(pages), "contents in page order")
        self.assertLessEqual(pages[-1], n)
        for number, title, page in entries[:: max(1, len(entries) // 15)]:
            words = " ".join(title.split()[:2])
            body = re.sub(r"\s+", " ", texts[int(page) - 1])
            self.assertIn(f"{number} {words}", body, f"{number} {title!r} not on page {page}")

    def test_long_guide_streamed_as_drawn_after(self):
        src = gen(self.tmp, 120, 3)
        _, n, texts = self.check_same(src, lambda n: (1, 2, 3, n // 2, n - 1, n))
        self.assertGreater(n, 90)
        self.check_footers_and_contents(n, texts)

    def test_thousand_pages_laid_out_again_for_a_fourth_digit(self):
        src = gen(self.tmp, 1060, 7)
        pdf, n, texts = self.check_same(src, lambda n: (1, 2, 500, n))
        self.assertGreaterEqual(n, 1000)
        self.check_footers_and_contents(n, texts)
        four = [int(m) for m in re.findall(r"\s(\d{4})\s*$", "\n".join(texts[:6]), re.M)]
        self.assertTrue(four, "page numbers of four digits in the contents")
        # the typesetting report counts the lines of the layout kept, once: about as many
        # as the PDF has lines of text
        r = rolepress("guide", src, "--typo-report", timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = int(re.search(r"^lines: (\d+)$", r.stdout, re.M).group(1))
        drawn = sum(1 for ln in run("pdftotext", "-raw", pdf, "-").stdout.splitlines() if ln.strip())
        self.assertLess(abs(lines - drawn), drawn * 0.1, (lines, drawn))
        self.assertEqual(r.stderr.count("warning:"), len(set(r.stderr.splitlines())),
                         "each warning once")
        # an error in the layout that stopped at its thousandth page: no output, no crash
        # (its later headings were never placed)
        out = os.path.join(self.tmp, "werror.pdf")
        r = rolepress("guide", src, "-o", out, "--werror", timeout=120)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("[--werror]", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_failed_layout_writes_nothing(self):
        """An error found late in a long layout (a table row taller than a page) leaves no
        output, though its first pages were drawn already."""
        src = gen(self.tmp, 60, 5)
        with open(src, encoding="utf-8") as f:
            xml = f.read()
        # a huge word in the last paragraph: an overfull line is only a warning, but with
        # --werror the run fails after most pages were handed to the writer
        i = xml.rindex("<p>")
        xml = xml[:i] + "<p>" + "Supercalifragilistic" * 40 + " " + xml[i + 3:]
        with open(src, "w", encoding="utf-8") as f:
            f.write(xml)
        out = os.path.join(self.tmp, "guide.pdf")
        with open(out, "wb") as f:
            f.write(b"old")
        r = rolepress("guide", src, "-o", out, "--werror")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("error", r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"old", "the old output stays")
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(["guide.pdf", "long-60.xml"]))


class TestLongSources(Workdir):
    def test_messages_past_line_65535(self):
        """libxml2 keeps line numbers in 16 bits unless asked (XML_PARSE_BIG_LINES): a
        problem on line 70,000-odd of a long source is reported at its own line, whether the
        parser, the schema or the checks of the text find it."""
        with open(ARTICLE, encoding="utf-8") as f:
            xml = f.read()
        i = xml.rindex("<p>")
        pad = xml[:i] + "\n" * 70000
        line = pad.count("\n") + 1
        cases = [("control", xml[i:].replace("<p>", "<p>\u0085", 1),
                  f":{line}: error: control character U+0085"),
                 ("schema", "<bogus/>" + xml[i:], f":{line}: error: <bogus>"),
                 ("syntax", xml[i:].replace("<p>", "<p>&bad;", 1), f":{line}:")]
        for name, rest, want in cases:
            src = os.path.join(self.tmp, f"{name}.xml")
            with open(src, "w", encoding="utf-8") as f:
                f.write(pad + rest)
            r = rolepress("validate", src)
            self.assertEqual(r.returncode, 1, name)
            self.assertIn(want, r.stderr, name)


if __name__ == "__main__":
    unittest.main()
