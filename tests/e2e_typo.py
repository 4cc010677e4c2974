"""Typesetting quality measured on the PDFs by an independent oracle (tests/typo_oracle.py,
which reads only the PDF): inter-word gaps of justified lines and the right margin, for
every shipped style on A4 and Letter; and tests of the oracle itself, on synthetic word
boxes where the answer is known and on rolepress PDFs made to contain a bad line."""
import itertools
import json
import os
import re
import shutil
import tempfile
import unicodedata
import unittest
import xml.etree.ElementTree as ET

import typo_oracle as oracle
from e2e import A4, ARTICLE, DATA, STYLES, norm, rolepress, run

SNS = "{urn:rolepress:style:1}"
NS = "{urn:rolepress:article:1}"
PAPERS = ("a4", "letter")
UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


# ---- what a style promises (read from the style files, not from rolepress) ----------------

def style_chain(path):
    """The style's elements, base style first (extends= is relative to the file)."""
    root = ET.parse(path).getroot()
    ext = root.get("extends")
    base = style_chain(os.path.join(os.path.dirname(path), ext)) if ext else []
    return base + [root]


def length(text):
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*(pt|mm|cm|in)\s*", text)
    if not m:
        raise ValueError(f"not an absolute length: {text!r}")
    return float(m.group(1)) * UNIT[m.group(2)]


def promised(style):
    """(left margin, right margin, mirror, body size, body align) of a style, with the
    built-in defaults of styles/README.md underneath."""
    left = right = length("22mm")
    mirror, size, align = False, 10.0, "justify"
    for root in style_chain(style):
        for page in root.findall(SNS + "page"):
            if page.get("margin"):
                left = right = length(page.get("margin"))
            if page.get("margin-left"):
                left = length(page.get("margin-left"))
            if page.get("margin-right"):
                right = length(page.get("margin-right"))
            if page.get("mirror-margins"):
                mirror = page.get("mirror-margins") == "yes"
        for t in root.findall(SNS + "text"):
            if t.get("role") == "body":
                size = length(t.get("size")) if t.get("size") else size
                align = t.get("align") or align
    return left, right, mirror, size, align


def measure(pdf, style, align=None):
    """The oracle's report on pdf, told what the style promises."""
    left, right, mirror, size, body_align = promised(style)
    opts = oracle.Options(align or body_align, (left, right, mirror), size)
    return oracle.analyse(oracle.bbox_pages(pdf), oracle.pdf_metrics(pdf), opts)


def paragraph_text(source):
    """Normalised text of every paragraph and list item of a source, one string."""
    root = ET.parse(source).getroot()
    units = [norm("".join(e.itertext())) for e in root.iter()
             if e.tag in (NS + "p", NS + "item")]
    return unicodedata.normalize("NFKC", " \u00b6 ".join(units))


def line_in_source(text, body):
    """A line's text is in the source paragraphs (a hyphen added at a break aside)."""
    t = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    t = re.sub(r"^[\u2022\u25e6\u25aa] ", "", t)                 # a list bullet
    t = re.sub(r"[-\u2010]$", "", t)
    return t in body


class Builds(unittest.TestCase):
    """The guide of the article in every shipped style on both papers, built once."""
    reports = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="rolepress-typo-")
        if Builds.reports is None:
            Builds.reports = {}
            for style in STYLES:
                for paper in PAPERS:
                    pdf = os.path.join(cls.tmp, f"{os.path.basename(style)[:-4]}-{paper}.pdf")
                    r = rolepress("guide", ARTICLE, "--style", style, "--paper", paper, "-o", pdf)
                    if r.returncode != 0:
                        raise AssertionError(r.stderr)
                    Builds.reports[(style, paper)] = measure(pdf, style)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def cases():
        return [(style, paper, rep) for (style, paper), rep in sorted(Builds.reports.items())]


class TestTypography(Builds):
    def test_justified_gaps_and_right_margin(self):
        """The target of "Typesetting on a par with TeX": on justified lines other than a
        paragraph's last, 98 % have every inter-word gap at most 1.6 times the natural
        space and none has one above 2.2 times; no text runs past the right margin."""
        for style, paper, rep in self.cases():
            with self.subTest(style=os.path.basename(style), paper=paper):
                self.assertEqual(rep["failures"], [], "\n" + oracle.human(
                    f"{os.path.basename(style)} on {paper}", rep))

    def test_oracle_sees_the_body_text(self):
        """The oracle's own assumptions hold on these PDFs: it finds the alignment the style
        asks for, the text block where the margins put it, the natural space the fonts
        give (and the ragged lines show), and every line it measures is paragraph text."""
        body = paragraph_text(ARTICLE)
        for style, paper, rep in self.cases():
            with self.subTest(style=os.path.basename(style), paper=paper):
                self.check_assumptions(style, rep, body)

    def check_assumptions(self, style, rep, body):
        left, right, mirror, size, align = promised(style)
        self.assertEqual(rep["alignment"]["detected"], align)
        self.assertEqual(rep["edge_mismatches"], [])
        self.assertEqual(rep["pages_without_edge"], [])
        self.assertAlmostEqual(rep["body"]["size"], size, delta=0.01)
        self.assertAlmostEqual(rep["body"]["natural_space_on_ragged_lines"],
                               rep["body"]["natural_space"],
                               delta=0.02 * rep["body"]["natural_space"])
        # one contents entry per heading: 9 sections and 5 paths
        self.assertEqual(rep["excluded"]["contents"], 14)
        if align == "justify":
            self.assertGreater(rep["justified_lines"], 30)
            self.assertGreater(rep["gaps"], 10 * rep["justified_lines"])
        else:
            self.assertEqual(rep["justified_lines"], 0)
        for line in rep["lines"]:
            self.assertTrue(line_in_source(line["text"], body),
                            f"measured a line that is no paragraph text: {line}")


# ---- the oracle on synthetic word boxes -----------------------------------------------

H = 13.62                     # a 10 pt Noto Serif box
K = 0.26 / 1.362              # natural space per pt of box height: n = 2.6 pt
N = H * K
SERIAL = itertools.count()    # every synthetic word differs (same lines on 3 pages are a foot)
L, R, W = 62.0, 533.0, 595.0


def name(k):
    """A word made of letters only (digits are ignored when running feet are compared)."""
    out = ""
    while True:
        out += "abcdefghijklmnopqrstuvwxyz"[k % 26]
        k //= 26
        if not k:
            return out


def row(y, gaps, x0=L, x1=R, h=H, texts=None):
    """Words on the baseline box bottom y from x0 to x1, separated by the given gaps (in
    natural spaces); the word widths share what the gaps leave."""
    widths = (x1 - x0 - sum(g * N for g in gaps)) / (len(gaps) + 1)
    assert widths > 0
    words, x = [], x0
    for i in range(len(gaps) + 1):
        t = texts[i] if texts else name(next(SERIAL))
        words.append((x, y - h, x + widths, y, t))
        if i < len(gaps):
            x += widths + gaps[i] * N
    return words


def xhtml(*pages):
    """A pdftotext -bbox-layout document; a page is (width, height, words); pdftotext's
    flows, blocks and lines are left out, as the oracle rebuilds lines from words."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
           '<head><title></title></head><body><doc>']
    for w, h, words in pages:
        out.append(f'<page width="{w}" height="{h}"><flow><block><line>')
        for x0, y0, x1, y1, t in words:
            t = t.replace("&", "&amp;").replace("<", "&lt;")
            out.append(f'<word xMin="{x0:.6f}" yMin="{y0:.6f}" xMax="{x1:.6f}" yMax="{y1:.6f}">{t}</word>')
        out.append("</line></block></flow></page>")
    out.append("</doc></body></html>")
    return "".join(out)


def analyse(*pages, **opts):
    metrics = oracle.Metrics([], [], space_ratio=K)
    return oracle.analyse(oracle.parse_bbox(xhtml(*pages)), metrics, oracle.Options(**opts))


def paragraph(y, lines, last_gaps=6, last_x1=300.0):
    """Words of a paragraph: each entry of lines is a justified line's gaps; a ragged last
    line with natural gaps follows. Returns (words, y below the paragraph)."""
    words = []
    for gaps in lines:
        words += row(y, gaps)
        y += 14
    words += row(y, [1.0] * last_gaps, x1=last_x1)
    return words, y + 20


class TestOracleLogic(unittest.TestCase):
    def test_counts_gaps_ratios_and_last_lines(self):
        a, y = paragraph(100, [[1.2] * 8, [1.5] * 7 + [2.5], [1.7] * 6])
        b, _ = paragraph(y, [[1.1] * 9], last_gaps=4, last_x1=200.0)
        rep = analyse((W, 842, a + b))
        self.assertEqual(rep["failures"][:2], [
            "50.0 % of justified lines have every gap <= 1.6x (target 98 %)",
            "1 justified lines have a gap > 2.2x (worst 2.50x)"])
        self.assertEqual(rep["justified_lines"], 4)          # last lines not measured
        self.assertEqual(rep["gaps"], 8 + 8 + 6 + 9)
        self.assertAlmostEqual(rep["worst_ratio"], 2.5, places=3)
        self.assertEqual(rep["lines_over_hard"], 1)
        self.assertAlmostEqual(rep["min_ratio"], 1.1, places=3)
        self.assertEqual(rep["worst"][0]["y"], 114.0)
        self.assertEqual(rep["alignment"]["detected"], "justify")
        self.assertAlmostEqual(rep["body"]["natural_space"], N, places=4)
        self.assertEqual(rep["body"]["natural_space_on_ragged_lines"], round(N, 2))
        self.assertEqual(rep["body"]["leading"], 14.0)
        self.assertEqual(rep["edges"][0]["left"], L)
        self.assertEqual(rep["edges"][0]["right"], R)

    def test_good_paragraphs_pass_and_limits_are_inclusive(self):
        a, y = paragraph(100, [[1.6] * 5, [2.2 / 1.6] * 5, [0.8] * 6, [1.0] * 7])
        rep = analyse((W, 842, a))
        self.assertEqual(rep["failures"], [])
        self.assertEqual(rep["share_le_soft"], 100.0)
        a, y = paragraph(100, [[1.0] * 5, [1.0] * 4 + [1.61], [1.0] * 6, [1.0] * 7])
        a += row(y, [2.21] + [1.0] * 5) + row(y + 14, [1.0] * 3, x1=200)
        rep = analyse((W, 842, a))
        self.assertEqual(rep["justified_lines"], 5)
        self.assertEqual(rep["share_le_soft"], 60.0)
        self.assertEqual(rep["lines_over_hard"], 1)

    def test_overflow_past_the_edge(self):
        a, y = paragraph(100, [[1.0] * 5] * 4)
        a += row(y, [1.0] * 5, x1=R + 0.4) + row(y + 14, [1.0] * 5, x1=R + 0.6)
        a += row(y + 28, [1.0] * 2, x1=250)
        rep = analyse((W, 842, a), margins=(L, W - R, False))
        self.assertEqual([o["xMax"] for o in rep["overflow"]], [round(R + 0.6, 2)])
        self.assertIn("1 words run past the right edge by more than 0.5 pt", rep["failures"])
        self.assertEqual(rep["justified_lines"], 5)           # within 0.5 pt is flush
        self.assertEqual([u["y"] for u in rep["unjustified_nonlast"]], [y + 14])
        # a word of any size counts, e.g. a table cell or a figure label
        small = [(R - 50, 300, R + 3, 311.58, "label")]
        rep = analyse((W, 842, a[:-3 * 3] + small + row(y + 28, [1.0] * 2, x1=250)))
        self.assertEqual([o["word"] for o in rep["overflow"]], ["label"])

    def test_mirrored_edges_per_page(self):
        pages = []
        for number in (1, 2, 3):
            left, right = (80.0, W - 50.0) if number % 2 else (50.0, W - 80.0)
            words = []
            for y in (100, 114, 128, 142):
                words += row(y, [1.1] * 8, x0=left, x1=right)
            words += row(156, [1.0] * 4, x0=left, x1=right - 100)
            pages.append((W, 842, words))
        rep = analyse(*pages, margins=(80.0, 50.0, True))
        self.assertEqual([(e["left"], e["right"]) for e in rep["edges"]],
                         [(80.0, W - 50.0), (50.0, W - 80.0), (80.0, W - 50.0)])
        self.assertEqual(rep["failures"], [])
        self.assertEqual(rep["justified_lines"], 12)
        rep = analyse(*pages, margins=(80.0, 50.0, False))
        self.assertEqual(rep["edge_mismatches"],
                         [{"page": 2, "side": "left", "inferred": 50.0, "given": 80.0},
                          {"page": 2, "side": "right", "inferred": W - 80.0, "given": W - 50.0}])
        # a page with too few lines takes the edges of its parity
        short = (W, 842, row(100, [1.0] * 3, x0=50.0, x1=300.0))
        rep = analyse(*pages, short)
        self.assertEqual((rep["edges"][3]["left"], rep["edges"][3]["right"],
                          rep["edges"][3]["right_from"]), (50.0, W - 80.0, "parity"))

    def test_contents_furniture_and_lists_are_not_body_lines(self):
        words = []
        y = 100
        for k in range(1, 4):                     # contents entries with a leader gap
            words += [(L, y - H, L + 6, y, str(k)), (L + 14, y - H, L + 90, y, "Heading"),
                      (R - 6, y - H, R, y, str(k + 1))]
            y += 15
        a, y = paragraph(y + 20, [[1.1] * 6] * 3)
        words += a
        # a list: bullet hanging in the indent, text at L + 14, ragged (not a failure)
        for item in range(2):
            words += [(L + 3.5, y - H, L + 7, y, "\u2022")] + row(y, [1.0] * 5, x0=L + 14, x1=400)
            words += row(y + 14, [1.0] * 3, x0=L + 14, x1=300)
            y += 30
        # a list item's line that happens to end at the edge: the bullet gap is no space
        words += [(L + 3.5, y - H, L + 7, y, "\u2022")] + row(y, [1.0] * 9, x0=L + 14)
        words += row(y + 14, [1.0] * 3, x0=L + 14, x1=300)
        pages = []
        for number in (1, 2, 3):                  # a running foot at the body size
            foot = row(800, [1.0, 1.0, 60.0, 1.0, 1.0],
                       texts=["Product", "vs", "Owner", "page", str(number), "of 3"])
            more = paragraph(100, [[1.1] * 6] * 3)[0] if number > 1 else []
            pages.append((W, 842, (words if number == 1 else more) + foot))
        rep = analyse(*pages)
        self.assertEqual(rep["excluded"]["contents"], 3)
        self.assertEqual(rep["excluded"]["furniture"], 3)
        self.assertEqual(rep["excluded"]["list_lines"], 3)
        self.assertEqual(rep["unjustified_nonlast"], [])
        self.assertEqual(rep["failures"], [])
        self.assertEqual(rep["justified_lines"], 3 * 3 + 1)
        self.assertAlmostEqual(rep["worst_ratio"], 1.1, places=3)

    def test_ragged_line_inside_a_justified_paragraph(self):
        a, y = paragraph(100, [[1.1] * 6] * 3)
        b = row(y, [1.0] * 6, x1=450) + row(y + 14, [1.0] * 6, x1=300)   # first not flush
        rep = analyse((W, 842, a + b))
        self.assertEqual([u["y"] for u in rep["unjustified_nonlast"]], [y])
        self.assertIn("1 lines of justified paragraphs are ragged but are not a paragraph's "
                      "last line", rep["failures"])
        one = [(L, y + 34 - H, 150, y + 34, "word")] + row(y + 48, [1.0] * 2, x1=250)
        rep = analyse((W, 842, a + one))
        self.assertEqual([s["text"] for s in rep["single_word_nonlast"]], ["word"])
        self.assertEqual(rep["failures"], [])

    def test_flush_last_lines(self):
        # a paragraph whose last line is full is not measured; a page's last line is
        a, y = paragraph(100, [[1.1] * 6] * 3)
        b = row(y, [1.1] * 6) + row(y + 14, [3.0] * 6)             # flush, then a gap
        c = row(y + 34, [1.2] * 6) + row(y + 48, [1.3] * 6)        # the page's last line
        rep = analyse((W, 842, a + b + c))
        self.assertEqual([f["y"] for f in rep["flush_last_lines"]], [y + 14])
        self.assertEqual(rep["justified_lines"], 3 + 1 + 2)
        self.assertAlmostEqual(rep["worst_ratio"], 1.3, places=3)

    def test_word_pieces_and_fallback_glyphs(self):
        a, y = paragraph(100, [[1.1] * 6] * 3)
        b = row(y, [1.1] * 6, texts=["why", "and", "what", "the", "team", "is", "x"])
        # "what" and ";" are separate boxes with no gap (a font change in a word)
        w = b[2]
        b[2:3] = [(w[0], w[1], w[2] - 2, w[3], "what"), (w[2] - 2, w[1], w[2], w[3], ";")]
        # a glyph from a fallback font: another box height on the same baseline
        c = row(y + 14, [1.0] * 4, x1=250)
        base = y + 14 - 0.293 * 10
        c[2] = (c[2][0], base - 9.28, c[2][2], base + 2.36, "\u2194")
        rep = analyse((W, 842, a + b + c))
        self.assertEqual(rep["excluded"]["attached_words"], 1)
        self.assertEqual(rep["justified_lines"], 4)
        self.assertEqual(rep["gaps"], 18 + 6)
        self.assertIn("what;", [l["text"].split()[2] for l in rep["lines"]])
        self.assertEqual(rep["body"]["natural_space_on_ragged_lines"], round(N, 2))

    def test_ragged_style(self):
        words, y = [], 100
        for k in range(4):
            for i in range(3):
                words += row(y, [1.0] * 6, x1=400 + 7.3 * (3 * k + i))
                y += 14
            words += row(y, [1.0] * 2, x1=200 + 11.1 * k)
            y += 20
        rep = analyse((W, 842, words), margins=(L, W - R, False))
        self.assertEqual(rep["alignment"]["detected"], "left")
        self.assertEqual(rep["justified_lines"], 0)
        self.assertEqual(rep["failures"], [])
        rep = analyse((W, 842, words), margins=(L, W - R, False), align="justify")
        self.assertIn("alignment: expected justify, the lines look left (0% of non-last "
                      "lines flush)", rep["failures"])
        # without margins the right edge of a ragged page is unknown
        rep = analyse((W, 842, words))
        self.assertEqual(rep["pages_without_edge"], [1])

    def test_natural_space_disagreement(self):
        """Paragraphs' last lines set with spaces 1.4 times the font's: the font's natural
        space is not what the PDF uses, and the oracle says so."""
        words, y = [], 100
        for _ in range(2):
            for _ in range(3):
                words += row(y, [1.1] * 6)
                y += 14
            words += row(y, [1.4] * 6, x1=300)
            y += 34
        rep = analyse((W, 842, words))
        self.assertAlmostEqual(rep["body"]["natural_space_on_ragged_lines"], 1.4 * N, delta=0.01)
        self.assertIn("the natural space measured on ragged lines differs from the font's",
                      rep["failures"])


class TestOracleMetrics(unittest.TestCase):
    """Reading the natural space out of the PDF's font data."""

    def test_tounicode_space_codes(self):
        cmap = ("1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                "2 beginbfchar <0003> <0020> <0004> <0041> endbfchar\n"
                "1 beginbfrange <0010> <0012> <001F> endbfrange\n"
                "1 beginbfrange <0100> <0101> [<0061> <0020>] endbfrange\n")
        self.assertEqual(sorted(oracle.cmap_space_codes(cmap)), [3, 0x11, 0x101])

    def test_cid_widths(self):
        w = [1, [500, 600], 10, 20, 260, 32, [260]]
        self.assertEqual(oracle.cid_width(w, 2, 1000), 600)
        self.assertEqual(oracle.cid_width(w, 15, 1000), 260)
        self.assertEqual(oracle.cid_width(w, 32, 1000), 260)
        self.assertEqual(oracle.cid_width(w, 40, 1000), 1000)

    def test_natural_space_from_fonts(self):
        serif = oracle.FontInfo("Serif", 1.362, 0.26, "pdf /W")
        sans = oracle.FontInfo("Sans", 1.362, 0.26, "pdf /W")
        mono = oracle.FontInfo("Mono", 1.2, 0.6, "pdf /W")
        fonts = oracle.Metrics([serif, sans, mono], [10, 8.5])
        n, size, names, others = oracle.natural_space(13.62, fonts)
        self.assertAlmostEqual(n, 2.6)
        self.assertAlmostEqual(size, 10)
        self.assertEqual((names, others), (["Sans", "Serif"], []))   # 13.62 / 1.2 is no Tf size
        n, size, names, others = oracle.natural_space(12.0, oracle.Metrics([serif, mono], [10, 8.81]))
        self.assertEqual([g[2] for g in others], [["Mono"]])         # two fonts could set it
        with self.assertRaisesRegex(oracle.OracleError, "assumption 1 fails"):
            oracle.natural_space(13.62, oracle.Metrics([serif], [9, 11]))

    def test_font_file(self):
        path = oracle.system_font("NotoSerif-Regular")
        if not path:
            self.skipTest("Noto Serif is not installed")
        self.assertEqual(oracle.ttf_space(path), (0.26, 1.362))


# ---- the oracle on rolepress PDFs made to contain a bad line ------------------------------

def noto():
    path = oracle.system_font("NotoSerif-Regular")
    if not path:
        raise unittest.SkipTest("Noto Serif is not installed")
    return oracle.ttf_read(path)


class TestOracleOnRolepress(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rolepress-oracle-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def source(self, paragraph):
        with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
            text = f.read()
        filler = ("Writers write and editors edit, and the two crafts meet on every page "
                  "that either of them touches in the course of a working day. ") * 3
        text = text.replace("<p>Writers write; editors edit.</p>",
                            f"<p>{filler}</p><p>{paragraph}</p><p>{filler}</p>")
        path = os.path.join(self.tmp, "bad-line.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_unavoidable_wide_line(self):
        """"Go on" and then a number that fills a line but for a few points: no breaker can
        set "Go on" without a wide gap (or a ragged, underfull or overfull line), and the
        oracle must say so; when the line is justified, the gap is what the font's widths
        say it must be."""
        style = STYLES[0]
        left, right, _, size, _ = promised(style)
        upem, _, _, adv = noto()
        measure_pt = A4[0] - left - right
        digit = adv("3") * size / upem
        token = ("31415926535897932384626433832795028841971693993751" * 3)[
            :int((measure_pt - 4) // digit)]
        path = self.source(f"Go on {token} and then the paragraph ends in a few more words "
                           "of plain text.")
        pdf = os.path.join(self.tmp, "guide.pdf")
        r = rolepress("guide", path, "--style", style, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        rep = measure(pdf, style)
        self.assertNotEqual(rep["failures"], [], oracle.human(pdf, rep))
        go_on = [l for l in rep["lines"] if l["text"] == "Go on"]
        found = (go_on or [u for u in rep["unjustified_nonlast"] if u["text"] == "Go on"]
                 or [s for s in rep["single_word_nonlast"] if s["text"] == "Go"]
                 or [o for o in rep["overflow"] if token in o["word"]])
        self.assertTrue(found, oracle.human(pdf, rep))
        if go_on:
            gap = measure_pt - sum(adv(c) for c in "Goon") * size / upem
            # letter spacing (at most 0.018 em after each glyph but a word's last: two
            # here) may take up to 0.036 em of the gap
            self.assertAlmostEqual(go_on[0]["max_ratio"], gap / (0.26 * size),
                                   delta=0.05 + 0.036 / 0.26)
            self.assertGreater(rep["lines_over_hard"], 0)

    def test_too_long_word(self):
        """A word longer than the measure: rolepress either breaks it between letters (and
        says so), and then nothing may run past the edge, or says it does not fit, and
        then the oracle must find it past the edge."""
        style = STYLES[0]
        token = ("extract-transform-load-orchestration-pipeline-identifier-for-the-quarterly-"
                 "reporting-warehouse-and-its-nightly-jobs").replace("-", "\u2011")
        path = self.source(f"See {token} for details, and a few more words of plain text.")
        pdf = os.path.join(self.tmp, "guide.pdf")
        r = rolepress("guide", path, "--style", style, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("does not fit", r.stderr)
        rep = measure(pdf, style)
        if "broken" in r.stderr:
            self.assertEqual(rep["overflow"], [], oracle.human(pdf, rep))
        else:
            self.assertTrue(rep["overflow"], oracle.human(pdf, rep))
            self.assertTrue(any(token[:20] in o["word"] for o in rep["overflow"]))

    def test_text_past_the_promised_margin(self):
        """Told that the right margin is 8 mm wider than the one used, the oracle finds
        the text block's edge 8 mm too far right and the justified lines past it."""
        style = STYLES[0]
        pdf = os.path.join(self.tmp, "guide.pdf")
        r = rolepress("guide", ARTICLE, "--style", style, "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        left, right, mirror, size, align = promised(style)
        wider = right + length("8mm")
        rep = oracle.analyse(oracle.bbox_pages(pdf), oracle.pdf_metrics(pdf),
                             oracle.Options(align, (left, wider, mirror), size))
        pages = rep["pages"]
        self.assertEqual([(m["page"], m["side"]) for m in rep["edge_mismatches"]],
                         [(p, "right") for p in range(1, pages + 1)])
        excess = {round(o["excess"], 1) for o in rep["overflow"]}
        self.assertIn(round(length("8mm"), 1), excess)
        self.assertGreater(len(rep["overflow"]), rep["justified_lines"])

    def test_command_line(self):
        pdf = os.path.join(self.tmp, "guide.pdf")
        r = rolepress("guide", os.path.join(DATA, "three-roles.xml"), "-o", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "typo_oracle.py")
        r = run("python3", script, "--json", pdf)
        self.assertEqual(r.returncode, 0, r.stderr)
        rep = json.loads(r.stdout)[pdf]
        self.assertGreater(rep["justified_lines"], 0)
        r = run("python3", script, "--check", pdf)
        self.assertEqual(r.returncode, 1 if rep["failures"] else 0, r.stdout + r.stderr)
        self.assertIn("justified lines measured", r.stdout)
        r = run("python3", script, "--check", os.path.join(self.tmp, "missing.pdf"))
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
