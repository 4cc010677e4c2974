/* diag: the one place diagnostics are formatted and counted.
 *
 * Every message of the program goes through rp_diag() and comes out on stderr in GCC form:
 *   FILE:LINE:COL: error: message      (line/col omitted when unknown, i.e. <= 0)
 * The exit status of a run is derived from the worst level seen. */
#ifndef RP_DIAG_H
#define RP_DIAG_H

typedef enum { RP_NOTE, RP_WARNING, RP_ERROR } rp_level;

#if defined(__GNUC__)
#define RP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RP_PRINTF(a, b)
#endif

/* Report one message. file may be NULL (then "rolepress" is printed), line/col <= 0 are
 * left out. The message must not end in a newline. */
void rp_diag(rp_level level, const char *file, long line, long col, const char *fmt, ...)
    RP_PRINTF(5, 6);

/* Number of errors / warnings reported since the last rp_diag_reset(). */
int rp_diag_errors(void);
int rp_diag_warnings(void);
void rp_diag_reset(void);

/* Silence output (counting goes on); used by fuzz targets and unit tests. */
void rp_diag_set_quiet(int quiet);

/* While set, warnings are neither printed nor counted (layout trials that are thrown away). */
void rp_diag_mute_warnings(int mute);
int rp_diag_muted(void);

/* While on, a warning reported before (the same file, line, column and text) is neither
 * printed nor counted again: for a layout done again from the start, which reports only
 * what the first one did not reach. */
void rp_diag_skip_repeats(int on);

/* Treat every later warning as an error (printed as "error: ... [--werror]"). */
void rp_diag_set_werror(int on);

/* While on, messages are counted as usual but kept instead of printed; turning it off
 * keeps them until rp_diag_release(). Lets a caller print the messages of a later step
 * before those of an earlier one (main: the style's, whose fonts are resolved once the
 * source has been read, before the source's). */
void rp_diag_hold(int on);
/* Print the kept messages (if print is set) and forget them. */
void rp_diag_release(int print);

/* Record that an input file could not be read (the run then ends with status 3, an I/O
 * error, rather than 1, an invalid input). */
void rp_diag_io_failure(void);
int rp_diag_io_failed(void);

#endif
