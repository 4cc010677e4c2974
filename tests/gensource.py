#!/usr/bin/env python3
"""gensource: generate large, valid rolepress article sources for benchmarks.

    python3 tests/gensource.py --pages N [--roles K] [--seed S] [-o FILE]

Writes an article (source/article.rng) that lays out to roughly N guide pages with the
default style. The output depends only on the arguments (a seeded random generator, no
clock, no environment), so a benchmark source is the same on every machine.

The text is meant to look like the real thing to the typesetter, not to be read: sentences
are built from a small grammar over an English word list (function words, nouns, verbs,
adjectives with a Zipf-like frequency), so word lengths, sentence lengths and paragraph
lengths vary as in prose. Sections nest up to three levels and mix paragraphs, bulleted
lists and comparison tables, plus each directive the schema offers (role overview, role
lists, role paths, figures, collaboration list). Role data is kept short, like the shipped
article's, so the cheat sheet still fits on its page and `rolepress build` works too.

The page count is estimated from the amount of text (lines of each block at the default
style's measure), calibrated against pdfinfo; expect about +-5 %.
"""
import argparse
import random
import sys
from xml.sax.saxutils import escape, quoteattr

# ---- vocabulary --------------------------------------------------------------------------

DETERMINERS = "the the the a a an this that each every its their our some many most".split()
PREPOSITIONS = ("of of of in in in to to for for with with on at by from about across "
                "between through during without within under over after before").split()
CONJUNCTIONS = ["and", "but", "so", "while", "because", "although", "whereas", "since",
                "and then", "or"]
ADVERBS = ("often usually rarely quickly carefully clearly directly closely mostly largely "
           "typically gradually openly early regularly formally informally deliberately "
           "explicitly continuously").split()
NOUNS = ("team product roadmap backlog customer market strategy vision feature release "
         "stakeholder decision priority goal outcome sprint increment process meeting "
         "review budget risk requirement deadline manager owner developer designer "
         "analyst company organization department project plan schedule estimate metric "
         "value problem solution opportunity insight research interview survey report "
         "document specification contract vendor partner user story epic milestone "
         "launch support lifecycle quality test defect change scope trade-off dependency "
         "capacity velocity commitment experiment hypothesis prototype design architecture "
         "platform service integration migration policy standard framework method practice "
         "skill career path course certificate degree mentor role responsibility authority "
         "accountability leadership communication negotiation conflict consensus feedback "
         "retrospective workshop presentation audience message pricing revenue margin cost "
         "investment portfolio competitor segment persona journey workflow tool dashboard "
         "signal trend forecast quarter year week day hour").split()
VERBS = ("defines shapes owns reviews explains ranks balances plans tracks measures "
         "negotiates supports protects clarifies delivers aligns updates removes adds "
         "questions challenges accepts rejects refines estimates publishes shares "
         "coordinates escalates documents tests validates prioritizes schedules funds "
         "simplifies improves changes frames informs guides connects translates "
         "anticipates resolves weighs").split()
ADJECTIVES = ("clear strategic tactical long-term short-term shared new small large "
              "critical important useful detailed rough early late stable volatile formal "
              "informal agile traditional realistic ambitious measurable visible hidden "
              "commercial technical practical careful difficult simple complex cross-functional "
              "regular quarterly weekly internal external senior junior experienced "
              "accountable independent reliable explicit implicit").split()
NAMES = ["Scrum", "Kanban", "OKRs", "SAFe", "Jira", "Lean", "DevOps", "ITIL", "PRINCE2"]

ROLES = [  # id, name, short, horizon position, focus noun phrase
    ("pm", "Product Manager", "PM", 0.2, "the market and the business case"),
    ("po", "Product Owner", "PO", 0.75, "the backlog and the next increment"),
    ("sm", "Scrum Master", "SM", 0.9, "the team's process and its obstacles"),
    ("pjm", "Project Manager", "PjM", 0.55, "scope, schedule and budget"),
]


FUNCTION_WORDS = set(DETERMINERS + PREPOSITIONS + CONJUNCTIONS + ["and", "then"])


def pluralize(noun):
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def plural_verb(verb):
    """The verb for a plural subject: "defines" -> "define", "prioritizes" -> "prioritize"."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("shes", "ches", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def zipf_weights(n):
    return [1.0 / (i + 1) ** 0.7 for i in range(n)]


class Text:
    """English-like text from a seeded generator."""

    def __init__(self, rng, roles):
        self.rng = rng
        self.roles = roles
        self.nw = zipf_weights(len(NOUNS))
        self.vw = zipf_weights(len(VERBS))
        self.aw = zipf_weights(len(ADJECTIVES))

    def pick(self, words, weights=None):
        if weights is None:
            return self.rng.choice(words)
        return self.rng.choices(words, weights)[0]

    def noun_phrase(self):
        """A noun phrase, and whether it is plural."""
        r = self.rng.random()
        if r < 0.08:
            return "the " + self.rng.choice(self.roles)[1], False
        if r < 0.11:
            return self.rng.choice(NAMES), False
        parts = [self.pick(DETERMINERS)]
        if self.rng.random() < 0.35:
            parts.append(self.pick(ADJECTIVES, self.aw))
        noun = self.pick(NOUNS, self.nw)
        plural = parts[0] in ("many", "most", "some") or (
            parts[0] in ("their", "our", "the") and self.rng.random() < 0.4)
        if plural:
            noun = pluralize(noun)
        parts.append(noun)
        if parts[0] == "a" and parts[1][0] in "aeiou":
            parts[0] = "an"
        elif parts[0] == "an" and parts[1][0] not in "aeiou":
            parts[0] = "a"
        if self.rng.random() < 0.25:
            parts += [self.pick(PREPOSITIONS), self.pick(["the", "a", "each"]),
                      self.pick(NOUNS, self.nw)]
            if parts[-2] == "a" and parts[-1][0] in "aeiou":
                parts[-2] = "an"
        return " ".join(parts), plural

    def clause(self):
        subject, plural = self.noun_phrase()
        words = [subject]
        if self.rng.random() < 0.2:
            words.append(self.pick(ADVERBS))
        verb = self.pick(VERBS, self.vw)
        words += [plural_verb(verb) if plural else verb, self.noun_phrase()[0]]
        if self.rng.random() < 0.4:
            words += [self.pick(PREPOSITIONS), self.noun_phrase()[0]]
        return " ".join(words)

    def sentence(self):
        s = self.clause()
        n = self.rng.choices([0, 1, 2], [0.55, 0.35, 0.10])[0]
        for _ in range(n):
            sep = self.rng.choices([", ", "; ", " – "], [0.8, 0.12, 0.08])[0]
            s += sep + self.pick(CONJUNCTIONS) + " " + self.clause()
        if self.rng.random() < 0.05:
            s += f" in {self.rng.randint(2, 40)} {self.pick(['days', 'weeks', 'months'])}"
        s = s.replace(" the team ", " the team’s ", 1) if self.rng.random() < 0.1 else s
        end = self.rng.choices([".", "?", "!"], [0.93, 0.06, 0.01])[0]
        return s[0].upper() + s[1:] + end

    def inline(self, sentences, marks=True):
        """Sentences as inline XML, with an occasional <em> or <strong> phrase."""
        out = []
        for _ in range(sentences):
            s = escape(self.sentence())
            if marks and self.rng.random() < 0.12:
                words = s.split(" ")
                i = self.rng.randrange(len(words))
                j = min(len(words), i + self.rng.randint(1, 3))
                tag = self.rng.choice(["em", "strong"])
                phrase = " ".join(words[i:j]).rstrip(".,;?!")
                if phrase and "–" not in phrase and "&" not in phrase:
                    rest = " ".join(words[i:j])[len(phrase):]
                    words[i:j] = [f"<{tag}>{phrase}</{tag}>{rest}"]
                s = " ".join(words)
            out.append(s)
        return " ".join(out)

    def title(self, lo=2, hi=6):
        words = [self.pick(ADJECTIVES, self.aw).capitalize()]
        words += [self.pick(NOUNS, self.nw) for _ in range(self.rng.randint(lo, hi) - 1)]
        if self.rng.random() < 0.3:
            words.insert(1, "and")
        return " ".join(words)

    def phrase(self, lo, hi):
        """A short item: a clause without its final stop, or a noun phrase."""
        words = self.clause().split(" ")
        n = self.rng.randint(lo, hi)
        while len(words) < n:
            words += [self.pick(PREPOSITIONS)] + self.noun_phrase()[0].split(" ")
        words = words[:n]
        while len(words) > 1 and words[-1] in FUNCTION_WORDS:
            words.pop()
        s = " ".join(words)
        return s[0].upper() + s[1:]


# ---- the article -------------------------------------------------------------------------

class Article:
    # Lines a block takes at the default style (10 pt body, 470 pt measure: about 92
    # characters a line, 14 pt leading; a page holds about 50 lines), with the space
    # around it. A calibration factor for the rest (justification, keeps, page breaks)
    # is applied in main().
    CHARS_PER_LINE = 92.0
    LINES_PER_PAGE = 50.0

    def __init__(self, rng, nroles):
        self.rng = rng
        self.roles = ROLES[:nroles]
        self.t = Text(rng, self.roles)
        self.out = []
        self.lines = 0.0
        self.ids = 0
        self.path_lines = {}

    def w(self, s):
        self.out.append(s)

    def count(self, chars, width=1.0, extra=0.0):
        self.lines += -(-chars // int(self.CHARS_PER_LINE * width)) + extra

    def new_id(self, prefix):
        self.ids += 1
        return f"{prefix}{self.ids}"

    # -- front matter and roles --
    def meta(self):
        names = " vs ".join(r[1] for r in self.roles)
        self.w("  <meta>")
        self.w(f"    <title>{escape(names)}</title>")
        self.w(f"    <subtitle>{escape(self.t.phrase(8, 14))}</subtitle>")
        self.w("    <author>rolepress benchmark generator</author>")
        self.w('    <based-on publisher="rolepress" href="https://example.org/bench">'
               "Generated comparison</based-on>")
        self.w("    <keywords>")
        for k in ["benchmark"] + [r[1] for r in self.roles]:
            self.w(f"      <keyword>{escape(k)}</keyword>")
        self.w("    </keywords>")
        self.w("  </meta>")

    def items(self, tag, n, lo, hi, indent):
        self.w(f"{indent}<{tag}>")
        for _ in range(n):
            self.w(f"{indent}  <item>{escape(self.t.phrase(lo, hi))}</item>")
        self.w(f"{indent}</{tag}>")

    def role(self, rid, name, short, pos, focus):
        """A role; the lines its paths take in the guide (placed by <role-paths>) are kept."""
        t = self.t
        self.w(f"    <role id={quoteattr(rid)} name={quoteattr(name)} short={quoteattr(short)}>")
        self.w(f"      <definition>{escape(t.phrase(9, 14))}.</definition>")
        self.w(f"      <focus>{escape(focus.capitalize())}.</focus>")
        self.w(f'      <horizon position="{pos}">{escape(t.phrase(6, 10))}.</horizon>')
        self.w(f"      <origin>{escape(t.phrase(8, 13))}.</origin>")
        self.w("      <traits>")
        for _ in range(3):
            self.w(f"        <trait>{escape(t.title(1, 2))}</trait>")
        self.w("      </traits>")
        self.items("responsibilities", self.rng.randint(4, 6), 5, 9, "      ")
        self.items("skills", self.rng.randint(4, 6), 2, 4, "      ")
        self.w("      <paths>")
        before = self.lines
        for k in range(self.rng.randint(2, 3)):
            self.w(f'        <path id="{rid}-path{k + 1}" title={quoteattr(t.title(2, 4))}>')
            self.w(f"          <summary>{escape(t.phrase(5, 9))}.</summary>")
            self.heading(2)
            for _ in range(self.rng.randint(1, 3)):
                self.paragraph("          ")
            if self.rng.random() < 0.4:
                self.w("          <organisations>")
                for _ in range(self.rng.randint(2, 4)):
                    self.w(f"            <organisation>{escape(t.title(1, 3))}</organisation>")
                    self.lines += 1
                self.w("          </organisations>")
            self.w("        </path>")
        self.w("      </paths>")
        self.w("    </role>")
        self.path_lines[rid] = self.lines - before
        self.lines = before

    def roles_part(self):
        self.w("  <roles>")
        for r in self.roles:
            self.role(*r)
        self.w("  </roles>")
        self.items("shared", 4, 2, 5, "  ")
        self.items("collaboration", 4, 10, 18, "  ")

    # -- body blocks --
    def heading(self, level):
        # the heading with its space, and its line in the contents
        self.lines += (3.0 if level == 1 else 2.2) + (1.3 if level == 1 else 1.0)

    def paragraph(self, indent):
        n = self.rng.choices(range(1, 10), [4, 8, 10, 10, 8, 6, 4, 2, 1])[0]
        text = self.t.inline(n)
        self.w(f"{indent}<p>{text}</p>")
        self.count(len(text), extra=0.6)

    def bullet_list(self, indent):
        n = self.rng.randint(2, 8)
        self.w(f"{indent}<list>")
        for _ in range(n):
            if self.rng.random() < 0.6:
                text = escape(self.t.phrase(3, 12))
            else:
                text = self.t.inline(self.rng.randint(1, 3))
            self.w(f"{indent}  <item>{text}</item>")
            self.count(len(text), width=0.93, extra=0.25)
        self.w(f"{indent}</list>")
        self.lines += 0.6

    def comparison(self, indent):
        n = self.rng.randint(3, 12)
        cols = len(self.roles) + 1
        self.w(f"{indent}<comparison>")
        self.w(f"{indent}  <caption>{escape(self.t.phrase(4, 9))}</caption>")
        for _ in range(n):
            self.w(f"{indent}  <aspect name={quoteattr(self.t.title(1, 3))}>")
            tallest = 0
            for r in self.roles:
                v = escape(self.t.phrase(2, 16))
                self.w(f'{indent}    <value role="{r[0]}">{v}</value>')
                tallest = max(tallest, len(v))
            self.w(f"{indent}  </aspect>")
            # 8.5 pt table text in one column of `cols`, with cell padding
            self.count(tallest, width=1.1 / cols, extra=0.5)
        self.w(f"{indent}</comparison>")
        self.lines += 3.5

    def block(self, indent):
        kind = self.rng.choices(["p", "list", "table"], [0.78, 0.16, 0.06])[0]
        {"p": self.paragraph, "list": self.bullet_list, "table": self.comparison}[kind](indent)

    def directive(self, indent, d):
        xml, lines = d
        self.w(f"{indent}{xml}")
        self.lines += lines
        self.paragraph(indent)

    def section(self, level, budget, directives=()):
        """A section (and its sub-sections) of about `budget` lines."""
        indent = "    " * level
        sid = self.new_id("s")
        self.w(f"{indent}<section id=\"{sid}\" title={quoteattr(self.t.title())}>")
        start = self.lines
        self.heading(level)
        nsub = 0 if level == 3 or budget < 40 else self.rng.choices(
            [0, 2, 3, 4], [0.3, 0.3, 0.25, 0.15])[0]
        own = budget if nsub == 0 else budget * self.rng.uniform(0.15, 0.4)
        self.paragraph(indent + "  ")
        for d in directives:
            self.directive(indent + "  ", d)
        while self.lines - start < own:
            self.block(indent + "  ")
        rest = budget - (self.lines - start)
        for _ in range(nsub):
            self.section(level + 1, max(rest / nsub, 8.0))
        self.w(f"{indent}</section>")

    def directives(self):
        """Each directive once, with the lines it takes in the guide (estimates)."""
        n = len(self.roles)
        d = [("<role-overview/>", 6 + 4 * (2 + 2 * n / 4)),
             ('<role-lists of="responsibilities"/>', 4 + 6 * 2.2),
             ('<figure kind="horizon"><caption>From strategic to tactical</caption></figure>',
              14),
             ('<role-lists of="skills"/>', 4 + 6 * 1.2)]
        d += [(f'<role-paths role="{r[0]}"/>', self.path_lines[r[0]]) for r in self.roles]
        if n <= 3:  # a Venn diagram has room for three roles
            d.append(('<figure kind="venn"><caption>Strengths and common ground'
                      "</caption></figure>", 18))
        d.append(("<collaboration-list/>", 4 * 2.5))
        return d

    def body(self, pages, factor):
        self.w("  <body>")
        # the front matter and the directives make a floor of about 6 pages; the last
        # sections overshoot by a page or two, whatever the size
        target = (pages * self.LINES_PER_PAGE - 90) / factor
        self.lines = 12 + 2  # title block and the contents heading
        # top-level sections of 0.5 to 6 pages, fewer and smaller in a small document;
        # the directives are shared out over the first sections
        avg = min(3.25 * self.LINES_PER_PAGE, max(target / 5, 30.0))
        todo = self.directives()
        nsec = max(1, round(target / avg))
        per = -(-len(todo) // nsec)
        while self.lines < target or todo:
            budget = min(self.rng.uniform(0.15, 1.85) * avg, max(target - self.lines, 20.0))
            mine, todo = todo[:per], todo[per:]
            budget = max(budget, sum(x[1] for x in mine) + 10)
            self.section(1, budget, mine)
        self.w("  </body>")

    def xml(self, pages, factor):
        self.w('<?xml version="1.0" encoding="UTF-8"?>')
        self.w('<article xmlns="urn:rolepress:article:1" xml:lang="en">')
        self.meta()
        self.roles_part()
        self.body(pages, factor)
        self.w("</article>")
        return "\n".join(self.out) + "\n"


# Measured pages / estimated pages (pdfinfo on the default style); see the module comment.
CALIBRATION = 0.9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="approximate guide pages")
    ap.add_argument("--roles", type=int, default=3, choices=range(2, 5), help="2 to 4 roles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = ap.parse_args()
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    rng = random.Random(f"rolepress-{args.seed}-{args.roles}-{args.pages}")
    text = Article(rng, args.roles).xml(args.pages, CALIBRATION)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
