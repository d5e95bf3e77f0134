# Entry points. `make example` and `make test` set everything up on a fresh Debian 12
# machine (scripts/setup.sh), build, and run; later runs reuse what is there.
JOBS ?= $(shell nproc)
DEBUG_DIR := build/debug
RELEASE_DIR := build/release

.PHONY: setup debug release example test test-slow bench format clean

setup:
	@bash scripts/setup.sh

debug: setup
	@cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG_DIR) -j $(JOBS)

release: setup
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

# The main job: the example under examples/, run with the release build.
example: release
	@bash examples/run.sh $(RELEASE_DIR)/bin/sluice

# The whole default test suite (Debug, ASan + UBSan).
test: debug
	@cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) -LE slow

test-slow: debug
	@cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) -L slow

bench: release
	@bash bench/run.sh $(RELEASE_DIR)

format:
	@find src test bench include -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
