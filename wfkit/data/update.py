"""Refresh the raw published files with pooch (checksums and a cache), then rebuild.

``wfkit data update`` downloads each raw file the build reads from its pinned public copy,
checks its sha256 and keeps it in a cache folder laid out like ``../shared/data-sources``.
Files with no public download (the hand-transcribed pay points, the projection extract) are
copied from the local sources folder when it exists.  Never called by the default tests against
the internet: the tests serve fixture files from 127.0.0.1 through ``base_url``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import InputError
from .build import RAW_FILES
from .paths import REPO_ROOT, sources_dir

__all__ = ["REMOTE", "Remote", "update", "default_cache"]

_GH = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Remote:
    """Where a raw file can be downloaded and the sha256 it must have."""

    url: str | None
    sha256: str


REMOTE: dict[str, Remote] = {
    "practices": Remote(
        f"{_GH}/PsychedPhalanx/Healthcare-Postcode-Lottery/"
        "8e69eff8177203cf6e0ca23acf1f4de6336242fe/data/raw/gp_practices_may2025.csv",
        "2cc664a07e247d95b1dbfe7d31a1250892769dceac5a0922b459eda6bbc9428b",
    ),
    "appointments": Remote(
        f"{_GH}/PsychedPhalanx/Healthcare-Postcode-Lottery/"
        "8e69eff8177203cf6e0ca23acf1f4de6336242fe/data/raw/gp_wait_times.csv",
        "77b7fe2babef7e424c1a6a2b20f394a97cfb0ce84dea7206a1eab42261d7b68c",
    ),
    "pcn": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/ac6123f690aa23dafcb1e2db7debe77d01eb1d66/"
        + quote(
            "data/pcn_workforce/raw/11.Primary Care Networks \u2013 September 2022 "
            "Individual Level.csv"
        ),
        "62a81ae936e5a8ab003770bc50fdb4320ea2e0d383f97f92979886b93ce3caef",
    ),
    "workforce": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/fbbc69c833675c4d302fcc63fece22a2d2759664/"
        "data/workforce/workforce_year.csv",
        "13add38ae7cf0a448ce9efe87dd177a059454046fb65e5a69c8eee8a90477c82",
    ),
    "census": Remote(
        f"{_GH}/talentseek/flourish/76f8196c20f742eb565d55f04a4ee8a010941d48/"
        "public/census2021-ts007a/census2021-ts007a-ltla.csv",
        "fb954e12e6c519598f277255886d7b7176684f32a14219535b05eca0fa052ec6",
    ),
    "qof_la": Remote(
        f"{_GH}/houseofcommonslibrary/local-health-data-from-QOF/"
        "f81b851cc6caf6dc8255c383b5cb31ba9d05ffe0/outputs/output_lad_prevalence.csv",
        "d6ea8bdadb2a55ea0054d23a54f69f47453bd10dd5643d639c0c9d77067a10c7",
    ),
    **{
        f"london_{n}": Remote(
            f"{_GH}/markagreen/remote_GP_consultations/"
            "361f3ce7e04700dbc77a20983a74b2db09cfc4a9/"
            + quote(f"Data/CCG monthly consultations/Regional_CSV_{n}.csv"),
            h,
        )
        for n, h in (
            ("ELondonHCP", "5433ff3ebaa1ef02e6f33ce0cfb6fa5d4ed2d7eba76ea4572bbf4115a33428c9"),
            ("NLondonPHC", "1227909145ca8792279abab6ef43b763aa8df5d7bc7fdab2816b53754a984465"),
            ("NWLondonHCP", "28de889da23bccf9f3dae3e2c5dfd1c545d43abb683537fcd219115393de6684"),
            (
                "OurHealthierSELondon",
                "e504b73fa9aec147be60e91c51ef2e07106154f681541a07a7cd0dfee704e288",
            ),
            ("SWLondonHCP", "5ea12a9cc05d26c5d53628c803e5b06f735edf72e943e551761315f39079bfc1"),
        )
    },
    "qof_pcn": Remote(
        f"{_GH}/blackwellrd/display_nearest_neighbour_data/"
        "0ee6e6644687a570445f5a0082c68af5dd8498d5/pcn_data_matrix.csv",
        "4da8106c9de457ad094ecde4a8122434634d1c1cdc30b3bfaf465f1bb8660952",
    ),
    # no public file: an extract made for this project, and a hand transcription
    "snpp": Remote(None, "153f55b5e996d8e4fca7c9d21979dc4c9ac3e015cdee666e95330dab1dff935e"),
    "afc": Remote(None, "81d495393aea4ea65f9b31995275e70a20d41523739df023f44676ee04b909b1"),
}


def default_cache() -> Path:
    """The download cache (``<repo>/.cache/wfkit-data``; pooch's OS cache when installed)."""
    import pooch

    if (REPO_ROOT / "pyproject.toml").exists():
        return REPO_ROOT / ".cache" / "wfkit-data"
    return Path(pooch.os_cache("wfkit")) / "data-sources"


def update(
    cache: Path | None = None,
    base_url: str | None = None,
    local: Path | None = None,
    remote: dict[str, Remote] | None = None,
) -> dict[str, str]:
    """Download (or reuse from the cache) every raw file and verify its checksum.

    Parameters
    ----------
    cache
        Folder to keep the files in, laid out as :data:`wfkit.data.build.RAW_FILES`
        (default :func:`default_cache`).  Pass it to ``wfkit data build --source``.
    base_url
        Fetch ``<base_url>/<relative path>`` instead of the pinned URLs (a mirror, or a
        local test server).
    local
        Folder to copy files with no public download from (default: the sources folder).
    remote
        Registry to use instead of :data:`REMOTE` (e.g. new files with new checksums).

    Returns
    -------
    dict
        For each raw file key: ``"downloaded"``, ``"cached"``, ``"copied"`` or ``"missing"``.

    Raises
    ------
    InputError
        If a download fails or a file's checksum differs from the registry.
    """
    import pooch

    dest = Path(cache) if cache is not None else default_cache()
    registry = remote if remote is not None else REMOTE
    local = Path(local) if local is not None else sources_dir()
    status: dict[str, str] = {}
    for key, rel in RAW_FILES.items():
        entry = registry[key]
        target = dest / rel
        url = f"{base_url.rstrip('/')}/{quote(rel)}" if base_url else entry.url
        if url is None:
            src = local / rel
            if src.exists():
                if pooch.file_hash(str(src)) != entry.sha256:
                    raise InputError(
                        "checksum differs from the registry; update the registry "
                        "if the file was changed on purpose",
                        source=str(src),
                    )
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
                status[key] = "copied"
            else:
                status[key] = "missing"
            continue
        existed = target.exists() and pooch.file_hash(str(target)) == entry.sha256
        try:
            pooch.retrieve(
                url,
                known_hash=f"sha256:{entry.sha256}",
                fname=target.name,
                path=target.parent,
                progressbar=False,
            )
        except ValueError as exc:  # pooch's checksum mismatch
            raise InputError(f"checksum mismatch for {url}: {exc}", source=str(target)) from None
        except Exception as exc:  # network or HTTP errors
            raise InputError(f"download failed from {url}: {exc}", source=str(target)) from None
        status[key] = "cached" if existed else "downloaded"
    return status
