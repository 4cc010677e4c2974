/* diag: formatting and counting of every message the program prints. A message is
 * printed and counted under stderr's lock, so the PDF writer's thread (main.c) and the
 * layout cannot interleave or lose one. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static int n_errors, n_warnings, quiet, mute_warnings, io_failed, werror;

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
    if (!file)
        fputs("rolepress", stderr);
    else if (line > 0 && col > 0)
        fprintf(stderr, "%s:%ld:%ld", file, line, col);
    else if (line > 0)
        fprintf(stderr, "%s:%ld", file, line);
    else
        fputs(file, stderr);
    fprintf(stderr, ": %s: ", level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(promoted ? " [--werror]\n" : "\n", stderr);
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
