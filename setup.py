"""Which packages go into the wheel: found, never listed by hand.

Everything else is in pyproject.toml. The folder site/ is installed as the package `sapa`
(pyproject.toml says why), a renaming that setuptools' declarative discovery cannot express,
so the packages under site/ are found here and renamed; those of home/, search/ and records/
are found as they are. A folder of modules needs its __init__.py to be found:
tests/test_wheel.py fails when a module of the source tree is missing from the wheel.
"""

from setuptools import find_packages, setup


def sapa_packages() -> list[str]:
    found = find_packages(".", include=["site", "site.*"])
    return ["sapa" + name.removeprefix("site") for name in found]


def top_level_packages() -> list[str]:
    names = ("home", "search", "records")
    return find_packages(".", include=[*names, *(f"{name}.*" for name in names)])


setup(packages=sapa_packages() + top_level_packages())
