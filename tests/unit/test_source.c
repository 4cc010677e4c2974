/* Unit tests of source loading: the model built from valid files and refusals of bad ones. */
#include <criterion/criterion.h>
#include <string.h>

#include "diag.h"
#include "source.h"

static rp_arena *arena;

static void setup(void)
{
    arena = rp_arena_new();
    rp_diag_reset();
    rp_diag_set_quiet(1);
}

static void teardown(void)
{
    rp_arena_free(arena);
    rp_diag_set_quiet(0);
}

TestSuite(source, .init = setup, .fini = teardown);

static rp_article *load_str(const char *xml)
{
    return rp_source_load_mem("test.xml", xml, strlen(xml), arena);
}

Test(source, minimal_article_model)
{
    rp_article *a = rp_source_load("tests/data/minimal.xml", arena);
    cr_assert_not_null(a);
    cr_assert_str_eq(a->title, "Writer and Editor");
    cr_assert_eq(a->nroles, 2);
    cr_assert_str_eq(a->roles[1].id, "editor");
    cr_assert_str_eq(a->roles[0].short_name, "Writer");
    cr_assert_float_eq(a->roles[0].horizon_pos, 0.3, 1e-9);
    cr_assert_eq(a->nsections, 1);
    cr_assert_eq(a->sections[0].nblocks, 1);
    cr_assert_eq(a->sections[0].blocks[0].kind, RP_BLOCK_PARA);
    cr_assert_gt(a->sections[0].line, 0);
}

Test(source, article_paths_and_organisations)
{
    rp_article *a = rp_source_load("source/article.xml", arena);
    cr_assert_not_null(a);
    size_t orgs = 0;
    for (size_t r = 0; r < a->nroles; r++) {
        cr_assert_geq(a->roles[r].nresponsibilities, 6);
        cr_assert_leq(a->roles[r].nresponsibilities, 8);
        cr_assert_geq(a->roles[r].nskills, 6);
        cr_assert_leq(a->roles[r].nskills, 8);
        for (size_t p = 0; p < a->roles[r].npaths; p++)
            orgs += a->roles[r].paths[p].norgs;
    }
    cr_assert_eq(orgs, 4);
}

Test(source, inline_spans_keep_word_boundaries)
{
    rp_article *a = rp_source_load("tests/data/three-roles.xml", arena);
    cr_assert_not_null(a);
    /* every span boundary that had white space keeps exactly one space */
    for (size_t s = 0; s < a->nsections; s++)
        for (size_t b = 0; b < a->sections[s].nblocks; b++) {
            const rp_inline *in = &a->sections[s].blocks[b].text;
            for (size_t i = 0; i < in->nspans; i++) {
                cr_assert_neq(in->spans[i].text[0], '\0');
                cr_assert(strstr(in->spans[i].text, "  ") == NULL);
            }
        }
}

Test(source, refuses_doctype)
{
    cr_assert_null(load_str("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"));
    cr_assert_gt(rp_diag_errors(), 0);
}

Test(source, refuses_empty_and_nul)
{
    cr_assert_null(rp_source_load_mem("e.xml", "", 0, arena));
    cr_assert_null(rp_source_load_mem("n.xml", "<a>\0</a>", 8, arena));
    cr_assert_eq(rp_diag_errors(), 2);
}

Test(source, refuses_schema_violation)
{
    cr_assert_null(load_str("<article xmlns=\"urn:rolepress:article:1\"/>"));
    cr_assert_gt(rp_diag_errors(), 0);
}
