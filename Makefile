# rolepress — build, outputs, tests and gates.
# `make` builds build/rolepress and writes out/guide.pdf and out/cheatsheet.pdf.
# pkg-config is expanded lazily (=) so `make deps all` works on a machine without it.

CC       ?= cc
BUILD    := build
PKGS     := libxml-2.0 fontconfig freetype2 harfbuzz harfbuzz-subset
VERSION  := 0.1.0
DATADIR  ?= $(CURDIR)

CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Werror -pedantic
OPT      ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# HarfBuzz is not linked: src/harfbuzz.c opens it when it is first used
PKG_LIBS   = $(shell pkg-config --libs $(filter-out harfbuzz%,$(PKGS)))
CFLAGS   += $(CSTD) $(WARN) $(OPT) -pthread $(PKG_CFLAGS) -MMD -MP \
            -DRP_VERSION='"$(VERSION)"' -DRP_DATADIR='"$(DATADIR)"'
LDLIBS   += $(PKG_LIBS) -lhpdf -lhyphen -ldeflate -lm -pthread -ldl

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/schemas.o
BIN      := $(BUILD)/rolepress

SOURCE   := source/article.xml
STYLE    := styles/default.xml
OUT      := out

.PHONY: all deps test unit e2e check format format-check lint clean previews install \
        uninstall check-sanitize check-thread check-locale valgrind fuzz fuzz-run typo-report bench
all: $(BIN) $(OUT)/guide.pdf $(OUT)/cheatsheet.pdf

$(BUILD)/obj $(BUILD)/tools $(BUILD)/gen:
	@mkdir -p $@

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

# The schemas are compiled into the binary so validation never depends on run-time paths.
$(BUILD)/tools/embed: src/tools/embed.c | $(BUILD)/tools
	$(CC) $(CSTD) $(WARN) -O1 $< -o $@

$(BUILD)/gen/schemas.c: $(BUILD)/tools/embed source/article.rng styles/style.rng | $(BUILD)/gen
	{ $(BUILD)/tools/embed rp_schema_article source/article.rng && \
	  $(BUILD)/tools/embed rp_schema_style styles/style.rng; } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/schemas.o: $(BUILD)/gen/schemas.c | $(BUILD)/obj
	$(CC) $(CSTD) -O1 -c $< -o $@

$(BUILD)/librolepress.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/librolepress.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# One run writes both PDFs (a grouped target: deleting either one remakes both); they
# depend on the binary, the source and the style.
# rolepress itself lists what else they depend on (the style chain, the font files) in
# a dependency file, as gcc -MD does.
$(OUT)/guide.pdf $(OUT)/cheatsheet.pdf &: $(BIN) $(SOURCE) $(STYLE)
	$(BIN) build $(SOURCE) --style $(STYLE) --out-dir $(OUT) --depfile $(BUILD)/out.d
-include $(BUILD)/out.d

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/install/*.d)

# ---- benchmark ----
# `make bench` (not part of `make test`): hyperfine timings, peak RSS and sizes for the
# article and for generated sources of about 10, 100 and 1000 guide pages, against the
# floor: build/floor writes the same laid-out pages (a --dump=replay) with libharu alone.
FLOOR := $(BUILD)/floor
$(FLOOR): src/tools/floor.c $(BUILD)/librolepress.a
	$(CC) $(CFLAGS) -Isrc $< $(BUILD)/librolepress.a $(LDLIBS) -o $@

bench: $(BIN) $(FLOOR)
	python3 tests/bench.py

# ---- dependencies (Debian) ----
APT_PACKAGES := build-essential pkg-config clang clang-format clang-tidy cppcheck \
                libxml2-dev libxml2-utils libhpdf-dev libfontconfig-dev libfreetype-dev \
                fontconfig fonts-noto-core fonts-dejavu-core fonts-liberation2 \
                libhyphen-dev hyphen-en-us hyphen-en-gb hyphen-de hyphen-fr libharfbuzz-dev libdeflate-dev libcriterion-dev \
                poppler-utils qpdf hyperfine python3 valgrind locales man-db \
                libclang-rt-14-dev time
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(APT_PACKAGES)
	# a decimal-comma locale, so the tests can prove number handling ignores the locale
	locale -a | grep -qi '^de_DE.utf8$$' || $(SUDO) localedef -i de_DE -f UTF-8 de_DE.UTF-8

# ---- tests ----
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(BUILD)/unit-tests
$(UNIT_BIN): $(UNIT_SRCS) $(BUILD)/librolepress.a
	$(CC) $(CFLAGS) -Isrc $(UNIT_SRCS) $(BUILD)/librolepress.a $(LDLIBS) -lcriterion -o $@

test: $(BIN) $(UNIT_BIN)
	@sh tests/run.sh

unit: $(UNIT_BIN)
	$(UNIT_BIN)

e2e: $(BIN)
	python3 tests/e2e.py

# Line quality of the guide, total fit against first fit, with the independent oracle.
typo-report: $(BIN)
	python3 tests/typo_report.py --check

# Regenerate the golden layout dumps after an intended layout change (review the diff!).
golden: $(BIN)
	sh tests/golden/regen.sh

# ---- gates ----
C_FILES := $(wildcard src/*.c src/*.h src/tools/*.c tests/unit/*.c)
format:
	clang-format -i $(C_FILES)
format-check:
	clang-format --dry-run --Werror $(C_FILES)
lint:
	cppcheck --enable=warning,style,performance,portability --error-exitcode=1 \
	  --inline-suppr --std=c11 -q --suppress=missingIncludeSystem -Isrc src
	@# one file per run: with several, clang 14's va_list checker reports false positives
	@mkdir -p $(BUILD); fail=0; for f in $(wildcard src/*.c); do \
	  clang-tidy --quiet $$f -- $(CSTD) $(PKG_CFLAGS) -Isrc -DRP_VERSION='"$(VERSION)"' \
	    -DRP_DATADIR='"$(DATADIR)"' > $(BUILD)/tidy.log 2>&1 || fail=1; \
	  grep -v 'warnings* generated' $(BUILD)/tidy.log || true; \
	done; exit $$fail

# PNG previews shown in the README, rendered from the PDFs themselves.
previews: all
	rm -rf $(BUILD)/print && mkdir -p $(BUILD)/print out/previews
	$(BIN) build $(SOURCE) --style styles/print.xml --out-dir $(BUILD)/print
	pdftoppm -png -r 45 -f 1 -l 2 $(OUT)/guide.pdf out/previews/guide
	pdftoppm -png -r 45 $(OUT)/cheatsheet.pdf out/previews/cheatsheet
	pdftoppm -png -r 45 $(BUILD)/print/cheatsheet.pdf out/previews/cheatsheet-print

# ---- installation ----
# The installed binary finds its styles in $(PREFIX)/share/rolepress (compiled in; also
# found relative to the executable, so a DESTDIR copy works; ROLEPRESS_DATADIR overrides).
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_DATADIR = $(PREFIX)/share/rolepress

$(BUILD)/install:
	@mkdir -p $@

$(BUILD)/install/main.o: src/main.c | $(BUILD)/install
	$(CC) $(CFLAGS) -URP_DATADIR -DRP_DATADIR='"$(INSTALL_DATADIR)"' -c $< -o $@

$(BUILD)/install/rolepress: $(BUILD)/install/main.o $(BUILD)/librolepress.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

install: $(BUILD)/install/rolepress
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(INSTALL_DATADIR)/styles \
	  $(DESTDIR)$(INSTALL_DATADIR)/source $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/install/rolepress $(DESTDIR)$(PREFIX)/bin/rolepress
	install -m 644 $(wildcard styles/*.xml styles/*.rng styles/*.md) $(DESTDIR)$(INSTALL_DATADIR)/styles/
	install -m 644 source/article.rng $(DESTDIR)$(INSTALL_DATADIR)/source/
	install -m 644 src/rolepress.1 $(DESTDIR)$(PREFIX)/share/man/man1/rolepress.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rolepress $(DESTDIR)$(PREFIX)/share/man/man1/rolepress.1
	rm -rf $(DESTDIR)$(INSTALL_DATADIR)

# ---- sanitizers and memory ----
# The whole suite against a clang build with AddressSanitizer + UndefinedBehaviorSanitizer.
# Sanitizer reports exit 99 so they cannot pass for the expected exit 1 of bad input.
SAN_BUILD := $(BUILD)/sanitize
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-sanitize:
	$(MAKE) CC=clang BUILD=$(SAN_BUILD) OPT="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  $(SAN_BUILD)/rolepress $(SAN_BUILD)/unit-tests
	ASAN_OPTIONS=exitcode=99:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:exitcode=99 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ROLEPRESS_BUILD=$(SAN_BUILD) sh tests/run.sh

# The runs that use threads (the guide's writer, the loaders) under ThreadSanitizer.
TSAN_BUILD := $(BUILD)/tsan
check-thread:
	$(MAKE) CC=clang BUILD=$(TSAN_BUILD) OPT="-O1 -g -fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" $(TSAN_BUILD)/rolepress
	ROLEPRESS_BUILD=$(TSAN_BUILD) sh tests/tsan.sh

# The whole suite once more under a decimal-comma locale (make deps generates it).
check-locale: $(BIN) $(UNIT_BIN)
	LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 sh tests/run.sh

# The main job under valgrind: no errors, no definite leaks.
valgrind: $(BIN)
	@mkdir -p $(BUILD)/valgrind
	valgrind --quiet --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
	  $(BIN) build $(SOURCE) --out-dir $(BUILD)/valgrind

# ---- fuzzing (libFuzzer) ----
# `make fuzz` builds build/fuzz/fuzz_source (article -> model -> both layouts, nothing
# written) and build/fuzz/fuzz_style (style loading, then both layouts of a small article).
# The library is compiled by clang with coverage instrumentation and ASan + UBSan into
# build/fuzz/obj; any sanitizer report or leak is a crash. `make fuzz-run` runs each target
# for FUZZ_SECONDS on a scratch copy of the committed corpus (tests/fuzz/corpus/TARGET) with
# its dictionary; findings are written to build/fuzz/findings/. Crashes found once are kept
# in tests/fuzz/regressions/ and replayed by tests/e2e_fuzz.py.
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := source style
FUZZ_SECONDS ?= 60
FUZZ_MAXLEN_source := 65536
FUZZ_MAXLEN_style  := 8192

fuzz:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) OPT="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  $(FUZZ_BUILD)/librolepress.a
	for t in $(FUZZ_TARGETS); do \
	  clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(PKG_CFLAGS) -Isrc \
	    -DRP_DATADIR='"$(DATADIR)"' tests/fuzz/fuzz_$$t.c $(FUZZ_BUILD)/librolepress.a \
	    $(LDLIBS) -o $(FUZZ_BUILD)/fuzz_$$t || exit 1; \
	done

fuzz-run: $(FUZZ_TARGETS:%=fuzz-run-%)

fuzz-run-%: fuzz
	rm -rf $(FUZZ_BUILD)/corpus/$*
	mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/findings
	cp tests/fuzz/corpus/$*/* $(FUZZ_BUILD)/corpus/$*/
	$(FUZZ_BUILD)/fuzz_$* $(FUZZ_BUILD)/corpus/$* -dict=tests/fuzz/$*.dict \
	  -max_len=$(FUZZ_MAXLEN_$*) -timeout=10 -rss_limit_mb=2048 \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/findings/$*-

clean:
	rm -rf $(BUILD)
