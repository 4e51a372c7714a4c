# dcsim — top-level build.
#
#   make run     install what is missing, build, simulate the default scenario (one run and a
#                short Monte Carlo), draw its charts and write its report
#   make test    install what is missing, build, run every test, again under ASan+UBSan, and
#                a shipped scenario under valgrind
#   make asan | ubsan | bench | deps | clean
#   make mpi     build/dcsim-mpi: the Monte Carlo over the ranks of an MPI job (Open MPI)
#
# Sources are found by wildcard: sim/<layer>/*.c go into build/libdcsim.a (sim/cli/ is the
# command line and goes into build/dcsim only), tests/test_*.c each become a cmocka binary.
# sim/mpi/ is not a library layer: main_mpi.c is compiled with mpicc into build/dcsim-mpi
# only (make mpi), so the library, build/dcsim and the tests build without MPI.

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2 -g
SAN      ?=
SCENARIO ?= scenarios/stargate-abilene.yaml
RUN_NAME  = $(basename $(notdir $(SCENARIO)))
RUN_DIR  ?= out/$(RUN_NAME)

WARN := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef
ifeq ($(CI),true)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

# pkg-config is evaluated lazily (recursive '='), in recipes only, so that it runs after
# the deps stamp has installed the packages on a fresh machine.
PKG_CFLAGS = $(shell pkg-config --cflags gsl yaml-0.1)
PKG_LIBS   = $(shell pkg-config --libs gsl yaml-0.1) -lcsv -lm -pthread

CPPFLAGS := -Iinclude -Isim -Itests -D_GNU_SOURCE -pthread
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS_EXTRA)
ALL_LDFLAGS = $(SAN) $(LDFLAGS_EXTRA)

LIB_SRC  := $(sort $(wildcard sim/core/*.c sim/io/*.c sim/scenario/*.c sim/model/*.c \
                              sim/record/*.c sim/analysis/*.c))
CLI_SRC  := $(sort $(wildcard sim/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_SUP := $(sort $(wildcard tests/support/*.c))
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
MPI_MAIN := sim/mpi/main_mpi.c
MPI_SUP  := $(filter-out $(MPI_MAIN),$(sort $(wildcard sim/mpi/*.c)))
MPICC    ?= mpicc

# ar keeps one member per file name: two library sources with the same name would silently
# drop one.
DUP_NAMES := $(shell printf '%s\n' $(notdir $(LIB_SRC)) | sort | uniq -d)
ifneq ($(DUP_NAMES),)
$(error library sources must have distinct file names: $(DUP_NAMES))
endif

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SUP_OBJ := $(TEST_SUP:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
MPI_MAIN_OBJ := $(MPI_MAIN:%.c=$(BUILD)/obj/%.o)
MPI_SUP_OBJ  := $(MPI_SUP:%.c=$(BUILD)/obj/%.o)

LIB := $(BUILD)/libdcsim.a
BIN := $(BUILD)/dcsim
DEPS_STAMP := $(BUILD)/.deps-ok
MPI_BIN := $(BUILD)/dcsim-mpi

DEB_PKGS := libgsl-dev libcsv-dev libyaml-dev libcmocka-dev gnuplot-nox pkg-config python3-simpy3
# Open MPI only for the cluster build and its test: make run does not need it.
MPI_PKGS := libopenmpi-dev openmpi-bin
MPI_STAMP := $(BUILD)/.deps-mpi-ok
# valgrind for make test's memory check of a shipped scenario (tests/valgrind.sh).
VALGRIND_STAMP := $(BUILD)/.deps-valgrind-ok
# Chromium only for the test that opens the report headless (tests/test_plots.c).
CHROME_PKGS := chromium
CHROME_STAMP := $(BUILD)/.deps-chromium-ok
# PyYAML for make bench only: bench/scale.py writes the scaled scenarios, bench/fleet.py reads
# the twin's scenario.
BENCH_STAMP := $(BUILD)/.deps-bench-ok
# make run: replications of its short Monte Carlo (a few minutes at most on two cores).
RUN_MC ?= 200

.PHONY: all run test test-unit asan ubsan bench clean deps check-warnings mpi
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BIN) $(LIB)

deps: $(DEPS_STAMP)

# Installs only what is missing; 'apt-get update' runs only when a package is not found.
$(DEPS_STAMP): tools/deps.sh
	@sh tools/deps.sh $(DEB_PKGS)
	@mkdir -p $(@D) && touch $@

$(MPI_STAMP): tools/deps.sh
	@sh tools/deps.sh $(MPI_PKGS)
	@mkdir -p $(@D) && touch $@

$(CHROME_STAMP): tools/deps.sh
	@sh tools/deps.sh $(CHROME_PKGS)
	@mkdir -p $(@D) && touch $@

$(BENCH_STAMP): tools/deps.sh
	@sh tools/deps.sh python3-yaml
	@mkdir -p $(@D) && touch $@

$(VALGRIND_STAMP): tools/deps.sh
	@sh tools/deps.sh valgrind
	@mkdir -p $(@D) && touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_SUP_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TEST_SUP_OBJ) $(LIB) $(PKG_LIBS) -lcmocka

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# Cluster runs. The front end alone needs mpi.h; the wire format (sim/mpi/mc_pack.c) is plain
# C, so that tests/test_mpi.c checks it without MPI.
mpi: $(MPI_BIN)

$(MPI_MAIN_OBJ): $(MPI_MAIN) | $(DEPS_STAMP) $(MPI_STAMP)
	@mkdir -p $(@D)
	$(MPICC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

CLI_UTIL_OBJ := $(BUILD)/obj/sim/cli/cli_util.o

$(MPI_BIN): $(MPI_MAIN_OBJ) $(MPI_SUP_OBJ) $(CLI_UTIL_OBJ) $(LIB)
	$(MPICC) $(ALL_LDFLAGS) -o $@ $(MPI_MAIN_OBJ) $(MPI_SUP_OBJ) $(CLI_UTIL_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/test_mpi: $(BUILD)/obj/tests/test_mpi.o $(MPI_SUP_OBJ) $(TEST_SUP_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(MPI_SUP_OBJ) $(TEST_SUP_OBJ) $(LIB) $(PKG_LIBS) -lcmocka

# The tests find the binaries and the sources through these variables. Where Open MPI is
# installed (the deps stamp installs it), build/dcsim-mpi is built and compared with the
# threaded run; without it that test skips. DCSIM_INVARIANTS=1 checks conservation after
# every sample step (sim/model/invariants.c).
#
# make test = these tests, one shipped scenario and a small Monte Carlo under valgrind, then
# the same tests built with AddressSanitizer and UBSan (build-asan/), whose summary line
# closes the output.
test-unit: $(BIN) $(TEST_BIN) $(MPI_STAMP) $(CHROME_STAMP)
	@if command -v $(MPICC) >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory mpi || exit 1; \
	    DCSIM_MPI_BIN=$(abspath $(MPI_BIN)); export DCSIM_MPI_BIN; \
	fi; \
	mkdir -p $(BUILD)/artifacts; \
	DCSIM_BIN=$(abspath $(BIN)) DCSIM_ROOT=$(CURDIR) DCSIM_ARTIFACTS=$(abspath $(BUILD)/artifacts) \
	    DCSIM_INVARIANTS=1 sh tests/run.sh $(TEST_BIN)

test: test-unit $(VALGRIND_STAMP)
	@echo "== valgrind"
	sh tests/valgrind.sh $(BIN)
	@echo "== the tests again under AddressSanitizer and UBSan (build-asan/)"
	$(MAKE) --no-print-directory asan

# One run, a short Monte Carlo in its mc/ folder, every chart of both, and the report.
run: $(BIN)
	$(BIN) run $(SCENARIO) -o $(RUN_DIR) --force
	$(BIN) mc $(SCENARIO) -n $(RUN_MC) -o $(RUN_DIR)/mc --force
	$(BIN) plot $(RUN_DIR)
	$(BIN) report $(RUN_DIR)
	@echo "open $(RUN_DIR)/report.html (charts: $(RUN_DIR)/*.png, $(RUN_DIR)/mc/*.png)"

# Fuzzing (tests/fuzz/README.md): the libFuzzer targets tests/fuzz/fuzz_<target>.c, built
# with clang into build-fuzz/ (library and targets instrumented with ASan and UBSan) and run
# FUZZ_SECONDS each by tests/fuzz/run.sh, which prints one line per target and fails on any
# crash, leak, timeout or out-of-memory. The same sources also link with tests/fuzz/driver.c
# (any compiler, no libFuzzer) into $(BUILD)/fuzz/fuzz_<target>, which replays the files or
# folders given; tests/test_fuzz.c replays the corpus and the regressions in make test.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := scenario set units csv
FUZZ_BUILD := build-fuzz
FUZZ_PKGS := clang libclang-rt-14-dev
FUZZ_STAMP := $(FUZZ_BUILD)/.deps-fuzz-ok
FUZZ_DRIVER ?= $(BUILD)/obj/tests/fuzz/driver.o

.PHONY: fuzz fuzz-regress

$(FUZZ_STAMP): tools/deps.sh
	@sh tools/deps.sh $(FUZZ_PKGS)
	@mkdir -p $(@D) && touch $@

$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DRIVER) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(FUZZ_DRIVER) $(LIB) $(PKG_LIBS)

fuzz: $(FUZZ_STAMP)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang FUZZ_DRIVER= \
	    OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS_EXTRA="-fsanitize=fuzzer" $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Replay the seed corpus and the regressions through the driver build (no clang needed).
fuzz-regress: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	    log=$(BUILD)/fuzz/regress-$$t.log; \
	    if $(BUILD)/fuzz/fuzz_$$t tests/fuzz/corpus/$$t \
	        $$(test -d tests/fuzz/regressions/$$t && echo tests/fuzz/regressions/$$t) \
	        >$$log 2>&1; then tail -n 1 $$log; \
	    else cat $$log; echo "fuzz-regress: $$t failed (log: $$log)"; exit 1; fi; \
	done

-include $(wildcard $(BUILD)/obj/tests/fuzz/*.d)

# Sanitizer builds live in their own trees so they never mix objects with the normal build.
# DCSIM_DEBUG: conservation checked after every sample step whatever the environment.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer -DDCSIM_DEBUG" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test-unit
ubsan:
	$(MAKE) BUILD=build-ubsan OPT="-O1 -g -DDCSIM_DEBUG" \
	    SAN="-fsanitize=undefined -fno-sanitize-recover=all" test-unit

bench: $(BENCH_BIN) $(BUILD)/dcsim | $(DEPS_STAMP) $(BENCH_STAMP)
	@sh bench/run.sh $(BUILD)/bench

clean:
	rm -rf build build-asan build-ubsan build-fuzz out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_SUP_OBJ:.o=.d) \
         $(TEST_BIN:$(BUILD)/tests/%=$(BUILD)/obj/tests/%.d) \
         $(BENCH_BIN:$(BUILD)/bench/%=$(BUILD)/obj/bench/%.d) \
         $(MPI_MAIN_OBJ:.o=.d) $(MPI_SUP_OBJ:.o=.d)
