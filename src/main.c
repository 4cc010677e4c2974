/* main: the command line. Parses arguments, runs the stages in order
 * (style + source -> model -> layout -> PDF) and maps the outcome to an exit status:
 * 0 success, 1 invalid source or style (or content that cannot be laid out), 2 usage,
 * 3 I/O or output error. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>

#include "cheatsheet.h"
#include "diag.h"
#include "guide.h"
#include "pdf.h"
#include "source.h"
#include "style.h"

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
    const char *source, *style, *paper, *output, *out_dir;
    int dump; /* print the layout as text instead of writing PDFs */
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
          "  -o, --output FILE   output PDF (guide, cheatsheet)\n"
          "  -d, --out-dir DIR   output directory of build (default: out)\n"
          "      --dump=layout   print the laid-out pages as text instead of writing PDFs\n"
          "  -h, --help          show this help\n"
          "  -V, --version       show the version\n"
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
    static const struct option longs[] = {
        {"style", required_argument, NULL, 's'},  {"paper", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'}, {"out-dir", required_argument, NULL, 'd'},
        {"dump", required_argument, NULL, 'D'},   {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
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
            if (strcmp(optarg, "layout") != 0)
                return usage_error("unknown dump kind (only 'layout')", optarg);
            o->dump = 1;
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
    if (single && !o->output && !o->dump)
        return usage_error("missing -o FILE.pdf", NULL);
    if (!single && o->output)
        return usage_error("-o applies to guide and cheatsheet; use --out-dir with build", NULL);
    if (o->cmd != CMD_BUILD && o->out_dir)
        return usage_error("--out-dir applies to build only", NULL);
    if (o->paper && strcmp(o->paper, "a4") != 0 && strcmp(o->paper, "letter") != 0)
        return usage_error("unknown paper size (a4 or letter)", o->paper);
    return -1;
}

/* styles/default.xml from the working directory, else from the data directory. */
static const char *default_style(void)
{
    struct stat sb;
    if (stat("styles/default.xml", &sb) == 0)
        return "styles/default.xml";
    return RP_DATADIR "/styles/default.xml";
}

static int write_pdf(const rp_pages *doc, const char *path, int dump)
{
    if (dump) {
        rp_pages_dump(doc, stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_IO;
    }
    rp_pdf_options po = {1, 1};
    return rp_pdf_write(doc, path, &po);
}

/* Write both PDFs of build: both are prepared beside their targets before either is
 * renamed into place, so a failure leaves both old files as they were. */
static int write_pair(const rp_pages *guide, const char *gp, const rp_pages *sheet, const char *sp)
{
    rp_pdf_options po = {1, 1};
    rp_pdf_pending pg = {0}, ps = {0};
    int rc = rp_pdf_prepare(guide, gp, &po, &pg);
    if (rc == 0)
        rc = rp_pdf_prepare(sheet, sp, &po, &ps);
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

/* Lay out what the command asks for, then write it; nothing is written unless every
 * layout succeeded. */
static int produce(const options *o, rp_ctx *c)
{
    rp_pages *guide = NULL, *sheet = NULL;
    if (o->cmd == CMD_GUIDE || o->cmd == CMD_BUILD)
        guide = rp_guide_layout(c);
    if (o->cmd == CMD_CHEATSHEET || o->cmd == CMD_BUILD)
        sheet = rp_cheatsheet_layout(c);
    if (rp_diag_errors() > 0)
        return EXIT_INVALID;
    if (o->cmd == CMD_GUIDE)
        return write_pdf(guide, o->output, o->dump);
    if (o->cmd == CMD_CHEATSHEET)
        return write_pdf(sheet, o->output, o->dump);
    const char *dir = o->out_dir ? o->out_dir : "out";
    char *gp = join(dir, "guide.pdf"), *sp = join(dir, "cheatsheet.pdf");
    int rc = EXIT_IO;
    if (gp && sp && o->dump) {
        rc = write_pdf(guide, gp, 1);
        rc = rc ? rc : write_pdf(sheet, sp, 1);
    } else if (gp && sp) {
        rc = write_pair(guide, gp, sheet, sp);
    }
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
    rp_arena *a = rp_arena_new();
    rp_fonts *fonts = rp_fonts_new();
    rp_style style;
    if (!fonts) {
        rp_diag(RP_ERROR, NULL, 0, 0, "cannot start fontconfig/FreeType");
        rc = EXIT_IO;
        goto out;
    }
    /* style and source are both checked so one run reports every problem */
    int style_ok = rp_style_load(&style, o.style ? o.style : default_style(), fonts, a) == 0;
    if (style_ok && o.paper)
        rp_style_set_paper(&style, o.paper);
    rp_article *art = rp_source_load(o.source, a);
    if (!style_ok || !art) {
        rc = rp_diag_io_failed() ? EXIT_IO : EXIT_INVALID;
        goto out;
    }
    if (o.cmd == CMD_VALIDATE) {
        rc = 0;
        goto out;
    }
    rp_ctx ctx = {0};
    ctx.fonts = fonts;
    ctx.style = &style;
    ctx.art = art;
    ctx.a = a;
    ctx.file = o.source;
    rc = produce(&o, &ctx);
out:
    rp_fonts_free(fonts);
    rp_arena_free(a);
    xmlCleanupParser();
    return rc;
}
