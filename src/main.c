/* main: the command line. Parses arguments, runs the stages in order
 * (style + source -> model -> layout -> PDF) and maps the outcome to an exit status:
 * 0 success, 1 invalid source or style (or content that cannot be laid out), 2 usage,
 * 3 I/O or output error. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif

#include <libxml/parser.h>

#include "cheatsheet.h"
#include "diag.h"
#include "guide.h"
#include "pdf.h"
#include "pipeline.h"
#include "source.h"
#include "style.h"
#include "thread.h"

#ifndef RP_VERSION
#define RP_VERSION "0.1.0"
#endif
#ifndef RP_DATADIR
#define RP_DATADIR "."
#endif

enum { EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef enum { CMD_VALIDATE, CMD_GUIDE, CMD_CHEATSHEET, CMD_BUILD } command;

typedef struct options {
    command cmd;
    const char *source, *style, *paper, *output, *out_dir, *depfile;
    int dump;   /* print the layout as text instead of writing PDFs: 1 layout, 2 replay */
    int werror; /* warnings are errors */
    int typo;   /* print the typesetting report, no PDFs */
    int greedy; /* break lines first-fit */
    const char *sets[RP_STYLE_MAX_OVERRIDES]; /* --set NAME=VALUE, in order */
    size_t nsets;
} options;

static void usage(FILE *out)
{
    fputs("usage: rolepress validate SOURCE [--style STYLE]\n"
          "       rolepress guide SOURCE [--style STYLE] [--paper a4|letter] -o FILE.pdf\n"
          "       rolepress cheatsheet SOURCE [--style STYLE] [--paper a4|letter] -o FILE.pdf\n"
          "       rolepress build SOURCE [--style STYLE] [--paper a4|letter] [--out-dir DIR]\n"
          "       rolepress --help | --version\n"
          "\n"
          "Typesets an XML article comparing roles into a comparison guide and a one-page\n"
          "cheat sheet (PDF).\n"
          "\n"
          "options:\n"
          "  -s, --style FILE    style to use (default: styles/default.xml)\n"
          "  -p, --paper NAME    a4 or letter; overrides the style's paper size\n"
          "      --set NAME=VALUE  override one style property, e.g. --set page.margin=15mm\n"
          "                      (repeatable; the names are listed in styles/README.md)\n"
          "  -o, --output FILE   output PDF (guide, cheatsheet)\n"
          "  -d, --out-dir DIR   output directory of build (default: out)\n"
          "      --werror        treat warnings (missing glyphs, overfull lines, ...) as errors\n"
          "      --depfile FILE  also write a Make rule: the PDFs depend on the source, the\n"
          "                      style and the font files used\n"
          "      --dump=layout   print the laid-out pages as text instead of writing PDFs\n"
          "      --dump=replay   the same, exact and machine-readable (read by build/floor)\n"
          "      --typo-report   print how well the lines came out (spacing, hyphens,\n"
          "                      overfull lines) instead of writing PDFs\n"
          "      --line-breaker=optimal|greedy\n"
          "                      total-fit line breaking (default) or first fit, to compare\n"
          "  -h, --help          show this help\n"
          "  -V, --version       show the version\n"
          "\n"
          "environment:\n"
          "  SOURCE_DATE_EPOCH   seconds since 1970: the PDFs' creation and modification\n"
          "                      date (without it no date is written; output is reproducible\n"
          "                      either way)\n"
          "  ROLEPRESS_DATADIR   where the shipped styles are (default style lookup)\n"
          "  ROLEPRESS_FULL_FONTS  1: embed whole font files, not subsets\n"
          "  ROLEPRESS_HYPHEN_DIR  where the hyphenation dictionaries (hyph_LL_CC.dic) are\n"
          "                      (default /usr/share/hyphen)\n"
          "  ROLEPRESS_CACHE_DIR   where hyphenation patterns and kerning are kept (default\n"
          "                      $XDG_CACHE_HOME/rolepress or ~/.cache/rolepress; empty: none)\n"
          "\n"
          "exit status: 0 success, 1 invalid source or style, 2 usage error,\n"
          "             3 I/O error (an input cannot be read or an output written)\n",
          out);
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "rolepress: error: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'rolepress --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

static int parse_command(const char *s, command *cmd)
{
    static const char *const names[] = {"validate", "guide", "cheatsheet", "build"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *cmd = (command)i;
            return 0;
        }
    return -1;
}

/* Returns -1 when the arguments are fine, else the exit status to stop with. */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longs[] = {{"style", required_argument, NULL, 's'},
                                          {"paper", required_argument, NULL, 'p'},
                                          {"output", required_argument, NULL, 'o'},
                                          {"out-dir", required_argument, NULL, 'd'},
                                          {"dump", required_argument, NULL, 'D'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"version", no_argument, NULL, 'V'},
                                          {"werror", no_argument, NULL, 'W'},
                                          {"depfile", required_argument, NULL, 'M'},
                                          {"set", required_argument, NULL, 'S'},
                                          {"typo-report", no_argument, NULL, 'T'},
                                          {"line-breaker", required_argument, NULL, 'B'},
                                          {NULL, 0, NULL, 0}};
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":s:p:o:d:hV", longs, NULL)) != -1) {
        switch (ch) {
        case 's':
            o->style = optarg;
            break;
        case 'p':
            o->paper = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'd':
            o->out_dir = optarg;
            break;
        case 'D':
            if (strcmp(optarg, "layout") != 0 && strcmp(optarg, "replay") != 0)
                return usage_error("unknown dump kind ('layout' or 'replay')", optarg);
            o->dump = strcmp(optarg, "layout") == 0 ? 1 : 2;
            break;
        case 'W':
            o->werror = 1;
            break;
        case 'T':
            o->typo = 1;
            break;
        case 'B':
            if (strcmp(optarg, "optimal") != 0 && strcmp(optarg, "greedy") != 0)
                return usage_error("unknown line breaker (optimal or greedy)", optarg);
            o->greedy = strcmp(optarg, "greedy") == 0;
            break;
        case 'M':
            o->depfile = optarg;
            break;
        case 'S':
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return usage_error("--set needs NAME=VALUE", optarg);
            if (o->nsets + 1 >= RP_STYLE_MAX_OVERRIDES) /* one is kept for --paper */
                return usage_error("too many --set options", optarg);
            o->sets[o->nsets++] = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("rolepress %s\n", RP_VERSION);
            return 0;
        case ':':
            return usage_error("option needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("missing command (validate, guide, cheatsheet or build)", NULL);
    if (parse_command(argv[optind], &o->cmd) != 0)
        return usage_error("unknown command", argv[optind]);
    if (optind + 1 >= argc)
        return usage_error("missing SOURCE file", NULL);
    if (optind + 2 < argc)
        return usage_error("unexpected argument", argv[optind + 2]);
    o->source = argv[optind + 1];
    int single = o->cmd == CMD_GUIDE || o->cmd == CMD_CHEATSHEET;
    if (single && !o->output && !o->dump && !o->typo)
        return usage_error("missing -o FILE.pdf", NULL);
    if (!single && o->output)
        return usage_error("-o applies to guide and cheatsheet; use --out-dir with build", NULL);
    if (o->cmd != CMD_BUILD && o->out_dir)
        return usage_error("--out-dir applies to build only", NULL);
    if (o->paper && strcmp(o->paper, "a4") != 0 && strcmp(o->paper, "letter") != 0)
        return usage_error("unknown paper size (a4 or letter)", o->paper);
    return -1;
}

/* The default style: styles/default.xml in the working directory (a project's own), else
 * in $ROLEPRESS_DATADIR, else beside the installed binary (BIN/../share/rolepress), else in
 * the data directory compiled in. Returns a malloc'd path. */
static char *default_style(void)
{
    static const char rel[] = "styles/default.xml";
    struct stat sb;
    char exe[4096], buf[4200];
    const char *env = getenv("ROLEPRESS_DATADIR");
    if (stat(rel, &sb) == 0)
        return strdup(rel);
    if (env && *env) {
        snprintf(buf, sizeof buf, "%s/%s", env, rel);
        return strdup(buf);
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof buf, "%s/../share/rolepress/%s", exe, rel);
            if (stat(buf, &sb) == 0)
                return strdup(buf);
        }
    }
    return strdup(RP_DATADIR "/styles/default.xml");
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): the documents' date, if set. Returns -1
 * after reporting a value that is not a plain non-negative integer up to the year 9999. */
static int source_date(int *has, long long *t)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    long long x = 0;
    const char *p = v;
    *has = 0;
    if (!v)
        return 0;
    for (; *p >= '0' && *p <= '9' && x <= 253402300799LL; p++)
        x = x * 10 + (*p - '0');
    if (p == v || *p || x > 253402300799LL) {
        rp_diag(RP_ERROR, NULL, 0, 0,
                "SOURCE_DATE_EPOCH must be seconds since 1970 (0 to 253402300799), not '%s'", v);
        return -1;
    }
    *has = 1;
    *t = x;
    return 0;
}

/* A path in a Make rule: spaces, '#' and '$' escaped as GNU make reads them. */
static void put_make_path(FILE *f, const char *p)
{
    for (; *p; p++) {
        if (*p == ' ' || *p == '#' || *p == '\\')
            fputc('\\', f);
        if (*p == '$')
            fputc('$', f);
        fputc(*p, f);
    }
}

/* Add each font file that doc draws with (once) to the list. */
static void used_fonts(const rp_pages *doc, const char **list, size_t *n, size_t cap)
{
    for (size_t p = 0; doc && p < doc->npages; p++)
        for (size_t i = 0; i < doc->pages[p].nitems; i++) {
            const rp_item *it = &doc->pages[p].items[i];
            if (it->kind != RP_ITEM_TEXT || it->face < 0 || (size_t)it->face >= doc->nfaces)
                continue;
            const char *path = doc->faces[it->face].path;
            size_t k = 0;
            while (k < *n && strcmp(list[k], path) != 0)
                k++;
            if (k == *n && *n < cap)
                list[(*n)++] = path;
        }
}

/* Write a Make rule "TARGETS: SOURCE STYLE FONTS..." plus an empty rule per prerequisite
 * (as gcc -MP does, so a deleted font does not break make). Returns 0 or EXIT_IO. */
static int write_depfile(const char *path, const char *const *targets, size_t ntargets,
                         const char *const *deps, size_t ndeps)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        rp_diag(RP_ERROR, path, 0, 0, "cannot write the dependency file: %s", strerror(errno));
        return EXIT_IO;
    }
    for (size_t i = 0; i < ntargets; i++) {
        put_make_path(f, targets[i]);
        fputc(i + 1 < ntargets ? ' ' : ':', f);
    }
    for (size_t i = 0; i < ndeps; i++) {
        fputs(" \\\n ", f);
        put_make_path(f, deps[i]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < ndeps; i++) {
        fputc('\n', f);
        put_make_path(f, deps[i]);
        fputs(":\n", f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        rp_diag(RP_ERROR, path, 0, 0, "cannot write the dependency file: %s", strerror(errno));
        unlink(tmp);
        return EXIT_IO;
    }
    return 0;
}

static int write_pdf(rp_pages *doc, const char *path, int dump)
{
    if (dump) {
        if (dump == 2)
            rp_pages_dump_replay(doc, stdout);
        else
            rp_pages_dump(doc, stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_IO;
    }
    rp_pdf_options po = {1, 1, 1}; /* nothing reads the pages after writing */
    return rp_pdf_write(doc, path, &po);
}

/* Write both PDFs of build: both are prepared beside their targets before either is
 * renamed into place, so a failure leaves both old files as they were. rg, rs: the guide
 * and the cheat sheet already rendered (see render_job), or NULL to render them here. */
static int write_pair(rp_pages *guide, rp_pdf_rendered *rg, const char *gp, rp_pages *sheet,
                      rp_pdf_rendered *rs, const char *sp)
{
    rp_pdf_options po = {1, 1, 1}; /* nothing reads the pages after writing */
    rp_pdf_pending pg = {0}, ps = {0};
    int rc = rg ? rp_pdf_save(rg, gp, &pg) : rp_pdf_prepare(guide, gp, &po, &pg);
    if (rc == 0)
        rc = rs ? rp_pdf_save(rs, sp, &ps) : rp_pdf_prepare(sheet, sp, &po, &ps);
    if (rc != 0) {
        rp_pdf_discard(&pg);
        rp_pdf_discard(&ps);
        return rc;
    }
    rc = rp_pdf_commit(&pg);
    if (rc != 0) {
        rp_pdf_discard(&ps);
        return rc;
    }
    return rp_pdf_commit(&ps);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Write (or dump) what the command produces: one PDF, or the pair of build. */
static int write_outputs(const options *o, rp_pages *guide, rp_pdf_rendered *rg, rp_pages *sheet,
                         rp_pdf_rendered *rs, const char *gp, const char *sp)
{
    if (o->cmd == CMD_GUIDE && rg) {
        rp_pdf_pending p = {0};
        int rc = rp_pdf_save(rg, o->output, &p);
        return rc ? rc : rp_pdf_commit(&p);
    }
    if (o->cmd == CMD_GUIDE)
        return write_pdf(guide, o->output, o->dump);
    if (o->cmd == CMD_CHEATSHEET)
        return write_pdf(sheet, o->output, o->dump);
    if (!gp || !sp)
        return EXIT_IO;
    if (o->dump) {
        int rc = write_pdf(guide, gp, o->dump);
        return rc ? rc : write_pdf(sheet, sp, o->dump);
    }
    return write_pair(guide, rg, gp, sheet, rs, sp);
}

/* The typesetting report of --typo-report, on stdout. */
static int print_typo(const rp_ctx *c, int greedy)
{
    const rp_typo *t = &c->typo;
    printf("line breaker: %s\n", greedy ? "greedy (first fit)" : "optimal (total fit)");
    printf("lines: %zu\n", t->lines);
    printf("justified lines (not a paragraph's last): %zu\n", t->justified);
    printf("word-space stretch, mean: %.3f\n",
           t->justified ? t->stretch_sum / (double)t->justified : 1.0);
    printf("word-space stretch, worst: %.3f\n", t->justified ? t->stretch_max : 1.0);
    printf("lines stretched more than 1.5x: %zu\n", t->loose);
    printf("underfull lines (more than %.1fx): %zu\n", RP_SPACE_LOOSE, t->underfull);
    printf("hyphenated lines: %zu\n", t->hyphenated);
    printf("overfull lines: %zu\n", t->overfull);
    printf("paragraphs set first-fit for want of a total fit: %zu\n", t->fallback);
    return fflush(stdout) == 0 ? 0 : EXIT_IO;
}

/* Lay out what the command asks for, then write it; nothing is written unless every
 * layout succeeded (and, with --werror, nothing was warned about). */
static int produce(const options *o, rp_ctx *c, const char *style_path)
{
    rp_pages *guide = NULL, *sheet = NULL;
    rp_pipeline *pl = NULL;
    rp_pdf_rendered *rg = NULL, *rs = NULL;
    int has_date;
    long long date = 0;
    if (source_date(&has_date, &date) != 0)
        return EXIT_USAGE;
    /* the guide is drawn on a thread of its own as it is laid out (pipeline.h); without a
     * thread, it is drawn afterwards */
    const char *env = getenv("ROLEPRESS_PIPELINE"); /* "0": drawn after (to compare) */
    if ((o->cmd == CMD_GUIDE || o->cmd == CMD_BUILD) && !o->dump && !o->typo &&
        !(env && strcmp(env, "0") == 0)) {
        rp_pdf_before_threads();
        pl = rp_pipeline_start(c->style->page_w, c->style->page_h);
    }
    rp_page_sink sink = pl ? rp_pipeline_sink(pl) : (rp_page_sink){0};
    if (o->cmd == CMD_GUIDE || o->cmd == CMD_BUILD)
        guide = rp_guide_layout(c, pl ? &sink : NULL);
    if (guide)
        guide->has_date = has_date, guide->date = date;
    if (pl) /* the writer finishes the guide while the cheat sheet is made */
        rp_pipeline_end(pl, guide && rp_diag_errors() == 0 ? guide : NULL);
    if (o->cmd == CMD_CHEATSHEET || o->cmd == CMD_BUILD)
        sheet = rp_cheatsheet_layout(c);
    if (sheet)
        sheet->has_date = has_date, sheet->date = date;
    if (rp_hyph_failed(c->hyph))
        rp_diag(RP_ERROR, rp_hyph_path(c->hyph), 0, 0,
                "cannot read these hyphenation patterns (not a libhyphen dictionary?)");
    /* laid out: writing needs neither the fonts' tables nor the hyphenation patterns */
    rp_fonts_release(c->fonts);
    rp_hyph_release(c->hyph);
    /* build's cheat sheet renders here while the guide is finished on its thread */
    rp_pdf_options po = {1, 1, 0}; /* the dependency file reads its pages after */
    int rendered = pl && sheet && rp_diag_errors() == 0 ? rp_pdf_render(sheet, &po, &rs) : 0;
    if (pl && rp_pipeline_join(pl, &rg))
        rendered = 3;
#ifdef __GLIBC__
    malloc_trim(0); /* and the heap pages freed go back, rather than stay under libharu's */
#endif
    int rc = 0;
    if (rp_diag_errors() > 0)
        rc = rendered ? rendered : EXIT_INVALID; /* a libharu failure is an I/O error (3) */
    else if (o->typo)
        rc = print_typo(c, o->greedy);
    if (rc != 0 || o->typo) {
        rp_pdf_rendered_free(rg);
        rp_pdf_rendered_free(rs);
        return rc;
    }
    const char *dir = o->out_dir ? o->out_dir : "out";
    char *gp = o->cmd == CMD_BUILD ? join(dir, "guide.pdf") : NULL;
    char *sp = o->cmd == CMD_BUILD ? join(dir, "cheatsheet.pdf") : NULL;
    const char *targets[2] = {o->output, NULL};
    size_t ntargets = 1;
    rc = o->cmd != CMD_BUILD || (gp && sp) ? 0 : EXIT_IO;
    if (o->cmd == CMD_BUILD)
        targets[0] = gp, targets[1] = sp, ntargets = 2;
    /* the dependency file first: if it cannot be written, the PDFs stay as they were */
    if (rc == 0 && o->depfile && !o->dump) {
        const char *deps[64] = {o->source, style_path, rp_hyph_path(c->hyph)};
        size_t ndeps = 3;
        for (size_t i = 1; i < c->style->nfiles && ndeps < 32; i++) /* the styles it extends */
            deps[ndeps++] = c->style->files[i];
        used_fonts(guide, deps, &ndeps, 64);
        used_fonts(sheet, deps, &ndeps, 64);
        rc = write_depfile(o->depfile, targets, ntargets, deps, ndeps);
    }
    if (rc == 0)
        rc = write_outputs(o, guide, rg, sheet, rs, gp, sp);
    rp_pdf_rendered_free(rg);
    rp_pdf_rendered_free(rs);
    free(gp);
    free(sp);
    return rc;
}

int main(int argc, char **argv)
{
    options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    LIBXML_TEST_VERSION
    /* a full disk or a file-size limit must fail a write (exit 3), not kill the process;
     * a signal must not leave a temporary PDF behind */
    signal(SIGXFSZ, SIG_IGN);
    rp_pdf_remove_on_signal();
    rp_diag_set_werror(o.werror);
    char *style_path = o.style ? strdup(o.style) : default_style();
    rp_arena *a = rp_arena_new();
    rp_fonts *fonts = rp_fonts_start(); /* fontconfig loads while the inputs are read */
    rp_style style;
    if (!fonts) {
        rp_diag(RP_ERROR, NULL, 0, 0, "cannot start fontconfig/FreeType");
        rc = EXIT_IO;
        goto out;
    }
    /* style and source are both checked so one run reports every problem */
    /* --paper is the override page.paper, applied last, so the margins are checked
     * against the paper actually used */
    if (o.paper && o.nsets < RP_STYLE_MAX_OVERRIDES)
        o.sets[o.nsets++] = strcmp(o.paper, "a4") == 0 ? "page.paper=a4" : "page.paper=letter";
    rp_style_loader *sl = rp_style_load_begin(&style, style_path, o.sets, o.nsets, fonts, a);
    rp_diag_hold(1); /* the style's fonts are resolved after the source, its messages first */
    rp_article *art = rp_source_load(o.source, a);
    rp_diag_hold(0);
    /* the patterns load while the style's fonts are resolved (a problem with them is
     * reported after the style's messages) */
    char why[1024];
    rp_hyph *hyph = art ? rp_hyph_open(art->lang, why, sizeof why) : NULL;
    if (hyph && o.cmd != CMD_VALIDATE && !o.greedy) /* first fit never hyphenates */
        rp_hyph_preload(hyph);
    if (rp_fonts_wait(fonts) != 0) {
        rp_diag_release(0);
        rp_diag(RP_ERROR, NULL, 0, 0, "cannot start fontconfig/FreeType");
        rp_hyph_free(hyph);
        rc = EXIT_IO;
        goto out;
    }
    int style_ok = rp_style_load_end(sl, o.cmd == CMD_VALIDATE) == 0; /* lays nothing out */
    rp_diag_release(1);
    rp_fonts_release(fonts); /* the faces are found; layout opens again those it measures */
    if (!style_ok || !art || !hyph) {
        if (style_ok && art)
            rp_diag(RP_ERROR, o.source, art->lang_line, 0, "%s", why);
        rp_hyph_free(hyph);
        rc = rp_diag_io_failed() ? EXIT_IO : EXIT_INVALID;
        goto out;
    }
    if (o.cmd == CMD_VALIDATE) {
        rp_hyph_free(hyph);
        rc = 0;
        goto out;
    }
    rp_ctx ctx = {0};
    ctx.hyph = hyph;
    ctx.greedy = o.greedy;
    ctx.fonts = fonts;
    ctx.style = &style;
    ctx.art = art;
    ctx.a = a;
    ctx.file = o.source;
    rc = produce(&o, &ctx, style_path);
    rp_hyph_free(hyph);
out:
    free(style_path);
    rp_fonts_free(fonts);
    rp_arena_free(a);
    xmlCleanupParser();
    return rc;
}
