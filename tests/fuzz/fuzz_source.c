/* fuzz_source: libFuzzer target for the source pipeline.
 *
 * The input bytes are an article: parsed and validated (rp_source_load_mem), turned into the
 * model and, when that succeeds, laid out as the guide and as the cheat sheet with the
 * default style; the laid-out pages are dumped as text to /dev/null. No file is written.
 * The style and the font table are loaded once per process; everything of one input lives
 * in an arena freed before returning, so LeakSanitizer sees any leak across inputs.
 *
 * Diagnostics are counted but not printed, unless RP_FUZZ_DIAG is set in the environment
 * (then they are formatted too, which exercises every message's arguments). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

/* What every input shares: fonts, the default style and its arena, the dump sink. */
typedef struct shared {
    rp_fonts *fonts;
    rp_arena *arena;
    rp_style style;
    rp_hyph *hyph; /* English patterns for every input: loading a dictionary per input
                      would dominate the run */
    FILE *null;
} shared;

/* The default style: $ROLEPRESS_DATADIR/styles/default.xml, else the one of the source
 * tree the target was built from. */
static void style_path(char *buf, size_t n)
{
    const char *dir = getenv("ROLEPRESS_DATADIR");
    snprintf(buf, n, "%s/styles/default.xml", dir && *dir ? dir : RP_DATADIR);
}

static shared sh;

/* At exit, so that LeakSanitizer's final check sees only what inputs leaked. */
static void free_shared(void)
{
    rp_fonts_free(sh.fonts);
    rp_hyph_free(sh.hyph);
    rp_arena_free(sh.arena);
    if (sh.null)
        fclose(sh.null);
}

/* Loaded on the first call; a style that does not load is a broken setup, not a finding. */
static shared *get_shared(void)
{
    static int ready;
    char path[4096];
    if (ready)
        return &sh;
    rp_diag_set_quiet(getenv("RP_FUZZ_DIAG") == NULL);
    style_path(path, sizeof path);
    sh.fonts = rp_fonts_new();
    sh.arena = rp_arena_new();
    sh.null = fopen("/dev/null", "w");
    char why[512];
    sh.hyph = rp_hyph_open("en", why, sizeof why);
    if (!sh.fonts || !sh.null || !sh.hyph || rp_style_load(&sh.style, path, sh.fonts, sh.arena) != 0) {
        fprintf(stderr, "fuzz_source: cannot set up fonts and the style %s\n", path);
        abort();
    }
    atexit(free_shared);
    ready = 1;
    return &sh;
}

/* Lay out the article both ways with one context, as main.c does for build. */
static void lay_out(shared *sh, const rp_article *art, rp_arena *a)
{
    rp_ctx ctx = {0};
    ctx.fonts = sh->fonts;
    ctx.hyph = sh->hyph;
    ctx.style = &sh->style;
    ctx.art = art;
    ctx.a = a;
    ctx.file = "fuzz.xml";
    rp_pages *guide = rp_guide_layout(&ctx, NULL);
    if (guide)
        rp_pages_dump(guide, sh->null);
    rp_pages *sheet = rp_cheatsheet_layout(&ctx);
    if (sheet)
        rp_pages_dump(sheet, sh->null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shared *sh = get_shared();
    rp_diag_reset();
    rp_diag_mute_warnings(0);
    rp_arena *a = rp_arena_new();
    rp_article *art = rp_source_load_mem("fuzz.xml", (const char *)data, size, a);
    if (art)
        lay_out(sh, art, a);
    rp_arena_free(a);
    return 0;
}
