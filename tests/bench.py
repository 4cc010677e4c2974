#!/usr/bin/env python3
"""bench: how fast rolepress is, and how much of its time is libharu's (`make bench`).

    python3 tests/bench.py [--quick] [--sizes 10,100,1000] [--out build/bench]

Expects build/rolepress and build/floor (make bench builds both). Then:
  1. generates sources of about 10, 100 and 1000 guide pages with tests/gensource.py
     (three roles, seed 1) into build/bench/ and checks that rolepress accepts them;
  2. times with hyperfine (-N, warm-up runs, JSON export to build/bench/*.json):
     `rolepress build` of source/article.xml (both PDFs), `rolepress validate` of it, and
     `rolepress guide` of each generated source;
  3. times the floor of each case: build/floor writes the same laid-out pages (dumped
     with --dump=replay, read before the clock starts) straight through libharu. The
     floor figure is the median, over as many fresh processes as rolepress had runs, of
     the libharu phase timed inside build/floor (fonts, pages, drawing, save, free; the
     font subsets rolepress would embed are made before the clock starts); a second table
     cross-checks it with hyperfine on the whole floor process minus a process that only
     reads the dump and makes the subsets;
  4. measures peak RSS with /usr/bin/time -v, pages with pdfinfo, and PDF sizes;
  5. prints markdown tables (also written to build/bench/results.md): the results, the
     floor detail, the targets of the speed issue, and the machine they came from.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join("build", "rolepress")
FLOOR = os.path.join("build", "floor")
ARTICLE = os.path.join("source", "article.xml")

# Targets from the speed issue: (label, value key, limit, unit)
TARGETS = [
    ("article, both PDFs: time", ("article", "median_ms"), 15, "ms"),
    ("article, both PDFs: peak RSS", ("article", "rss_mb"), 15, "MB"),
    ("validate: time", ("validate", "median_ms"), 5, "ms"),
    ("1000 pages: time", ("p1000", "median_ms"), 1500, "ms"),
    ("1000 pages: peak RSS", ("p1000", "rss_mb"), 100, "MB"),
    ("1000 pages: rolepress / floor", ("p1000", "ratio"), 1.5, "x"),
    ("1000 pages / 100 pages: time", ("growth", "ratio"), 11, "x"),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Run cmd (a list); exit with its output if it fails."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def hyperfine(name, cmd, out, warmup, runs, env=None):
    """hyperfine -N on cmd (a list), with env added to the environment; returns its JSON
    result for the command."""
    path = os.path.join(out, f"{name}.json")
    hf = ["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs),
          "--export-json", path, "--style", "basic", " ".join(cmd)]
    r = run(hf, env=dict(os.environ, **(env or {})))
    with open(os.path.join(out, "hyperfine.log"), "a", encoding="utf-8") as f:
        f.write(r.stdout)
    with open(path, encoding="utf-8") as f:
        res = json.load(f)["results"][0]
    ms = [t * 1e3 for t in res["times"]]
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms),
            "stddev_ms": statistics.stdev(ms) if len(ms) > 1 else 0.0,
            "user_ms": res["user"] * 1e3, "system_ms": res["system"] * 1e3, "runs": len(ms)}


def peak_rss_mb(cmd, repeat, env=None):
    """Largest 'Maximum resident set size' of /usr/bin/time -v over `repeat` runs, in MB."""
    peak = 0
    for _ in range(repeat):
        r = run(["/usr/bin/time", "-v"] + cmd, env=dict(os.environ, **(env or {})))
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        if not m:
            sys.exit("bench: no peak RSS in /usr/bin/time -v output")
        peak = max(peak, int(m.group(1)))
    return peak / 1024


def pdf_pages(path):
    r = run(["pdfinfo", path])
    return int(re.search(r"^Pages:\s+(\d+)", r.stdout, re.M).group(1))


def floor_inprocess(dump, outs, warmup, runs):
    """The floor's own timing of its libharu phase: one run in each of `runs` fresh
    processes (after `warmup`), as rolepress runs once per process; median, min, max."""
    ms, cpu = [], []
    for i in range(warmup + runs):
        r = run([FLOOR, "--json", dump] + outs)
        if i >= warmup:
            ms.append(json.loads(r.stdout)["median_ms"])
            cpu.append(json.loads(r.stdout)["mean_cpu_ms"])
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms),
            "cpu_ms": statistics.mean(cpu), "items": json.loads(r.stdout)["items"]}


def machine():
    def first(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
            return out.splitlines()[0].strip() if out else "?"
        except OSError:
            return "?"

    def grep(path, pattern):
        """The first group of pattern in the file at path, or None."""
        try:
            with open(path, encoding="utf-8") as f:
                return re.search(pattern, f.read(), re.M).group(1)
        except (OSError, AttributeError):
            return None

    cpu = grep("/proc/cpuinfo", r"^model name\s*:\s*(.*)$") or "?"
    kb = grep("/proc/meminfo", r"MemTotal:\s+(\d+)")
    mem = f"{int(kb) / 1024 / 1024:.0f} GB" if kb else "?"
    osname = grep("/etc/os-release", r'^PRETTY_NAME="?(.*?)"?$') or "?"
    return [("CPU", f"{cpu}, {os.cpu_count()} logical CPUs"), ("memory", mem),
            ("system", f"{osname}, Linux {platform.release()}"),
            ("compiler", first(["cc", "--version"]) + " (-O2)"),
            ("libharu", first(["dpkg-query", "-W", "-f", "${Version}\n", "libhpdf-dev"])),
            ("hyperfine", first(["hyperfine", "--version"])),
            ("rolepress", first(["git", "describe", "--always", "--dirty"]))]


def fmt(v, nd=1):
    return "–" if v is None else f"{v:.{nd}f}"


def measure(args):
    out = args.out
    os.makedirs(out, exist_ok=True)
    # compiled patterns and kerning pairs are kept here (src/cache.c): the warm-up runs
    # fill it, so the timed runs are the steady state of repeated builds; one case runs
    # without it, as a first build on a machine does
    os.environ["ROLEPRESS_CACHE_DIR"] = os.path.join(os.path.abspath(out), "cache")
    os.makedirs(os.environ["ROLEPRESS_CACHE_DIR"], exist_ok=True)
    open(os.path.join(out, "hyperfine.log"), "w").close()
    q = args.quick
    cases = []

    # -- the article: build (both PDFs) and validate --
    log("bench: article")
    art_dir = os.path.join(out, "article")
    os.makedirs(art_dir, exist_ok=True)
    build = [BIN, "build", ARTICLE, "--out-dir", art_dir]
    run(build)
    pdfs = [os.path.join(art_dir, "guide.pdf"), os.path.join(art_dir, "cheatsheet.pdf")]
    dump = os.path.join(out, "article.replay")
    with open(dump, "w", encoding="utf-8") as f:
        subprocess.run([BIN, "build", ARTICLE, "--dump=replay"], stdout=f, check=True)
    floor_outs = [os.path.join(out, "floor-article-guide.pdf"),
                  os.path.join(out, "floor-article-cheatsheet.pdf")]
    cases.append({"key": "article", "case": "article: `build` (guide + cheat sheet)",
                  "cmd": build, "pdfs": pdfs, "dump": dump, "floor_outs": floor_outs,
                  "warmup": 3, "runs": 5 if q else 30})
    cases.append({"key": "article_nocache",
                  "case": "article: `build` without the cache (`ROLEPRESS_CACHE_DIR=`)",
                  "cmd": build, "pdfs": pdfs, "env": {"ROLEPRESS_CACHE_DIR": ""},
                  "warmup": 3, "runs": 5 if q else 30})
    cases.append({"key": "validate", "case": "article: `validate`",
                  "cmd": [BIN, "validate", ARTICLE], "pdfs": [], "warmup": 3,
                  "runs": 5 if q else 50})

    # -- generated sources --
    for n in args.sizes:
        log(f"bench: generating about {n} pages")
        src = os.path.join(out, f"pages-{n}.xml")
        run([sys.executable, os.path.join("tests", "gensource.py"), "--pages", str(n),
             "--roles", "3", "--seed", "1", "-o", src])
        run([BIN, "validate", src])
        pdf = os.path.join(out, f"pages-{n}.pdf")
        cmd = [BIN, "guide", src, "-o", pdf]
        run(cmd)
        dump = os.path.join(out, f"pages-{n}.replay")
        with open(dump, "w", encoding="utf-8") as f:
            subprocess.run([BIN, "guide", src, "--dump=replay"], stdout=f, check=True)
        runs = 3 if q else (5 if n >= 1000 else 10 if n >= 100 else 20)
        cases.append({"key": f"p{n}", "case": f"generated, ~{n} pages: `guide`", "cmd": cmd,
                      "pdfs": [pdf], "dump": dump,
                      "floor_outs": [os.path.join(out, f"floor-pages-{n}.pdf")],
                      "warmup": 1 if n >= 1000 else 3, "runs": runs, "source": src})

    for c in cases:
        log(f"bench: timing {c['case']}")
        c.update(hyperfine(c["key"], c["cmd"], out, c["warmup"], c["runs"], c.get("env")))
        c["rss_mb"] = peak_rss_mb(c["cmd"], 1 if q else 3, c.get("env"))
        c["pages"] = [pdf_pages(p) for p in c["pdfs"]]
        c["kb"] = sum(os.path.getsize(p) for p in c["pdfs"]) / 1024 if c["pdfs"] else None
        if "dump" not in c:
            continue
        fl = floor_inprocess(c["dump"], c["floor_outs"], c["warmup"], c["runs"])
        c["floor_ms"] = fl["median_ms"]
        c["floor_min_ms"], c["floor_max_ms"] = fl["min_ms"], fl["max_ms"]
        c["floor_items"] = fl["items"]
        c["floor_cpu_ms"] = fl["cpu_ms"]
        c["ratio"] = c["median_ms"] / c["floor_ms"]
        fcmd = [FLOOR, c["dump"]] + c["floor_outs"]
        c["floor_proc"] = hyperfine(f"floor-{c['key']}", fcmd, out, c["warmup"], c["runs"])
        c["floor_read"] = hyperfine(f"floor-read-{c['key']}", [FLOOR, "--read-only", c["dump"]],
                                    out, c["warmup"], c["runs"])
        c["floor_rss_mb"] = peak_rss_mb(fcmd, 1)
        c["floor_read_rss_mb"] = peak_rss_mb([FLOOR, "--read-only", c["dump"]], 1)
        c["floor_kb"] = sum(os.path.getsize(p) for p in c["floor_outs"]) / 1024
    return cases


def report(cases, args):
    by = {c["key"]: c for c in cases}
    lines = ["| case | pages | median ms | spread ms (min–max) | pages/s | peak RSS MB | PDF KB "
             "| floor ms | rolepress / floor |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in cases:
        npages = sum(c["pages"])
        pages = "+".join(str(p) for p in c["pages"]) or "–"
        pps = npages / (c["median_ms"] / 1e3) if npages else None
        lines.append(
            f"| {c['case']} | {pages} | {fmt(c['median_ms'])} | "
            f"{fmt(c['min_ms'])}–{fmt(c['max_ms'])} | {fmt(pps, 0)} | {fmt(c['rss_mb'])} | "
            f"{fmt(c['kb'], 0)} | {fmt(c.get('floor_ms'))} | {fmt(c.get('ratio'), 2)} |")
    growth = None
    if "p100" in by and "p1000" in by:
        a, b = by["p100"], by["p1000"]
        growth = b["median_ms"] / a["median_ms"]
        pr = sum(b["pages"]) / sum(a["pages"])
        fg = b["floor_ms"] / a["floor_ms"]
        lines += ["", f"Growth from ~100 to ~1000 pages ({sum(a['pages'])} → {sum(b['pages'])} "
                  f"pages, ×{pr:.2f}): rolepress ×{growth:.2f} in time "
                  f"(×{growth / pr:.2f} per page), ×{b['rss_mb'] / a['rss_mb']:.2f} in peak RSS; "
                  f"the floor ×{fg:.2f}."]
        by["growth"] = {"ratio": growth}

    lines += ["", "Floor detail: the libharu phase timed inside build/floor, one run per "
              "process (median, min–max), cross-checked with hyperfine on the whole floor "
              "process minus a process that only reads the dump and makes the fonts. The floor "
              "embeds the same font subsets as rolepress, made with rolepress's code before its "
              "clock starts (`build/floor --full-fonts` embeds the whole font files). Processor "
              "time (user + system, means) is less sensitive to other load on the machine than "
              "wall time.",
              "",
              "| case | items | floor in-process ms (min–max) | floor process ms | read-only "
              "process ms | difference ms | rolepress CPU ms | floor CPU ms | CPU ratio "
              "| floor peak RSS MB (read-only) | floor PDF KB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in cases:
        if "floor_ms" not in c:
            continue
        fp, fr = c["floor_proc"], c["floor_read"]
        cpu = c["user_ms"] + c["system_ms"]
        lines.append(
            f"| {c['case']} | {c['floor_items']} | {fmt(c['floor_ms'])} "
            f"({fmt(c['floor_min_ms'])}–{fmt(c['floor_max_ms'])}) | {fmt(fp['median_ms'])} | "
            f"{fmt(fr['median_ms'])} | {fmt(fp['median_ms'] - fr['median_ms'])} | {fmt(cpu)} | "
            f"{fmt(c['floor_cpu_ms'])} | {fmt(cpu / c['floor_cpu_ms'], 2)} | "
            f"{fmt(c['floor_rss_mb'])} ({fmt(c['floor_read_rss_mb'])}) | {fmt(c['floor_kb'], 0)} |")

    lines += ["", "Targets of the speed issue:", "", "| target | limit | measured | |",
              "|---|---:|---:|---|"]
    for label, (key, field), limit, unit in TARGETS:
        v = by.get(key, {}).get(field)
        ok = "–" if v is None else ("met" if v < limit or (unit == "x" and v <= limit)
                                    else "**not met**")
        nd = 2 if unit == "x" else 1
        lines.append(f"| {label} | {'≤' if unit == 'x' else '<'} {limit} {unit} | "
                     f"{fmt(v, nd)} {unit if v is not None else ''} | {ok} |")

    lines += ["", "Machine:", ""] + [f"- {k}: {v}" for k, v in machine()]
    lines += [f"- load average (1 min) before and after: {args.load_before:.2f}, "
              f"{os.getloadavg()[0]:.2f}"]
    runs = ", ".join(f"{c['key']} {c['runs']}" for c in cases)
    lines += [f"- runs per case (after warm-up): {runs}"]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": [{k: v for k, v in c.items() if k not in ("cmd",)} for c in cases],
                   "growth": growth}, f, indent=1, default=str)
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="few runs, to try the script")
    ap.add_argument("--sizes", default="10,100,1000", help="approximate guide pages")
    ap.add_argument("--out", default=os.path.join("build", "bench"))
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    os.chdir(ROOT)
    for tool in ("hyperfine", "pdfinfo"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} not found (make deps installs it)")
    for path in (BIN, FLOOR, "/usr/bin/time"):
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: {path} not found (make bench builds rolepress and the floor; "
                     "make deps installs time)")
    # the same bytes on every run: no date, whatever the environment says
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    args.load_before = os.getloadavg()[0]
    if args.load_before > 0.5:
        log(f"bench: warning: load average {args.load_before:.2f}; timings will be noisy")
    report(measure(args), args)


if __name__ == "__main__":
    main()
