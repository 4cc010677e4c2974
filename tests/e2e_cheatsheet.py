"""The cheat sheet end to end, read from its layout dump: the body size is the largest that
fits, the role columns' blocks line up across roles, and the strip's columns end within one
line of each other."""
import os
import re
import unittest

from e2e import ARTICLE, DATA, NS, Workdir, four_roles, rolepress
from e2e_styles import dump, parallel, texts

import xml.etree.ElementTree as ET

STYLE_DIR = os.path.join(os.path.dirname(DATA), "..", "styles")
THREE = os.path.join(DATA, "three-roles.xml")
# the cheat-body size of each shipped style (the top of the size search) and its precision
TOP = {"default": 10.5, "print": 10.5, "large-print": 14.0}
GRID = 0.05
ITEM_GAP_EM = 0.2  # space between the strip's items (cheatsheet.c)
LABELS = ("Focus:", "Horizon:", "Top responsibilities", "Key skills", "How to get into the role")
STRIP = "How they work together"


def style(name):
    return os.path.join(STYLE_DIR, name + ".xml")


def rects(dump_text):
    """Rectangles of a dump as (x, y, w, h)."""
    return [tuple(float(v) for v in m.groups())
            for m in re.finditer(r"^  rect ([\d.-]+) ([\d.-]+) ([\d.]+) ([\d.]+)", dump_text, re.M)]


def body_size(items):
    """The cheat-body size a sheet was set at: that of its "Focus:" labels."""
    return next(t["size"] for t in items if t["text"] == "Focus:")


def collaboration_items(source):
    root = ET.parse(source).getroot()
    return len(root.findall(f"{NS}collaboration/{NS}item"))


def strip_columns(dump_text, source):
    """Baselines of the strip's lines, per column, and the body size."""
    items = texts(dump_text)
    head = next(t for t in items if t["text"] == STRIP)
    x, _, w, _ = max((r for r in rects(dump_text) if r[1] <= head["y"] and r[3] > 2),
                     key=lambda r: r[1])
    ncols = 3 if collaboration_items(source) > 4 else 2
    cols = [set() for _ in range(ncols)]
    for t in items:
        if t["y"] > head["y"]:
            cols[min(ncols - 1, int((t["x"] - x) / (w / ncols)))].add(t["y"])
    return [sorted(c) for c in cols], body_size(items)


def variant(tmp, n, words):
    """The article with n collaboration items of about words words each."""
    with open(ARTICLE, encoding="utf-8") as f:
        text = f.read()
    filler = ("the two roles agree on goals, share what they learn and review the product "
              "together with the team and its stakeholders every sprint and every quarter").split()
    items = "".join(f"<item>Point {i + 1}: {' '.join((filler * 4)[i:i + words + 3 * i])}.</item>"
                    for i in range(n))
    text = re.sub(r"<collaboration>.*?</collaboration>",
                  f"<collaboration>{items}</collaboration>", text, flags=re.S)
    path = os.path.join(tmp, f"collab-{n}-{words}.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class TestSizeSearch(Workdir):
    """The size chosen is the largest on the 0.05 pt grid that fits: with the floor set to
    any grid size above it (min-size), the run fails because that size overflows."""

    def cases(self):
        return [(src, st, paper) for src in (ARTICLE, THREE)
                for st in ("default", "print", "large-print") for paper in ("a4", "letter")]

    def test_chosen_size_is_the_largest_that_fits(self):
        def chosen(case):
            src, st, paper = case
            return dump("cheatsheet", src, "--style", style(st), "--paper", paper)

        runs = []
        for case, (rc, out, err) in zip(self.cases(), parallel(chosen, self.cases())):
            self.assertEqual(rc, 0, err)
            size = body_size(texts(out))
            top = TOP[case[1]]
            self.assertLessEqual(size, top)
            # every grid size above, up to half a point (and the top itself)
            above = [round(size + GRID * k, 2) for k in range(1, 11) if size + GRID * k <= top + 1e-6]
            if size < top and top not in above:
                above.append(top)
            runs += [(case, x) for x in above]

        def overflows(run):
            (src, st, paper), x = run
            return rolepress("cheatsheet", src, "--style", style(st), "--paper", paper,
                             "--set", f"cheatsheet.min-size={x:.2f}pt", "--dump=layout")

        self.assertTrue(runs, "every case fits at its top size: nothing was tested")
        for (case, x), r in zip(runs, parallel(overflows, runs)):
            with self.subTest(case=case, size=x):
                self.assertEqual(r.returncode, 1, f"{x:.2f} pt fits, larger than the size chosen")
                self.assertIn("does not fit on one page", r.stderr)

    def test_finer_step_is_honoured(self):
        rc, out, err = dump("cheatsheet", ARTICLE, "--set", "cheatsheet.step=0.01pt")
        self.assertEqual(rc, 0, err)
        size = body_size(texts(out))
        rc, base, _ = dump("cheatsheet", ARTICLE)
        self.assertGreaterEqual(size, body_size(texts(base)))
        r = rolepress("cheatsheet", ARTICLE, "--set", "cheatsheet.step=0.01pt", "--set",
                      f"cheatsheet.min-size={size + 0.01:.2f}pt", "--dump=layout")
        self.assertEqual(r.returncode, 1, f"{size + 0.01:.2f} pt fits too")


class TestBalance(Workdir):
    """Blocks line up across the role columns; the strip's columns end within a line."""

    def dumps(self):
        sources = [ARTICLE, THREE] + [variant(self.tmp, n, words) for n, words in
                                      ((1, 40), (2, 8), (3, 25), (5, 4), (6, 18), (7, 12))]
        cases = [(src, st, paper) for src in sources for st in ("default", "large-print")
                 for paper in ("a4", "letter")]
        # four roles do not fit a portrait large-print sheet at its 10 pt floor
        cases += [(four_roles(self.tmp), "default", paper) for paper in ("a4", "letter")]
        outs = parallel(lambda c: dump("cheatsheet", c[0], "--style", style(c[1]), "--paper",
                                       c[2]), cases)
        for case, (rc, out, err) in zip(cases, outs):
            self.assertEqual(rc, 0, f"{case}: {err}")
        return [(case, out) for case, (_, out, _) in zip(cases, outs)]

    def test_role_blocks_line_up(self):
        for (src, st, paper), out in self.dumps():
            nroles = len(ET.parse(src).getroot().findall(f"{NS}roles/{NS}role"))
            items = texts(out)
            with self.subTest(source=os.path.basename(src), style=st, paper=paper):
                for label in LABELS:
                    ys = [t["y"] for t in items if t["text"] == label]
                    self.assertEqual(len(ys), nroles, label)
                    self.assertLess(max(ys) - min(ys), 0.005, f"{label} at {ys}")
                # the first line under each name bar (the definitions)
                bars = [r for r in rects(out) if abs(r[1] - rects(out)[0][1]) < 0.005][:nroles]
                self.assertEqual(len(bars), nroles)
                firsts = [min(t["y"] for t in items
                              if t["y"] > y + h and x <= t["x"] < x + w) for x, y, w, h in bars]
                self.assertLess(max(firsts) - min(firsts), 0.005, f"definitions at {firsts}")

    def test_strip_columns_end_within_one_line(self):
        for (src, st, paper), out in self.dumps():
            cols, size = strip_columns(out, src)
            with self.subTest(source=os.path.basename(src), style=st, paper=paper):
                steps = [b - a for c in cols for a, b in zip(c, c[1:])]
                leading = min(steps) if steps else 0
                bottoms = [c[-1] if c else None for c in cols]
                lines = sum(len(c) for c in cols)
                if lines >= len(cols):
                    self.assertNotIn(None, bottoms, "a column is empty")
                bottoms = [b for b in bottoms if b is not None]
                self.assertLessEqual(max(bottoms) - min(bottoms),
                                     leading + ITEM_GAP_EM * size + 0.03,  # dump rounding
                                     f"bottoms {bottoms}, leading {leading}")


if __name__ == "__main__":
    unittest.main()
