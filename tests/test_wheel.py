"""The built wheel holds the whole application: every module of the source tree, at its
installed name (site/x.py is sapa/x.py), importable from the wheel alone, with the files the
code reads at run time (catalogues, static files, demo data) beside it.

Packages are found by setup.py, never listed; this test is what notices a folder of modules
that would still drop out (for example one without its __init__.py). It builds from a copy of
the tree, so no build/ folder of an earlier build can hide a missing module, installs nothing,
and imports in a fresh interpreter whose sys.path holds the unpacked wheel and the
virtualenv's libraries, never the checkout or its editable install.
"""

import importlib.metadata
import importlib.util
import json
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Source folder -> installed package.
PACKAGES = {"site": "sapa", "home": "home", "search": "search", "records": "records"}
# In the tree, deliberately not in the wheel: the test search engine's runner (a developer
# tool started by tests/run-all.sh from the checkout).
NOT_SHIPPED = ("search/engine/",)
BUILD_FILES = ("pyproject.toml", "setup.py", "README.md")


def _ignore(directory, names):
    return [name for name in names if name == "__pycache__" or name.endswith(".pyc")]


def _source_files() -> dict[str, Path]:
    """Every file of the four source folders, keyed by its path inside the wheel."""
    files = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if relative.startswith(NOT_SHIPPED):
                continue
            files[package + relative.removeprefix(folder)] = path
    return files


def _module_names(files: dict[str, Path]) -> list[str]:
    """Dotted names of the modules that live in packages (a script such as
    home/demo_data/forms/generate.py is shipped as data, not imported)."""
    names = []
    for inside, path in files.items():
        if path.suffix != ".py":
            continue
        folder = path.parent
        in_package = True
        while folder != ROOT:
            if not (folder / "__init__.py").is_file():
                in_package = False
                break
            folder = folder.parent
        if not in_package:
            continue
        parts = inside.removesuffix(".py").split("/")
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(names)


def _build_wheel(source: Path, out: Path) -> Path:
    version = importlib.metadata.version("setuptools")
    assert int(version.split(".")[0]) >= 77, (
        f"setuptools {version} cannot read pyproject.toml's license expression: "
        "`.venv/bin/pip install 'setuptools>=77'`"
    )
    if importlib.util.find_spec("build") is not None:
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir"]
        command += [str(out), str(source)]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        command += ["--no-index", "-q", "-w", str(out), str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("sapa-*.whl")
    return wheel


IMPORT_EVERY_MODULE = textwrap.dedent(
    """
    import importlib, json, sys
    unpacked, libraries, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    sys.path[:0] = [unpacked]
    sys.path.append(libraries)
    import django
    django.setup()
    failures = {}
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as error:
            failures[name] = f"{type(error).__name__}: {error}"
            continue
        if not (module.__file__ or "").startswith(unpacked + "/"):
            failures[name] = f"imported from {module.__file__}, not from the wheel"
    print(json.dumps(failures))
    """
)


def test_the_wheel_holds_and_imports_every_module(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy2(ROOT / name, source / name)
    for folder in PACKAGES:
        shutil.copytree(ROOT / folder, source / folder, ignore=_ignore)
    wheel = _build_wheel(source, tmp_path / "dist")

    expected = _source_files()
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
        archive.extractall(tmp_path / "unpacked")
    missing = sorted(set(expected) - shipped)
    assert missing == [], f"in the source tree but not in the wheel: {missing}"
    assert "sapa/locale/kk/LC_MESSAGES/django.po" in shipped
    assert "home/demo_data/kaznrtu_715_kp.txt" in shipped
    assert not any(name.startswith(("site/", "search/engine/")) for name in shipped)

    names = _module_names(expected)
    assert {"sapa.settings.test", "sapa.documents.models", "records.views"} <= set(names)
    unpacked = str((tmp_path / "unpacked").resolve())
    env = {
        "DJANGO_SETTINGS_MODULE": "sapa.settings.test",
        "SECRET_KEY": "wheel-test",  # sapa.settings.production refuses to load without one
        "SAPA_VAR_DIR": str(tmp_path / "var"),
        "PATH": "/usr/bin:/bin",
    }
    libraries = sysconfig.get_paths()["purelib"]
    result = subprocess.run(
        # -I: no PYTHONPATH, no current folder; -S: no site-packages .pth files, so no
        # editable install pointing back at the checkout.
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            IMPORT_EVERY_MODULE,
            unpacked,
            libraries,
            json.dumps(names),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    failures = json.loads(result.stdout.splitlines()[-1])
    assert failures == {}, f"modules that do not import from the wheel: {failures}"
