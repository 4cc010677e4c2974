/* Unit tests of the cheat sheet's column balancing, against an exhaustive search over every
 * way of splitting small lists into columns. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "cheatsheet.h"

#define H 13.5 /* leading */
#define G 2.1  /* space between items */
#define TOL 1e-9
#define MAX_LINES 16
#define MAX_COLS 4

static rp_arena *arena;

static void setup(void)
{
    arena = rp_arena_new();
}

static void teardown(void)
{
    rp_arena_free(arena);
}

TestSuite(balance, .init = setup, .fini = teardown);

/* starts[] of a list whose items have the given line counts; returns the number of lines. */
static size_t make_list(const size_t *items, size_t nitems, unsigned char *starts)
{
    size_t n = 0;
    for (size_t i = 0; i < nitems; i++)
        for (size_t l = 0; l < items[i]; l++)
            starts[n++] = l == 0;
    return n;
}

/* Tallest and shortest column of a split, set as the sheet sets them: the space between two
 * items is dropped at the top of a column. */
static void extremes(const unsigned char *starts, size_t ncols, const size_t *brk, double *tallest,
                     double *shortest)
{
    *tallest = 0;
    *shortest = HUGE_VAL;
    for (size_t k = 0; k < ncols; k++) {
        double h = 0;
        for (size_t j = brk[k]; j < brk[k + 1]; j++)
            h += H + (starts[j] && j > brk[k] ? G : 0);
        *tallest = h > *tallest ? h : *tallest;
        *shortest = h < *shortest ? h : *shortest;
    }
}

/* What a split costs the reader: 0 when every column ends between items, 1 when one ends
 * inside an item but leaves two of its lines on each side, 2 when it leaves one alone. */
static int split_tier(const unsigned char *starts, size_t n, size_t ncols, const size_t *brk)
{
    int tier = 0;
    for (size_t k = 1; k < ncols; k++) {
        size_t b = brk[k];
        if (b == 0 || b >= n || starts[b])
            continue;
        size_t first = b, last = b;
        while (!starts[first])
            first--;
        while (last < n && (last == b || !starts[last]))
            last++;
        int t = b - first >= 2 && last - b >= 2 ? 1 : 2;
        tier = t > tier ? t : tier;
    }
    return tier;
}

/* The best split of each tier by exhaustive search: the least tallest column among splits
 * of that tier or better, then the tallest shortest column among those. */
typedef struct best {
    double tallest[3], shortest[3];
} best;

static void enumerate(const unsigned char *starts, size_t n, size_t ncols, size_t *brk, size_t k,
                      best *b)
{
    if (k == ncols) {
        double hi, lo;
        brk[ncols] = n;
        extremes(starts, ncols, brk, &hi, &lo);
        for (int t = split_tier(starts, n, ncols, brk); t <= 2; t++) {
            if (hi < b->tallest[t] - TOL || (hi < b->tallest[t] + TOL && lo > b->shortest[t])) {
                b->tallest[t] = hi;
                b->shortest[t] = lo;
            }
        }
        return;
    }
    /* a column may be empty only once the lines have run out */
    size_t from = brk[k - 1] == n ? n : brk[k - 1] + 1;
    for (size_t j = from; j <= n; j++) {
        brk[k] = j;
        enumerate(starts, n, ncols, brk, k + 1, b);
    }
}

/* Check rp_cheatsheet_balance on one list against the exhaustive search. */
static void check(const size_t *items, size_t nitems, size_t ncols)
{
    unsigned char starts[MAX_LINES];
    size_t n = make_list(items, nitems, starts);
    size_t brk[MAX_COLS + 1], all[MAX_COLS + 1] = {0};
    double got = rp_cheatsheet_balance(arena, starts, n, ncols, H, G, 1000, brk);

    cr_assert_eq(brk[0], 0);
    cr_assert_eq(brk[ncols], n);
    for (size_t k = 0; k < ncols; k++) {
        cr_assert_leq(brk[k], brk[k + 1]);
        cr_assert(brk[k] < brk[k + 1] || brk[k] == n, "an empty column before the lines end");
    }
    double hi, lo;
    extremes(starts, ncols, brk, &hi, &lo);
    cr_assert_float_eq(got, hi, TOL, "the height returned is the tallest column's");

    best b = {{HUGE_VAL, HUGE_VAL, HUGE_VAL}, {0, 0, 0}};
    all[0] = 0;
    enumerate(starts, n, ncols, all, 1, &b);
    int tier = split_tier(starts, n, ncols, brk);
    /* the kindest tier whose best split keeps the bottoms within one line is the one used */
    for (int t = 0; t < tier; t++)
        cr_assert_gt(b.tallest[t] - b.shortest[t], H + G + TOL,
                     "tier %d was balanced but tier %d was used (%zu lines, %zu columns)", t, tier,
                     n, ncols);
    /* and within it the split is the best: tallest as short, shortest as tall as can be */
    cr_assert_float_eq(hi, b.tallest[tier], TOL, "tallest column %g, best %g (%zu lines)", hi,
                       b.tallest[tier], n);
    cr_assert_float_eq(lo, b.shortest[tier], TOL, "shortest column %g, best %g (%zu lines)", lo,
                       b.shortest[tier], n);
    /* bottoms within one line: the promise made to the reader */
    cr_assert_leq(hi - lo, H + G + TOL, "bottoms %g apart (%zu lines, %zu columns)", hi - lo, n,
                  ncols);
    /* never more than a line taller than the tightest split of any kind */
    cr_assert_leq(hi, b.tallest[2] + H + G + TOL);
}

Test(balance, whole_items_when_they_balance)
{
    /* 2 + 2 | 2 + 2: breaks between items only */
    size_t items[] = {2, 2, 2, 2};
    unsigned char starts[8];
    size_t brk[3], n = make_list(items, 4, starts);
    rp_cheatsheet_balance(arena, starts, n, 2, H, G, 1000, brk);
    cr_assert_eq(brk[1], 4);
    check(items, 4, 2);
}

Test(balance, splits_an_item_keeping_two_lines_each_side)
{
    /* the article's strip: items of 3, 4, 3, 2 and 3 lines in three columns. Whole items
     * leave columns 3 lines apart; splitting the 4-line item 2 + 2 gives 5 | 5 | 5. */
    size_t items[] = {3, 4, 3, 2, 3};
    unsigned char starts[15];
    size_t brk[4], n = make_list(items, 5, starts);
    double h = rp_cheatsheet_balance(arena, starts, n, 3, H, G, 1000, brk);
    cr_assert_eq(brk[1], 5);
    cr_assert_eq(brk[2], 10);
    cr_assert_float_eq(h, 5 * H + G, TOL);
    check(items, 5, 3);
}

Test(balance, leaves_one_line_alone_only_when_needed)
{
    /* one item of two lines in two columns: 2 | 0 leaves the bottoms two lines apart and
     * no split keeps two lines on each side, so it is set 1 | 1 */
    size_t two[] = {2};
    unsigned char starts[3];
    size_t brk[3], n = make_list(two, 1, starts);
    rp_cheatsheet_balance(arena, starts, n, 2, H, G, 1000, brk);
    cr_assert_eq(brk[1], 1);
    /* one item of three lines: 2 | 1 (the fuller column first) */
    size_t three[] = {3};
    n = make_list(three, 1, starts);
    rp_cheatsheet_balance(arena, starts, n, 2, H, G, 1000, brk);
    cr_assert_eq(brk[1], 2);
    check(two, 1, 2);
    check(three, 1, 2);
}

Test(balance, more_columns_than_lines)
{
    size_t items[] = {1};
    check(items, 1, 3);
    size_t two[] = {1, 1};
    check(two, 2, 4);
}

Test(balance, too_tall_for_the_cap_is_shared_out_evenly)
{
    size_t items[] = {6, 6};
    unsigned char starts[12];
    size_t brk[3], n = make_list(items, 2, starts);
    double h = rp_cheatsheet_balance(arena, starts, n, 2, H, G, 3 * H, brk);
    cr_assert_eq(brk[1], 6);
    cr_assert_gt(h, 3 * H, "reported taller than the cap, so the trial overflows");
}

Test(balance, every_small_list_against_exhaustive_search)
{
    srand(20240611);
    for (int run = 0; run < 4000; run++) {
        size_t items[8], nitems = 1 + (size_t)rand() % 7, n = 0;
        for (size_t i = 0; i < nitems; i++) {
            items[i] = 1 + (size_t)rand() % 5;
            if (n + items[i] > MAX_LINES)
                items[i] = MAX_LINES - n;
            n += items[i];
            if (n == MAX_LINES) {
                nitems = i + 1;
                break;
            }
        }
        check(items, nitems, 2 + (size_t)rand() % 3);
    }
}
