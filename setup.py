"""Build the optional C kernels (``unspun._speedups``, ``unspun._wordkeys``); pyproject.toml holds
everything else.

``optional=True``: without a C compiler the install still succeeds and unspun uses the
pure-Python code it falls back to (the same output, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension(name, [f"src/unspun/{name[7:]}.c"], optional=True,
                             extra_compile_args=["-O2"])
                   for name in ("unspun._speedups", "unspun._wordkeys")])
