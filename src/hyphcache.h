/* hyphcache: compiled hyphenation patterns kept between runs.
 *
 * libhyphen compiles a pattern file into a state machine each time it loads one: for the
 * English patterns about 37 million instructions, more than the rest of a build of the
 * article. The machine it builds (HyphenDict, declared in hyphen.h) is plain data, so it
 * is kept in a cache file after the first load and read back from it afterwards, as
 * fontconfig keeps its font lists. The file is only an accelerator: it is checked against
 * the pattern file it came from (path, size, modification time, inode) and against itself
 * (a checksum, and every state number and string bound libhyphen would follow), and any
 * doubt means the pattern file is compiled again.
 *
 * Where: $ROLEPRESS_CACHE_DIR if set (set but empty: no cache at all), else
 * $XDG_CACHE_HOME/rolepress, else $HOME/.cache/rolepress. */
#ifndef RP_HYPHCACHE_H
#define RP_HYPHCACHE_H

#include <hyphen.h>

/* The patterns of the pattern file at path as a cache file holds them, or NULL if there
 * is none that matches the file as it is now. Each level is one allocation: free with
 * rp_hyphcache_free, never hnj_hyphen_free. */
HyphenDict *rp_hyphcache_load(const char *path);
void rp_hyphcache_free(HyphenDict *d);

/* Keep d, just compiled from the pattern file at path, for the next runs. Failures (no
 * cache directory, a full disk) are silent: the next run compiles the file again. */
void rp_hyphcache_store(const char *path, const HyphenDict *d);

#endif
