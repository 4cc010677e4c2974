/* diag: formatting and counting of every message the program prints. A message is
 * printed and counted under stderr's lock, so the PDF writer's thread (main.c) and the
 * layout cannot interleave or lose one. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int n_errors, n_warnings, quiet, mute_warnings, io_failed, werror;

/* Messages kept by rp_diag_hold(), written to memory until rp_diag_release(). */
static FILE *held;
static char *held_text;
static size_t held_len;
static int holding;

static const char *const level_names[] = {"note", "warning", "error"};

void rp_diag(rp_level level, const char *file, long line, long col, const char *fmt, ...)
{
    if (level == RP_WARNING && mute_warnings)
        return;
    int promoted = level == RP_WARNING && werror;
    if (promoted)
        level = RP_ERROR;
    flockfile(stderr);
    if (level == RP_ERROR)
        n_errors++;
    else if (level == RP_WARNING)
        n_warnings++;
    if (quiet) {
        funlockfile(stderr);
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
    fprintf(out, ": %s: ", level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputs(promoted ? " [--werror]\n" : "\n", out);
    funlockfile(stderr);
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
