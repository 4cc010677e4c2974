#!/usr/bin/env python3
"""End-to-end tests: run build/rolepress and read the PDFs back with independent tools
(qpdf, poppler's pdfinfo/pdffonts/pdftotext/pdftoppm).

`python3 tests/e2e.py [PATTERN...]` runs the tests of every tests/e2e*.py file (those whose
names contain a PATTERN, when given). Other e2e_*.py files import their helpers from here."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, os.environ.get("ROLEPRESS_BUILD", "build"), "rolepress")
ARTICLE = os.path.join(ROOT, "source", "article.xml")
DATA = os.path.join(ROOT, "tests", "data")
BAD = os.path.join(ROOT, "tests", "bad")
# every shipped style: default and print first (tests below use STYLES[1] as print)
STYLES = [os.path.join(ROOT, "styles", s) for s in ("default.xml", "print.xml")]
STYLES += sorted(os.path.join(ROOT, "styles", f) for f in os.listdir(os.path.join(ROOT, "styles"))
                 if f.endswith(".xml") and os.path.join(ROOT, "styles", f) not in STYLES)
NS = "{urn:rolepress:article:1}"
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def run(*args, cwd=ROOT, timeout=60):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def rolepress(*args, **kw):
    return run(BIN, *args, **kw)


def pdfinfo(path):
    out = run("pdfinfo", path).stdout
    info = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def page_size(info):
    m = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    return float(m.group(1)), float(m.group(2))


def norm(text):
    """Collapse white space; join words that a line end split after a hyphen or dash."""
    text = re.sub(r"(\S[-\u2013\u2014/])\n(?=\S)", r"\1", text.replace("\u00ad", ""))
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def unhyph(text):
    """Text without hyphens, to compare words that hyphenation may have split at a line end
    ("respon-" + "sibilities") with the source."""
    return text.replace("-", "")


def page_texts(pdf, pages):
    """Raw-order text of each page with the running footer removed."""
    texts = []
    for p in range(1, pages + 1):
        r = run("pdftotext", "-raw", "-f", str(p), "-l", str(p), pdf, "-")
        lines = r.stdout.rstrip("\n\f").split("\n")
        while lines and re.search(r"page \d+ of \d+\s*$", lines[-1]):
            lines.pop()
        texts.append(norm("\n".join(lines)))
    return texts


def elem_text(e):
    return norm("".join(e.itertext()))


def body_units(root):
    """Text units of the guide body in reading order, as the source states them."""
    roles = root.findall(f"{NS}roles/{NS}role")
    units = []

    def blocks(parent):
        for e in parent:
            tag = e.tag[len(NS):]
            if tag in ("p",):
                units.append(elem_text(e))
            elif tag in ("list", "organisations"):
                units.extend(elem_text(i) for i in e)
            elif tag == "comparison":
                units.append(elem_text(e.find(f"{NS}caption")))
                for a in e.findall(f"{NS}aspect"):
                    units.append(a.get("name"))
                    vals = {v.get("role"): elem_text(v) for v in a}
                    units.extend(vals[r.get("id")] for r in roles)
            elif tag == "role-overview":
                for field in ("definition", "focus", "horizon", "origin"):
                    units.extend(elem_text(r.find(NS + field)) for r in roles)
            elif tag == "role-lists":
                lists = [[elem_text(i) for i in r.find(NS + e.get("of"))] for r in roles]
                for k in range(max(len(x) for x in lists)):
                    units.extend(x[k] for x in lists if k < len(x))
            elif tag == "role-paths":
                role = [r for r in roles if r.get("id") == e.get("role")][0]
                for p in role.findall(f"{NS}paths/{NS}path"):
                    units.append(p.get("title"))
                    units.append(elem_text(p.find(f"{NS}summary")))
                    blocks([c for c in p if c.tag != NS + "summary"])
            elif tag == "figure":
                units.append(elem_text(e.find(f"{NS}caption")))
            elif tag == "collaboration-list":
                units.extend(elem_text(i) for i in root.find(f"{NS}collaboration"))
            elif tag == "section":
                units.append(e.get("title"))
                blocks(e)

    blocks(root.find(f"{NS}body"))
    return units


class Workdir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rolepress-e2e-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def build(self, source=ARTICLE, *extra):
        r = rolepress("build", source, "--out-dir", self.tmp, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return os.path.join(self.tmp, "guide.pdf"), os.path.join(self.tmp, "cheatsheet.pdf"), r


class TestOutputs(Workdir):
    """The article in every shipped style: valid, renderable PDFs of the right shape."""

    def check_pdf(self, pdf):
        r = run("qpdf", "--check", pdf)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("No syntax or stream encoding errors", r.stdout)
        r = run("pdftoppm", "-r", "20", "-png", pdf, os.path.join(self.tmp, "render"))
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "", "pdftoppm complained")
        r = run("pdftotext", pdf, "-")
        self.assertEqual(r.stderr, "", "pdftotext complained")
        fonts = run("pdffonts", pdf).stdout.splitlines()[2:]
        self.assertTrue(fonts, "no fonts")
        for line in fonts:
            cols = line.split()
            self.assertEqual(cols[-5], "yes", "font not embedded: " + line)
            self.assertEqual(cols[1] if cols[1] != "(null)" else "", cols[1])

    def test_styles_and_papers(self):
        for style in STYLES:
            for paper, size in (("a4", A4), ("letter", LETTER)):
                with self.subTest(style=os.path.basename(style), paper=paper):
                    g, c, r = self.build(ARTICLE, "--style", style, "--paper", paper)
                    self.assertEqual(r.stderr, "", "warnings on the shipped article")
                    for pdf in (g, c):
                        self.check_pdf(pdf)
                    gi, ci = pdfinfo(g), pdfinfo(c)
                    self.assertGreaterEqual(int(gi["Pages"]), 3)
                    self.assertEqual(int(ci["Pages"]), 1)
                    w, h = page_size(gi)
                    self.assertAlmostEqual(w, size[0], delta=0.1)
                    self.assertAlmostEqual(h, size[1], delta=0.1)
                    cw, ch = page_size(ci)
                    self.assertAlmostEqual(max(cw, ch), max(size), delta=0.1)

    def test_metadata_and_outlines(self):
        g, _, _ = self.build()
        info = pdfinfo(g)
        root = ET.parse(ARTICLE).getroot()
        self.assertEqual(info["Title"], elem_text(root.find(f"{NS}meta/{NS}title")))
        self.assertEqual(info["Author"], elem_text(root.find(f"{NS}meta/{NS}author")))
        self.assertTrue(info.get("Subject"))
        self.assertTrue(info.get("Keywords"))
        # every section title is a bookmark
        r = run("qpdf", "--json", "--json-key=outlines", g)
        for s in root.iter(f"{NS}section"):
            self.assertIn(s.get("title").replace('"', '\\"'), r.stdout)

    def test_contents_links_and_bookmarks(self):
        """Every contents entry links to the page its printed number names; bookmarks nest
        sub-sections under their section and point at the same pages."""
        g, _, _ = self.build()
        d = json.loads(run("qpdf", "--json", "--json-key=pages", "--json-key=qpdf",
                           "--json-key=outlines", g).stdout)
        objects = d["qpdf"][1]
        page_of = {p["object"]: p["pageposfrom1"] for p in d["pages"]}
        first = objects["obj:" + d["pages"][0]["object"]]["value"]
        targets = []
        for ref in first.get("/Annots", []):
            annot = objects["obj:" + ref]["value"]
            dest = annot.get("/Dest")
            if isinstance(dest, str):  # an indirect destination array
                dest = objects["obj:" + dest]["value"]
            if dest:
                targets.append(page_of[dest[0]])
        root = ET.parse(ARTICLE).getroot()
        toc = run("pdftotext", "-layout", "-f", "1", "-l", "1", g, "-").stdout
        printed = [int(m.group(1)) for m in re.finditer(r"^\s*\d+(?:\.\d+)*\s+.*?[ .]{2,}(\d+)\s*$", toc, re.M)]
        heads = len(list(root.iter(f"{NS}section")))
        for rp in root.iter(f"{NS}role-paths"):
            role = [r for r in root.iter(f"{NS}role") if r.get("id") == rp.get("role")][0]
            heads += len(role.findall(f"{NS}paths/{NS}path"))
        self.assertEqual(len(printed), heads, "one contents entry per heading")
        self.assertEqual(targets, printed, "contents links differ from the printed numbers")
        outlines = d["outlines"]
        self.assertEqual(outlines[0]["title"], "Contents")
        top = [o for o in outlines[1:]]
        sections = root.find(f"{NS}body").findall(f"{NS}section")
        self.assertEqual([re.sub(r"^\d+ ", "", o["title"]) for o in top],
                         [norm(s.get("title")) for s in sections])
        flat = []
        for o in top:
            flat.append(o["destpageposfrom1"])
            for k in o["kids"]:
                self.assertRegex(k["title"], r"^\d+\.\d+ ")
                self.assertGreaterEqual(k["destpageposfrom1"], o["destpageposfrom1"])
                flat.append(k["destpageposfrom1"])
        self.assertEqual(flat, printed, "bookmarks and contents disagree")

    def test_page_footer(self):
        g, _, _ = self.build()
        n = int(pdfinfo(g)["Pages"])
        for p in range(1, n + 1):
            t = run("pdftotext", "-f", str(p), "-l", str(p), g, "-").stdout
            self.assertIn(f"page {p} of {n}", t)

    def test_contents_lists_sections_with_right_pages(self):
        g, _, _ = self.build()
        n = int(pdfinfo(g)["Pages"])
        texts = page_texts(g, n)
        root = ET.parse(ARTICLE).getroot()
        toc = run("pdftotext", "-layout", "-f", "1", "-l", "1", g, "-").stdout
        for s in root.find(f"{NS}body").findall(f"{NS}section"):
            title = s.get("title")
            m = re.search(re.escape(title) + r"[ .]*\s(\d+)\s*$", toc, re.M)
            self.assertIsNotNone(m, f"contents lacks {title!r}")
            page = int(m.group(1))
            self.assertIn(norm(title), texts[page - 1], f"{title!r} not on page {page}")

    def test_every_word_in_order_once(self):
        for source in (ARTICLE, os.path.join(DATA, "three-roles.xml"),
                       os.path.join(DATA, "minimal.xml")):
            with self.subTest(source=os.path.basename(source)):
                g, _, _ = self.build(source)
                n = int(pdfinfo(g)["Pages"])
                texts = page_texts(g, n)
                body = unhyph(" ".join(texts))
                root = ET.parse(source).getroot()
                # the body starts after the contents, whose last entry is the last section
                last = unhyph(root.find(f"{NS}body").findall(f"{NS}section")[-1].get("title"))
                pos = body.find(norm(last))
                self.assertGreaterEqual(pos, 0)
                pos += len(norm(last))
                for unit in map(unhyph, body_units(root)):
                    at = body.find(unit, pos)
                    self.assertGreaterEqual(at, 0, f"missing or out of order: {unit!r}")
                    if len(unit) > 40:
                        self.assertEqual(body.count(unit), 1, f"duplicated: {unit!r}")
                    pos = at + len(unit)
                front = texts[0]
                self.assertIn(elem_text(root.find(f"{NS}meta/{NS}title")), front)

    def test_cheatsheet_content(self):
        _, c, _ = self.build()
        t = unhyph(norm(run("pdftotext", "-raw", c, "-").stdout))
        root = ET.parse(ARTICLE).getroot()
        for r in root.findall(f"{NS}roles/{NS}role"):
            self.assertIn(unhyph(r.get("name")), t)
            self.assertIn(unhyph(elem_text(r.find(f"{NS}definition"))), t)
            for org in r.iter(f"{NS}organisation"):
                self.assertIn(unhyph(elem_text(org)), t)
        for item in root.find(f"{NS}collaboration"):
            self.assertIn(unhyph(elem_text(item)), t)

    def test_other_sources(self):
        for name in ("three-roles.xml", "minimal.xml"):
            with self.subTest(source=name):
                g, c, r = self.build(os.path.join(DATA, name))
                self.assertEqual(int(pdfinfo(c)["Pages"]), 1)
                self.check_pdf(g)

    def test_print_style_is_grayscale(self):
        g, c, _ = self.build(ARTICLE, "--style", STYLES[1])
        for pdf in (g, c):
            r = run("pdftoppm", "-r", "30", pdf, os.path.join(self.tmp, "gray"))
            self.assertEqual(r.returncode, 0)
        for name in os.listdir(self.tmp):
            if not name.endswith(".ppm"):
                continue
            with open(os.path.join(self.tmp, name), "rb") as f:
                data = f.read()
            # P6 header: magic, width height, maxval, each on its own token
            parts = data.split(maxsplit=4)
            pixels = parts[4]
            colored = sum(1 for i in range(0, len(pixels) - 2, 3)
                          if max(pixels[i:i + 3]) - min(pixels[i:i + 3]) > 8)
            self.assertEqual(colored, 0, f"{name}: {colored} coloured pixels")

    def test_locale_does_not_matter(self):
        g1, _, _ = self.build()
        with open(g1, "rb") as f:
            first = f.read()
        env = dict(os.environ, LC_ALL="de_DE.UTF-8")
        r = subprocess.run([BIN, "build", ARTICLE, "--out-dir", self.tmp], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(g1, "rb") as f:
            self.assertEqual(first, f.read(), "output differs under a decimal-comma locale")

    def test_deterministic(self):
        g1, c1, _ = self.build()
        with open(g1, "rb") as f:
            first = f.read()
        g2, _, _ = self.build()
        with open(g2, "rb") as f:
            self.assertEqual(first, f.read())


def four_roles(tmp):
    """three-roles.xml with a fourth role (a copy of the third under a new id)."""
    with open(os.path.join(DATA, "three-roles.xml"), encoding="utf-8") as f:
        text = f.read()
    role = re.search(r'(    <role id="engineer".*?</role>\n)', text, re.S).group(1)
    extra = role.replace('id="engineer"', 'id="steward"').replace(
        'name="Data Engineer"', 'name="Data Steward"').replace('id="de-', 'id="st-')
    extra = re.sub(r'(<path id=")', r'\1st-', extra)
    text = text.replace(role, role + extra)
    text = re.sub(r'(\s*<value role="engineer">.*?</value>)',
                  lambda m: m.group(1) + m.group(1).replace("engineer", "steward"), text)
    text = re.sub(r'\s*<figure kind="venn">.*?</figure>', "", text, flags=re.S)
    path = os.path.join(tmp, "four-roles.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class TestScale(Workdir):
    def test_four_roles(self):
        g, c, r = self.build(four_roles(self.tmp))
        self.assertEqual(int(pdfinfo(c)["Pages"]), 1)
        t = norm(run("pdftotext", "-raw", c, "-").stdout)
        self.assertIn("Data Steward", t)

    def test_venn_refused_for_four_roles(self):
        path = four_roles(self.tmp)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("</section>\n  </body>",
                            '<figure kind="venn"><caption>x</caption></figure></section>\n  </body>')
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        r = rolepress("validate", path)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"four-roles.xml:\d+: error: a Venn diagram can show 2 or 3")

    def test_cheatsheet_overflow_is_an_error(self):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        many = "".join(f"<item>Responsibility number {i} described at some length so that "
                       "it needs a line or two of its own on the sheet.</item>" for i in range(90))
        text = text.replace("<item>Write drafts.</item>", many)
        path = os.path.join(self.tmp, "overflow.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(self.tmp, "sheet.pdf")
        r = rolepress("cheatsheet", path, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"overflow.xml:\d+: error: cheat sheet does not fit on one "
                         r"page: .* [\d.]+ pt more than")
        self.assertFalse(os.path.exists(out))
        # the guide of the same source is fine: long lists just take more pages
        r = rolepress("guide", path, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)


class TestCommandLine(Workdir):
    def test_validate_is_silent(self):
        r = rolepress("validate", ARTICLE)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_help_and_version(self):
        r = rolepress("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("usage:", r.stdout)
        r = rolepress("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^rolepress \d+\.\d+")

    def test_usage_errors(self):
        for args in ([], ["frobnicate", ARTICLE], ["guide", ARTICLE], ["build"],
                     ["build", ARTICLE, "--paper", "a3"], ["build", ARTICLE, "--bogus"],
                     ["validate", ARTICLE, "extra"]):
            with self.subTest(args=args):
                r = rolepress(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("error:", r.stderr)

    def test_single_outputs(self):
        for cmd in ("guide", "cheatsheet"):
            out = os.path.join(self.tmp, cmd + ".pdf")
            r = rolepress(cmd, ARTICLE, "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.getsize(out) > 1000)

    def test_missing_output_directory(self):
        out = os.path.join(self.tmp, "no", "such", "dir", "guide.pdf")
        r = rolepress("guide", ARTICLE, "-o", out)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn(out, r.stderr)
        self.assertEqual(os.listdir(self.tmp), [])

    def test_output_under_a_regular_file(self):
        blocker = os.path.join(self.tmp, "file")
        open(blocker, "w").close()
        r = rolepress("build", ARTICLE, "--out-dir", blocker)
        self.assertEqual(r.returncode, 3, r.stderr)


def bad_sources(tmp):
    """Broken and hostile sources: (name, path). Binary ones are generated here."""
    cases = [(n, os.path.join(BAD, n)) for n in sorted(os.listdir(BAD)) if n.endswith(".xml")]
    with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
        good = f.read()
    variants = {
        "duplicate-role-id.xml": good.replace('id="editor"', 'id="writer"'),
        "unknown-path-role.xml": good.replace(
            "<p>Writers write; editors edit.</p>",
            '<p>Writers write.</p><role-paths role="nobody"/>'),
        "empty-paragraph.xml": good.replace("<p>Writers write; editors edit.</p>", "<p>  </p>"),
        "unknown-element.xml": good.replace("<p>Writers", "<blink/><p>Writers"),
        "astral-char.xml": good.replace("Writers write;", "Writers write \U0001F600;"),
        "c1-control.xml": good.replace("Writers write;", "Writers write\u0085;"),
        "c1-in-attribute.xml": good.replace('name="Writer"', 'name="Wri\u0085ter"'),
        "blank-title.xml": good.replace('title="Introduction"', 'title=" \t "'),
        "one-role.xml": re.sub(r'<role id="editor".*?</role>', "", good, flags=re.S),
    }
    for name, text in variants.items():
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        cases.append((name, path))
    binary = {
        "invalid-utf8.xml": good.encode().replace(b"Writers write;", b"Writers \xff\xfe write;"),
        "nul-byte.xml": good.encode().replace(b"Writers write;", b"Writers\x00 write;"),
        "garbage.bin": bytes((i * 7919) % 256 for i in range(4096)),
        "deep-nesting.xml": b"<article xmlns='urn:rolepress:article:1'>" + b"<x>" * 100000
        + b"</x>" * 100000 + b"</article>",
    }
    for name, data in binary.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        cases.append((name, path))
    return cases


class TestOutputPaths(Workdir):
    def test_symlink_is_written_through(self):
        real = os.path.join(self.tmp, "real")
        links = os.path.join(self.tmp, "links")
        os.mkdir(real)
        os.mkdir(links)
        target = os.path.join(real, "guide.pdf")
        with open(target, "wb") as f:
            f.write(b"old")
        os.symlink("../real/guide.pdf", os.path.join(links, "guide.pdf"))
        r = rolepress("guide", os.path.join(DATA, "minimal.xml"), "-o",
                      os.path.join(links, "guide.pdf"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.islink(os.path.join(links, "guide.pdf")))
        self.assertEqual(int(pdfinfo(target)["Pages"]), 1)
        self.assertEqual(sorted(os.listdir(real)), ["guide.pdf"])

    def test_non_regular_output_refused(self):
        fifo = os.path.join(self.tmp, "pipe.pdf")
        os.mkfifo(fifo)
        for path in (fifo, self.tmp):
            with self.subTest(path=path):
                r = rolepress("guide", os.path.join(DATA, "minimal.xml"), "-o", path)
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertIn("not a regular file", r.stderr)
        self.assertEqual(os.listdir(self.tmp), ["pipe.pdf"])

    def test_build_replaces_both_or_neither(self):
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)
        os.mkdir(os.path.join(out, "cheatsheet.pdf"))  # cannot be replaced by a file
        with open(os.path.join(out, "guide.pdf"), "wb") as f:
            f.write(b"old guide")
        r = rolepress("build", os.path.join(DATA, "minimal.xml"), "--out-dir", out)
        self.assertEqual(r.returncode, 3, r.stderr)
        with open(os.path.join(out, "guide.pdf"), "rb") as f:
            self.assertEqual(f.read(), b"old guide")
        self.assertEqual(sorted(os.listdir(out)), ["cheatsheet.pdf", "guide.pdf"])


class TestPathological(Workdir):
    """Inputs that used to cost super-linear time must stay fast (generous bound, no
    timing assertion beyond the hang guard)."""

    def test_huge_word(self):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace("Writers write; editors edit.", "Writers " + "x" * 2_000_000)
        path = os.path.join(self.tmp, "word.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        r = rolepress("build", path, "--out-dir", self.tmp, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr[:500])
        self.assertEqual(len(r.stderr.splitlines()), 1, "one warning for the paragraph")
        self.assertRegex(r.stderr, r"word.xml:\d+: warning: overfull line: \"x+\" does not fit the [\d.]+ pt measure")


class TestBadInput(Workdir):
    def test_bad_sources_fail_cleanly(self):
        for name, path in bad_sources(self.tmp):
            with self.subTest(source=name):
                out = os.path.join(self.tmp, "out-" + name)
                os.mkdir(out)
                keep = os.path.join(out, "guide.pdf")
                with open(keep, "wb") as f:
                    f.write(b"previous output")
                r = rolepress("build", path, "--out-dir", out, timeout=20)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertRegex(r.stderr, re.escape(path) + r":\d+(:\d+)?: error: ")
                self.assertNotIn("Segmentation", r.stderr)
                self.assertEqual(sorted(os.listdir(out)), ["guide.pdf"])
                with open(keep, "rb") as f:
                    self.assertEqual(f.read(), b"previous output")

    def test_every_problem_reported(self):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace('id="editor"', 'id="writer"').replace(
            'id="editor-practice"', 'id="writer-practice"')
        path = os.path.join(self.tmp, "two-problems.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        r = rolepress("validate", path)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(re.findall(r": error: duplicate id", r.stderr)), 2, r.stderr)

    def test_unreadable_inputs_are_io_errors(self):
        r = rolepress("validate", os.path.join(self.tmp, "nope.xml"))
        self.assertEqual(r.returncode, 3)
        self.assertIn("nope.xml: error: cannot open source: No such file", r.stderr)
        r = rolepress("validate", ARTICLE, "--style", self.tmp)
        self.assertEqual(r.returncode, 3)
        self.assertIn(self.tmp + ": error: cannot read style: Is a directory", r.stderr)


class TestGlyphs(Workdir):
    def test_missing_glyphs_are_reported_at_their_line(self):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace('name="Writer"', 'name="\u4f5c\u5bb6"')  # CJK: not in Noto Sans
        path = os.path.join(self.tmp, "cjk.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        line = next(i for i, l in enumerate(text.splitlines(), 1) if "\u4f5c" in l)
        g, c, r = self.build(path)
        for cp in ("U+4F5C", "U+5BB6"):
            self.assertRegex(r.stderr, rf"cjk.xml:{line}: warning: font '[^']+' has no glyph "
                             rf"for {re.escape(cp)}")
        self.assertEqual(len(r.stderr.splitlines()), 2, "one warning per character")


class TestGolden(unittest.TestCase):
    """Layout dumps compared with the committed expectations (make golden regenerates)."""

    def test_golden_dumps(self):
        gdir = os.path.join(ROOT, "tests", "golden")
        cases = sorted(f for f in os.listdir(gdir) if f.endswith(".dump"))
        self.assertTrue(cases, "no golden files")
        for name in cases:
            with self.subTest(case=name):
                kind, source = name[:-5].split("--", 1)
                r = rolepress(kind, os.path.join(DATA, source + ".xml"), "--dump=layout")
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(os.path.join(gdir, name), encoding="utf-8") as f:
                    expected = f.read()
                self.assertEqual(r.stdout, expected, f"layout of {name} changed; "
                                 "review and run make golden")


if __name__ == "__main__":
    # every tests/e2e*.py module (they share the helpers above by importing this one);
    # optional arguments select test name patterns, as with unittest -k
    loader = unittest.TestLoader()
    loader.testNamePatterns = [f"*{k}*" for k in sys.argv[1:]] or None
    suite = loader.discover(os.path.dirname(os.path.abspath(__file__)), pattern="e2e*.py")
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    # a test with failing subtests counts once
    failed = len({getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors})
    print(f"e2e: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
