# flame: four programs over one small library. Each program lives in its own folder; its main is
# in <prog>/<prog>.c and every other .c there is a module of it. common/ is built into libflame.a.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
BUILD   ?= build
BIN     ?= bin

FLAGS   = -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread -I. -Icommon -MMD -MP
LDLIBS  = -pthread -lm

PROGRAMS := $(foreach p,collapse render diff record,$(if $(wildcard $(p)/$(p).c),$(p)))
BINARIES := $(PROGRAMS:%=$(BIN)/flame-%)
MODULES   = $(filter-out $(1)/$(1).c,$(wildcard $(1)/*.c))
obj       = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIB_OBJ   := $(call obj,$(wildcard common/*.c))
PROG_LIB_OBJ := $(call obj,$(foreach p,$(PROGRAMS),$(call MODULES,$(p))))
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
TOOLS     := $(BUILD)/tools/measure $(BUILD)/tools/sample-floor

all: $(BINARIES)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libflame.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# Modules of every program, so unit tests can reach them.
$(BUILD)/libprogs.a: $(PROG_LIB_OBJ) $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

.SECONDEXPANSION:
$(BIN)/flame-%: $$(call obj,$$*/$$*.c $$(call MODULES,$$*)) $(BUILD)/libflame.a
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/libprogs.a
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Bench and test tools may use the programs' modules (sample-floor opens flame-record's events).
$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(BUILD)/libprogs.a
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_ENV = FLAME_BIN=$(abspath $(BIN)) FLAME_UNIT=$(abspath $(BUILD)/unit) \
	FLAME_TOOLS=$(abspath $(BUILD)/tools) FLAME_CC="$(CC)"

# tests/deps first: it installs the test packages (as root with apt-get) or names the command to run.
# The summary line of tests/run is the last line make test prints.
test-deps:
	@tests/deps

test: test-deps all $(UNIT_BIN) $(TOOLS)
	@$(TEST_ENV) tests/run

# Plants a bug in one program at a time (tests/mutants): each must make that program's tests fail.
mutants: test-deps all $(UNIT_BIN) $(TOOLS)
	@$(TEST_ENV) tests/mutants

# The whole suite against an ASan+UBSan build, kept apart from the normal build. Leak checks are
# off: the programs exit right after their one job and leave freeing to the kernel; memory growth
# shows as peak RSS in `make bench`.
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize:
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) --no-print-directory BUILD=build/sanitize BIN=build/sanitize/bin CFLAGS="$(SAN)" LDFLAGS="$(SAN)" test

# The whole suite with every program run under valgrind's memcheck (errors exit 99).
valgrind: test-deps all $(UNIT_BIN) $(TOOLS)
	tests/valgrind-wrap $(abspath $(BIN)) build/valgrind/bin
	@$(TEST_ENV) FLAME_BIN=$(abspath build/valgrind/bin) FLAME_VALGRIND=1 tests/run

bench: all $(TOOLS)
	$(TEST_ENV) tests/bench/run

demo: all
	$(TEST_ENV) tests/demo/run

# libFuzzer targets (tests/fuzz/*.c), built with clang into build/fuzz; each runs FUZZ_SECONDS from
# a seed corpus of the project's fixtures. Crashes are saved in build/fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
fuzz:
	$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz BIN=build/fuzz/bin CFLAGS="$(FUZZ_FLAGS)" build/fuzz/libprogs.a
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(BINARIES) $(DESTDIR)$(BINDIR)
	install -m 644 $(PROGRAMS:%=man/flame-%.1) $(DESTDIR)$(MANDIR)

uninstall:
	rm -f $(PROGRAMS:%=$(DESTDIR)$(BINDIR)/flame-%) $(PROGRAMS:%=$(DESTDIR)$(MANDIR)/flame-%.1)

clean:
	rm -rf build bin demo.svg demo.folded

.PHONY: all test test-deps mutants sanitize valgrind bench demo fuzz install uninstall clean
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
