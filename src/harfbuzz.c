/* harfbuzz: HarfBuzz is opened when rolepress first needs it (kerning in fonts.c, font
 * subsets in subset.c), not when the program starts.
 *
 * libharfbuzz-subset, libharfbuzz and the libraries they bring along (GLib, Graphite, PCRE2)
 * are 5 of the 24 shared libraries the program would load, and loading them cost 0.3 ms of
 * every start: of `validate`'s 5 ms, and of any run that stops at an invalid input, which
 * never shape nor subset anything. So the program is not linked with them: the HarfBuzz
 * functions fonts.c and subset.c call are defined here, under HarfBuzz's own names and
 * with its own prototypes (from its headers, so the compiler checks each against them), and
 * each calls the library's function of that name. A function used elsewhere must be added
 * here and to HB_FUNCTIONS (the link fails until it is).
 *
 * The library is opened and all its functions looked up once, on the first call to any of
 * them, under pthread_once(): the PDF writer's thread (subsets) and the layout (kerning)
 * may both be first. If the library cannot be loaded, the program stops with exit status 3,
 * as it stops when memory runs out: it could not have started before, and cannot go on
 * without it. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <hb-ft.h>
#include <hb-subset.h>
#include <hb.h>

#include "diag.h"

/* The library's soname: libharfbuzz-subset depends on libharfbuzz, so both are loaded and
 * every function below is found through the one handle. */
#define HB_LIBRARY "libharfbuzz-subset.so.0"

/* The functions defined below, each forwarded to the library's. */
#define HB_FUNCTIONS(X)                                                                            \
    X(hb_version_string)                                                                           \
    X(hb_blob_create_from_file_or_fail)                                                            \
    X(hb_blob_destroy)                                                                             \
    X(hb_blob_get_data)                                                                            \
    X(hb_blob_get_length)                                                                          \
    X(hb_ft_face_create_referenced)                                                                \
    X(hb_face_create)                                                                              \
    X(hb_face_destroy)                                                                             \
    X(hb_face_get_empty)                                                                           \
    X(hb_face_get_glyph_count)                                                                     \
    X(hb_face_get_table_tags)                                                                      \
    X(hb_face_collect_unicodes)                                                                    \
    X(hb_face_reference_blob)                                                                      \
    X(hb_font_create)                                                                              \
    X(hb_font_destroy)                                                                             \
    X(hb_font_set_scale)                                                                           \
    X(hb_font_get_glyph_h_advance)                                                                 \
    X(hb_font_get_nominal_glyph)                                                                   \
    X(hb_buffer_create)                                                                            \
    X(hb_buffer_destroy)                                                                           \
    X(hb_buffer_clear_contents)                                                                    \
    X(hb_buffer_add_utf32)                                                                         \
    X(hb_buffer_set_direction)                                                                     \
    X(hb_buffer_guess_segment_properties)                                                          \
    X(hb_buffer_get_glyph_infos)                                                                   \
    X(hb_buffer_get_glyph_positions)                                                               \
    X(hb_shape)                                                                                    \
    X(hb_set_create)                                                                               \
    X(hb_set_destroy)                                                                              \
    X(hb_set_allocation_successful)                                                                \
    X(hb_set_add)                                                                                  \
    X(hb_set_next)                                                                                 \
    X(hb_subset_input_create_or_fail)                                                              \
    X(hb_subset_input_destroy)                                                                     \
    X(hb_subset_input_set)                                                                         \
    X(hb_subset_input_unicode_set)                                                                 \
    X(hb_subset_input_set_flags)                                                                   \
    X(hb_subset_or_fail)

/* The library's functions, set once by load(): each member is named as its function and
 * points to the library's (the declarator is parenthesized, as macro arguments are). */
#define HB_MEMBER(name) __typeof__(name) *(name);
static struct {
    HB_FUNCTIONS(HB_MEMBER)
} hb;
static pthread_once_t hb_once = PTHREAD_ONCE_INIT;

/* dlsym() returns a function as a data pointer; POSIX guarantees the two are alike. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *), "function and data pointers differ");

/* Stores the library's function called name into *fn, a function pointer (copying the
 * bytes of dlsym()'s answer, as POSIX advises); stops the program if there is none. */
static void find(void *library, void *fn, const char *name)
{
    void *sym = library ? dlsym(library, name) : NULL;
    if (!sym) {
        rp_diag(RP_ERROR, NULL, 0, 0, "cannot use HarfBuzz: %s", dlerror());
        exit(3);
    }
    memcpy(fn, &sym, sizeof sym);
}

static void load(void)
{
    void *library = dlopen(HB_LIBRARY, RTLD_NOW | RTLD_LOCAL);
#define HB_FIND(name) find(library, &hb.name, #name);
    HB_FUNCTIONS(HB_FIND)
}

/* The library's function `name`, loaded on the first call to any of them. */
#define REAL(name) (pthread_once(&hb_once, load), hb.name)

const char *hb_version_string(void)
{
    return REAL(hb_version_string)();
}

/* ---- blobs, faces, fonts ------------------------------------------------------------------ */

hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name)
{
    return REAL(hb_blob_create_from_file_or_fail)(file_name);
}

void hb_blob_destroy(hb_blob_t *blob)
{
    REAL(hb_blob_destroy)(blob);
}

const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length)
{
    return REAL(hb_blob_get_data)(blob, length);
}

unsigned int hb_blob_get_length(hb_blob_t *blob)
{
    return REAL(hb_blob_get_length)(blob);
}

hb_face_t *hb_ft_face_create_referenced(FT_Face ft_face)
{
    return REAL(hb_ft_face_create_referenced)(ft_face);
}

hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index)
{
    return REAL(hb_face_create)(blob, index);
}

void hb_face_destroy(hb_face_t *face)
{
    REAL(hb_face_destroy)(face);
}

hb_face_t *hb_face_get_empty(void)
{
    return REAL(hb_face_get_empty)();
}

unsigned int hb_face_get_glyph_count(const hb_face_t *face)
{
    return REAL(hb_face_get_glyph_count)(face);
}

unsigned int hb_face_get_table_tags(const hb_face_t *face, unsigned int start_offset,
                                    unsigned int *table_count, hb_tag_t *table_tags)
{
    return REAL(hb_face_get_table_tags)(face, start_offset, table_count, table_tags);
}

void hb_face_collect_unicodes(hb_face_t *face, hb_set_t *out)
{
    REAL(hb_face_collect_unicodes)(face, out);
}

hb_blob_t *hb_face_reference_blob(hb_face_t *face)
{
    return REAL(hb_face_reference_blob)(face);
}

hb_font_t *hb_font_create(hb_face_t *face)
{
    return REAL(hb_font_create)(face);
}

void hb_font_destroy(hb_font_t *font)
{
    REAL(hb_font_destroy)(font);
}

void hb_font_set_scale(hb_font_t *font, int x_scale, int y_scale)
{
    REAL(hb_font_set_scale)(font, x_scale, y_scale);
}

hb_position_t hb_font_get_glyph_h_advance(hb_font_t *font, hb_codepoint_t glyph)
{
    return REAL(hb_font_get_glyph_h_advance)(font, glyph);
}

hb_bool_t hb_font_get_nominal_glyph(hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph)
{
    return REAL(hb_font_get_nominal_glyph)(font, unicode, glyph);
}

/* ---- shaping ------------------------------------------------------------------------------ */

hb_buffer_t *hb_buffer_create(void)
{
    return REAL(hb_buffer_create)();
}

void hb_buffer_destroy(hb_buffer_t *buffer)
{
    REAL(hb_buffer_destroy)(buffer);
}

void hb_buffer_clear_contents(hb_buffer_t *buffer)
{
    REAL(hb_buffer_clear_contents)(buffer);
}

void hb_buffer_add_utf32(hb_buffer_t *buffer, const uint32_t *text, int text_length,
                         unsigned int item_offset, int item_length)
{
    REAL(hb_buffer_add_utf32)(buffer, text, text_length, item_offset, item_length);
}

void hb_buffer_set_direction(hb_buffer_t *buffer, hb_direction_t direction)
{
    REAL(hb_buffer_set_direction)(buffer, direction);
}

void hb_buffer_guess_segment_properties(hb_buffer_t *buffer)
{
    REAL(hb_buffer_guess_segment_properties)(buffer);
}

hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length)
{
    return REAL(hb_buffer_get_glyph_infos)(buffer, length);
}

hb_glyph_position_t *hb_buffer_get_glyph_positions(hb_buffer_t *buffer, unsigned int *length)
{
    return REAL(hb_buffer_get_glyph_positions)(buffer, length);
}

void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features,
              unsigned int num_features)
{
    REAL(hb_shape)(font, buffer, features, num_features);
}

/* ---- sets ------------------------------------------------------------------------------- */

hb_set_t *hb_set_create(void)
{
    return REAL(hb_set_create)();
}

void hb_set_destroy(hb_set_t *set)
{
    REAL(hb_set_destroy)(set);
}

hb_bool_t hb_set_allocation_successful(const hb_set_t *set)
{
    return REAL(hb_set_allocation_successful)(set);
}

void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint)
{
    REAL(hb_set_add)(set, codepoint);
}

hb_bool_t hb_set_next(const hb_set_t *set, hb_codepoint_t *codepoint)
{
    return REAL(hb_set_next)(set, codepoint);
}

/* ---- subsetting (libharfbuzz-subset) ----------------------------------------------------- */

hb_subset_input_t *hb_subset_input_create_or_fail(void)
{
    return REAL(hb_subset_input_create_or_fail)();
}

void hb_subset_input_destroy(hb_subset_input_t *input)
{
    REAL(hb_subset_input_destroy)(input);
}

hb_set_t *hb_subset_input_set(hb_subset_input_t *input, hb_subset_sets_t set_type)
{
    return REAL(hb_subset_input_set)(input, set_type);
}

hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input)
{
    return REAL(hb_subset_input_unicode_set)(input);
}

void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value)
{
    REAL(hb_subset_input_set_flags)(input, value);
}

hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input)
{
    return REAL(hb_subset_or_fail)(source, input);
}
