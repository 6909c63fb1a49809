"""What a build leaves unloaded: pandas, which it never uses but pyarrow would load for it."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.abc import MetaPathFinder


class RefusePandas(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"{name} is not loaded during a build", name=name)
        return None


@contextmanager
def without_pandas() -> Iterator[None]:
    """pyarrow imports pandas (about a quarter of a second, the largest fixed cost of a small
    build) the first time it makes an array and when it loads its dataset module, only to learn
    whether pandas objects may come; a build's records never are. Inside this block that import
    fails, so pyarrow takes pandas as absent; after it, pyarrow imports pandas when asked for it
    (`to_pandas`, `from_pandas`). Nothing is refused when pandas is already loaded.

    Not for a Dask build: the Dask client runs threads of its own in this process."""
    if "pandas" in sys.modules:
        yield
        return
    finder = RefusePandas()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
