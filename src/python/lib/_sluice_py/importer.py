"""The import hook that serves sluice's own Python modules from the sluice binary.

It comes first on sys.meta_path, so `import pyspark` finds sluice's modules even where a
real PySpark is installed. Their file names start with "<sluice>/", which tells user
frames from sluice's own in tracebacks."""

import importlib.abc
import importlib.util
import os
import sys

import _sluice

# For working on these modules: SLUICE_PYTHON_LIB=<checkout>/src/python/lib makes sluice
# read them from there instead of from the binary.
_LIB = os.environ.get("SLUICE_PYTHON_LIB")


def _source(fullname):
    if _LIB:
        base = os.path.join(_LIB, *fullname.split("."))
        for path, package in ((base + ".py", False), (os.path.join(base, "__init__.py"), True)):
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    return f.read(), package
        return None
    return _sluice.embedded_source(fullname)


class _EmbeddedLoader(importlib.abc.Loader):
    def __init__(self, source, package):
        self._source = source
        self._package = package

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename = module.__spec__.origin
        code = compile(self._source, filename, "exec", dont_inherit=True)
        exec(code, module.__dict__)


class EmbeddedFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        found = _source(fullname)
        if found is None:
            return None
        source, package = found
        origin = "<sluice>/" + fullname.replace(".", "/") + ("/__init__.py" if package else ".py")
        spec = importlib.util.spec_from_loader(fullname, _EmbeddedLoader(source, package),
                                               origin=origin, is_package=package)
        if package:
            spec.submodule_search_locations = []
        return spec


def install():
    if not any(isinstance(f, EmbeddedFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, EmbeddedFinder())
