"""Embedded fonts: each is a subset of the characters the document draws in it, with the
font file's own advances, and the PDF reads, measures and renders exactly as with the whole
font files embedded (ROLEPRESS_FULL_FONTS=1)."""
import base64
import json
import os
import re
import struct
import subprocess
import tempfile

import typo_oracle as oracle
from e2e import ARTICLE, BIN, DATA, STYLES, Workdir, run

# the tables libharu reads or embeds (hpdf_fontdef_tt.c, REQUIRED_TAGS)
LIBHARU_TABLES = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca",
                  "maxp", "name", "post", "prep"}


def cmap_codes(cmap):
    """{code: code point} of a ToUnicode CMap (rolepress writes bfranges of one-character
    destinations)."""
    codes = {}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)> <([0-9A-F]+)>", block):
            for k in range(int(hi, 16) - int(lo, 16) + 1):
                codes[int(lo, 16) + k] = int(dst, 16) + k
    return codes


def sfnt_tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin-1")] = data[off:off + length]
    return tables


def embedded_fonts(pdf):
    """[{name, codes (code -> code point), cps, widths (cid -> /W width), dw, program
    (bytes), length1}] of a PDF. The fonts use Identity-H: a code is its CID."""
    r = run("qpdf", "--json", "--json-key=qpdf", "--json-stream-data=inline",
            "--decode-level=generalized", pdf)
    objs = json.loads(r.stdout)["qpdf"][1]

    def value(ref):
        o = objs["obj:" + ref]
        return o.get("value", o.get("stream", {}).get("dict"))

    def data(ref):
        return base64.b64decode(objs["obj:" + ref]["stream"]["data"])

    fonts = []
    for o in objs.values():
        v = o.get("value")
        if not isinstance(v, dict) or v.get("/Subtype") != "/Type0":
            continue
        cid = value(v["/DescendantFonts"][0])
        desc = value(cid["/FontDescriptor"])
        w, widths, i = cid.get("/W", []), {}, 0
        while i < len(w):
            for k, x in enumerate(w[i + 1]):
                widths[w[i] + k] = x
            i += 2
        codes = cmap_codes(data(v["/ToUnicode"]).decode("latin-1"))
        fonts.append({"name": v["/BaseFont"][1:], "codes": codes, "cps": set(codes.values()),
                      "widths": widths, "dw": cid["/DW"],
                      "program": data(desc["/FontFile2"]),
                      "length1": value(desc["/FontFile2"])["/Length1"]})
    return fonts


class TestSubsetFonts(Workdir):
    def build_both(self, *options):
        """(subset PDFs, whole-font PDFs) of the article built with options."""
        subset = self.build(ARTICLE, *options)[:2]
        whole = os.path.join(self.tmp, "whole")
        os.makedirs(whole, exist_ok=True)
        env = dict(os.environ, ROLEPRESS_FULL_FONTS="1")
        r = subprocess.run([BIN, "build", ARTICLE, "--out-dir", whole, *options], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return subset, (os.path.join(whole, "guide.pdf"), os.path.join(whole, "cheatsheet.pdf"))

    def test_fonts_hold_only_the_drawn_characters(self):
        for source in (ARTICLE, os.path.join(DATA, "three-roles.xml")):
            g, c, _ = self.build(source)
            for pdf in (g, c):
                fonts = embedded_fonts(pdf)
                self.assertTrue(fonts)
                for f in fonts:
                    with self.subTest(source=os.path.basename(source), pdf=pdf, font=f["name"]):
                        self.assertRegex(f["name"], r"^[A-Z]{6}\+")
                        tables = sfnt_tables(f["program"])
                        self.assertLessEqual(set(tables), LIBHARU_TABLES)
                        self.assertEqual(f["length1"], len(f["program"]))
                        glyphs = struct.unpack(">H", tables["maxp"][4:6])[0]
                        # the drawn characters, .notdef, H and x, and some composite parts
                        self.assertLessEqual(glyphs, len(f["cps"]) * 5 // 4 + 3)
                        # without the cmap, whose one range holds a glyph id for every
                        # code from the font's first to its last (see src/subset.c)
                        self.assertLess(len(f["program"]) - len(tables["cmap"]), 30000)
                        cmap = tables["cmap"]  # one format-4 range and the final 0xFFFF
                        sub = struct.unpack(">I", cmap[8:12])[0]
                        self.assertEqual(struct.unpack(">HHHH", cmap[sub:sub + 8])[::3], (4, 4))
                        # keyed by the document's codes: two bytes of 1..255 numbered in
                        # code point order over all its fonts, H and x included, so the
                        # range spans at most the document's characters
                        n = len(set().union(*(g["cps"] for g in fonts)) | {ord("H"), ord("x")})
                        self.assertLessEqual(len(cmap), 12 + 32 + 2 * (n + n // 255 + 1))
                        for code in f["codes"]:
                            self.assertTrue(code >> 8 and code & 0xFF, hex(code))

    def test_widths_are_the_font_files(self):
        """Every drawn character has the advance of the installed font file, in the
        embedded program and in /W (advance * 1000 / unitsPerEm, truncated)."""
        g, c, _ = self.build()
        for pdf in (g, c):
            fonts = embedded_fonts(pdf)
            self.assertTrue(fonts)
            for f in fonts:
                psname = re.sub(r"^[A-Z]{6}\+", "", f["name"]).split(",")[0]
                path = oracle.system_font(psname)
                if not path:
                    self.skipTest(f"{psname} is not installed")
                upem, _, _, advance = oracle.ttf_read(path)
                with tempfile.NamedTemporaryFile(suffix=".ttf") as tmp:
                    tmp.write(f["program"])
                    tmp.flush()
                    sub_upem, _, _, sub_advance = oracle.ttf_read(tmp.name)
                self.assertEqual(sub_upem, upem)
                for code, cp in sorted(f["codes"].items()):
                    with self.subTest(font=psname, char=f"U+{cp:04X}"):
                        adv = advance(chr(cp))
                        self.assertIsNotNone(adv)
                        self.assertEqual(sub_advance(chr(code)), adv)  # the cmap maps codes
                        self.assertEqual(f["widths"].get(code, f["dw"]), adv * 1000 // upem)

    def test_same_text_boxes_and_pixels_as_whole_fonts(self):
        for style in STYLES[:2]:
            (g, c), (wg, wc) = self.build_both("--style", style)
            for sub, whole in ((g, wg), (c, wc)):
                with self.subTest(style=os.path.basename(style), pdf=os.path.basename(sub)):
                    self.assertLess(os.path.getsize(sub) * 2, os.path.getsize(whole))
                    for args in ([], ["-bbox"]):
                        a = run("pdftotext", *args, sub, "-")
                        b = run("pdftotext", *args, whole, "-")
                        self.assertEqual(a.stderr, "", "poppler complained")
                        self.assertEqual(a.stdout, b.stdout)
                    pix = []
                    for pdf in (sub, whole):
                        r = subprocess.run(["pdftoppm", "-r", "60", pdf], capture_output=True)
                        self.assertEqual(r.returncode, 0)
                        pix.append(r.stdout)
                    self.assertEqual(pix[0], pix[1], "renders differently")
