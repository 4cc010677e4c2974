/* fonts: font lookup through fontconfig and metrics through FreeType, computed exactly as
 * libharu computes what it writes into the PDF, so measured and drawn text agree.
 *
 * libharu (hpdf_fontdef_tt.c, HPDF_TTFontDef_GetGidWidth / GetCharWidth) stores a glyph's
 * width as (HPDF_INT16)(HPDF_UINT16)((HPDF_UINT)advance_width * 1000 / units_per_em): the
 * hmtx advance in font units, times 1000, divided by unitsPerEm with unsigned integer
 * division (truncation), glyphs past the last hmtx record repeating its advance. A glyph
 * the cmap lacks is glyph 0, whose width is the same formula for glyph 0 (the font's
 * MissingWidth/DW). Code points past U+FFFF become a space in its UTF-8 encoder. This file
 * reproduces each of those rules, including which cmap subtable libharu reads. */
#include "fonts.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <hb-ft.h>
#include <hb.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include "cache.h"
#include "thread.h"
#include "utf8.h"

/* Advances are cached per face in lazily allocated pages of 256 code points: a document
 * touches a handful of pages, and measuring is the hot path of line breaking. */
#define PAGE_BITS 8
#define PAGE_SIZE (1u << PAGE_BITS)
#define NPAGES (0x10000u >> PAGE_BITS) /* the BMP: libharu draws nothing beyond it */

/* A cache cell: known flag, glyph-present flag, advance as 16 bits two's complement. */
#define CELL_KNOWN 0x80000000u
#define CELL_GLYPH 0x40000000u
#define CELL_ADVANCE 0xFFFFu

#define CAP_HEIGHT_GUESS 700 /* 1/1000 em, when neither OS/2 nor an 'H' gives one */

/* A font file read with pread() rather than mapped (see face_stream_open). Reads of up to
 * a block are served from one cached block: FreeType reads the advance of each glyph as a
 * seek and two 2-byte reads. */
#define STREAM_BLOCK 4096

typedef struct file_stream {
    FT_StreamRec rec; /* first: FreeType's callbacks receive &rec */
    int fd;
    unsigned long block_at, block_len; /* the cached block: file offset and bytes held */
    unsigned char *block;              /* NULL until a small read needs it */
} file_stream;

typedef struct face {
    char *path, *family;
    int bold, italic;
    /* FreeType's face, NULL after rp_fonts_release() until face_ft() opens it again */
    FT_Face ft;
    file_stream *stream; /* the file under ft; closed by FreeType, freed after it */
    FT_Library lib;      /* the library ft is opened with */
    int lost;            /* the file could not be opened again as it was */
    unsigned upem;
    int ascent, descent, cap_height; /* 1/1000 em */
    int notdef_advance;              /* glyph 0: libharu's MissingWidth */
    uint32_t *pages[NPAGES];
    /* kerning: HarfBuzz opened on first use; pairs asked so far (see kern_get) */
    hb_font_t *hb;
    int hb_failed;
    int16_t *ascii_kern;  /* pairs of printable ASCII, KERN_UNKNOWN until asked */
    uint32_t *kern_keys;  /* left << 16 | right (left > 0x20); 0 marks an empty slot */
    int16_t *kern_values; /* in font units */
    size_t kern_n, kern_cap;
    int kern_loaded; /* the pairs kept from earlier runs were read (kern_load) */
    size_t kern_new; /* pairs shaped in this run, not yet kept */
} face;

/* One answered rp_fonts_find() question: a style asks for the same family, weight and
 * slant for many text roles. */
typedef struct lookup {
    char *family;
    int bold, italic;
    int face; /* the answer, -1 included */
} lookup;

/* The installed fonts of one family, in every format: rp_fonts_find() chooses among them
 * and rp_fonts_family_installed() asks whether there are any. They are gathered once per
 * family, comparing the name with each font fontconfig has; a fontconfig match per
 * question would run the configuration's substitutions and score every font on every
 * property. */
typedef struct family_fonts {
    char *family;   /* as asked */
    FcFontSet *set; /* references to the configuration's fonts */
} family_fonts;

/* One family name of an installed font. Every font's names are listed once, in
 * fontconfig's order, so that gathering a family compares strings instead of asking each
 * font for its names again (a style asks for half a dozen families). */
typedef struct font_name {
    const char *name; /* the font's own string, which lives as long as the configuration */
    FcPattern *font;
    size_t font_no; /* the font's place in the list of fonts (the same for all its names) */
} font_name;

struct rp_fonts {
    FcConfig *fc; /* NULL until loaded, and if fontconfig could not start */
    int loaded;   /* fc is final (see wait_config) */
    /* rp_fonts_start(): the thread loading the configuration, while not joined */
    pthread_t loader;
    int thread;
    atomic_int claim;        /* who loads it: LOAD_* */
    pthread_mutex_t loading; /* held by the thread from before its claim until it is done */
    FcConfig *loaded_fc;     /* what the thread loaded, under `loading` */
    FT_Library ft;
    face *faces;
    size_t nfaces, cap;
    lookup *lookups;
    size_t nlookups, lookups_cap;
    family_fonts *families;
    size_t nfamilies, families_cap;
    font_name *names; /* listed on the first family asked for */
    size_t nnames;
    int names_listed;
    hb_buffer_t *hb_buf; /* reused for every kerning pair */
};

/* The user's fontconfig configuration and fonts, as FcInitLoadConfigAndFonts() has them but
 * without its parse of every template in conf.avail, which fontconfig reads only to describe
 * them (fc-conflist) and which costs more than the configuration itself. A configuration
 * that fails to load or names no cache directory goes the library's own way, which then
 * falls back or adds the default cache directories. */
static FcConfig *load_config(void)
{
    FcConfig *c = FcConfigCreate();
    if (c && FcConfigParseAndLoad(c, NULL, FcTrue)) {
        FcStrList *dirs = FcConfigGetCacheDirs(c);
        int cached = dirs && FcStrListNext(dirs) != NULL;
        if (dirs)
            FcStrListDone(dirs);
        if (cached && FcConfigBuildFonts(c))
            return c;
    }
    if (c)
        FcConfigDestroy(c);
    return FcInitLoadConfigAndFonts();
}

/* ---- loading the configuration while the caller goes on ------------------------------ */

/* Who loads the configuration of a table made by rp_fonts_start(): the first to claim it,
 * the thread when it starts or the caller when it needs the fonts. A thread that has not
 * started by then would only make the caller wait for a CPU. */
enum { LOAD_UNCLAIMED, LOAD_BY_THREAD, LOAD_BY_CALLER };

/* Claims the load for who (LOAD_BY_*); nonzero if it was still unclaimed. */
static int claim(rp_fonts *f, int who)
{
    int unclaimed = LOAD_UNCLAIMED;
    return atomic_compare_exchange_strong(&f->claim, &unclaimed, who);
}

/* The loading thread. It claims the load through f->claim and hands the configuration
 * over in f->loaded_fc under f->loading, which it holds from before the claim; it touches
 * nothing else of the table. */
static void *load_thread(void *arg)
{
    rp_fonts *f = arg;
    pthread_mutex_lock(&f->loading);
    if (claim(f, LOAD_BY_THREAD))
        f->loaded_fc = load_config();
    pthread_mutex_unlock(&f->loading);
    return NULL;
}

/* Starts the loading thread; 0 if it runs. It starts on another of the process's CPUs
 * (rp_thread_start: Linux would queue it behind its creator, which keeps its CPU busy
 * reading the style and the source; an earlier attempt without that measured no gain).
 * With one CPU a thread cannot help. */
static int start_loading(rp_fonts *f)
{
    if (!rp_thread_can_help())
        return -1;
    atomic_init(&f->claim, LOAD_UNCLAIMED);
    if (pthread_mutex_init(&f->loading, NULL) == 0) {
        f->thread = rp_thread_start(&f->loader, load_thread, f) == 0;
        if (!f->thread)
            pthread_mutex_destroy(&f->loading);
    }
    return f->thread ? 0 : -1;
}

/* How long the caller polls for the loading thread before it sleeps. Running freely, the
 * thread ends about 0.5 ms after the caller has read the inputs; much later, it is waiting
 * for a CPU, and a polling caller would keep its own CPU from taking the thread over. */
#define POLL_NS 1000000L

/* Takes the configuration the thread loaded, once it is done. The caller polls rather than
 * sleeps at first: Linux wakes a sleeper on the CPU of the thread that wakes it, here the
 * loading thread's, away from the caches the caller warmed (it moved in three runs of four,
 * and the layout that follows a build's wait took 0.5 to 1.5 ms longer). It does not yield
 * between polls, which would hand its CPU to any other process for a whole time slice (with
 * two busy processes on the machine validate took 12.4 ms instead of 10.5), and after
 * POLL_NS it sleeps after all, so that its CPU can run the thread. */
static void take_loaded(rp_fonts *f)
{
    struct timespec start, now;
    int rc;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while ((rc = pthread_mutex_trylock(&f->loading)) == EBUSY) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) > POLL_NS) {
            rc = pthread_mutex_lock(&f->loading);
            break;
        }
    }
    if (rc == 0) {
        f->fc = f->loaded_fc;
        pthread_mutex_unlock(&f->loading);
    }
}

/* Makes sure the configuration is loaded: by the thread (waiting for it) if it has begun,
 * else here. Returns 0 if fontconfig started. */
static int wait_config(rp_fonts *f)
{
    if (f->loaded)
        return f->fc ? 0 : -1;
    if (f->thread && !claim(f, LOAD_BY_CALLER)) {
        take_loaded(f); /* it has begun: wait for it */
    } else {
        if (f->thread) /* still queued: it may end wherever a CPU is free */
            rp_thread_unpin_other(f->loader);
        f->fc = load_config();
    }
    f->loaded = 1;
    return f->fc ? 0 : -1;
}

/* A table whose configuration is loaded now, or on a thread when background is set. */
static rp_fonts *fonts_create(int background)
{
    rp_fonts *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (!background || start_loading(f) != 0)
        wait_config(f);
    if (FT_Init_FreeType(&f->ft) != 0 || (!background && !f->fc)) {
        rp_fonts_free(f);
        return NULL;
    }
    return f;
}

rp_fonts *rp_fonts_new(void)
{
    return fonts_create(0);
}

rp_fonts *rp_fonts_start(void)
{
    return fonts_create(1);
}

int rp_fonts_wait(rp_fonts *f)
{
    return f ? wait_config(f) : -1;
}

/* ---- font files --------------------------------------------------------------------- */

/* Reads up to n bytes at offset off of fd; returns how many were read. */
static unsigned long read_at(int fd, unsigned long off, unsigned char *buf, unsigned long n)
{
    unsigned long done = 0;
    while (done < n) {
        ssize_t r = pread(fd, buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        done += (unsigned long)r;
    }
    return done;
}

/* FreeType's read callback: n == 0 asks whether off can be sought to (0 if so); otherwise
 * it copies up to n bytes at off into buf and returns how many. */
static unsigned long stream_read(FT_Stream s, unsigned long off, unsigned char *buf,
                                 unsigned long n)
{
    file_stream *fs = (file_stream *)s;
    if (n == 0)
        return off > s->size;
    if (off >= s->size)
        return 0;
    n = n < s->size - off ? n : s->size - off;
    if (n > STREAM_BLOCK || (!fs->block && !(fs->block = malloc(STREAM_BLOCK))))
        return read_at(fs->fd, off, buf, n);
    if (off < fs->block_at || off + n > fs->block_at + fs->block_len) {
        /* the aligned block holding off, or one starting at off if the read crosses it */
        unsigned long at = off & ~(unsigned long)(STREAM_BLOCK - 1);
        fs->block_at = off + n <= at + STREAM_BLOCK ? at : off;
        fs->block_len = read_at(fs->fd, fs->block_at, fs->block, STREAM_BLOCK);
        if (off + n > fs->block_at + fs->block_len) /* a short read */
            n = fs->block_len > off - fs->block_at ? fs->block_len - (off - fs->block_at) : 0;
    }
    memcpy(buf, fs->block + (off - fs->block_at), n);
    return n;
}

/* FreeType's close callback, also called when opening the face fails; safe to call twice. */
static void stream_close(FT_Stream s)
{
    file_stream *fs = (file_stream *)s;
    if (fs->fd >= 0)
        close(fs->fd);
    fs->fd = -1;
    free(fs->block);
    fs->block = NULL;
    fs->block_len = 0;
}

/* Opens font file path as fc->ft, reading it with pread() where FT_New_Face would map it.
 * A mapping's resident size is the pages touched plus the pages the kernel maps around each
 * fault, 64 KiB at a time: 112 to 224 KiB a face for the article's fonts, though FreeType
 * only reads a few tables once at opening (head, name, OS/2, post) and keeps a few (cmap,
 * loca, the hinting programs). Read, a face costs what it keeps: 27 KiB on average. Returns
 * 0, or -1 (then fc->ft is NULL and face_free() releases the rest). */
static int face_stream_open(FT_Library lib, face *fc, const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    fc->stream = calloc(1, sizeof *fc->stream);
    if (!fc->stream) {
        close(fd);
        return -1;
    }
    fc->stream->fd = fd;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return -1;
    fc->stream->rec.size = (unsigned long)st.st_size;
    fc->stream->rec.read = stream_read;
    fc->stream->rec.close = stream_close;
    FT_Open_Args args;
    memset(&args, 0, sizeof args);
    args.flags = FT_OPEN_STREAM;
    args.stream = &fc->stream->rec;
    return FT_Open_Face(lib, &args, 0, &fc->ft) == 0 ? 0 : -1;
}

/* Closes the face's HarfBuzz font and FreeType face, with its file. */
static void face_close(face *fc)
{
    if (fc->hb)
        hb_font_destroy(fc->hb); /* drops HarfBuzz's reference to ft */
    fc->hb = NULL;
    fc->hb_failed = 0;
    if (fc->ft)
        FT_Done_Face(fc->ft); /* closes the stream */
    fc->ft = NULL;
    if (fc->stream)
        stream_close(&fc->stream->rec);
    free(fc->stream);
    fc->stream = NULL;
}

static void kern_keep(face *fc);

/* Frees the face's caches of advances and kerning (they fill again when asked), keeping
 * the kerning pairs this run shaped for the next runs first. */
static void face_forget(face *fc)
{
    kern_keep(fc);
    fc->kern_loaded = 0;
    for (size_t i = 0; i < NPAGES; i++) {
        free(fc->pages[i]);
        fc->pages[i] = NULL;
    }
    free(fc->ascii_kern);
    free(fc->kern_keys);
    free(fc->kern_values);
    fc->ascii_kern = NULL;
    fc->kern_keys = NULL;
    fc->kern_values = NULL;
    fc->kern_n = fc->kern_cap = 0;
}

static void face_free(face *fc)
{
    face_forget(fc);
    face_close(fc);
    free(fc->path);
    free(fc->family);
}

/* Frees the family lists, the fonts' names and fontconfig's configuration
 * (family_fonts_of() loads it again). */
static void families_free(rp_fonts *f)
{
    for (size_t i = 0; i < f->nfamilies; i++) {
        free(f->families[i].family);
        FcFontSetDestroy(f->families[i].set);
    }
    free(f->families);
    f->families = NULL;
    f->nfamilies = f->families_cap = 0;
    free(f->names); /* they point into the configuration's fonts */
    f->names = NULL;
    f->nnames = 0;
    f->names_listed = 0;
    if (f->fc)
        FcConfigDestroy(f->fc);
    f->fc = NULL;
}

void rp_fonts_release(rp_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nfaces; i++) {
        face_forget(&f->faces[i]);
        face_close(&f->faces[i]);
    }
    families_free(f);
    if (f->hb_buf)
        hb_buffer_destroy(f->hb_buf);
    f->hb_buf = NULL;
}

void rp_fonts_free(rp_fonts *f)
{
    if (!f)
        return;
    if (f->thread && claim(f, LOAD_BY_CALLER)) /* never needed: it ends as it starts */
        rp_thread_unpin_other(f->loader);
    if (f->thread) {
        pthread_join(f->loader, NULL);
        pthread_mutex_destroy(&f->loading);
        if (!f->loaded) /* it loaded a configuration no lookup waited for */
            f->fc = f->loaded_fc;
    }
    rp_fonts_release(f); /* then only what release keeps is left */
    for (size_t i = 0; i < f->nfaces; i++)
        face_free(&f->faces[i]);
    free(f->faces);
    for (size_t i = 0; i < f->nlookups; i++)
        free(f->lookups[i].family);
    free(f->lookups);
    if (f->ft)
        FT_Done_FreeType(f->ft);
    free(f);
}

/* ---- metrics ---------------------------------------------------------------------- */

static FT_Face face_ft(face *fc);

/* Font units to 1/1000 em, truncating toward zero as libharu's int32 arithmetic does. */
static int to_milli(const face *fc, long v)
{
    return (int)(v * 1000 / (long)fc->upem);
}

/* libharu's width of a glyph: (INT16)(UINT16)(advance * 1000u / upem). */
static int gid_advance(const face *fc, FT_UInt gid)
{
    FT_Fixed adv = 0;
    if (gid >= (FT_UInt)fc->ft->num_glyphs ||
        FT_Get_Advance(fc->ft, gid, FT_LOAD_NO_SCALE, &adv) != 0 || adv < 0)
        return fc->notdef_advance;
    unsigned w = ((unsigned)adv * 1000u / fc->upem) & 0xFFFFu;
    return w < 0x8000u ? (int)w : (int)w - 0x10000;
}

/* Ascent, descent (typographic, OS/2 first, else hhea) and cap height of a face. */
static void face_metrics(face *fc)
{
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(fc->ft, FT_SFNT_OS2);
    const TT_HoriHeader *hhea = FT_Get_Sfnt_Table(fc->ft, FT_SFNT_HHEA);
    long asc = fc->ft->ascender, desc = fc->ft->descender;
    if (os2 && os2->version != 0xFFFFu && (os2->sTypoAscender || os2->sTypoDescender)) {
        asc = os2->sTypoAscender;
        desc = os2->sTypoDescender;
    } else if (hhea) {
        asc = hhea->Ascender;
        desc = hhea->Descender;
    }
    fc->ascent = to_milli(fc, asc);
    fc->descent = to_milli(fc, desc > 0 ? -desc : desc);

    fc->cap_height = CAP_HEIGHT_GUESS;
    FT_UInt h = FT_Get_Char_Index(fc->ft, 'H');
    if (os2 && os2->version != 0xFFFFu && os2->version >= 2 && os2->sCapHeight > 0)
        fc->cap_height = to_milli(fc, os2->sCapHeight);
    else if (h && FT_Load_Glyph(fc->ft, h, FT_LOAD_NO_SCALE) == 0)
        fc->cap_height = to_milli(fc, fc->ft->glyph->metrics.horiBearingY);
    fc->notdef_advance = 0;
    fc->notdef_advance = gid_advance(fc, 0);
}

/* Computes the cache cell of a BMP code point (a missing glyph if the file is lost). */
static uint32_t cell_compute(face *fc, uint32_t cp)
{
    FT_UInt gid = face_ft(fc) ? FT_Get_Char_Index(fc->ft, cp) : 0;
    int w = gid ? gid_advance(fc, gid) : fc->notdef_advance;
    return CELL_KNOWN | (gid ? CELL_GLYPH : 0) | ((uint32_t)w & CELL_ADVANCE);
}

/* The cache cell of a BMP code point, computed on first use. */
static uint32_t cell_get(face *fc, uint32_t cp)
{
    uint32_t **page = &fc->pages[cp >> PAGE_BITS];
    if (!*page) {
        *page = calloc(PAGE_SIZE, sizeof **page);
        if (!*page)
            return cell_compute(fc, cp); /* no memory for the cache: measure uncached */
    }
    uint32_t *c = &(*page)[cp & (PAGE_SIZE - 1)];
    if (!(*c & CELL_KNOWN))
        *c = cell_compute(fc, cp);
    return *c;
}

static int cell_advance(uint32_t c)
{
    unsigned w = c & CELL_ADVANCE;
    return w < 0x8000u ? (int)w : (int)w - 0x10000;
}

/* Advance of cp as libharu measures it: U+10000 and above are drawn as a space. */
static int face_advance(face *fc, uint32_t cp)
{
    return cell_advance(cell_get(fc, cp > 0xFFFF ? 0x20 : cp));
}

/* ---- opening faces ------------------------------------------------------------------ */

static int cmap_is(const FT_CharMap cm, int platform, int encoding, long format)
{
    return cm->platform_id == platform && cm->encoding_id == encoding &&
           FT_Get_CMap_Format(cm) == format;
}

/* Selects the cmap subtable libharu reads (ParseCMap: Microsoft Unicode format 4 first, else
 * Macintosh Roman format 0, else Unicode-platform format 4). The Macintosh byte table maps
 * code points modulo 256 there, which would draw wrong glyphs, so such a font is refused.
 * Returns 0, or -1 if the font has no usable table. */
static int select_cmap(FT_Face ft)
{
    FT_CharMap ms = NULL, mac = NULL, uni = NULL;
    for (int i = 0; i < ft->num_charmaps; i++) {
        FT_CharMap cm = ft->charmaps[i];
        if (!ms && cmap_is(cm, 3, 1, 4))
            ms = cm;
        else if (!mac && cmap_is(cm, 1, 0, 0))
            mac = cm;
        else if (!uni && cmap_is(cm, 0, 3, 4))
            uni = cm;
    }
    if (!ms && (mac || !uni))
        return -1;
    return FT_Set_Charmap(ft, ms ? ms : uni) == 0 ? 0 : -1;
}

static int has_table(FT_Face ft, FT_ULong tag)
{
    FT_ULong len = 0;
    return FT_Load_Sfnt_Table(ft, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Nonzero if libharu can embed this face: a single-font SFNT file with TrueType (glyf)
 * outlines, no CFF table and a usable cmap. */
static int face_usable(FT_Face ft)
{
    return FT_IS_SFNT(ft) && ft->num_faces == 1 && ft->units_per_EM > 0 &&
           has_table(ft, TTAG_glyf) && has_table(ft, TTAG_hmtx) && has_table(ft, TTAG_loca) &&
           !has_table(ft, TTAG_CFF) && select_cmap(ft) == 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Makes room for one more face; NULL if out of memory. */
static face *face_slot(rp_fonts *f)
{
    if (f->nfaces == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 8;
        face *p = realloc(f->faces, ncap * sizeof *p);
        if (!p)
            return NULL;
        f->faces = p;
        f->cap = ncap;
    }
    face *fc = &f->faces[f->nfaces];
    memset(fc, 0, sizeof *fc);
    return fc;
}

/* Index of the face of file path, opening it on first use; -1 if it is not usable. */
static int face_open(rp_fonts *f, const char *path, const char *family, int bold, int italic)
{
    for (size_t i = 0; i < f->nfaces; i++)
        if (strcmp(f->faces[i].path, path) == 0)
            return (int)i;
    face *fc = face_slot(f);
    if (!fc)
        return -1;
    if (face_stream_open(f->ft, fc, path) != 0) {
        face_free(fc);
        return -1;
    }
    fc->path = dup_str(path);
    fc->family = dup_str(family);
    fc->lib = f->ft;
    if (!fc->path || !fc->family || !face_usable(fc->ft)) {
        face_free(fc);
        return -1;
    }
    fc->upem = fc->ft->units_per_EM;
    fc->bold = bold;
    fc->italic = italic;
    face_metrics(fc);
    return (int)f->nfaces++;
}

/* The face's FreeType face, opened again if rp_fonts_release() closed it; NULL if the file
 * is no longer the usable font it was. */
static FT_Face face_ft(face *fc)
{
    if (fc->ft || fc->lost)
        return fc->ft;
    if (face_stream_open(fc->lib, fc, fc->path) != 0 || !face_usable(fc->ft) ||
        fc->ft->units_per_EM != fc->upem) {
        face_close(fc);
        fc->lost = 1;
    }
    return fc->ft;
}

/* The font's own spelling of family among its FC_FAMILY names, or NULL if it has none
 * equal to it ignoring case (fontconfig substituted another family). */
static const char *matched_family(const FcPattern *match, const char *family)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &s) == FcResultMatch; i++)
        if (FcStrCmpIgnoreCase(s, (const FcChar8 *)family) == 0)
            return (const char *)s;
    return NULL;
}

/* FcStrCmpIgnoreCase(a, b) == 0, which folds the case of every character through
 * fontconfig's tables: while both strings are ASCII it only lowers A-Z, so two names that
 * differ there (nearly every pair) are told apart here; fontconfig decides the rest. */
static int same_name(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; *p < 0x80 && *q < 0x80; p++, q++) {
        unsigned char x = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;
        unsigned char y = *q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
    return FcStrCmpIgnoreCase((const FcChar8 *)a, (const FcChar8 *)b) == 0;
}

/* Lists the family names of every font of set after those listed in *cap slots; 0 if
 * memory is short. */
static int list_set(rp_fonts *f, FcFontSet *set, size_t *cap, size_t *font_no)
{
    FcChar8 *s;
    for (int i = 0; set && i < set->nfont; i++, (*font_no)++)
        for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &s) == FcResultMatch; k++) {
            if (f->nnames == *cap) {
                size_t ncap = *cap ? *cap * 2 : 512;
                font_name *v = realloc(f->names, ncap * sizeof *v);
                if (!v)
                    return 0;
                f->names = v;
                *cap = ncap;
            }
            f->names[f->nnames++] = (font_name){(const char *)s, set->fonts[i], *font_no};
        }
    return 1;
}

/* Lists the names of the system's fonts, then the application's, as fontconfig orders
 * them (once); 0 if memory is short. */
static int list_names(rp_fonts *f)
{
    size_t cap = 0, font_no = 0;
    if (f->names_listed)
        return 1;
    if (!list_set(f, FcConfigGetFonts(f->fc, FcSetSystem), &cap, &font_no) ||
        !list_set(f, FcConfigGetFonts(f->fc, FcSetApplication), &cap, &font_no)) {
        free(f->names);
        f->names = NULL, f->nnames = 0;
        return 0;
    }
    f->names_listed = 1;
    return 1;
}

/* Adds the fonts that have family among their names to out, each once, in fontconfig's
 * order; 0 if memory is short. */
static int gather(rp_fonts *f, FcFontSet *out, const char *family)
{
    size_t last = (size_t)-1;
    if (!list_names(f))
        return 0;
    for (size_t i = 0; i < f->nnames; i++) {
        const font_name *n = &f->names[i];
        if (n->font_no == last || !same_name(n->name, family))
            continue;
        last = n->font_no; /* one of a font's names is enough */
        FcPatternReference(n->font);
        if (!FcFontSetAdd(out, n->font)) {
            FcPatternDestroy(n->font);
            return 0;
        }
    }
    return 1;
}

/* The installed fonts of family (gathered on first use, with the configuration loaded again
 * after rp_fonts_release()). NULL if memory is short or fontconfig cannot start. */
static const family_fonts *family_fonts_of(rp_fonts *f, const char *family)
{
    wait_config(f); /* the first configuration, perhaps from the loading thread */
    for (size_t i = 0; i < f->nfamilies; i++)
        if (strcmp(f->families[i].family, family) == 0)
            return &f->families[i];
    if (!f->fc && !(f->fc = load_config()))
        return NULL;
    if (f->nfamilies == f->families_cap) {
        size_t cap = f->families_cap ? f->families_cap * 2 : 8;
        family_fonts *v = realloc(f->families, cap * sizeof *v);
        if (!v)
            return NULL;
        f->families = v;
        f->families_cap = cap;
    }
    family_fonts *ff = &f->families[f->nfamilies];
    ff->family = dup_str(family);
    ff->set = FcFontSetCreate();
    if (!ff->family || !ff->set || !gather(f, ff->set, family)) {
        free(ff->family);
        if (ff->set)
            FcFontSetDestroy(ff->set);
        return NULL;
    }
    return &f->families[f->nfamilies++];
}

/* The range [lo, hi] of a numeric property of font p (a number is a range of one); def
 * when p does not have it. */
static void prop_range(const FcPattern *p, const char *object, double def, double *lo, double *hi)
{
    FcValue v;
    *lo = *hi = def;
    if (FcPatternGet(p, object, 0, &v) != FcResultMatch)
        return;
    if (v.type == FcTypeInteger)
        *lo = *hi = v.u.i;
    else if (v.type == FcTypeDouble)
        *lo = *hi = v.u.d;
    else if (v.type == FcTypeRange)
        FcRangeGetDouble(v.u.r, lo, hi);
}

/* Distance from want to the nearest value of font p's property, as fontconfig measures it. */
static double prop_distance(const FcPattern *p, const char *object, double def, double want)
{
    double lo, hi;
    prop_range(p, object, def, &lo, &hi);
    return want < lo ? lo - want : want > hi ? want - hi : 0;
}

/* How far a face is from the request, property by property in the order of importance
 * fontconfig gives them: slant, weight, width, then the newest version. */
enum { D_SLANT, D_WEIGHT, D_WIDTH, D_VERSION, D__COUNT };

static void face_distance(const FcPattern *p, int bold, int italic, double d[D__COUNT])
{
    d[D_SLANT] =
        prop_distance(p, FC_SLANT, FC_SLANT_ROMAN, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    d[D_WEIGHT] =
        prop_distance(p, FC_WEIGHT, FC_WEIGHT_REGULAR, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    d[D_WIDTH] = prop_distance(p, FC_WIDTH, FC_WIDTH_NORMAL, FC_WIDTH_NORMAL);
    d[D_VERSION] = prop_distance(p, FC_FONTVERSION, 0, 0x7fffffff);
}

/* Nonzero if font p of the family is a face rp_fonts_find() may choose: a TrueType file,
 * and the whole file, as HPDF_LoadTTFontFromFile loads it (not a face of a collection, nor a
 * variable font or one of its named instances). */
static int candidate(const FcPattern *p)
{
    FcChar8 *format = NULL;
    FcBool variable = FcFalse;
    int index = 0;
    FcPatternGetBool(p, FC_VARIABLE, 0, &variable);
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    return FcPatternGetString(p, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
           FcStrCmpIgnoreCase(format, (const FcChar8 *)"TrueType") == 0 && !variable && index == 0;
}

/* Nonzero if a face at distance da in file fa is nearer than one at db in fb. Ties go to
 * the file whose path sorts first, so the answer does not depend on the order fontconfig
 * lists fonts in. */
static int nearer(const double da[D__COUNT], const char *fa, const double db[D__COUNT],
                  const char *fb)
{
    for (int k = 0; k < D__COUNT; k++)
        if (da[k] != db[k])
            return da[k] < db[k];
    return strcmp(fa, fb) < 0;
}

/* The face of the family nearest to bold/italic, or NULL. */
static const FcPattern *nearest_face(const family_fonts *ff, int bold, int italic)
{
    const FcPattern *best = NULL;
    double best_d[D__COUNT];
    const char *best_file = NULL;
    for (int i = 0; ff && i < ff->set->nfont; i++) {
        const FcPattern *p = ff->set->fonts[i];
        double d[D__COUNT];
        FcChar8 *file;
        if (!candidate(p) || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
            continue;
        face_distance(p, bold, italic, d);
        if (!best || nearer(d, (const char *)file, best_d, best_file)) {
            best = p;
            best_file = (const char *)file;
            memcpy(best_d, d, sizeof best_d);
        }
    }
    return best;
}

/* Remember the answer to a lookup (silently not, if memory is short: it is a cache). */
static int remember(rp_fonts *f, const char *family, int bold, int italic, int face)
{
    if (f->nlookups == f->lookups_cap) {
        size_t cap = f->lookups_cap ? f->lookups_cap * 2 : 16;
        lookup *v = realloc(f->lookups, cap * sizeof *v);
        if (!v)
            return face;
        f->lookups = v;
        f->lookups_cap = cap;
    }
    lookup *l = &f->lookups[f->nlookups];
    l->family = strdup(family); /* owned by the table, freed in rp_fonts_free() */
    if (!l->family)
        return face;
    l->bold = bold;
    l->italic = italic;
    l->face = face;
    f->nlookups++;
    return face;
}

static int find_uncached(rp_fonts *f, const char *family, int bold, int italic);

int rp_fonts_find(rp_fonts *f, const char *family, int bold, int italic)
{
    if (!f || !family || !*family)
        return -1;
    bold = bold != 0, italic = italic != 0;
    for (size_t i = 0; i < f->nlookups; i++)
        if (f->lookups[i].bold == bold && f->lookups[i].italic == italic &&
            strcmp(f->lookups[i].family, family) == 0)
            return f->lookups[i].face;
    return remember(f, family, bold, italic, find_uncached(f, family, bold, italic));
}

static int find_uncached(rp_fonts *f, const char *family, int bold, int italic)
{
    const FcPattern *p = nearest_face(family_fonts_of(f, family), bold, italic);
    FcChar8 *file = NULL;
    int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
    if (!p || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
        return -1;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    return face_open(f, (const char *)file, matched_family(p, family), weight >= FC_WEIGHT_DEMIBOLD,
                     slant != FC_SLANT_ROMAN);
}

/* Nonzero if fontconfig lists an installed font of this family (case-insensitive), in any
 * format; tells "not installed" from "not TrueType" after rp_fonts_find() failed. */
int rp_fonts_family_installed(rp_fonts *f, const char *family)
{
    const family_fonts *ff = f && family && *family ? family_fonts_of(f, family) : NULL;
    return ff && ff->set->nfont > 0;
}

/* ---- queries ------------------------------------------------------------------------ */

static face *get_face(const rp_fonts *f, int i)
{
    return f && i >= 0 && (size_t)i < f->nfaces ? &f->faces[i] : NULL;
}

size_t rp_fonts_count(const rp_fonts *f)
{
    return f ? f->nfaces : 0;
}

const char *rp_fonts_path(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->path : NULL;
}

const char *rp_fonts_family(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->family : NULL;
}

int rp_fonts_bold(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->bold : 0;
}

int rp_fonts_italic(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->italic : 0;
}

int rp_fonts_advance(rp_fonts *f, int i, uint32_t cp)
{
    face *fc = get_face(f, i);
    return fc ? face_advance(fc, cp) : 0;
}

int rp_fonts_has_glyph(rp_fonts *f, int i, uint32_t cp)
{
    face *fc = get_face(f, i);
    return fc && cp <= 0xFFFF && (cell_get(fc, cp) & CELL_GLYPH) != 0;
}

int rp_fonts_ascent(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->ascent : 0;
}

int rp_fonts_descent(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->descent : 0;
}

int rp_fonts_cap_height(const rp_fonts *f, int i)
{
    const face *fc = get_face(f, i);
    return fc ? fc->cap_height : 0;
}

/* Sums the integer advances first and scales once, as HPDF_Page_TextWidth does. */
/* ---- kerning ------------------------------------------------------------------------ */

/* Kerning comes from the font's GPOS pair adjustments (or its old 'kern' table) through
 * HarfBuzz: a pair is shaped once, alone, with ligatures and contextual alternates off, and
 * its first advance compared with the glyph's own. libharu draws code points, not glyphs,
 * so only adjustments between two unchanged glyphs can be used; anything else counts 0.
 * Answers are kept in an open-addressed table per face. */

static int kernable(uint32_t c)
{
    return c > ' ' && c != 0xA0 && c != 0xAD && c <= 0xFFFF;
}

/* Shaping for kerning only: no ligatures or contextual alternates, which libharu could not
 * draw (it draws code points, not glyphs). */
static const hb_feature_t kern_features[] = {
    {HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
    {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
    {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1},
    {HB_TAG('r', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
};

/* The face's HarfBuzz font, made on first use. Its tables come through FreeType's face
 * (hb_ft_face_create, which copies each table HarfBuzz asks for when the face is read, not
 * mapped): the file is not mapped a second time, and the tables shaping reads (GPOS, GSUB,
 * GDEF, cmap, hmtx: about 96 KiB a face) cost less than the pages a mapping of them touched
 * (112 to 196 KiB). */
static int hb_ready(face *fc)
{
    if (fc->hb || fc->hb_failed)
        return fc->hb != NULL;
    if (!face_ft(fc))
        return 0;
    hb_face_t *hf = hb_ft_face_create_referenced(fc->ft);
    if (hb_face_get_glyph_count(hf) > 0) {
        fc->hb = hb_font_create(hf); /* font units: the scale defaults to upem */
        hb_font_set_scale(fc->hb, (int)fc->upem, (int)fc->upem);
    }
    hb_face_destroy(hf);
    fc->hb_failed = fc->hb == NULL;
    return fc->hb != NULL;
}

static int kern_compute(face *fc, hb_buffer_t *buf, uint32_t a, uint32_t b)
{
    if (!buf || !hb_ready(fc))
        return 0;
    hb_buffer_clear_contents(buf);
    const uint32_t pair[2] = {a, b};
    hb_buffer_add_utf32(buf, pair, 2, 0, 2);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(fc->hb, buf, kern_features, sizeof kern_features / sizeof kern_features[0]);
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    FT_UInt ga = FT_Get_Char_Index(fc->ft, a), gb = FT_Get_Char_Index(fc->ft, b);
    if (n != 2 || !ga || !gb || info[0].codepoint != ga || info[1].codepoint != gb ||
        pos[1].x_offset != 0 || pos[1].y_offset != 0)
        return 0;
    int k = (int)(pos[0].x_advance - hb_font_get_glyph_h_advance(fc->hb, ga));
    return k < INT16_MIN ? INT16_MIN : k > INT16_MAX ? INT16_MAX : k;
}

/* Slot of key in a table of cap (a power of two) slots: Fibonacci hashing. */
static size_t kern_hash(uint32_t key, size_t cap)
{
    return (size_t)(uint32_t)(key * 2654435761u) & (cap - 1);
}

/* Grow the pair table to twice its size (or 256 slots); 0 if out of memory. */
static int kern_grow(face *fc)
{
    size_t ncap = fc->kern_cap ? fc->kern_cap * 2 : 256;
    uint32_t *keys = calloc(ncap, sizeof *keys);
    int16_t *vals = calloc(ncap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return 0;
    }
    for (size_t i = 0; i < fc->kern_cap; i++) {
        if (!fc->kern_keys[i])
            continue;
        size_t j = kern_hash(fc->kern_keys[i], ncap);
        while (keys[j])
            j = (j + 1) & (ncap - 1);
        keys[j] = fc->kern_keys[i];
        vals[j] = fc->kern_values[i];
    }
    free(fc->kern_keys);
    free(fc->kern_values);
    fc->kern_keys = keys;
    fc->kern_values = vals;
    fc->kern_cap = ncap;
    return 1;
}

/* Kerning between a and b in font units (0 for pairs with a space or a missing glyph). */
/* The cached kerning of key (a << 16 | b), if known. */
/* Pairs of printable ASCII (most text) are kept in a table indexed directly. */
#define ASCII_FIRST 0x21
#define ASCII_N (0x7F - ASCII_FIRST)
#define KERN_UNKNOWN INT16_MIN

static int16_t *ascii_slot(const face *fc, uint32_t key)
{
    uint32_t a = (key >> 16) - ASCII_FIRST, b = (key & 0xFFFF) - ASCII_FIRST;
    return a < ASCII_N && b < ASCII_N && fc->ascii_kern ? &fc->ascii_kern[a * ASCII_N + b] : NULL;
}

static int is_ascii_pair(uint32_t key)
{
    return (key >> 16) - ASCII_FIRST < ASCII_N && (key & 0xFFFF) - ASCII_FIRST < ASCII_N;
}

static int kern_find(const face *fc, uint32_t key, int *k)
{
    const int16_t *slot = ascii_slot(fc, key);
    if (slot) {
        *k = *slot;
        return *slot != KERN_UNKNOWN;
    }
    if (!fc->kern_cap || is_ascii_pair(key))
        return 0;
    size_t j = kern_hash(key, fc->kern_cap);
    for (; fc->kern_keys[j]; j = (j + 1) & (fc->kern_cap - 1))
        if (fc->kern_keys[j] == key) {
            *k = fc->kern_values[j];
            return 1;
        }
    return 0;
}

/* Remember the kerning k of key (not yet known). */
static void kern_put(face *fc, uint32_t key, int k)
{
    k = k <= KERN_UNKNOWN ? KERN_UNKNOWN + 1 : k;
    if (is_ascii_pair(key)) {
        if (!fc->ascii_kern &&
            (fc->ascii_kern = malloc((size_t)ASCII_N * ASCII_N * sizeof(int16_t))))
            for (size_t i = 0; i < (size_t)ASCII_N * ASCII_N; i++)
                fc->ascii_kern[i] = KERN_UNKNOWN;
        int16_t *slot = ascii_slot(fc, key);
        if (slot)
            *slot = (int16_t)k;
        return;
    }
    if ((fc->kern_n + 1) * 10 > fc->kern_cap * 7 && !kern_grow(fc))
        return;
    size_t j = kern_hash(key, fc->kern_cap);
    while (fc->kern_keys[j])
        j = (j + 1) & (fc->kern_cap - 1);
    fc->kern_keys[j] = key;
    fc->kern_values[j] = (int16_t)k;
    fc->kern_n++;
}

/* ---- kerning kept between runs (cache.h) ----
 * A pair's kerning is a function of the font file alone (one pair shaped in isolation, the
 * same features), so the pairs a run shaped are kept and the next run of any document
 * reads them instead of opening HarfBuzz. Payload: KERN_METHOD, HarfBuzz's version (a
 * newer one may shape differently), the number of pairs, then each pair's key (u32) and
 * kerning in font units (u16, two's complement). */
#define KERN_METHOD "pairs 1"

static void kern_method(rp_bytes *b)
{
    rp_bytes_put(b, KERN_METHOD, sizeof KERN_METHOD);
    const char *v = hb_version_string();
    rp_bytes_put(b, v, strlen(v) + 1);
}

/* Read the pairs kept for fc's file into its tables (once per opening of the face). A
 * payload of another method or version, or a malformed one, is ignored whole. */
static void kern_load(face *fc)
{
    fc->kern_loaded = 1;
    size_t len = 0;
    unsigned char *data = rp_cache_load("kern", fc->path, &len);
    rp_bytes want = {0};
    kern_method(&want);
    rp_reader r = {data, len, 0, 0};
    const unsigned char *head = data ? rp_read_take(&r, want.n) : NULL;
    uint32_t n = rp_read_u32(&r);
    if (head && !want.bad && memcmp(head, want.p, want.n) == 0 && !r.bad &&
        (size_t)n * 6 == r.n - r.at)
        for (uint32_t i = 0; i < n; i++) {
            uint32_t key = rp_read_u32(&r);
            int k = (int16_t)rp_read_u16(&r);
            int old;
            if (kernable(key >> 16) && kernable(key & 0xFFFF) && !kern_find(fc, key, &old))
                kern_put(fc, key, k);
        }
    free(want.p);
    free(data);
}

/* Keep every pair fc knows, if this run shaped new ones. */
static void kern_keep(face *fc)
{
    if (!fc->kern_new || !fc->path)
        return;
    rp_bytes b = {0};
    kern_method(&b);
    size_t at = b.n;
    uint32_t n = 0;
    rp_bytes_u32(&b, 0); /* the count, set below */
    for (uint32_t a = 0; fc->ascii_kern && a < ASCII_N; a++)
        for (uint32_t c = 0; c < ASCII_N; c++) {
            int16_t k = fc->ascii_kern[a * ASCII_N + c];
            if (k != KERN_UNKNOWN) {
                rp_bytes_u32(&b, (a + ASCII_FIRST) << 16 | (c + ASCII_FIRST));
                rp_bytes_u16(&b, (uint16_t)k);
                n++;
            }
        }
    for (size_t i = 0; i < fc->kern_cap; i++)
        if (fc->kern_keys[i]) {
            rp_bytes_u32(&b, fc->kern_keys[i]);
            rp_bytes_u16(&b, (uint16_t)fc->kern_values[i]);
            n++;
        }
    if (!b.bad) {
        for (int i = 0; i < 4; i++)
            b.p[at + (size_t)i] = (unsigned char)(n >> (8 * i));
        rp_cache_store("kern", fc->path, b.p, b.n);
    }
    free(b.p);
    fc->kern_new = 0;
}

static int kern_get(face *fc, hb_buffer_t *buf, uint32_t a, uint32_t b)
{
    if (!kernable(a) || !kernable(b))
        return 0;
    uint32_t key = a << 16 | b; /* a >= 0x21, so never 0 */
    int k;
    if (kern_find(fc, key, &k))
        return k;
    if (!fc->kern_loaded) {
        kern_load(fc);
        if (kern_find(fc, key, &k))
            return k;
    }
    k = kern_compute(fc, buf, a, b);
    k = k <= KERN_UNKNOWN ? KERN_UNKNOWN + 1 : k;
    kern_put(fc, key, k);
    fc->kern_new++;
    return k;
}

double rp_fonts_kern(rp_fonts *f, int i, uint32_t a, uint32_t b)
{
    face *fc = get_face(f, i);
    if (!fc)
        return 0;
    if (!f->hb_buf)
        f->hb_buf = hb_buffer_create();
    return kern_get(fc, f->hb_buf, a, b) * 1000.0 / fc->upem;
}

double rp_fonts_width(rp_fonts *f, int i, double size, const char *s, size_t len)
{
    face *fc = get_face(f, i);
    long units = 0, kern = 0; /* font units of kerning */
    size_t n;
    uint32_t prev = 0;
    if (!fc)
        return 0;
    for (size_t k = 0; k < len; k += n) {
        uint32_t c = rp_utf8_next(s + k, len - k, &n);
        units += face_advance(fc, c);
        if (prev && kernable(prev) && kernable(c)) {
            int v;
            if (!kern_find(fc, prev << 16 | c, &v)) {
                if (!f->hb_buf)
                    f->hb_buf = hb_buffer_create();
                v = kern_get(fc, f->hb_buf, prev, c);
            }
            kern += v;
        }
        prev = c;
    }
    return ((double)units + (double)kern * 1000.0 / fc->upem) * size / 1000.0;
}
