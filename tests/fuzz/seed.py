#!/usr/bin/env python3
"""Write the raw seeds of the fuzz corpora: `python3 tests/fuzz/seed.py DIR` fills DIR/source
and DIR/style. They come from the test inputs (tests/data, source/article.xml, tests/bad,
styles/, tests/bad/styles), small versions of the generated hostile inputs of
tests/e2e_reliability.py, and variants that reach corners of the schema. The committed
corpora under tests/fuzz/corpus/ are these seeds plus what fuzzing found, minimised with
-merge=1 (see tests/fuzz/README.md)."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def files(pattern):
    return {os.path.basename(p): read(p) for p in sorted(glob.glob(os.path.join(ROOT, pattern)))}


def source_seeds():
    seeds = {"article.xml": read("source/article.xml")}
    seeds.update(files("tests/data/*.xml"))
    seeds.update({"bad-" + k: v for k, v in files("tests/bad/*.xml").items()})
    good = read("tests/data/minimal.xml")
    p = b"Writers write;"
    seeds.update({
        "deep-nesting.xml": b"<article xmlns='urn:rolepress:article:1'>" + b"<x>" * 300
        + b"</x>" * 300 + b"</article>",
        "long-text-node.xml": good.replace(p, b"W" * 20000),
        "long-words.xml": good.replace(p, b"Supercalifragilistic" * 40 + b" x " * 200),
        "invalid-utf8.xml": good.replace(p, b"Writers \xff\xfe write;"),
        "nul-byte.xml": good.replace(p, b"Writers\x00 write;"),
        "control-character.xml": good.replace(p, b"Writers\x01 write;"),
        "c1-and-astral.xml": good.replace(p, "Writers \u0085 \U0001F600 \u00ad\u00a0 write;".encode()),
        "overlong-attribute.xml": good.replace(b'title="Introduction"',
                                               b'title="' + b"A" * 4000 + b'"'),
        "utf16-without-bom.xml": good.decode().encode("utf-16-le"),
        "utf16-with-bom.xml": good.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16"),
        "cdata-and-entities.xml": good.replace(p, b"<![CDATA[a < b]]> &amp; &#x2014; &lt;"),
        "inline-markup.xml": good.replace(p, b"<em>Writers</em> <strong>write</strong>;"),
        "every-block.xml": good.replace(
            b"<responsibilities>", b"<traits><trait>Words</trait><trait>Care</trait></traits>"
            b"<responsibilities>").replace(
            b"<p>Writers write; editors edit.</p>",
            b"<p>Writers write.</p><list><item>one</item><item>two</item></list>"
            b"<comparison><caption>Both</caption><aspect name='Focus'>"
            b"<value role='writer'>Text</value><value role='editor'>Quality</value></aspect>"
            b"</comparison><role-overview/><role-lists of='skills'/>"
            b"<role-lists of='responsibilities'/><role-paths role='editor'/>"
            b"<figure kind='horizon'><caption>Axis</caption></figure>"
            b"<figure kind='venn'><caption>Venn</caption></figure><collaboration-list/>"
            b"<section id='sub' title='Sub'><p>Nested.</p>"
            b"<section id='subsub' title='Deeper'><p>Deeper.</p></section></section>"),
        "unknown-role.xml": good.replace(b"role-paths", b"x").replace(
            b"<p>Writers write; editors edit.</p>", b"<role-paths role='nobody'/>"),
        "duplicate-id.xml": good.replace(b'id="editor-practice"', b'id="writer-practice"'),
    })
    seeds.update(role_count_seeds())
    return seeds


def role_count_seeds():
    """Four roles (the most; a Venn diagram refuses them), five (too many), and sections
    one level deeper than allowed: limits the schema cannot state."""
    three = read("tests/data/three-roles.xml")
    start = three.index(b'    <role id="engineer"')
    end = three.index(b"</role>", start) + len(b"</role>\n")
    engineer = three[start:end]

    def more(n):
        extra = b"".join(engineer.replace(b'"engineer', b'"extra%d' % i)
                         .replace(b"Data Engineer", b"Extra %d" % i) for i in range(n))
        doc = three[:end] + extra + three[end:]
        values = b"".join(b'<value role="extra%d">Also this</value>' % i for i in range(n))
        return re.sub(rb'(<value role="engineer">[^<]*</value>)', lambda m: m.group(1) + values,
                      doc)

    deep = b"".join(b'<section id="d%d" title="Level %d"><p>Text.</p>' % (i, i) for i in range(5))
    venn = re.compile(rb'<figure kind="venn">.*?</figure>', re.S)
    return {
        "four-roles.xml": venn.sub(b"", more(1)),
        "four-roles-venn.xml": more(1),
        "five-roles.xml": more(2),
        "deep-sections.xml": three.replace(b'<section id="intro" title="Introduction">',
                                           deep + b"</section>" * 5
                                           + b'<section id="intro" title="Introduction">'),
    }


STYLE_OPEN = b'<?xml version="1.0" encoding="UTF-8"?>\n<style xmlns="urn:rolepress:style:1">\n'


def style_seeds():
    seeds = files("styles/*.xml")
    seeds.update({"bad-" + k: v for k, v in files("tests/bad/styles/*.xml").items()})
    variants = {
        "defaults-only.xml": b"",
        "letter-landscape.xml": b'<page paper="letter" orientation="landscape" margin-top="1in" '
        b'margin-bottom="1in" margin-left="1in" margin-right="1in"/>',
        "roles.xml": b"<palette><color>#000000</color><color>#ffffff</color></palette>"
        b'<role-color role="writer" color="#abcdef"/><role-color role="editor" color="#ABCDEF"/>',
        "full-palette.xml": b"<palette>" + b"<color>#123456</color>" * 8 + b"</palette>",
        "big-palette.xml": b"<palette>" + b"<color>#123456</color>" * 12 + b"</palette>",
        "out-of-range.xml": b'<page margin-top="0pt" margin-bottom="0pt" margin-left="400mm"/>'
        b'<text role="body" size="0.01pt" leading="9999pt"/>'
        b'<cheatsheet margin="0pt" min-size="0.0001pt" step="0.0001pt"/>',
        "small-type.xml": b'<page margin-top="0pt" margin-bottom="0pt" margin-left="0pt" '
        b'margin-right="0pt"/><text role="body" size="4pt" leading="4pt"/>'
        b'<text role="cheat-body" size="4pt" leading="4pt"/>'
        b'<cheatsheet margin="0pt" min-size="4pt" step="0.1pt"/>',
        "huge-type.xml": b'<page margin-left="130mm" margin-right="0mm" margin-top="100mm"/>'
        b'<text role="cheat-body" size="144pt" leading="288pt"/>'
        b'<text role="body" size="144pt" leading="144pt"/><text role="title" size="144pt" leading="288pt"/>'
        b'<spacing paragraph="72pt" cell-padding="72pt" list-indent="72pt" block="72pt"/>'
        b'<cheatsheet min-size="144pt" step="4pt"/>',
        "fonts.xml": b'<text role="body" family="DejaVu Sans" weight="bold" style="italic"/>'
        b'<text role="toc" family="Liberation Serif" align="justify"/>',
        "units.xml": b'<spacing paragraph="1cm" list-indent="0.5in" list-item="2mm" '
        b'block="12.25pt" cell-padding="1.5mm"/>',
        "colors.xml": b'<colors accent="#000000" rule="#FFFFFF" muted="#7f7f7f" '
        b'table-head-background="#010203" table-stripe-background="#fefefe"/>',
        "fallback-fonts.xml": b'<fonts fallback="DejaVu Sans, Noto Sans"/>'
        b'<page margin="15mm" mirror-margins="yes"/>',
        "relative-sizes.xml": b'<text role="heading1" size="1.5em" leading="120%"/>'
        b'<spacing paragraph="0.5em" list-indent="150%"/><colors accent="navy" rule="silver"/>',
        "many-role-colors.xml": b"".join(b'<role-color role="r%d" color="#102030"/>' % i
                                         for i in range(17)),
        "many-fallbacks.xml": b'<fonts fallback="' + b", ".join([b"DejaVu Sans"] * 9) + b'"/>',
        "bad-fallbacks.xml": b'<fonts fallback="DejaVu Sans,, ,Noto Sans,"/>'
        b'<text role="body" size="1em"/><palette/>',
    }
    for name, body in variants.items():
        seeds[name] = STYLE_OPEN + body + b"\n</style>\n"
    # fuzz_style writes its input as style.xml beside default.xml, print.xml and loop.xml
    # (which extends style.xml)
    for name, parent in (("extends-default.xml", b"default.xml"),
                         ("extends-print.xml", b"print.xml"), ("extends-cycle.xml", b"loop.xml")):
        seeds[name] = (STYLE_OPEN.replace(b'">', b'" extends="' + parent + b'">')
                       + b'<page paper="letter"/>\n</style>\n')
    seeds["doctype-entity.xml"] = (b'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY m "20mm">]>\n'
                                   b'<style xmlns="urn:rolepress:style:1">'
                                   b'<page margin-top="&m;"/></style>\n')
    return seeds


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed.py DIR")
    for kind, seeds in (("source", source_seeds()), ("style", style_seeds())):
        where = os.path.join(sys.argv[1], kind)
        os.makedirs(where, exist_ok=True)
        for name, data in seeds.items():
            if data:  # libFuzzer always tries the empty input itself
                with open(os.path.join(where, name), "wb") as f:
                    f.write(data)


if __name__ == "__main__":
    main()
