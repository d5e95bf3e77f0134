# Shortcuts for the scripts in scripts/ (the README's two commands need no make).
.PHONY: example test test-slow bench format clean

example:
	@bash scripts/example.sh

test:
	@bash scripts/test.sh

test-slow:
	@bash scripts/test.sh -L slow

bench:
	@bash bench/run.sh

format:
	@find src test bench include -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
