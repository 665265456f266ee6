"""A wheelhouse a trainer can carry: every wheel wfkit needs, for every learner's laptop.

``make wheelhouse`` (or ``python training/wheelhouse.py``, from the repository root, with
internet) downloads, for Python 3.11 on Windows, macOS (Apple silicon and Intel) and Linux,
one wheel of every package ``requirements/lock.txt`` pins for that platform (the versions and
hashes of the lock, hash-checked by pip), plus a wheel of wfkit itself, into one folder
(``wheelhouse/``), then checks that every requirement has a wheel for every platform.

On a learner's laptop with no internet, inside a fresh virtual environment::

    python -m pip install --no-index --find-links wheelhouse wfkit

(:data:`INSTALL_ARGS`; the set-up pages quote it and a test checks they do).

``python training/wheelhouse.py --check`` only checks a folder (no network).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging import tags
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
FOLDER = ROOT / "wheelhouse"
PYTHON = (3, 11)
#: what a learner types (after ``python -m pip``) to install from the folder only
INSTALL_ARGS = "install --no-index --find-links wheelhouse wfkit"

_MANYLINUX = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)] + [
    "manylinux2014_x86_64",
    "manylinux2010_x86_64",
    "manylinux1_x86_64",
]


@dataclass(frozen=True)
class Platform:
    """One kind of learner laptop: the wheel platform tags it accepts and its marker values."""

    name: str
    platforms: tuple[str, ...]
    markers: dict[str, str]
    #: False for a platform served as far as the packages' publishers allow (gaps reported)
    required: bool = True

    def supported(self) -> set[tags.Tag]:
        """Every wheel tag CPython 3.11 accepts on this platform."""
        found = set(tags.cpython_tags(PYTHON, abis=["cp311"], platforms=self.platforms))
        found |= set(tags.compatible_tags(PYTHON, "cp311", platforms=self.platforms))
        return found


def _markers(sys_platform: str, os_name: str, system: str, machine: str) -> dict[str, str]:
    return {
        "sys_platform": sys_platform,
        "os_name": os_name,
        "platform_system": system,
        "platform_machine": machine,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": "3.11",
    }


#: the learner laptops the wheelhouse serves (Python 3.11 on each)
PLATFORMS = (
    Platform("windows", ("win_amd64",), _markers("win32", "nt", "Windows", "AMD64")),
    Platform(
        "macos-arm64",
        tuple(tags.mac_platforms((12, 0), "arm64")),
        _markers("darwin", "posix", "Darwin", "arm64"),
    ),
    Platform(
        "macos-intel",
        tuple(tags.mac_platforms((12, 0), "x86_64")),
        _markers("darwin", "posix", "Darwin", "x86_64"),
        required=False,  # some pinned packages no longer publish Intel-Mac wheels: use conda
    ),
    Platform("linux", tuple(_MANYLINUX), _markers("linux", "posix", "Linux", "x86_64")),
)
#: a Python 3.11 release before and after 3.11.5 (the lock pins by python_full_version)
_FULL_VERSIONS = ("3.11.4", "3.11.9")


@dataclass(frozen=True)
class Pin:
    """One requirement of the lock file: its line as pip reads it, name, version, marker."""

    text: str
    name: str
    version: str
    requirement: Requirement

    def line(self) -> str:
        """The requirement as pip reads it, without its marker: pip would judge a marker by
        the machine running it, not the platform downloaded for (the pin is chosen already)."""
        hashes = self.text.partition(" --hash")[2]
        return f"{self.name}=={self.version}" + (f" --hash{hashes}" if hashes else "")

    def applies(self, platform: Platform, full_versions: tuple[str, ...] = _FULL_VERSIONS) -> bool:
        """Whether a Python 3.11 (one of ``full_versions``) on ``platform`` installs this pin."""
        marker = self.requirement.marker
        if marker is None:
            return True
        return any(
            marker.evaluate({**platform.markers, "python_full_version": v}) for v in full_versions
        )


def read_lock(path: Path = LOCK) -> list[Pin]:
    """Every pinned requirement of a ``uv pip compile --generate-hashes`` lock file."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    pins = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        spec = line.split(" --hash")[0].strip()
        req = Requirement(spec)
        (version,) = [s.version for s in req.specifier if s.operator == "=="]
        pins.append(Pin(line, canonicalize_name(req.name), version, req))
    return pins


def wfkit_version() -> str:
    """wfkit's version (the name of its wheel), as ``wfkit/_version.py`` declares it."""
    import ast

    tree = ast.parse((ROOT / "wfkit" / "_version.py").read_text("utf-8"))
    (value,) = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
    ]
    return str(value)


def _wheels(folder: Path) -> list[tuple[str, str, frozenset[tags.Tag]]]:
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, wheel_tags = parse_wheel_filename(path.name)
        found.append((name, str(version), wheel_tags))
    return found


def missing(folder: Path, pins: list[Pin] | None = None) -> dict[str, list[str]]:
    """For each platform, the pins (and wfkit) with no wheel in ``folder`` it can install.

    Parameters
    ----------
    folder
        The wheelhouse.
    pins
        The lock's requirements (default: ``requirements/lock.txt``).

    Returns
    -------
    dict
        ``{platform name: ["name==version", ...]}``, empty lists when nothing is missing.
    """
    pins = read_lock() if pins is None else pins
    wheels = _wheels(folder)
    wanted = [*pins, Pin("wfkit", "wfkit", wfkit_version(), Requirement("wfkit"))]
    out: dict[str, list[str]] = {}
    for platform in PLATFORMS:
        accepts = platform.supported()
        out[platform.name] = [
            f"{pin.name}=={pin.version}"
            for pin in wanted
            if pin.applies(platform)
            and not any(n == pin.name and v == pin.version and t & accepts for n, v, t in wheels)
        ]
    return out


def download_command(
    platform: Platform, requirements: Path, folder: Path, full_version: str = _FULL_VERSIONS[-1]
) -> list[str]:
    """The ``pip download`` command fetching ``platform``'s wheels (no build, no resolving)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--python-version", full_version]
    command += ["--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none"]
    for tag in platform.platforms:
        command += ["--platform", tag]
    return [*command, "-r", str(requirements), "-d", str(folder)]


def build(folder: Path = FOLDER) -> None:
    """Download every platform's wheels and build wfkit's wheel into ``folder``."""
    folder.mkdir(exist_ok=True)
    pins = read_lock()
    with tempfile.TemporaryDirectory() as tmp:
        for platform in PLATFORMS:
            for version in _FULL_VERSIONS:  # the lock pins a few packages by 3.11.x release
                reqs = Path(tmp) / f"{platform.name}-{version}.txt"
                lines = [p.line() for p in pins if p.applies(platform, (version,))]
                reqs.write_text("\n".join(lines) + "\n")
                print(f"wheelhouse: downloading for {platform.name}, Python {version}", flush=True)
                command = download_command(platform, reqs, folder, version)
                if subprocess.run(command).returncode == 0:
                    continue
                # one at a time, so that one package without a wheel does not stop the rest
                for line in lines:
                    reqs.write_text(line + "\n")
                    one = download_command(platform, reqs, folder, version)
                    done = subprocess.run(one, capture_output=True, text=True)
                    if done.returncode and platform.required:
                        print(done.stderr, file=sys.stderr)
    print("wheelhouse: building the wfkit wheel", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["-w", str(folder), str(ROOT)],
        check=True,
    )


def report(folder: Path) -> int:
    """Print what is missing for each platform; 0 if nothing is."""
    gaps = missing(folder)
    for platform in PLATFORMS:
        absent = gaps[platform.name]
        state = "complete" if not absent else f"missing {', '.join(absent)}"
        note = "" if platform.required or not absent else " (best effort: install with conda)"
        print(f"wheelhouse {folder.name}: {platform.name}: {state}{note}")
    wheels = list(folder.glob("*.whl"))
    size = sum(p.stat().st_size for p in wheels) / 1e6
    print(f"wheelhouse {folder.name}: {len(wheels)} wheels, {size:,.0f} MB")
    print(f"install with: python -m pip {INSTALL_ARGS}")
    return 1 if any(gaps[p.name] for p in PLATFORMS if p.required) else 0


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` only check) the wheelhouse."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the folder")
    parser.add_argument("--out", type=Path, default=FOLDER, help="the folder (wheelhouse/)")
    args = parser.parse_args(argv)
    if not args.check:
        build(args.out)
    return report(args.out)


if __name__ == "__main__":
    sys.exit(main())
