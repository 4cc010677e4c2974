"""Typesetting: hyphenation by language, soft hyphens, where hyphens are never put, the
report of lines set badly, the typesetting report, and the contents' page numbers."""
import os
import re
import subprocess

from e2e import ARTICLE, BIN, DATA, Workdir, pdfinfo, rolepress, run
from e2e_styles import texts

with open(os.path.join(DATA, "minimal.xml"), encoding="utf-8") as f:
    MINIMAL = f.read()

LONG_WORDS = ("Responsibilities of internationalization characteristically demand "
              "representativeness, incomprehensibilities and organizational "
              "accountability from administrators everywhere.")


def with_body(paragraphs, lang="en", heading="Introduction"):
    """The minimal article with xml:lang and the introduction's paragraphs replaced."""
    text = MINIMAL.replace('xml:lang="en"', f'xml:lang="{lang}"')
    text = text.replace('title="Introduction"', f'title="{heading}"')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return text.replace("<p>Writers write; editors edit.</p>", body)


class TestHyphenation(Workdir):
    def source(self, text, name="t.xml"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def narrow(self, path, *extra):
        """The texts of the guide's text items, set on a narrow page where long words need
        hyphens."""
        r = rolepress("guide", path, "--dump=layout", "--set", "page.margin=70mm", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [i["text"] for i in texts(r.stdout)]

    def test_unknown_language_is_an_error_at_the_root(self):
        path = self.source(with_body([LONG_WORDS], lang="xx"))
        for cmd in (["validate", path], ["guide", path, "-o", os.path.join(self.tmp, "g.pdf")]):
            r = rolepress(*cmd)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertRegex(r.stderr, r"t\.xml:2: error: no hyphenation patterns for language "
                                       r"'xx' \(looked for /usr/share/hyphen/hyph_xx\.dic\)")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "g.pdf")))

    def test_language_tag_cannot_name_other_files(self):
        path = self.source(with_body(["x"], lang="en-../../etc"))
        r = rolepress("validate", path)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("Invalid attribute lang", r.stderr)  # the schema's xsd:language
        path = self.source(with_body(["x"], lang="x-klingon"))
        r = rolepress("validate", path)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("t.xml:2: error: xml:lang 'x-klingon' does not start with a two- or "
                      "three-letter language code", r.stderr)

    def test_dictionary_directory_from_the_environment(self):
        path = self.source(with_body([LONG_WORDS]))
        env = dict(os.environ, ROLEPRESS_HYPHEN_DIR=self.tmp)
        r = subprocess.run([BIN, "validate", path], capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"looked for {self.tmp}/hyph_en.dic", r.stderr)

    def test_english_words_are_hyphenated_in_body_text_only(self):
        path = self.source(with_body([LONG_WORDS] * 3, heading="Internationalization "
                                     "responsibilities characteristically"))
        items = self.narrow(path)
        hyphenated = [t for t in items if re.search(r"[a-z]-$", t)]
        self.assertGreater(len(hyphenated), 2, "a narrow measure needs hyphens")
        for t in hyphenated:  # at least two letters before the hyphen
            self.assertRegex(t, r"(^|\s)[A-Za-z]{2,}-$")
        # the heading is never hyphenated (it is bold, 15 pt; the body is 10 pt)
        r = rolepress("guide", path, "--dump=layout", "--set", "page.margin=70mm")
        for line in r.stdout.splitlines():
            if "size=15.00" in line or "size=12.00" in line:
                self.assertNotRegex(line, r'[a-z]-"')

    def test_three_letters_carried_over(self):
        path = self.source(with_body([LONG_WORDS] * 4))
        items = self.narrow(path)
        for i, t in enumerate(items):
            if re.search(r"[a-z]-$", t) and i + 1 < len(items):
                nxt = items[i + 1]
                self.assertRegex(nxt, r"^[a-z]{3,}", f"{t!r} then {nxt!r}")

    def test_german_uses_german_patterns(self):
        words = ("Die Verantwortlichkeiten der Produktverantwortlichen unterscheiden sich "
                 "grundsätzlich von den Entwicklungsabteilungen und Geschäftsführungen.")
        path = self.source(with_body([words] * 3, lang="de-DE"))
        items = self.narrow(path)
        broken = [t for t in items if re.search(r"\w-$", t)]
        self.assertTrue(broken, "no German word was hyphenated")

    def test_soft_hyphens_break_and_never_print_otherwise(self):
        word = "Extra\u00adordinarily\u00adlong\u00adcompound"
        path = self.source(with_body([" ".join([word] * 12)]))
        wide = rolepress("guide", path, "--dump=layout")
        self.assertNotIn("\u00ad", wide.stdout)
        self.assertIn("ExtraordinarilylongCompound".replace("C", "c"), wide.stdout)
        items = self.narrow(path)
        self.assertTrue(any(t.endswith("-") for t in items))
        self.assertNotIn("\u00ad", "".join(t for t in items))

    def test_words_with_digits_or_addresses_are_not_hyphenated(self):
        text = " ".join(["https://example.org/internationalization", "ISO9001certification",
                         "CAPITALIZATION"] * 6)
        items = self.narrow(self.source(with_body([text])))
        for t in items:
            self.assertNotRegex(t, r"[A-Za-z]-$", t)


class TestReports(Workdir):
    def source(self, text):
        path = os.path.join(self.tmp, "t.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_underfull_lines_are_reported_at_the_paragraph(self):
        # tokens with digits are never hyphenated: a narrow justified measure must stretch
        tokens = " ".join(f"A{n:013d}" for n in range(40))
        path = self.source(with_body(["Short words come first here.", tokens]))
        r = rolepress("guide", path, "--dump=layout", "--set", "page.margin=70mm")
        self.assertEqual(r.returncode, 0, r.stderr)
        line = next(i + 1 for i, l in enumerate(open(path, encoding="utf-8"))
                    if "A000000000000" in l)
        self.assertRegex(r.stderr, rf"t\.xml:{line}: warning: underfull line \(spaces stretched "
                                   r"\d+\.\d\u00d7\)")
        strict = rolepress("guide", path, "-o", os.path.join(self.tmp, "g.pdf"), "--werror",
                           "--set", "page.margin=70mm")
        self.assertEqual(strict.returncode, 1)

    def test_overfull_token_is_reported(self):
        token = "extract-transform-load" * 8
        path = self.source(with_body([f"Before {token.replace('-', 'x')} after."]))
        r = rolepress("guide", path, "--dump=layout")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r't\.xml:\d+: warning: overfull line: "extractxtransform.*" '
                                   r"does not fit the [\d.]+ pt measure")

    def test_typo_report_compares_the_breakers(self):
        def report(breaker):
            r = rolepress("guide", ARTICLE, "--typo-report", f"--line-breaker={breaker}")
            self.assertEqual(r.returncode, 0)
            return {k: float(v) for k, v in re.findall(r"^(.+): ([\d.]+)$", r.stdout, re.M)}
        kp, ff = report("optimal"), report("greedy")
        self.assertLessEqual(kp["word-space stretch, worst"], 1.6)
        self.assertGreater(ff["word-space stretch, worst"], kp["word-space stretch, worst"])
        self.assertLess(kp["word-space stretch, mean"], ff["word-space stretch, mean"])
        self.assertEqual(kp["overfull lines"], 0)
        self.assertGreater(kp["hyphenated lines"], 0)
        self.assertEqual(ff["hyphenated lines"], 0)
        bad = rolepress("guide", ARTICLE, "--typo-report", "--line-breaker=best")
        self.assertEqual(bad.returncode, 2)


class TestContents(Workdir):
    def test_page_numbers_with_four_digits_get_room(self):
        """A guide of over 999 pages: the contents are laid out again with room for four
        digits, so each number ends at the right edge and clears its leader dots."""
        filler = ("Every line of this filler paragraph is here to make the guide long enough "
                  "that its contents need page numbers of four digits. ") * 6
        sections = []
        for s in range(17):
            paras = "".join(f"<p>{s}.{k} {filler}</p>" for k in range(150))
            sections.append(f'<section id="s{s}" title="Section {s}">{paras}</section>')
        text = MINIMAL.replace(
            '<section id="intro" title="Introduction">\n      <p>Writers write; editors edit.</p>'
            "\n    </section>", "".join(sections))
        path = os.path.join(self.tmp, "long.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        pdf = os.path.join(self.tmp, "long.pdf")
        margins = ("--set", "page.margin-top=99mm", "--set", "page.margin-bottom=99mm")
        r = rolepress("guide", path, "-o", pdf, *margins, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(int(pdfinfo(pdf)["Pages"]), 999)
        # in the contents, each page number starts after its leader dots end
        r = rolepress("guide", path, "--dump=layout", *margins, timeout=120)
        leaders, numbers, page = {}, [], 0
        for line in r.stdout.splitlines():
            if line.startswith("page "):
                page = int(line.split()[1])
            m = re.match(r"  line ([\d.]+) ([\d.]+) ([\d.]+) [\d.]+ .*dash", line)
            if m:
                leaders[(page, float(m[2]))] = (float(m[1]), float(m[3]))
            m = re.match(r'  text ([\d.]+) ([\d.]+) .*"(\d+)"', line)
            if m:
                numbers.append((page, float(m[1]), float(m[2]), m[3]))
        checked = 0
        for page, x, y, digits in numbers:
            start, end = leaders.get((page, y), (1e9, 0))
            if x > start:  # the page number, not the section number
                self.assertGreater(x, end, f"page {digits} runs into its dots")
                checked += len(digits) == 4
        self.assertGreater(checked, 0, "no four-digit page number in the contents")


class TestPatternCache(Workdir):
    """Compiled hyphenation patterns and kerning pairs kept between runs (src/cache.c):
    the same PDFs from a cold cache, a warm one, a damaged one and none."""

    def build_with_cache(self, cache, out):
        os.makedirs(out, exist_ok=True)
        env = dict(os.environ, ROLEPRESS_CACHE_DIR=cache)
        r = subprocess.run([BIN, "build", ARTICLE, "--out-dir", out], env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        outs = []
        for name in ("guide.pdf", "cheatsheet.pdf"):
            with open(os.path.join(out, name), "rb") as f:
                outs.append(f.read())
        return outs

    def test_same_pdfs_cold_warm_damaged_and_off(self):
        cache = os.path.join(self.tmp, "cache")
        cold = self.build_with_cache(cache, os.path.join(self.tmp, "cold"))
        files = [f for f in os.listdir(cache) if f.startswith("hyph-")]
        self.assertEqual(len(files), 1, files)  # the article's English patterns
        self.assertRegex(files[0], r"^hyph-[0-9a-f]{16}\.bin$")
        kern = [f for f in os.listdir(cache) if f.startswith("kern-")]
        self.assertGreaterEqual(len(kern), 4, kern)  # one per font file kerned
        self.assertEqual(self.build_with_cache(cache, os.path.join(self.tmp, "warm")), cold)
        for name in files + kern:  # damaged: a run of bytes overwritten mid-file
            path = os.path.join(cache, name)
            with open(path, "r+b") as f:
                f.seek(os.path.getsize(path) // 2)
                f.write(b"\xff" * 64)
        self.assertEqual(self.build_with_cache(cache, os.path.join(self.tmp, "damaged")), cold)
        self.assertEqual(self.build_with_cache("", os.path.join(self.tmp, "off")), cold)
