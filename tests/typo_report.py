#!/usr/bin/env python3
"""`make typo-report`: how well the guide's lines come out, total fit against first fit.

For every shipped style on A4 and Letter it lays out the guide twice, with the total-fit
(Knuth-Plass) line breaker and with the first-fit one, and prints what rolepress's
`--typo-report` counts for each. It then builds the total-fit PDF and measures it with the
independent oracle (tests/typo_oracle.py: word boxes from `pdftotext -bbox-layout`, the
fonts' own metrics), which checks the targets: on justified lines other than a
paragraph's last, 98 % have every inter-word gap at most 1.6x the natural space, none
above 2.2x, and no word runs past the right margin.

    python3 tests/typo_report.py [--source FILE] [--check]

--check exits 1 when the oracle finds a target missed."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import e2e_typo  # noqa: E402  (the style's promises, read from the style files)

BIN = os.path.join(ROOT, os.environ.get("ROLEPRESS_BUILD", "build"), "rolepress")
STYLES = ("default", "print", "letter", "large-print")
PAPERS = ("a4", "letter")


def typo(source, style, paper, breaker):
    r = subprocess.run([BIN, "guide", source, "--style", style, "--paper", paper,
                        "--typo-report", f"--line-breaker={breaker}"],
                       capture_output=True, text=True, check=True)
    return dict(re.findall(r"^(.+): (.+)$", r.stdout, re.M))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default=os.path.join(ROOT, "source", "article.xml"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    print(f"Source: {os.path.relpath(args.source, ROOT)}. Stretch: word-space width over the "
          "font's natural space, on justified lines other than a paragraph's last.\n")
    print("| style | paper | breaker | lines | justified | mean stretch | worst | > 1.5x "
          "| hyphenated | overfull |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    oracle_rows, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        for name in STYLES:
            style = os.path.join(ROOT, "styles", name + ".xml")
            for paper in PAPERS:
                for breaker in ("optimal", "greedy"):
                    t = typo(args.source, style, paper, breaker)
                    justified = t["justified lines (not a paragraph's last)"]
                    label = "total fit" if breaker == "optimal" else "first fit"
                    print(f"| {name} | {paper} | {label} | {t['lines']} "
                          f"| {justified} "
                          f"| {float(t['word-space stretch, mean']):.2f} "
                          f"| {float(t['word-space stretch, worst']):.2f} "
                          f"| {t['lines stretched more than 1.5x']} | {t['hyphenated lines']} "
                          f"| {t['overfull lines']} |")
                pdf = os.path.join(tmp, f"{name}-{paper}.pdf")
                subprocess.run([BIN, "guide", args.source, "--style", style, "--paper", paper,
                                "-o", pdf], capture_output=True, check=True)
                rep = e2e_typo.measure(pdf, style)
                failed |= bool(rep["failures"])
                oracle_rows.append((name, paper, rep))
    print("\nMeasured on the total-fit PDF by tests/typo_oracle.py (`pdftotext -bbox-layout`):\n")
    print("| style | paper | justified lines | gaps <= 1.6x on every gap | worst gap "
          "| lines > 2.2x | past the margin | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, paper, rep in oracle_rows:
        if rep["justified_lines"]:
            share = f"{rep['share_le_soft']:.1f} %"
            worst = f"{rep['worst_ratio']:.2f}x"
        else:
            share = worst = "- (ragged)"
        verdict = "; ".join(rep["failures"]) or "targets met"
        print(f"| {name} | {paper} | {rep['justified_lines']} | {share} | {worst} "
              f"| {rep['lines_over_hard']} | {len(rep['overflow'])} | {verdict} |")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
