"""Refresh the raw published files with pooch (checksums and a cache), then rebuild.

``wfkit data update`` downloads each raw file the build reads from its pinned public copy,
checks its sha256 and keeps it in a cache folder laid out like ``../shared/data-sources``.
Files with no public download (the hand-transcribed pay points and the copies the
data-sources maintainers rebuilt or summed) are copied from the local sources folder.
Never called by the default tests against
the internet: the tests serve fixture files from 127.0.0.1 through ``base_url``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import InputError
from .build import RAW_FILES
from .paths import sources_dir

__all__ = ["REMOTE", "Remote", "update", "default_cache"]

_GH = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Remote:
    """Where a raw file can be downloaded and the sha256 it must have."""

    url: str | None
    sha256: str


#: files rebuilt or summed by the data-sources maintainers have no public copy: they are
#: copied (checksum checked) from the local sources folder
_LOCAL: dict[str, str] = {
    "map": "4bc77e536421113bc2c3726f3b375c8665a4e01be1eba83235f510ca15779133",
    "map_2026": "e1333b23df0827f7a116da2af29a8138a5f0a5c85bb1f2b621de1f4edef62f64",
    "age": "0b664c27c1cbc736669bd8369eb1e6b995607a06d029be008857e78e732db7a6",
    "age_2025": "074f18c205e934f897900757b2670c3e21bb0fee1912fb99ee75f97064c1a34d",
    "snpp": "4a1b757915aa30d30db956cc371fd9825f349ab723d4860775664881df7b75b8",
    "pcn": "2968b5623b8fdcabd860ce7aa4c5df7b549bee299082ecebaadae312882bd0bc",
    "roles": "1215db995512d1a6fb95ffd4e3451316de64551274a97ee56b92ac1fd3fec976",
    "roles_series": "c731a45cf601071bed8b7ad478a8a4ab17fd8574dce9e4cfb22a08a504f01dd6",
    "pcn_2026": "c2a3f4a2c35e0701a26b62798544c3f7b808bb81762894f5245b024feff180b7",
    "appt_1": "cefc3563216418ea99255aab8914e9d17bbc3150f490ea6426b9cc8d66dd766b",
    "appt_2a": "5d0ad61072159174ad106fc405e3535f48ee434c8ea0f9dca0d6b199ebac9444",
    "appt_2b": "e8ac1ba39d3983657d6eabcc43c99e63a107573c586504290014479445628697",
    "appt_2c": "009451e31c2e848015d5bb7519db8d6da5b50297510f5e98387d8e1286c681ef",
    "appt_3b": "f68a80e28b499d82ef631d99ee8a0f180b8fb55b04c824740cfdd44de315cf74",
    "appt_3c": "9aad7b8507258aff755045cb6358d699be9f56f6aded31c1bfd97e92e22e2575",
    "appt_4": "699d2fa23f162f1e32ab26be47954fabc3801c195a5abccc0485f26ffab48500",
    "appt_5": "0f72ff464b338eeb4c053c2e3dd557e2b7a80813fcbbaa14c3a3dcd070a35c3f",
    "appt_monthly": "51873651853c790571146d1283513f748dce4e635a7ba07461568fff5ca3a01a",
    # a hand transcription
    "afc": "81d495393aea4ea65f9b31995275e70a20d41523739df023f44676ee04b909b1",
}

REMOTE: dict[str, Remote] = {
    "pcn_2022": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/8a7205b2025b12f89fe366b6793400babca4d692/"
        "data/pcn_workforce/raw/"
        + quote("11.Primary Care Networks \u2013 September 2022 Individual Level.csv"),
        "62a81ae936e5a8ab003770bc50fdb4320ea2e0d383f97f92979886b93ce3caef",
    ),
    "workforce": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/fbbc69c833675c4d302fcc63fece22a2d2759664/"
        "data/workforce/workforce_year.csv",
        "13add38ae7cf0a448ce9efe87dd177a059454046fb65e5a69c8eee8a90477c82",
    ),
    "qof_2425": Remote(
        f"{_GH}/efejiroe/praqtis/1188c88672fe0a6aff3a5d06563a4bbd986d6547/"
        "dat/in/PREVALENCE_2425.csv",
        "52c1b570fd700df5f3439d93c715004ecea12a2cd8bc534f1cac930d64e37332",
    ),
    "qof_2223": Remote(
        f"{_GH}/blackwellrd/shiny_app_example/46dcb85318470b46a186458fc072e9f3f36c74c5/"
        "example001/www/PREVALENCE_2223.csv",
        "6a57fa96f110548af98849c0f655fcd61499fb078fc81a8dabff92f9b3e1b103",
    ),
    "payments": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/179bce7afa270885870f53d3631b594d7d353c2d/"
        "data/payments/raw/22-23.csv",
        "f0b637ea5e606616911ce58a95d1e4e2aeea26c0768694976499df85ebf771de",
    ),
    "imd": Remote(
        f"{_GH}/HealthEquityEvidenceCentre/HEEC/9d99dd0cc8836588c6db4569531ab51f822d0cc6/"
        "data/IMD/IMD_raw.csv",
        "43444b8cf9caa82a587e9f1bd5e33159c9bc0235f77c3d205edd9440c9cce78f",
    ),
    "online": Remote(
        f"{_GH}/JLHITS/caip-analytics/8b7379ef768604b486ce04f477b4ce8557ecf163/src/assets/"
        "Submissions%20via%20OC%20Systems%20in%20General%20Practice%20-%20November%202025.xlsx",
        "ed6c772843b148b826208f6169f33888478b2ba80efeeee9fe9f40e44b46bb68",
    ),
    "telephony": Remote(
        f"{_GH}/JLHITS/caip-analytics/8b7379ef768604b486ce04f477b4ce8557ecf163/src/assets/"
        "Cloud%20Based%20Telephony%20Publication%20Summary%20November%202025.xlsx",
        "07014d2e5693408b472b1313058a28ef46c27433d202feb9992e4b5db433f51a",
    ),
    **{k: Remote(None, h) for k, h in _LOCAL.items()},
}


def default_cache() -> Path:
    """Return the download cache folder.

    ``data-sources`` in pooch's user cache folder for wfkit (for example
    ``~/.cache/wfkit/data-sources``), outside the checkout so downloads are never
    committed; pass ``cache`` to :func:`update` to put them elsewhere.
    """
    # lazy: pooch (and requests) only when sources are downloaded
    import pooch

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
    # lazy: pooch (and requests) only when sources are downloaded
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
