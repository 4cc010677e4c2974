/* hyph: where words may be hyphenated, from TeX-style pattern dictionaries (libhyphen).
 *
 * The source's xml:lang picks the dictionary: "en-GB" looks for hyph_en_GB.dic, then
 * hyph_en.dic, in $ROLEPRESS_HYPHEN_DIR or else Debian's /usr/share/hyphen. A language
 * without a dictionary is an error for the caller to report, never a silent fallback.
 * This stage knows nothing of fonts or pages. */
#ifndef RP_HYPHEN_H
#define RP_HYPHEN_H

#include <stddef.h>

typedef struct rp_hyph rp_hyph;

#define RP_HYPH_LEFT_MIN 2  /* letters kept before a hyphen */
#define RP_HYPH_RIGHT_MIN 3 /* letters carried to the next line */

/* Open the dictionary for language tag lang. On failure returns NULL and writes a
 * one-line reason into why (e.g. the files looked for). */
rp_hyph *rp_hyph_open(const char *lang, char *why, size_t whylen);
void rp_hyph_free(rp_hyph *h);
/* Frees the loaded patterns and the words already hyphenated, keeping the path and any
 * failure to load; the next word loads the patterns again. For when no more words will be
 * hyphenated. */
void rp_hyph_release(rp_hyph *h);
/* The dictionary file in use. */
const char *rp_hyph_path(const rp_hyph *h);
/* Nonzero if the dictionary, loaded on first use, could not be read (no word was then
 * hyphenated; the caller reports it). */
int rp_hyph_failed(const rp_hyph *h);
/* Start loading the dictionary on a thread of its own, for a caller about to lay out text
 * that may need it: loading takes milliseconds, which other work can hide. The first word
 * hyphenated waits for it; nothing else touches h meanwhile but rp_hyph_points and
 * rp_hyph_free, which join the thread. If no thread can be started, the dictionary loads
 * on first use as without this call. */
void rp_hyph_preload(rp_hyph *h);

/* Hyphenation points of one word (UTF-8, letters only, len bytes): writes into at[] the
 * byte offsets, in increasing order, before which a hyphen may break the word, at most
 * max of them, and returns how many. Words that are too short, too long or in capitals
 * (after the first letter) get none. */
size_t rp_hyph_points(rp_hyph *h, const char *word, size_t len, size_t *at, size_t max);

#endif
