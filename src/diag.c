/* diag: formatting and counting of every message the program prints. A message is
 * printed and counted under stderr's lock, so the PDF writer's thread (main.c) and the
 * layout cannot interleave or lose one. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int n_errors, n_warnings, quiet, mute_warnings, io_failed, werror;

/* Messages kept by rp_diag_hold(), written to memory until rp_diag_release(). */
static FILE *held;
static char *held_text;
static size_t held_len;
static int holding;

static const char *const level_names[] = {"note", "warning", "error"};

/* The warnings reported so far, as hashes of their place and text (a set, at most half
 * full), so that a layout done again reports only what it finds anew. */
static uint64_t *seen;
static size_t nseen, seen_cap;
static int skip_repeats;

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u; /* FNV-1a */
    return h;
}

/* Whether the warning with hash h was reported before; notes it if not (under the lock). */
static int seen_before(uint64_t h)
{
    h |= 1; /* 0 marks a free slot */
    if (2 * (nseen + 1) > seen_cap) {
        size_t cap = seen_cap ? seen_cap * 2 : 64;
        uint64_t *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return 0; /* without memory, a repeat is printed again */
        for (size_t i = 0; i < seen_cap; i++)
            for (size_t k = seen[i] % cap; seen[i]; k = (k + 1) % cap)
                if (!grown[k]) {
                    grown[k] = seen[i];
                    break;
                }
        free(seen);
        seen = grown;
        seen_cap = cap;
    }
    size_t k = h % seen_cap;
    while (seen[k] && seen[k] != h)
        k = (k + 1) % seen_cap;
    if (seen[k])
        return 1;
    seen[k] = h;
    nseen++;
    return 0;
}

void rp_diag(rp_level level, const char *file, long line, long col, const char *fmt, ...)
{
    if (level == RP_WARNING && mute_warnings)
        return;
    char buf[1024];
    char *text = buf, *big = NULL;
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf) /* without memory for all of it, the message is cut */
        big = malloc((size_t)n + 1);
    if (big) {
        vsnprintf(big, (size_t)n + 1, fmt, again);
        text = big;
    }
    va_end(again);
    flockfile(stderr);
    if (level == RP_WARNING) {
        char where[48];
        snprintf(where, sizeof where, ":%ld:%ld:", line, col);
        int repeat =
            seen_before(hash_str(hash_str(14695981039346656037u, file), where) ^ hash_str(0, text));
        if (repeat && skip_repeats) {
            funlockfile(stderr);
            free(big);
            return;
        }
    }
    int promoted = level == RP_WARNING && werror;
    if (promoted)
        level = RP_ERROR;
    if (level == RP_ERROR)
        n_errors++;
    else if (level == RP_WARNING)
        n_warnings++;
    if (quiet) {
        funlockfile(stderr);
        free(big);
        return;
    }
    FILE *out = holding ? held : stderr;
    if (!file)
        fputs("rolepress", out);
    else if (line > 0 && col > 0)
        fprintf(out, "%s:%ld:%ld", file, line, col);
    else if (line > 0)
        fprintf(out, "%s:%ld", file, line);
    else
        fputs(file, out);
    fprintf(out, ": %s: %s", level_names[level], text);
    fputs(promoted ? " [--werror]\n" : "\n", out);
    funlockfile(stderr);
    free(big);
}

void rp_diag_hold(int on)
{
    flockfile(stderr);
    if (on && !held) /* without memory for it, messages are printed at once */
        held = open_memstream(&held_text, &held_len);
    holding = on && held;
    funlockfile(stderr);
}

void rp_diag_release(int print)
{
    flockfile(stderr);
    holding = 0;
    if (held) {
        if (fclose(held) == 0 && print)
            fwrite(held_text, 1, held_len, stderr);
        free(held_text);
        held = NULL;
        held_text = NULL;
        held_len = 0;
    }
    funlockfile(stderr);
}

int rp_diag_errors(void)
{
    flockfile(stderr);
    int n = n_errors;
    funlockfile(stderr);
    return n;
}

int rp_diag_warnings(void)
{
    return n_warnings;
}

void rp_diag_reset(void)
{
    n_errors = n_warnings = io_failed = 0;
    free(seen);
    seen = NULL;
    nseen = seen_cap = 0;
}

void rp_diag_skip_repeats(int on)
{
    skip_repeats = on;
}

void rp_diag_set_quiet(int q)
{
    quiet = q;
}

void rp_diag_mute_warnings(int mute)
{
    mute_warnings = mute;
}

int rp_diag_muted(void)
{
    return mute_warnings;
}

void rp_diag_io_failure(void)
{
    io_failed = 1;
}

int rp_diag_io_failed(void)
{
    return io_failed;
}

void rp_diag_set_werror(int on)
{
    werror = on;
}
