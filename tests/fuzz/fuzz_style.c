/* fuzz_style: libFuzzer target for style loading.
 *
 * rp_style_load() reads a path, so the input bytes are written to style.xml in a scratch
 * directory made once per process (mkdtemp under $TMPDIR or /tmp, removed at exit) and
 * rewritten for each input; the directory also holds parents for extends= (see make_dir).
 * A style that loads is then used: the paper is switched both ways, role colours
 * are looked up, and a small article (tests/data/minimal.xml, loaded once) is laid out as
 * the guide and the cheat sheet with it, so that extreme but valid values reach the layout.
 * No output file is written; each input's memory is in an arena freed before returning.
 *
 * Diagnostics are counted but not printed, unless RP_FUZZ_DIAG is set in the environment. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cheatsheet.h"
#include "diag.h"
#include "fonts.h"
#include "guide.h"
#include "layout.h"
#include "source.h"
#include "style.h"

#ifndef RP_DATADIR
#define RP_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch directory: the input is written to style.xml; the shipped styles are linked
 * in beside it and loop.xml extends style.xml, so that extends="default.xml" finds a parent
 * and extends="loop.xml" makes a cycle. */
static const char *const linked[] = {"default.xml", "print.xml"};
#define LOOP_STYLE "<style xmlns=\"urn:rolepress:style:1\" extends=\"style.xml\"/>\n"

/* What every input shares: the font table, the article and its arena, the scratch files. */
typedef struct shared {
    rp_fonts *fonts;
    rp_arena *arena;
    const rp_article *art;
    rp_hyph *hyph;
    char dir[4096], path[4200];
    int fd;
} shared;

static shared sh = {.fd = -1};

static void in_dir(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", sh.dir, name);
}

static void remove_in_dir(const char *name)
{
    char p[4200];
    in_dir(p, sizeof p, name);
    unlink(p);
}

/* At exit: remove the scratch directory, and free what is shared so that LeakSanitizer's
 * final check sees only what inputs leaked. */
static void teardown(void)
{
    if (sh.fd >= 0)
        close(sh.fd);
    unlink(sh.path);
    for (size_t i = 0; i < sizeof linked / sizeof *linked; i++)
        remove_in_dir(linked[i]);
    remove_in_dir("loop.xml");
    rmdir(sh.dir);
    rp_fonts_free(sh.fonts);
    rp_hyph_free(sh.hyph);
    rp_arena_free(sh.arena);
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz_style: %s: %s\n", what, errno ? strerror(errno) : "failed");
    abort();
}

/* The scratch directory under $TMPDIR or /tmp, with its links and loop.xml. */
static void make_dir(const char *data)
{
    const char *tmp = getenv("TMPDIR");
    char p[4200], target[4200];
    snprintf(sh.dir, sizeof sh.dir, "%s/rolepress-fuzz-style-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sh.dir))
        die(sh.dir);
    atexit(teardown);
    for (size_t i = 0; i < sizeof linked / sizeof *linked; i++) {
        snprintf(target, sizeof target, "%s/styles/%s", data, linked[i]);
        in_dir(p, sizeof p, linked[i]);
        if (symlink(target, p) != 0)
            die(p);
    }
    in_dir(p, sizeof p, "loop.xml");
    FILE *f = fopen(p, "w");
    if (!f || fputs(LOOP_STYLE, f) < 0 || fclose(f) != 0)
        die(p);
    in_dir(sh.path, sizeof sh.path, "style.xml");
    if ((sh.fd = open(sh.path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
        die(sh.path);
}

/* Set up on the first call: fonts, the article, and the scratch directory. */
static void setup(void)
{
    const char *env = getenv("ROLEPRESS_DATADIR");
    const char *data = env && *env ? env : RP_DATADIR;
    char article[4096];
    rp_diag_set_quiet(getenv("RP_FUZZ_DIAG") == NULL);
    snprintf(article, sizeof article, "%s/tests/data/minimal.xml", data);
    sh.fonts = rp_fonts_new();
    sh.arena = rp_arena_new();
    if (!sh.fonts)
        die("cannot start fontconfig/FreeType");
    if (!(sh.art = rp_source_load(article, sh.arena)))
        die(article);
    char why[512];
    if (!(sh.hyph = rp_hyph_open(sh.art->lang, why, sizeof why)))
        die(why);
    make_dir(data);
}

/* Replace the temporary file's content with data[0..size). */
static void write_temp(const uint8_t *data, size_t size)
{
    if (ftruncate(sh.fd, 0) != 0)
        die(sh.path);
    for (size_t off = 0; off < size;) {
        ssize_t n = pwrite(sh.fd, data + off, size - off, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die(sh.path);
        off += (size_t)n;
    }
}

/* Use a style that loaded: the calls main.c makes with it, and both layouts. */
static void use_style(rp_style *style, rp_arena *a)
{
    rp_style_set_paper(style, "letter");
    rp_style_set_paper(style, "a4");
    for (size_t i = 0; i < sh.art->nroles; i++)
        (void)rp_style_role_color(style, sh.art->roles[i].id, i);
    rp_ctx ctx = {0};
    ctx.fonts = sh.fonts;
    ctx.hyph = sh.hyph;
    ctx.style = style;
    ctx.art = sh.art;
    ctx.a = a;
    ctx.file = "minimal.xml";
    (void)rp_guide_layout(&ctx, NULL);
    (void)rp_cheatsheet_layout(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sh.fonts)
        setup();
    rp_diag_reset();
    rp_diag_mute_warnings(0);
    write_temp(data, size);
    rp_arena *a = rp_arena_new();
    rp_style style;
    if (rp_style_load(&style, sh.path, sh.fonts, a) == 0)
        use_style(&style, a);
    rp_arena_free(a);
    return 0;
}
