#!/usr/bin/env python3
"""Typographic oracle: measure the inter-word gaps of justified body text in a PDF.

It knows nothing of rolepress. It reads the PDF with poppler's `pdftotext -bbox-layout`
(one box per word) and qpdf (the fonts' own metrics and the content streams), and reports:
- how many justified lines it measured and how many inter-word gaps;
- the share of those lines whose widest gap is at most 1.6 times the natural space;
- the widest gap, and how many lines have a gap wider than 2.2 times the natural space;
- every word whose box runs past the right edge of the text block by more than 0.5 pt;
- lines of justified paragraphs that were left ragged although they are not a paragraph's
  last line (a breaker must not dodge a loose line by not justifying it).

    python3 tests/typo_oracle.py [--json] [--check] [--align auto|justify|left]
                                 [--body-size PT] [--margins LEFT,RIGHT[,mirror]] PDF...

--check exits 1 when a target fails; exit status 2 means the oracle could not measure (a
tool is missing, or one of the assumptions below does not hold for this PDF).

How it measures, and what it assumes (the checks named are made on every PDF; the
assumptions that only the source can confirm are checked by tests/e2e_typo.py):

1. Word boxes. A poppler word box spans the advance widths of its glyphs horizontally and,
   vertically, the font's ascent to its descent: the font descriptor's /Ascent and
   /Descent (per 1000 em). So a box of height h is text of size h / ((Ascent - Descent) /
   1000). Checked: for the body text's height that size must be one the content streams
   select with Tf (and no Tm or Tz scales text; a note says so if one does, and if Tc
   spaces letters, which would fill a line without widening its gaps).
2. Natural space: the advance of the body font's space glyph times the size; taken from
   the PDF (the /W or /Widths entry of the code that the font's ToUnicode map sends to
   U+0020), else from the installed font that fontconfig finds for the font's PostScript
   name (its cmap and hmtx tables); both are compared when both exist. When the embedded
   fonts that could have set the body text disagree on it, the ragged lines must single
   one out. Checked: the commonest gap on lines that are not flush (paragraphs' last lines,
   ragged text) is the natural space within 2 %; when it is not, that is a failure.
3. Body text is the box height with the most words in lines that start at the page's
   leftmost text and have no gap wider than 0.8 of the height (table rows and contents
   entries have wider ones), unless --body-size names its size.
4. Lines are rebuilt from the word boxes, not taken from poppler (whose lines split at wide
   gaps, which is what is looked for): body-height words on one baseline are a line. A word
   of another height inside such a line (a fallback font) joins it. Boxes closer than a
   quarter of the natural space are one word (poppler splits a word where the font
   changes, e.g. an emphasised word before a comma).
5. The text block, per page (mirrored margins move it): its left edge is the leftmost start
   shared by 2 lines, its right edge the commonest end shared by at least 3 lines and a
   quarter of the page's lines (within 0.05 pt). A page without such an edge, or whose
   lines all start right of the edge most pages of its parity agree on (a page of list
   items), takes the edge of its parity, else of the document. With --margins, the edges
   the style promises are the limit for the overflow test, and the inferred edges must
   agree with them within 0.5 pt (a failure otherwise).
6. Justified lines are body lines that end within 0.5 pt of the right edge, start before
   the first quarter of the measure and are not a paragraph's last line. A paragraph's
   lines follow each other at the leading (the commonest distance between body lines); a
   line followed at another distance, by a line that starts further right, or by a list
   item ends its paragraph (a flush one is reported, not measured). A page's last body
   line is measured when it is flush. Not body lines: contents entries (a section number
   first, a page number last, a gap of at least 3 natural spaces between) and running heads
   and feet (the same text, digits aside, at the same height on 3 pages or more). The gap
   after a list bullet (a character of BULLETS alone at the start of a line) is the list
   indent. Paragraphs are told apart by vertical space or an indent; tables, captions,
   headings and figure labels are set at another size than the body or do not span the
   measure. Lines of a justified paragraph that are not flush are failures, except lines
   of one word (underfull, reported): a breaker must not dodge a loose line by leaving it
   ragged.
7. A ratio is a gap divided by the natural space; the targets allow 0.001 for the
   6-decimal coordinates poppler prints. The overflow test covers every word on the page.
"""
import argparse
import base64
import collections
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SOFT, HARD, SHARE = 1.6, 2.2, 98.0     # the targets: ratio, ratio, per cent of lines
EPS = 1e-3                             # ratio tolerance (poppler prints 6 decimals)
FLUSH = 0.5                            # pt: a line ending this close to the edge is flush
OVERFLOW = 0.5                         # pt: a word ending further right overflows
SAME_Y = 0.05                          # pt: words on one baseline
SAME_H = 0.05                          # pt: words of one size
EDGE_CLUSTER = 0.05                    # pt: line ends that make an edge
EDGE_MIN = 3                           # lines that must share an edge on a page
LEADING_TOL = 0.25                     # pt
BULLETS = set("\u2022\u25e6\u25aa\u25ab\u2023\u2043\u2219\u25cf\u25cb\u25a0\u25a1\u25c6\u25c7\u27a2\u27a4")
WORST = 5


class OracleError(Exception):
    """The oracle cannot measure this PDF (missing tool, broken assumption)."""


class Word:
    __slots__ = ("x0", "y0", "x1", "y1", "text")

    def __init__(self, x0, y0, x1, y1, text):
        self.x0, self.y0, self.x1, self.y1, self.text = x0, y0, x1, y1, text

    @property
    def h(self):
        return self.y1 - self.y0

    def __repr__(self):
        return f"Word({self.x0:.2f},{self.y0:.2f},{self.x1:.2f},{self.y1:.2f},{self.text!r})"


class Page:
    def __init__(self, number, width, height, words):
        self.number, self.width, self.height, self.words = number, width, height, words


# ---- reading the PDF ----------------------------------------------------------------------

def tool(name):
    if not shutil.which(name):
        raise OracleError(f"{name} is not installed")
    return name


def parse_bbox(text):
    """Pages of a `pdftotext -bbox-layout` (or -bbox) XHTML document."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise OracleError(f"cannot parse the bbox XHTML: {e}") from None
    pages = []
    for n, p in enumerate(root.iter(XHTML + "page"), 1):
        words = [Word(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                      float(w.get("yMax")), w.text or "") for w in p.iter(XHTML + "word")]
        pages.append(Page(n, float(p.get("width")), float(p.get("height")), words))
    return pages


def bbox_pages(pdf):
    r = subprocess.run([tool("pdftotext"), "-bbox-layout", pdf, "-"], capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        raise OracleError(f"pdftotext failed on {pdf}: {r.stderr.strip()}")
    return parse_bbox(r.stdout)


class FontInfo:
    def __init__(self, name, ratio, space, source):
        self.name = name          # PostScript name without the subset tag
        self.ratio = ratio        # (Ascent - Descent) / 1000: box height per pt of size
        self.space = space        # advance of the space glyph per pt of size (em)
        self.source = source      # where the space width came from

    def as_dict(self):
        return {"name": self.name, "box_height_per_pt": round(self.ratio, 6),
                "space_em": round(self.space, 6) if self.space is not None else None,
                "space_from": self.source}


class Metrics:
    """What the PDF says about its fonts: FontInfo per font, the Tf sizes in use, notes."""

    def __init__(self, fonts, sizes, notes=(), space_ratio=None):
        self.fonts, self.sizes, self.notes = fonts, sorted(sizes), list(notes)
        # natural space per pt of body box height, when given instead of fonts (tests)
        self.space_ratio = space_ratio


def ttf_read(path):
    """(unitsPerEm, ascender, descender, advance) of a TrueType/OpenType font file, read
    from its head, hhea, cmap (format 4) and hmtx tables; advance(char) is the advance
    width of char in font units, or None when the font lacks it."""
    with open(path, "rb") as f:
        d = f.read()
    base = struct.unpack(">I", d[12:16])[0] if d[:4] == b"ttcf" else 0
    tables = {}
    for i in range(struct.unpack(">H", d[base + 4:base + 6])[0]):
        tag, _, off, _ = struct.unpack(">4sIII", d[base + 12 + 16 * i:base + 28 + 16 * i])
        tables[tag.decode("latin-1")] = off
    upem = struct.unpack(">H", d[tables["head"] + 18:tables["head"] + 20])[0]
    o = tables["hhea"]
    asc, desc = struct.unpack(">hh", d[o + 4:o + 8])
    nhm = struct.unpack(">H", d[o + 34:o + 36])[0]
    o = tables["cmap"]
    seg4 = None
    for i in range(struct.unpack(">H", d[o + 2:o + 4])[0]):
        pid, eid, off = struct.unpack(">HHI", d[o + 4 + 8 * i:o + 12 + 8 * i])
        s = o + off
        unicode = (pid, eid) in ((0, 0), (0, 1), (0, 3), (0, 4), (3, 1))
        if struct.unpack(">H", d[s:s + 2])[0] == 4 and unicode:
            segx2 = struct.unpack(">H", d[s + 6:s + 8])[0]
            seg = segx2 // 2
            st = s + 16 + segx2
            ro = st + 2 * segx2
            seg4 = (struct.unpack(f">{seg}H", d[s + 14:s + 14 + segx2]),
                    struct.unpack(f">{seg}H", d[st:st + segx2]),
                    struct.unpack(f">{seg}h", d[st + segx2:ro]),
                    struct.unpack(f">{seg}H", d[ro:ro + segx2]), ro)
            break
    hmtx = tables["hmtx"]

    def advance(ch):
        c = ord(ch)
        if seg4 is None:
            return None
        ends, starts, deltas, offs, ro = seg4
        for k in range(len(ends)):
            if starts[k] <= c <= ends[k]:
                if offs[k] == 0:
                    gid = (c + deltas[k]) & 0xFFFF
                else:
                    a = ro + 2 * k + offs[k] + 2 * (c - starts[k])
                    g = struct.unpack(">H", d[a:a + 2])[0]
                    gid = (g + deltas[k]) & 0xFFFF if g else 0
                if not gid:
                    return None
                g = min(gid, nhm - 1)
                return struct.unpack(">H", d[hmtx + 4 * g:hmtx + 4 * g + 2])[0]
        return None

    return upem, asc, desc, advance


def ttf_space(path):
    """(space advance, (ascender - descender)) of a font file, per unit of size."""
    upem, asc, desc, advance = ttf_read(path)
    adv = advance(" ")
    return (adv / upem if adv is not None else None), (asc - desc) / upem


def system_font(psname):
    """Path of the installed font whose PostScript name is psname, or None."""
    if not shutil.which("fc-match"):
        return None
    r = subprocess.run(["fc-match", "-f", "%{postscriptname}\t%{file}", f":postscriptname={psname}"],
                       capture_output=True, text=True, timeout=30)
    name, _, path = r.stdout.partition("\t")
    return path if r.returncode == 0 and name == psname and os.path.isfile(path) else None


def cmap_space_codes(cmap):
    """Codes that a ToUnicode CMap maps to U+0020."""
    codes = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            if int(dst, 16) == 0x20:
                codes.append(int(src, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                                       r"(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if rest.startswith("<"):
                base = int(rest[1:-1], 16)
                if base <= 0x20 <= base + hi - lo:
                    codes.append(lo + 0x20 - base)
            else:
                for k, dst in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", rest)):
                    if int(dst, 16) == 0x20:
                        codes.append(lo + k)
    return codes


def cid_width(w, cid, default):
    """Width of cid in a CIDFont /W array (as qpdf's JSON gives it)."""
    i = 0
    while i < len(w):
        first = w[i]
        if i + 1 < len(w) and isinstance(w[i + 1], list):
            widths = w[i + 1]
            if first <= cid < first + len(widths):
                return widths[cid - first]
            i += 2
        else:
            if first <= cid <= w[i + 1]:
                return w[i + 2]
            i += 3
    return default


def pdf_metrics(pdf):
    """Fonts, Tf sizes and notes of a PDF, read with qpdf's JSON (decoded streams)."""
    r = subprocess.run([tool("qpdf"), "--json", "--json-key=qpdf", "--json-key=pages",
                        "--json-stream-data=inline", "--decode-level=generalized", pdf],
                       capture_output=True, text=True, timeout=120)
    if r.returncode not in (0, 3):
        raise OracleError(f"qpdf failed on {pdf}: {r.stderr.strip()}")
    d = json.loads(r.stdout)
    objs = d["qpdf"][1]

    def get(ref):
        if isinstance(ref, str) and ref.endswith(" R"):
            o = objs.get("obj:" + ref, {})
            return o.get("value", o.get("stream", {}).get("dict"))
        return ref

    def data(ref):
        st = objs.get("obj:" + ref, {}).get("stream", {})
        return base64.b64decode(st["data"]).decode("latin-1") if "data" in st else ""

    fonts, notes = [], []
    for key, o in objs.items():
        v = o.get("value")
        if not isinstance(v, dict) or v.get("/Type") != "/Font":
            continue
        if v.get("/Subtype") not in ("/Type0", "/TrueType", "/Type1"):
            continue
        base = v.get("/BaseFont", "/?")[1:]
        name = re.sub(r"^[A-Z]{6}\+", "", base).split(",")[0]
        desc_font = get(v["/DescendantFonts"][0]) if v.get("/Subtype") == "/Type0" else v
        desc = get(desc_font.get("/FontDescriptor")) or {}
        asc, dsc = desc.get("/Ascent"), desc.get("/Descent")
        space, source = None, None
        tu = v.get("/ToUnicode")
        codes = cmap_space_codes(data(tu)) if isinstance(tu, str) else []
        if v.get("/Subtype") == "/Type0":
            if v.get("/Encoding") == "/Identity-H" and codes:
                wid = cid_width(desc_font.get("/W", []), codes[0], desc_font.get("/DW", 1000))
                space, source = wid / 1000, "pdf /W"
        else:
            first, widths = v.get("/FirstChar"), v.get("/Widths")
            code = codes[0] if codes else 32
            if isinstance(widths, str):
                widths = get(widths)
            if first is not None and widths and first <= code < first + len(widths):
                space, source = widths[code - first] / 1000, "pdf /Widths"
        path = system_font(name)
        if path:
            sys_space, sys_ratio = ttf_space(path)
            if space is None and sys_space is not None:
                space, source = sys_space, "font file " + os.path.basename(path)
            elif sys_space is not None and abs(sys_space - space) > 0.0015:
                notes.append(f"{name}: space {space:.3f} em in the PDF, {sys_space:.3f} em in {path}")
            if asc is None or dsc is None:
                asc, dsc = sys_ratio * 1000, 0
        if asc is None or dsc is None:
            notes.append(f"{name}: no ascent/descent; ignored")
            continue
        fonts.append(FontInfo(name, (asc - dsc) / 1000, space, source))
    sizes, scaled, spaced = set(), False, False
    for p in d.get("pages", []):
        for ref in p.get("contents", []):
            text = data(ref)
            for m in re.finditer(r"/[^\s/\[\]()<>]+\s+(-?[\d.]+)\s+Tf\b", text):
                sizes.add(round(float(m.group(1)), 4))
            num = r"(-?[\d.]+)\s+"
            for m in re.finditer(num * 4 + r"-?[\d.]+\s+-?[\d.]+\s+Tm\b", text):
                a, b, c, dd = (float(x) for x in m.groups())
                if abs(a - 1) > 1e-6 or abs(dd - 1) > 1e-6 or b or c:
                    scaled = True
            if re.search(r"-?[\d.]+\s+Tz\b", text):
                scaled = True
            if any(float(m.group(1)) for m in re.finditer(r"(-?[\d.]+)\s+Tc\b", text)):
                spaced = True
    if scaled:
        notes.append("the text matrix or Tz scales text: Tf sizes are not rendered sizes")
    if spaced:
        notes.append("Tc spaces letters: a line may be filled by letter spacing, which "
                     "the gaps between words do not show")
    return Metrics(fonts, sizes, notes)


# ---- analysis -----------------------------------------------------------------------------

class Row:
    """Words on one baseline at the body height, left to right."""

    def __init__(self, page, words):
        self.page, self.words = page, words
        self.top, self.y = words[0].y0, words[0].y1     # the body-height box of the line
        self.attached = 0
        self.kind = "body"        # body | contents | furniture
        self.marker = False       # starts with a list bullet
        self.flush = False
        self.cont = None          # True: the next row continues the paragraph; None: unknown

    @property
    def x0(self):
        return self.words[0].x0

    @property
    def x1(self):
        return max(w.x1 for w in self.words)

    @property
    def text_x0(self):
        return self.words[1].x0 if self.marker and len(self.words) > 1 else self.x0

    @property
    def text(self):
        return " ".join(w.text for w in self.words)

    def gaps(self):
        """Inter-word gaps, without the one after a list bullet."""
        ws = self.words[1:] if self.marker else self.words
        return [ws[i + 1].x0 - ws[i].x1 for i in range(len(ws) - 1)]


def mode(values, tol):
    """(value, count) of the largest cluster of values within tol of their neighbours
    (ties: the larger value), or (None, 0)."""
    vs = sorted(values)
    best, count, i = None, 0, 0
    while i < len(vs):
        j = i
        while j + 1 < len(vs) and vs[j + 1] - vs[j] <= tol:
            j += 1
        k = j - i + 1
        if k >= count:
            best, count = vs[(i + j) // 2], k
        i = j + 1
    return best, count


def leftmost(values, tol, least):
    """The smallest value of the first cluster (within tol of neighbours) of at least
    `least` values, or None."""
    vs = sorted(values)
    i = 0
    while i < len(vs):
        j = i
        while j + 1 < len(vs) and vs[j + 1] - vs[j] <= tol:
            j += 1
        if j - i + 1 >= least:
            return vs[(i + j) // 2]
        i = j + 1
    return None


def running_text_height(pages):
    """The box height of most words in lines that look like running text: lines starting
    at the leftmost text of their page, with no gap wider than 0.8 of the height (table
    rows, contents entries and lines of labels have wider gaps, or start further right)."""
    score = collections.Counter()
    for p in pages:
        if not p.words:
            continue
        left = min(w.x0 for w in p.words)
        lines = collections.defaultdict(list)
        for w in p.words:
            lines[(round(w.h, 2), round(w.y1, 1))].append(w)
        for (h, _), ws in lines.items():
            ws.sort(key=lambda w: w.x0)
            if ws[0].x0 <= left + FLUSH and all(b.x0 - a.x1 <= 0.8 * h for a, b in zip(ws, ws[1:])):
                score[h] += len(ws)
    if not score:
        return collections.Counter(round(w.h, 2) for p in pages for w in p.words).most_common(1)[0][0]
    return score.most_common(1)[0][0]


def body_height(pages, metrics, body_size):
    heights = [round(w.h, 2) for p in pages for w in p.words]

    def exact(h):
        """The mean height of the boxes that round to h (the size is derived from it)."""
        near = [w.h for p in pages for w in p.words if abs(w.h - h) <= SAME_H]
        return sum(near) / len(near) if near else h

    if not heights:
        raise OracleError("the PDF has no text")
    if body_size is None:
        return exact(running_text_height(pages))
    present = set(heights)
    for f in metrics.fonts:
        h = round(body_size * f.ratio, 2)
        if any(abs(h - x) <= SAME_H for x in present):
            return exact(h)
    raise OracleError(f"no word box has the height of {body_size} pt text in any embedded font")


def natural_space(height, metrics):
    """(natural space in pt, size in pt, [font names], notes) for body boxes of this height,
    from the fonts' metrics (assumptions 1 and 2)."""
    if metrics.space_ratio is not None:                       # given directly (tests)
        return metrics.space_ratio * height, None, [], []
    cands = []
    for f in metrics.fonts:
        size = height / f.ratio
        if metrics.sizes and not any(abs(size - s) <= 0.01 for s in metrics.sizes):
            continue
        if f.space is not None:
            cands.append((f.space * size, size, f.name))
    if not cands:
        raise OracleError(f"assumption 1 fails: no embedded font turns the body box height "
                          f"{height:.2f} pt into a size selected by Tf {metrics.sizes}")
    groups = []
    for n, size, name in sorted(cands):
        if groups and abs(n - groups[-1][0]) <= 0.005 * n:
            groups[-1][2].append(name)
        else:
            groups.append((n, size, [name]))
    return groups[0][0], groups[0][1], groups[0][2], groups[1:]


class Options:
    def __init__(self, align="auto", margins=None, body_size=None):
        self.align = align              # auto | justify | left
        self.margins = margins          # (left, right, mirror) in pt, or None
        self.body_size = body_size      # pt, or None


def analyse(pages, metrics, opts=None):
    """The report (a dict) for the pages of one PDF."""
    opts = opts or Options()
    H = body_height(pages, metrics, opts.body_size)
    n, size, names, alternatives = natural_space(H, metrics)
    warnings = list(metrics.notes)
    rows_by_page = {}
    attached = 0
    for p in pages:
        body = sorted((w for w in p.words if abs(w.h - H) <= SAME_H), key=lambda w: (w.y1, w.x0))
        rows = []
        for w in body:
            if rows and abs(w.y1 - rows[-1][0].y1) <= SAME_Y:
                rows[-1].append(w)
            else:
                rows.append([w])
        rows = [Row(p.number, sorted(r, key=lambda w: w.x0)) for r in rows]
        # words of another height inside a body line (a fallback font) join it
        for w in p.words:
            if abs(w.h - H) <= SAME_H:
                continue
            for r in rows:
                top = max(w.y0, r.top)
                bottom = min(w.y1, r.y)
                if bottom - top >= 0.5 * min(w.h, H) and r.x0 - 2 * n <= w.x0 <= r.x1 + 2 * n:
                    r.words = sorted(r.words + [w], key=lambda v: v.x0)
                    r.attached += 1
                    attached += 1
                    break
        # box pieces of one word (font change inside a word) are one word
        for r in rows:
            merged = [r.words[0]]
            for w in r.words[1:]:
                prev = merged[-1]
                if w.x0 - prev.x1 < 0.25 * n:
                    merged[-1] = Word(prev.x0, min(prev.y0, w.y0), max(prev.x1, w.x1),
                                      max(prev.y1, w.y1), prev.text + w.text)
                else:
                    merged.append(w)
            r.words = merged
        rows_by_page[p.number] = rows

    all_rows = [r for p in pages for r in rows_by_page[p.number]]
    # contents entries: number ... leader gap ... page number
    for r in all_rows:
        ws = r.words
        if (len(ws) >= 3 and re.fullmatch(r"\d+(\.\d+)*\.?", ws[0].text)
                and re.fullmatch(r"\d+|[ivxlcdm]+", ws[-1].text)
                and max(r.gaps()) >= 3 * n):
            r.kind = "contents"
    # running heads and feet: the same text (digits aside) at the same height on >= 3 pages
    seen = collections.defaultdict(set)
    for r in all_rows:
        seen[(re.sub(r"\d+", "#", r.text), round(r.y))].add(r.page)
    for r in all_rows:
        if r.kind == "body" and len(seen[(re.sub(r"\d+", "#", r.text), round(r.y))]) >= 3:
            r.kind = "furniture"
    # list bullets
    for r in all_rows:
        r.marker = len(r.words) >= 2 and r.words[0].text.strip() in BULLETS

    # the text block's edges per page (assumption 4)
    def given_edges(p):
        if not opts.margins:
            return None, None
        left, right, mirror = opts.margins
        if mirror and p.number % 2 == 0:
            left, right = right, left
        return left, p.width - right

    inferred = {}
    for p in pages:
        rs = [r for r in rows_by_page[p.number] if r.kind != "furniture" and len(r.words) >= 2]
        # left: the leftmost start shared by 2 lines (list text is indented, and indented
        # lines can outnumber the others on a page); right: the commonest end
        lv = leftmost([r.x0 for r in rs if not r.marker], EDGE_CLUSTER, 2)
        # (a quarter of the lines at least: ragged lines can end together by chance)
        rv, rc = mode([r.x1 for r in rs], EDGE_CLUSTER)
        inferred[p.number] = [lv, rv if rc >= max(EDGE_MIN, len(rs) / 4) else None]

    def pooled(number, idx, exclude_self):
        """The edge most pages of this parity (else of the document) agree on."""
        pools = ([q for q in inferred if q % 2 == number % 2], list(inferred))
        for name, pool in zip(("parity", "document"), pools):
            vals = [inferred[q][idx] for q in pool
                    if inferred[q][idx] is not None and not (exclude_self and q == number)]
            v, c = mode(vals, 0.1)
            if v is not None and c * 2 > len(vals):
                return v, name
        return None, None

    # a page none of whose lines start at the left edge (a page of list items) would
    # put its edge too far right: the edge its parity agrees on is further left
    for number in inferred:
        lv = inferred[number][0]
        pv, _ = pooled(number, 0, True)
        if lv is not None and pv is not None and pv < lv - FLUSH:
            inferred[number][0] = None

    def fallback(number, idx):
        return pooled(number, idx, False)

    edges, mismatches = {}, []
    for p in pages:
        li, ri = inferred[p.number]
        lg, rg = given_edges(p)
        e = {"page": p.number}
        for side, val, giv, idx in (("left", li, lg, 0), ("right", ri, rg, 1)):
            src = "page"
            if val is None:
                val, src = fallback(p.number, idx)
            if val is None and giv is not None:
                val, src = giv, "given"
            e[side] = round(val, 3) if val is not None else None
            e[side + "_from"] = src
            if giv is not None:
                e[side + "_given"] = round(giv, 3)
                if src in ("page", "parity", "document") and abs(val - giv) > FLUSH:
                    mismatches.append({"page": p.number, "side": side, "inferred": round(val, 3),
                                       "given": round(giv, 3)})
        e["limit"] = rg if rg is not None else e["right"]
        edges[p.number] = e

    # flush lines and paragraph continuation (assumption 5)
    gaps_between = []
    for p in pages:
        rs = [r for r in rows_by_page[p.number] if r.kind == "body"]
        for a, b in zip(rs, rs[1:]):
            gaps_between.append(round(b.y - a.y, 2))
    leading = collections.Counter(gaps_between).most_common(1)[0][0] if gaps_between else None
    for p in pages:
        e = edges[p.number]
        rs = [r for r in rows_by_page[p.number] if r.kind == "body"]
        for i, r in enumerate(rs):
            r.flush = e["right"] is not None and abs(r.x1 - e["right"]) <= FLUSH
            if i + 1 < len(rs):
                nxt = rs[i + 1]
                r.cont = (leading is not None and abs(nxt.y - r.y - leading) <= LEADING_TOL
                          and not nxt.marker and nxt.x0 <= r.text_x0 + FLUSH
                          and (e["left"] is None or nxt.x0 >= e["left"] - FLUSH))
            else:
                r.cont = None

    def at_left(r):
        e = edges[r.page]
        return e["left"] is not None and abs(r.x0 - e["left"]) <= FLUSH

    body_rows = [r for r in all_rows if r.kind == "body"]
    nonlast = [r for r in body_rows if r.cont and at_left(r) and not r.marker and len(r.words) >= 2]
    flush_share = (sum(r.flush for r in nonlast) / len(nonlast)) if nonlast else None
    detected = None if flush_share is None else ("justify" if flush_share >= 0.5 else "left")
    align = detected if opts.align == "auto" else opts.align

    # natural space cross-check on lines that are not justified (assumption 2)
    ragged_gaps = [round(g, 2) for r in body_rows if not r.flush for g in r.gaps() if g >= 0.25 * n]
    measured_n = None
    if len(ragged_gaps) >= 10:
        measured_n = collections.Counter(ragged_gaps).most_common(1)[0][0]
    calibration_ok = measured_n is None or abs(measured_n - n) <= 0.02 * n
    if alternatives:
        pick = [g for g in [(n, size, names)] + alternatives
                if measured_n is not None and abs(measured_n - g[0]) <= 0.02 * g[0]]
        if len(pick) != 1:
            raise OracleError("assumption 2 fails: fonts that could have set the body text "
                              "disagree on the natural space (" +
                              ", ".join(f"{g[0]:.3f} pt {'/'.join(g[2])}" for g in
                                        [(n, size, names)] + alternatives) +
                              f") and the ragged lines do not decide ({measured_n})")
        n, size, names = pick[0]
        calibration_ok = True
        warnings.append("natural space chosen by the ragged lines among "
                        f"{len(alternatives) + 1} candidates")

    # measure
    lines, flush_last = [], []
    ratios_all = []
    if align == "justify":
        for r in body_rows:
            e = edges[r.page]
            if not r.flush or e["left"] is None:
                continue
            if r.x0 > e["left"] + 0.25 * (e["right"] - e["left"]):
                continue                  # a label set flush right, not a line of text
            gs = r.gaps()
            if not gs:
                continue
            ratios = [g / n for g in gs]
            item = {"page": r.page, "y": round(r.y, 2), "x0": round(r.x0, 2), "x1": round(r.x1, 2),
                    "text": r.text, "gaps": len(gs), "max_ratio": round(max(ratios), 4),
                    "min_ratio": round(min(ratios), 4)}
            if r.cont is False:
                flush_last.append(item)
                continue
            lines.append(item)
            ratios_all.extend(ratios)
    unjustified = []
    if align == "justify":
        unjustified = [{"page": r.page, "y": round(r.y, 2), "x1": round(r.x1, 2), "text": r.text}
                       for r in nonlast if not r.flush]
    # a one-word line that is not a paragraph's last cannot be justified (an underfull
    # line): reported, not a failure, as a long unbreakable token may leave no choice
    single = [{"page": r.page, "y": round(r.y, 2), "x1": round(r.x1, 2), "text": r.text}
              for r in body_rows if r.cont and at_left(r) and len(r.words) == 1]
    overflow = []
    for p in pages:
        lim = edges[p.number]["limit"]
        for w in p.words:
            if (lim is not None and w.x1 > lim + OVERFLOW) or w.x1 > p.width:
                overflow.append({"page": p.number, "word": w.text, "xMax": round(w.x1, 2),
                                 "limit": round(lim, 2) if lim is not None else None,
                                 "excess": round(w.x1 - (lim if lim is not None else p.width), 2)})
    no_edge = [p.number for p in pages if edges[p.number]["limit"] is None]

    ok = [l for l in lines if l["max_ratio"] <= SOFT + EPS]
    over = [l for l in lines if l["max_ratio"] > HARD + EPS]
    share = 100.0 * len(ok) / len(lines) if lines else None
    worst = sorted(lines, key=lambda l: -l["max_ratio"])
    report = {
        "pages": len(pages),
        "body": {"box_height": round(H, 4), "size": round(size, 3) if size else None, "fonts": names,
                 "natural_space": round(n, 4), "natural_space_on_ragged_lines": measured_n,
                 "leading": leading},
        "alignment": {"detected": detected, "used": align, "expected": opts.align,
                      "flush_share_of_nonlast_lines":
                          round(flush_share, 4) if flush_share is not None else None},
        "edges": [edges[p.number] for p in pages],
        "justified_lines": len(lines),
        "gaps": len(ratios_all),
        "share_le_soft": round(share, 2) if share is not None else None,
        "worst_ratio": worst[0]["max_ratio"] if worst else None,
        "min_ratio": round(min(ratios_all), 4) if ratios_all else None,
        "lines_over_hard": len(over),
        "overflow": overflow,
        "unjustified_nonlast": unjustified,
        "flush_last_lines": flush_last,
        "single_word_nonlast": single,
        "excluded": {"contents": sum(r.kind == "contents" for r in all_rows),
                     "furniture": sum(r.kind == "furniture" for r in all_rows),
                     "attached_words": attached,
                     "list_lines": sum(r.marker for r in all_rows)},
        "edge_mismatches": mismatches,
        "pages_without_edge": no_edge,
        "worst": worst[:WORST],
        "lines": lines,
        "warnings": warnings,
        "targets": {"soft": SOFT, "hard": HARD, "share": SHARE, "overflow_pt": OVERFLOW},
    }
    if not calibration_ok:
        report["warnings"].append(
            f"natural space {n:.3f} pt from the font, but {measured_n:.3f} pt is the most common "
            f"gap on ragged lines")
    report["failures"] = failures(report, calibration_ok)
    return report


def failures(rep, calibration_ok=True):
    """The targets (and checked assumptions) this report fails, as sentences."""
    f = []
    al = rep["alignment"]
    if al["expected"] != "auto" and al["detected"] not in (None, al["expected"]):
        f.append(f"alignment: expected {al['expected']}, the lines look {al['detected']} "
                 f"({al['flush_share_of_nonlast_lines']:.0%} of non-last lines flush)")
    if al["used"] == "justify":
        if rep["justified_lines"] == 0:
            f.append("no justified lines found")
        elif rep["share_le_soft"] < SHARE:
            f.append(f"{rep['share_le_soft']:.1f} % of justified lines have every gap <= {SOFT}x "
                     f"(target {SHARE:g} %)")
        if rep["lines_over_hard"]:
            f.append(f"{rep['lines_over_hard']} justified lines have a gap > {HARD}x "
                     f"(worst {rep['worst_ratio']:.2f}x)")
        if rep["unjustified_nonlast"]:
            f.append(f"{len(rep['unjustified_nonlast'])} lines of justified paragraphs are ragged "
                     "but are not a paragraph's last line")
    if rep["overflow"]:
        f.append(f"{len(rep['overflow'])} words run past the right edge by more than {OVERFLOW} pt")
    if rep["pages_without_edge"]:
        f.append(f"no right edge known for pages {rep['pages_without_edge']} (give --margins)")
    if rep["edge_mismatches"]:
        m = rep["edge_mismatches"][0]
        f.append(f"{len(rep['edge_mismatches'])} text block edges differ from the margins "
                 f"(page {m['page']} {m['side']}: {m['inferred']} vs {m['given']})")
    if not calibration_ok:
        f.append("the natural space measured on ragged lines differs from the font's")
    return f


# ---- output -------------------------------------------------------------------------------

def human(path, rep):
    b, al = rep["body"], rep["alignment"]
    out = [f"{path}: {rep['pages']} pages; body boxes {b['box_height']:.2f} pt"
           + (f" = {b['size']:g} pt {b['fonts'][0]}" if b["size"] else "")
           + (f" (or {len(b['fonts']) - 1} more fonts with its metrics)" if len(b["fonts"]) > 1 else "")
           + f"; natural space {b['natural_space']:.3f} pt"
           + (f" (ragged lines: {b['natural_space_on_ragged_lines']:.2f})"
              if b["natural_space_on_ragged_lines"] is not None else "")
           + (f"; leading {b['leading']:.2f} pt" if b["leading"] else ""),
           f"  alignment: {al['used']} (detected {al['detected']}"
           + (f", {al['flush_share_of_nonlast_lines']:.0%} of non-last paragraph lines flush)"
              if al["flush_share_of_nonlast_lines"] is not None else ")")]
    edges = " ".join(f"p{e['page']}:{e['left'] or 0:.1f}-{e['right'] or 0:.1f}"
                     + ("" if e["right_from"] == "page" else f"({e['right_from']})")
                     for e in rep["edges"])
    out.append(f"  text block: {edges}")
    share = rep["share_le_soft"]
    rows = [("justified lines measured", rep["justified_lines"], ""),
            ("gaps measured", rep["gaps"], ""),
            (f"lines with max gap <= {SOFT}x", f"{share:.1f} %" if share is not None else "-",
             f">= {SHARE:g} %"),
            ("worst gap", f"{rep['worst_ratio']:.2f}x" if rep["worst_ratio"] else "-", ""),
            (f"lines with a gap > {HARD}x", rep["lines_over_hard"], "0"),
            ("words past the right edge", len(rep["overflow"]), "0"),
            ("ragged non-last lines", len(rep["unjustified_nonlast"]), "0"),
            ("one-word non-last lines", len(rep["single_word_nonlast"]), ""),
            ("excluded", ", ".join(f"{k} {v}" for k, v in rep["excluded"].items()), "")]
    for name, val, target in rows:
        out.append(f"  {name:<28} {str(val):>12}  {('target ' + target) if target else ''}")
    for l in rep["worst"]:
        out.append(f"    worst p{l['page']} y={l['y']:.1f} {l['max_ratio']:.2f}x  {l['text'][:80]}")
    for o in rep["overflow"][:WORST]:
        out.append(f"    overflow p{o['page']} {o['word'][:50]!r} ends at {o['xMax']} "
                   f"(edge {o['limit']}, +{o['excess']} pt)")
    for u in rep["unjustified_nonlast"][:WORST]:
        out.append(f"    ragged p{u['page']} y={u['y']:.1f} ends at {u['x1']}: {u['text'][:70]}")
    for w in rep["warnings"]:
        out.append(f"  warning: {w}")
    out.append("  " + ("FAIL: " + "; ".join(rep["failures"]) if rep["failures"] else "all targets met"))
    return "\n".join(out)


def margins_arg(s):
    parts = s.split(",")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "mirror"):
        raise argparse.ArgumentTypeError("expected LEFT,RIGHT[,mirror] in pt")
    return float(parts[0]), float(parts[1]), len(parts) == 3


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="+")
    ap.add_argument("--json", action="store_true", help="print a JSON report")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    ap.add_argument("--align", choices=("auto", "justify", "left"), default="auto",
                    help="the body alignment the style asks for (default: detect it)")
    ap.add_argument("--body-size", type=float, help="body text size in pt (default: the "
                    "height with most words)")
    ap.add_argument("--margins", type=margins_arg, help="left and right margins in pt, "
                    "',mirror' to swap them on even pages; used for the overflow test")
    ap.add_argument("--bbox", help="read this pdftotext -bbox-layout file instead of running "
                    "pdftotext (one PDF only; the PDF still gives the fonts)")
    args = ap.parse_args(argv)
    opts = Options(args.align, args.margins, args.body_size)
    reports, failed = {}, False
    try:
        for pdf in args.pdf:
            if args.bbox:
                with open(args.bbox, encoding="utf-8") as f:
                    pages = parse_bbox(f.read())
            else:
                pages = bbox_pages(pdf)
            metrics = pdf_metrics(pdf)
            reports[pdf] = analyse(pages, metrics, opts)
            failed |= bool(reports[pdf]["failures"])
    except OracleError as e:
        print(f"typo_oracle: {e}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(reports, sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print("\n\n".join(human(p, r) for p, r in reports.items()))
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
