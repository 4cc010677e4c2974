"""Styles end to end: the reference (styles/README.md) against the schema, default.xml and the
program; every property changes the output; inheritance, --set, fallback fonts, mirrored
margins and the shipped styles."""
import concurrent.futures
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET

from e2e import ARTICLE, BIN, DATA, ROOT, STYLES, Workdir, pdfinfo, rolepress, run

STYLE_DIR = os.path.join(ROOT, "styles")
DEFAULT = os.path.join(STYLE_DIR, "default.xml")
README = os.path.join(STYLE_DIR, "README.md")
RNG = "{http://relaxng.org/ns/structure/1.0}"
SNS = "{urn:rolepress:style:1}"
MINIMAL = os.path.join(DATA, "minimal.xml")
JOBS = max(2, os.cpu_count() or 2)


# ---- the schema, the reference and default.xml ------------------------------------------

def schema():
    """(property names from styles/style.rng, text roles, text attributes).
    text.ROLE.ATTR, palette.N and role-color.ID are kept in that generic form."""
    root = ET.parse(os.path.join(STYLE_DIR, "style.rng")).getroot()
    props, roles, text_attrs = set(), [], []
    for el in root.iter(RNG + "element"):
        name = el.get("name")
        attrs = [a.get("name") for a in el.iter(RNG + "attribute")]
        if name == "style":
            props.update(attrs)
        elif name == "text":
            role = [a for a in el.iter(RNG + "attribute") if a.get("name") == "role"][0]
            roles = [v.text for v in role.iter(RNG + "value")]
            text_attrs = [a for a in attrs if a != "role"]
            props.update(f"text.ROLE.{a}" for a in text_attrs)
        elif name == "role-color":
            props.add("role-color.ID")
        elif name == "palette":
            props.update(("palette", "palette.N"))
        elif name != "color":  # <color> of <palette>
            props.update(f"{name}.{a}" for a in attrs)
    return props, roles, text_attrs


def readme_section(title):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"styles/README.md has no section '{title}'"
    return m.group(1)


def table(section):
    """Rows of the first table of a README section: lists of cells (header row first)."""
    rows = []
    for line in readme_section(section).splitlines():
        if re.match(r"^\|[-| ]+\|$", line):
            continue  # the line under the header
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows


def code(cell):
    """The value of a cell that is one `code` span, else None."""
    m = re.fullmatch(r"`([^`]*)`", cell)
    return m.group(1) if m else None


def documented():
    """{property: (type, default cell, example)} from the README's property table."""
    rows = table("Properties")
    assert rows[0] == ["property", "type", "default", "what it affects", "example"], rows[0]
    out = {}
    for cells in rows[1:]:
        name = code(cells[0])
        assert name, f"property cell is not `code`: {cells[0]}"
        out[name] = (cells[1], cells[2], code(cells[4]))
    return out


def role_table():
    """(attribute names, {role: {attribute: default or None}}) from the Text roles table."""
    rows = table("Text roles")
    attrs = rows[0][2:]
    roles = {}
    for cells in rows[1:]:
        roles[code(cells[0])] = {a: code(c) for a, c in zip(attrs, cells[2:])}
    return attrs, roles


def default_xml():
    """{property: value} as default.xml sets them (palette as a comma-separated list)."""
    root = ET.parse(DEFAULT).getroot()
    values = {}
    for el in root:
        tag = el.tag[len(SNS):]
        if tag == "text":
            for a, v in el.attrib.items():
                if a != "role":
                    values[f"text.{el.get('role')}.{a}"] = v
        elif tag == "palette":
            values["palette"] = ", ".join(c.text for c in el)
        elif tag == "role-color":
            values[f"role-color.{el.get('role')}"] = el.get("color")
        else:
            values.update({f"{tag}.{a}": v for a, v in el.attrib.items()})
    return values


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        return list(pool.map(fn, items))


def dump(kind, source, *args, cwd=ROOT):
    """(exit status, layout dump, stderr) of `rolepress KIND SOURCE --dump=layout ARGS`."""
    r = rolepress(kind, source, "--dump=layout", *args, cwd=cwd)
    return r.returncode, r.stdout, r.stderr


def texts(dump_text, page=None):
    """Text items of a dump: dicts with page, x, y, w, face, size, color, text."""
    items, p = [], 0
    for line in dump_text.splitlines():
        if line.startswith("page "):
            p = int(line.split()[1])
            continue
        m = re.match(r'  text ([\d.-]+) ([\d.-]+) w=([\d.]+) face=(\d+) size=([\d.]+) '
                     r'color=(#\w+) "(.*)"(?: track=[\d.]+)?(?: kern=[\d@.,-]+)?$', line)
        if m and (page is None or p == page):
            items.append(dict(page=p, x=float(m[1]), y=float(m[2]), w=float(m[3]),
                              face=int(m[4]), size=float(m[5]), color=m[6], text=m[7]))
    return items


def faces(dump_text):
    """{face index: family with style words} of a dump."""
    return {int(m[1]): m[2] for m in re.finditer(r"^face (\d+) (.*)$", dump_text, re.M)}


LONG = {  # texts long enough to wrap in every role that wraps, so align shows
    "title": "Product Manager vs Product Owner: a practical comparison of two roles that "
             "teams and hiring managers keep confusing",
    "author": "rolepress editors, with many readers, reviewers and practitioners from "
              "product teams around the world",
}
FALLBACK_CHARS = "\u2603 \u2a0b"  # snowman: DejaVu Sans; ⨋: only Noto Sans Math


def long_source(tmp):
    """The article with texts that wrap in every role, and characters only fallback
    fonts have."""
    with open(ARTICLE, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"<title>.*?</title>", f"<title>{LONG['title']}</title>", text, count=1)
    text = re.sub(r"<author>.*?</author>", f"<author>{LONG['author']}</author>", text, count=1)
    tail = " and a good many more words, so that this line has to wrap onto another one"
    text = re.sub(r'(<section id="[^"]*" title="[^"]*)"', rf'\1{tail}"', text, count=1)
    text = re.sub(r'(<path id="[^"]*" title="[^"]*)"', rf'\1{tail}"', text, count=1)
    text = re.sub(r"(<caption>[^<]*)</caption>", rf"\1{tail}</caption>", text, count=2)
    text = re.sub(r'(<role id="pm" name="[^"]*)"',
                  r'\1 (the person who owns the product strategy, the market and the roadmap)"',
                  text, count=1)
    text = re.sub(r"(<p>[^<]*)</p>", rf"\1 Symbols: {FALLBACK_CHARS}.</p>", text, count=1)
    path = os.path.join(tmp, "long.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def style_file(tmp, name, body, extends=None):
    ext = f' extends="{extends}"' if extends else ""
    return write(tmp, name, '<?xml version="1.0" encoding="UTF-8"?>\n'
                 f'<style xmlns="urn:rolepress:style:1"{ext}>\n{body}</style>\n')


# ---- the reference ------------------------------------------------------------------------

class TestReference(Workdir):
    """styles/README.md documents exactly the properties the schema has, with default.xml's
    defaults, and examples the program accepts."""

    def test_every_schema_property_is_documented_and_nothing_else(self):
        props, _, _ = schema()
        docs = set(documented())
        self.assertFalse(props - docs, f"undocumented in styles/README.md: {sorted(props - docs)}")
        self.assertFalse(docs - props, f"documented but not in the schema: {sorted(docs - props)}")

    def test_text_role_table_matches_the_schema(self):
        _, roles, text_attrs = schema()
        attrs, table_roles = role_table()
        self.assertEqual(attrs, text_attrs)
        self.assertEqual(list(table_roles), roles)

    def test_defaults_are_those_of_default_xml(self):
        values = default_xml()
        for name, (_, default, _) in documented().items():
            v = code(default)
            if v is None or name.startswith("text.ROLE."):
                continue
            with self.subTest(property=name):
                self.assertEqual(values.get(name), v)
        attrs, roles = role_table()
        for role, cells in roles.items():
            for attr, v in cells.items():
                with self.subTest(role=role, attribute=attr):
                    self.assertEqual(values.get(f"text.{role}.{attr}"), v,
                                     "a dash must be absent from default.xml, a value equal")

    def test_default_xml_equals_the_built_in_defaults(self):
        empty = style_file(self.tmp, "empty.xml", "")
        for kind in ("guide", "cheatsheet"):
            a, b = dump(kind, ARTICLE, "--style", DEFAULT), dump(kind, ARTICLE, "--style", empty)
            self.assertEqual(a[0], 0, a[2])
            self.assertEqual(a[1], b[1], f"{kind}: default.xml differs from the built-in defaults")

    def examples(self):
        """(--set NAME=VALUE) for each documented example, text roles for each role using it."""
        _, roles = role_table()
        out = []
        for name, (_, _, ex) in documented().items():
            if name in ("extends",):
                continue
            self.assertIsNotNone(ex, f"{name} has no example")
            if name.startswith("text.ROLE."):
                attr = name.split(".")[2]
                out += [f"text.{r}.{attr}={ex}" for r, cells in roles.items() if cells[attr]]
            else:
                out.append(f"{name.replace('.N', '.1').replace('.ID', '.po')}={ex}")
        return out

    def test_documented_examples_are_accepted(self):
        sets = self.examples()
        results = parallel(lambda s: (s, rolepress("validate", ARTICLE, "--set", s)), sets)
        for s, r in results:
            with self.subTest(set=s):
                self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_dashes_are_refused(self):
        _, roles = role_table()
        for role, cells in roles.items():
            for attr, v in cells.items():
                if v is not None:
                    continue
                with self.subTest(role=role, attribute=attr):
                    r = rolepress("validate", ARTICLE, "--set", f"text.{role}.{attr}=1pt")
                    self.assertEqual(r.returncode, 1)
                    self.assertIn(f"text role '{role}' does not use {attr}", r.stderr)

    def test_every_colour_name_is_documented_and_works(self):
        names = re.findall(r"`([a-z]+)`", readme_section("Colour names").strip().split("\n\n")[0])
        self.assertGreaterEqual(len(names), 16)
        for name in names:
            r = rolepress("validate", ARTICLE, "--set", f"colors.accent={name.upper()}")
            self.assertEqual((name, r.returncode, r.stderr), (name, 0, ""))


# ---- every property changes the output ----------------------------------------------------

def other(attr, default):
    """A value of a text attribute that differs from default."""
    flips = {"weight": ("normal", "bold"), "style": ("normal", "italic"),
             "align": ("left", "justify")}
    if attr in flips:
        a, b = flips[attr]
        return b if default == a else a
    if attr == "family":
        return "DejaVu Serif" if default != "DejaVu Serif" else "DejaVu Sans"
    if attr == "color":
        return "#ff00ff"
    pt = float(re.match(r"[\d.]+", default).group())
    if attr == "size":
        return f"{pt * 1.2:.2f}pt"
    if attr == "leading":
        return f"{pt * 1.5:.2f}pt"
    return "25pt"  # space-before, space-after


class TestEveryProperty(Workdir):
    """Each property, set to a value other than its default, changes the laid-out pages
    (or, where it says, the PDF): none is silently ignored."""

    # values for the test where the README's example would not show on the test source
    VALUES = {"cheatsheet.min-size": "10.5pt", "cheatsheet.step": "0.04pt",
              "fonts.fallback": "DejaVu Sans", "page.margin": "15mm"}
    # settings a case needs to show, made in its baseline too
    CONTEXT = {"page.mirror-margins": ("page.margin-left=30mm",)}
    # which documents a property shows in (both when not listed)
    GUIDE = ("page.", "spacing.", "colors.table-head-background", "colors.rule")
    SHEET = ("cheatsheet.", "colors.muted")

    def setUp(self):
        super().setUp()
        self.source = long_source(self.tmp)
        self.base = {k: dump(k, self.source) for k in ("guide", "cheatsheet")}
        for k, (rc, _, err) in self.base.items():
            self.assertEqual(rc, 0, err)

    def kinds(self, name):
        if name.startswith("text."):
            return ["cheatsheet"] if name.split(".")[1].startswith("cheat-") else ["guide"]
        if name.startswith(self.GUIDE):
            return ["guide"]
        if name.startswith(self.SHEET):
            return ["cheatsheet"]
        return ["guide", "cheatsheet"]

    def cases(self):
        """(property, value) to try: every documented property but name and extends (tested
        below), every text attribute of every role that uses it."""
        cases = []
        _, roles = role_table()
        for name, (_, default, ex) in documented().items():
            if name in ("name", "extends"):
                continue
            if name.startswith("text.ROLE."):
                attr = name.split(".")[2]
                cases += [(f"text.{r}.{attr}", other(attr, cells[attr]))
                          for r, cells in roles.items() if cells[attr]]
                continue
            value = self.VALUES.get(name, ex)
            self.assertNotEqual(value, code(default), f"{name}: the example is the default")
            cases.append((name.replace(".N", ".1").replace(".ID", ".po"), value))
        cases += [("palette.2", "teal"), ("color.role.pm", "gold")]
        return cases

    def probe(self, job):
        """(dump with the setting, dump of its baseline) of job (name, value, kind)."""
        name, value, kind = job
        context = [a for s in self.CONTEXT.get(name, ()) for a in ("--set", s)]
        base = dump(kind, self.source, *context) if context else self.base[kind]
        return dump(kind, self.source, *context, "--set", f"{name}={value}"), base

    def test_each_property_changes_the_layout(self):
        jobs = [(name, value, kind) for name, value in self.cases() for kind in self.kinds(name)]
        results = parallel(lambda j: (j, self.probe(j)), jobs)
        changed = {}
        for (name, value, kind), (res, base) in results:
            changed.setdefault((name, value), []).append(res != base)
            if name.startswith("text.") and res[0] == 0:
                self.check_targeted(name, value, res[1])
        self.assertGreaterEqual(len(changed), 130)
        for (name, value), flags in changed.items():
            with self.subTest(set=f"{name}={value}"):
                self.assertTrue(any(flags), "the output did not change")

    def check_targeted(self, name, value, out):
        """A text attribute's value shows in the items of the role where it can be named."""
        role, attr = name.split(".")[1:]
        with self.subTest(set=f"{name}={value}"):
            if attr == "color":
                self.assertIn("color=#ff00ff", out)
            elif attr == "family":
                self.assertIn(value, "\n".join(faces(out)[i["face"]] for i in texts(out)))
            elif attr == "size" and not role.startswith("cheat-"):
                self.assertIn(float(value[:-2]), {i["size"] for i in texts(out)})

    def test_name_is_the_pdfs_creator(self):
        g, c, _ = self.build(MINIMAL, "--set", "name=handout")
        for pdf in (g, c):
            self.assertEqual(pdfinfo(pdf)["Creator"], "rolepress (style handout)")
        g, _, _ = self.build(MINIMAL, "--style", STYLES[1])
        self.assertEqual(pdfinfo(g)["Creator"], "rolepress (style print)")

    def test_min_size_is_the_floor(self):
        rc, _, err = dump("cheatsheet", self.source, "--set", "cheatsheet.min-size=10.5pt")
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"long\.xml:\d+: error: cheat sheet does not fit on one page: at "
                              r"the 10\.5 pt floor")

    def test_page_properties_move_the_text(self):
        mm = 72 / 25.4
        rc, out, _ = dump("guide", MINIMAL, "--set", "page.margin=15mm",
                          "--set", "page.margin-left=30mm", "--set", "page.paper=letter")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("document 612.00 x 792.00 "))
        self.assertAlmostEqual(min(i["x"] for i in texts(out, 1)), 30 * mm, delta=0.01)
        _, base, _ = dump("guide", MINIMAL, "--set", "page.paper=letter")
        top = texts(out, 1)[0]["y"] - texts(base, 1)[0]["y"]
        self.assertAlmostEqual(top, 15 * mm - 20 * mm, delta=0.01, msg="the title moves up 5 mm")

    def test_role_colours_reach_tables_and_figures(self):
        for name in ("role-color.po", "color.role.po"):
            rc, out, _ = dump("guide", ARTICLE, "--set", f"{name}=#0a7d4f")
            self.assertIn("fill=#0a7d4f", out, name)
        rc, out, _ = dump("cheatsheet", ARTICLE, "--set", "palette=navy, olive")
        self.assertIn("fill=#000080", out)
        self.assertIn("fill=#808000", out)


# ---- inheritance and overrides -------------------------------------------------------------

class TestInheritance(Workdir):
    def test_a_child_equals_its_parent_with_the_same_overrides(self):
        child = style_file(self.tmp, "child.xml",
                           '  <text role="body" size="12pt" color="navy"/>\n'
                           '  <page margin="18mm" mirror-margins="yes"/>\n',
                           extends=os.path.relpath(STYLES[1], self.tmp))
        for kind in ("guide", "cheatsheet"):
            a = dump(kind, ARTICLE, "--style", child)
            b = dump(kind, ARTICLE, "--style", STYLES[1], "--set", "text.body.size=12pt",
                     "--set", "text.body.color=navy", "--set", "page.margin=18mm",
                     "--set", "page.mirror-margins=yes")
            self.assertEqual(a[0], 0, a[2])
            self.assertEqual(a, b, kind)

    def test_extends_is_relative_to_the_style_not_the_working_directory(self):
        style_file(self.tmp, "base/parent.xml", '  <text role="body" size="12pt"/>\n')
        child = style_file(self.tmp, "base/kids/child.xml", "", extends="../parent.xml")
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        rc, out, err = dump("guide", MINIMAL, "--style", child, cwd=elsewhere)
        self.assertEqual(rc, 0, err)
        self.assertIn("Writers write; editors edit.",
                      " ".join(i["text"] for i in texts(out) if i["size"] == 12))

    def test_overrides_come_after_the_file(self):
        style = style_file(self.tmp, "s.xml", '  <text role="body" size="12pt"/>\n')
        rc, out, err = dump("guide", MINIMAL, "--style", style, "--set", "text.body.size=11pt")
        self.assertEqual(rc, 0, err)
        para = [i for i in texts(out) if i["text"].startswith("Writers write")]
        self.assertEqual(para[0]["size"], 11)

    def test_broken_styles_fail_at_their_line_and_write_nothing(self):
        a = style_file(self.tmp, "a.xml", "", extends="b.xml")
        style_file(self.tmp, "b.xml", '  <page margin-top="25mm"/>\n', extends="a.xml")
        orphan = style_file(self.tmp, "orphan.xml", "", extends="missing.xml")
        cases = [
            (["--style", a], re.escape(os.path.join(self.tmp, "b.xml")) +
             r':2: error: extends="a.xml" makes a cycle: .*a\.xml -> .*b\.xml -> .*a\.xml'),
            (["--style", orphan], re.escape(orphan) +
             r':2: error: extends="missing.xml": no such style file'),
            (["--set", "page.margin-top=15"], r"--set page.margin-top=15: error: invalid length"),
            (["--set", "text.bdy.size=11pt"],
             r"--set text.bdy.size=11pt: error: unknown property 'text.bdy.size'; did you mean "
             r"'text.body.size'\?"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                out = os.path.join(self.tmp, "out")
                shutil.rmtree(out, ignore_errors=True)
                os.mkdir(out)
                with open(os.path.join(out, "guide.pdf"), "wb") as f:
                    f.write(b"previous")
                r = rolepress("build", ARTICLE, "--out-dir", out, *args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertRegex(r.stderr, pattern)
                self.assertEqual(os.listdir(out), ["guide.pdf"])
                with open(os.path.join(out, "guide.pdf"), "rb") as f:
                    self.assertEqual(f.read(), b"previous")

    def test_style_messages_come_before_the_sources(self):
        """The style's fonts are resolved after the source is read (fontconfig loads
        meanwhile); its messages are still printed first."""
        r = rolepress("validate", "tests/bad/schema-violation.xml", "--style",
                      "tests/bad/styles/unknown-font.xml", "--set", "page.margin=1px", cwd=ROOT)
        self.assertEqual(r.returncode, 1, r.stderr)
        with open(os.path.join(ROOT, "tests/bad/styles/unknown-font.err"), encoding="utf-8") as f:
            style = f.read()
        with open(os.path.join(ROOT, "tests/bad/schema-violation.err"), encoding="utf-8") as f:
            source = f.read()
        self.assertEqual(r.stderr, style + "--set page.margin=1px: error: invalid length '1px' "
                         "for margin: expected a number and a unit pt, mm, cm or in (e.g. 12pt)\n"
                         + source)

    def test_set_without_a_value_is_a_usage_error(self):
        for arg in ("page.margin", "=15mm"):
            r = rolepress("validate", ARTICLE, "--set", arg)
            self.assertEqual(r.returncode, 2, arg)
            self.assertIn("--set needs NAME=VALUE", r.stderr)

    def test_overrides_ignore_the_locale(self):
        args = ("guide", ARTICLE, "--dump=layout", "--set", "text.body.size=10.5pt",
                "--set", "text.body.leading=1.45em", "--set", "page.margin=0.8in")
        first = rolepress(*args)
        env = dict(os.environ, LC_ALL="de_DE.UTF-8")
        second = subprocess.run([BIN, *args], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(first.stdout, second.stdout)

    def test_depfile_lists_the_parent_styles(self):
        dep = os.path.join(self.tmp, "out.d")
        self.build(MINIMAL, "--style", STYLES[1], "--depfile", dep)
        with open(dep, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("print.xml", text)
        self.assertIn("default.xml", text)


# ---- fonts ---------------------------------------------------------------------------------

class TestFallbackFonts(Workdir):
    def source(self, extra):
        with open(MINIMAL, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("Writers write; editors edit.", f"Writers write {extra}; editors edit.")
        path = os.path.join(self.tmp, "chars.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        line = next(i for i, l in enumerate(text.splitlines(), 1) if "Writers write" in l)
        return path, line

    def test_characters_come_from_the_first_font_that_has_them(self):
        path, _ = self.source("a\u2603b\u2a0bc")  # one word in three fonts
        rc, out, err = dump("guide", path)
        self.assertEqual((rc, err), (0, ""))
        fam, items = faces(out), texts(out)
        by_char = {ch: fam[i["face"]] for i in items for ch in "\u2603\u2a0b" if ch in i["text"]}
        self.assertEqual(by_char, {"\u2603": "DejaVu Sans", "\u2a0b": "Noto Sans Math"})
        # measured as drawn: the pieces of the word sit edge to edge
        y = next(i["y"] for i in items if "\u2603" in i["text"])
        line = sorted((i for i in items if i["y"] == y), key=lambda i: i["x"])
        word = [i["text"] for i in line]
        self.assertEqual(word[word.index("\u2603") - 1:][:5], ["Writers write a", "\u2603", "b",
                                                              "\u2a0b", "c; editors edit."])
        for a, b in zip(line, line[1:]):
            self.assertAlmostEqual(a["x"] + a["w"], b["x"], delta=0.02)

    def test_pdf_embeds_and_extracts_the_fallback_characters(self):
        path, _ = self.source("\u2603 and \u2a0b")
        g, _, r = self.build(path)
        self.assertEqual(r.stderr, "")
        fonts = run("pdffonts", g).stdout
        self.assertIn("DejaVuSans", fonts)
        self.assertIn("NotoSansMath", fonts)
        text = run("pdftotext", g, "-").stdout
        self.assertIn("\u2603 and \u2a0b", text)

    def test_one_warning_per_character_no_font_has(self):
        path, line = self.source("\u4f5c\u5bb6 \u4f5c and \u2603")
        r = rolepress("build", path, "--out-dir", self.tmp, "--set", "fonts.fallback=")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 3, r.stderr)
        for cp, ch in (("U+4F5C", "\u4f5c"), ("U+5BB6", "\u5bb6"), ("U+2603", "\u2603")):
            self.assertIn(f"chars.xml:{line}: warning: font 'Noto Serif' has no glyph for "
                          f"{cp} ({ch}), nor has any fallback font", r.stderr)
        r = rolepress("build", path, "--out-dir", self.tmp)
        self.assertEqual(len(r.stderr.splitlines()), 2, "the snowman is found in DejaVu Sans")

    def test_unknown_fallback_family_is_an_error(self):
        r = rolepress("validate", ARTICLE, "--set", "fonts.fallback=DejaVu Sans, Nope Sans")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--set fonts.fallback=DejaVu Sans, Nope Sans: error: fallback font family "
                      "'Nope Sans' is not installed", r.stderr)


# ---- the promise ----------------------------------------------------------------------

class TestCopyAndEdit(Workdir):
    def test_a_copy_of_default_with_a_new_colour_and_font_gives_exactly_that(self):
        """Copy default.xml elsewhere, change the body's colour and font as styles/README.md
        says, and only those change."""
        with open(DEFAULT, encoding="utf-8") as f:
            text = f.read()
        body = re.search(r'<text role="body"[^>]*/>', text, re.S).group(0)
        mine = body.replace('family="Noto Serif"', 'family="DejaVu Serif"').replace(
            'color="#1f2328"', 'color="darkgreen"')
        self.assertNotEqual(mine, body)
        path = write(self.tmp, "mine/mine.xml", text.replace(body, mine))
        rc, out, err = dump("guide", ARTICLE, "--style", path)
        self.assertEqual((rc, err), (0, ""))
        _, ref, _ = dump("guide", ARTICLE, "--set", "text.body.family=DejaVu Serif",
                         "--set", "text.body.color=#006400")
        self.assertEqual(out, ref)
        # body text (the Venn diagram's common ground takes the body's ink in its own font)
        para = [i for i in texts(out) if i["color"] == "#006400" and i["size"] == 10]
        self.assertGreater(len(para), 20)
        self.assertEqual({faces(out)[i["face"]].split(" bold")[0].split(" italic")[0]
                          for i in para}, {"DejaVu Serif"})


# ---- the shipped styles --------------------------------------------------------------------

class TestShippedStyles(Workdir):
    def test_every_shipped_style_builds_cleanly_with_a_one_page_cheat_sheet(self):
        names = sorted(f for f in os.listdir(STYLE_DIR) if f.endswith(".xml"))
        self.assertEqual(names, ["default.xml", "large-print.xml", "letter.xml", "print.xml"])
        for name in names:
            for source in (ARTICLE, os.path.join(DATA, "three-roles.xml")):
                with self.subTest(style=name, source=os.path.basename(source)):
                    g, c, r = self.build(source, "--style", os.path.join(STYLE_DIR, name))
                    self.assertEqual(r.stderr, "")
                    self.assertEqual(int(pdfinfo(c)["Pages"]), 1)
                    self.assertGreaterEqual(int(pdfinfo(g)["Pages"]), 2)

    def test_letter_is_us_letter(self):
        g, c, _ = self.build(ARTICLE, "--style", os.path.join(STYLE_DIR, "letter.xml"))
        self.assertIn("612 x 792 pts (letter)", pdfinfo(g)["Page size"])
        self.assertIn("792 x 612 pts (letter)", pdfinfo(c)["Page size"])

    def test_large_print_body_is_at_least_14pt(self):
        rc, out, _ = dump("guide", ARTICLE, "--style", os.path.join(STYLE_DIR, "large-print.xml"))
        self.assertEqual(rc, 0)
        sizes = [i["size"] for i in texts(out)]
        body = max(set(sizes), key=sizes.count)  # the body is the most frequent size
        self.assertGreaterEqual(body, 14)
        self.assertGreaterEqual(min(sizes), 12, "no guide text below 12 pt")

    def test_print_margins_mirror_on_even_pages(self):
        mm = 72 / 25.4
        rc, out, _ = dump("guide", ARTICLE, "--style", STYLES[1])
        self.assertEqual(rc, 0)
        for page, left in ((1, 30), (2, 20), (3, 30), (4, 20)):
            with self.subTest(page=page):
                self.assertAlmostEqual(min(i["x"] for i in texts(out, page)), left * mm, delta=0.01)
        # the footer follows its page's margin too
        footers = [i for i in texts(out) if re.match(r"page \d+ of \d+", i["text"])]
        for i in footers:
            inner = i["page"] % 2 == 0  # the right margin of an even page is the inner one
            self.assertAlmostEqual(i["x"] + i["w"], 595.28 - (30 if inner else 20) * mm,
                                   delta=0.02)


if __name__ == "__main__":
    unittest.main()


class TestMistakeLines(Workdir):
    """A mistake in a copied style is reported at the line it is written on, even inside a
    start tag that runs over several lines (libxml2 numbers elements by where they end)."""

    def test_lines_inside_multi_line_tags(self):
        with open(os.path.join(ROOT, "styles", "default.xml"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        paper = next(i for i, l in enumerate(lines) if 'paper="a4"' in l)
        body = next(i for i, l in enumerate(lines) if 'role="body"' in l)
        family = next(i for i in range(body, body + 3) if 'family="' in lines[i])
        lines[paper] = lines[paper].replace('paper="a4"', 'paper="a5"')
        lines[family] = re.sub(r'family="[^"]*"', 'family="Noto Serf"', lines[family])
        path = os.path.join(self.tmp, "mine.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        r = rolepress("validate", ARTICLE, "--style", path)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, rf"mine.xml:{paper + 1}: error: invalid value 'a5' for paper")
        self.assertRegex(r.stderr, rf"mine.xml:{family + 1}: error: font family 'Noto Serf'")
