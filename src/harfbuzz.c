/* harfbuzz: HarfBuzz is opened when rolepress first needs it (kerning in fonts.c, font
 * subsets in subset.c), not when the program starts.
 *
 * libharfbuzz-subset, libharfbuzz and the libraries they bring along (GLib, Graphite, PCRE2)
 * are 5 of the 24 shared libraries the program would load, and loading them cost 0.3 ms of
 * every start: of `validate`'s 5 ms, and of any run that stops at an invalid input, which
 * never shape nor subset anything. So the program is not linked with them: the HarfBuzz
 * functions fonts.c and subset.c call are defined here, under HarfBuzz's own names and
 * with its own prototypes (from its headers, so the compiler checks each against them), and
 * each calls the library's function of that name, looked up on its first call. A function
 * used elsewhere must be added here (the link fails until it is).
 *
 * Only the main thread uses HarfBuzz, so the lookups need no lock. If the library cannot be
 * loaded, the program stops with exit status 3, as it stops when memory runs out: it could
 * not have started before, and cannot go on without it. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "diag.h"

/* The library's soname: libharfbuzz-subset depends on libharfbuzz, so both are loaded and
 * every function below is found through the one handle. */
#define HB_LIBRARY "libharfbuzz-subset.so.0"

/* dlsym() returns a function as a data pointer; POSIX guarantees the two are alike. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *), "function and data pointers differ");

/* Stores the library's function called name into *fn, a function pointer (copying the
 * bytes of dlsym()'s answer, as POSIX advises). */
static void find(void *fn, const char *name)
{
    static void *library;
    void *sym = NULL;
    if (!library)
        library = dlopen(HB_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (library)
        sym = dlsym(library, name);
    if (!sym) {
        rp_diag(RP_ERROR, NULL, 0, 0, "cannot use HarfBuzz: %s", dlerror());
        exit(3);
    }
    memcpy(fn, &sym, sizeof sym);
}

/* Declares `real`, the library's function `name`, found on the first call. */
#define REAL(name)                                                                                 \
    static __typeof__(name) *real;                                                                 \
    if (!real)                                                                                     \
    find(&real, #name)

/* ---- blobs, faces, fonts ------------------------------------------------------------------ */

hb_blob_t *hb_blob_create_from_file(const char *file_name)
{
    REAL(hb_blob_create_from_file);
    return real(file_name);
}

hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name)
{
    REAL(hb_blob_create_from_file_or_fail);
    return real(file_name);
}

void hb_blob_destroy(hb_blob_t *blob)
{
    REAL(hb_blob_destroy);
    real(blob);
}

const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length)
{
    REAL(hb_blob_get_data);
    return real(blob, length);
}

unsigned int hb_blob_get_length(hb_blob_t *blob)
{
    REAL(hb_blob_get_length);
    return real(blob);
}

hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index)
{
    REAL(hb_face_create);
    return real(blob, index);
}

void hb_face_destroy(hb_face_t *face)
{
    REAL(hb_face_destroy);
    real(face);
}

unsigned int hb_face_get_glyph_count(const hb_face_t *face)
{
    REAL(hb_face_get_glyph_count);
    return real(face);
}

unsigned int hb_face_get_table_tags(const hb_face_t *face, unsigned int start_offset,
                                    unsigned int *table_count, hb_tag_t *table_tags)
{
    REAL(hb_face_get_table_tags);
    return real(face, start_offset, table_count, table_tags);
}

void hb_face_collect_unicodes(hb_face_t *face, hb_set_t *out)
{
    REAL(hb_face_collect_unicodes);
    real(face, out);
}

hb_blob_t *hb_face_reference_blob(hb_face_t *face)
{
    REAL(hb_face_reference_blob);
    return real(face);
}

hb_font_t *hb_font_create(hb_face_t *face)
{
    REAL(hb_font_create);
    return real(face);
}

void hb_font_destroy(hb_font_t *font)
{
    REAL(hb_font_destroy);
    real(font);
}

void hb_font_set_scale(hb_font_t *font, int x_scale, int y_scale)
{
    REAL(hb_font_set_scale);
    real(font, x_scale, y_scale);
}

hb_position_t hb_font_get_glyph_h_advance(hb_font_t *font, hb_codepoint_t glyph)
{
    REAL(hb_font_get_glyph_h_advance);
    return real(font, glyph);
}

hb_bool_t hb_font_get_nominal_glyph(hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph)
{
    REAL(hb_font_get_nominal_glyph);
    return real(font, unicode, glyph);
}

/* ---- shaping ------------------------------------------------------------------------------ */

hb_buffer_t *hb_buffer_create(void)
{
    REAL(hb_buffer_create);
    return real();
}

void hb_buffer_destroy(hb_buffer_t *buffer)
{
    REAL(hb_buffer_destroy);
    real(buffer);
}

void hb_buffer_clear_contents(hb_buffer_t *buffer)
{
    REAL(hb_buffer_clear_contents);
    real(buffer);
}

void hb_buffer_add_utf32(hb_buffer_t *buffer, const uint32_t *text, int text_length,
                         unsigned int item_offset, int item_length)
{
    REAL(hb_buffer_add_utf32);
    real(buffer, text, text_length, item_offset, item_length);
}

void hb_buffer_set_direction(hb_buffer_t *buffer, hb_direction_t direction)
{
    REAL(hb_buffer_set_direction);
    real(buffer, direction);
}

void hb_buffer_guess_segment_properties(hb_buffer_t *buffer)
{
    REAL(hb_buffer_guess_segment_properties);
    real(buffer);
}

hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length)
{
    REAL(hb_buffer_get_glyph_infos);
    return real(buffer, length);
}

hb_glyph_position_t *hb_buffer_get_glyph_positions(hb_buffer_t *buffer, unsigned int *length)
{
    REAL(hb_buffer_get_glyph_positions);
    return real(buffer, length);
}

void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features,
              unsigned int num_features)
{
    REAL(hb_shape);
    real(font, buffer, features, num_features);
}

/* ---- sets ------------------------------------------------------------------------------- */

hb_set_t *hb_set_create(void)
{
    REAL(hb_set_create);
    return real();
}

void hb_set_destroy(hb_set_t *set)
{
    REAL(hb_set_destroy);
    real(set);
}

hb_bool_t hb_set_allocation_successful(const hb_set_t *set)
{
    REAL(hb_set_allocation_successful);
    return real(set);
}

void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint)
{
    REAL(hb_set_add);
    real(set, codepoint);
}

hb_bool_t hb_set_is_empty(const hb_set_t *set)
{
    REAL(hb_set_is_empty);
    return real(set);
}

hb_codepoint_t hb_set_get_min(const hb_set_t *set)
{
    REAL(hb_set_get_min);
    return real(set);
}

hb_codepoint_t hb_set_get_max(const hb_set_t *set)
{
    REAL(hb_set_get_max);
    return real(set);
}

hb_bool_t hb_set_next(const hb_set_t *set, hb_codepoint_t *codepoint)
{
    REAL(hb_set_next);
    return real(set, codepoint);
}

/* ---- subsetting (libharfbuzz-subset) ----------------------------------------------------- */

hb_subset_input_t *hb_subset_input_create_or_fail(void)
{
    REAL(hb_subset_input_create_or_fail);
    return real();
}

void hb_subset_input_destroy(hb_subset_input_t *input)
{
    REAL(hb_subset_input_destroy);
    real(input);
}

hb_set_t *hb_subset_input_set(hb_subset_input_t *input, hb_subset_sets_t set_type)
{
    REAL(hb_subset_input_set);
    return real(input, set_type);
}

hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input)
{
    REAL(hb_subset_input_unicode_set);
    return real(input);
}

void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value)
{
    REAL(hb_subset_input_set_flags);
    real(input, value);
}

hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input)
{
    REAL(hb_subset_or_fail);
    return real(source, input);
}
