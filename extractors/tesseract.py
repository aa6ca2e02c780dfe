"""The one door to the tesseract program: every call has a timeout and OMP_THREAD_LIMIT=1.

With OpenMP left unset, tesseract oversubscribes the cores and a page takes 6× longer
(../shared/notes/tesseract.md); parallelism comes from running one process per core instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image

from mailroom.errors import ExternalToolError, ToolMissingError, ToolTimeoutError

INSTALL_ADVICE = "install it with `make setup` (Debian packages tesseract-ocr, -eng, -chi-sim)"


@dataclass(frozen=True)
class TesseractInfo:
    version: str
    languages: frozenset[str]


def _binary() -> str:
    found = shutil.which("tesseract")
    if found is None:
        raise ToolMissingError(f"tesseract is not installed: {INSTALL_ADVICE}.")
    return found


# One tesseract process per core in this process, however many pages and submissions are being
# read at once: more would only make each slower (and the timeout counts from the start).
_cores = threading.BoundedSemaphore(os.cpu_count() or 1)


def _run(argv: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        with _cores:
            result = subprocess.run(argv, capture_output=True, timeout=timeout, env=env,
                                    check=False)
    except subprocess.TimeoutExpired as e:
        raise ToolTimeoutError(f"tesseract took longer than {timeout:g} s and was stopped.") from e
    except OSError as e:
        raise ToolMissingError(f"tesseract cannot be started ({e}): {INSTALL_ADVICE}.") from e
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExternalToolError(f"tesseract failed: {message[-1] if message else result.returncode}")
    return result


@cache
def probe() -> TesseractInfo:
    binary = _binary()
    version = _run([binary, "--version"], 30).stdout.decode().splitlines()[0].split()[-1]
    listed = _run([binary, "--list-langs"], 30).stdout.decode().splitlines()[1:]
    return TesseractInfo(version=version, languages=frozenset(x.strip() for x in listed if x))


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float


@dataclass(frozen=True)
class OcrResult:
    text: str
    words: tuple[OcrWord, ...]  # with their boxes in pixels, for reading zones of a form

    @property
    def confidence(self) -> float:
        """Mean word confidence, 0-100 (-1 when no word was found)."""
        scores = [w.confidence for w in self.words]
        return sum(scores) / len(scores) if scores else -1.0


def ocr_image(
    image: Image.Image, *, languages: str = "eng", psm: int = 3, timeout: float = 120,
    whitelist: str | None = None,
) -> str:
    """Text of ``image``. Raises ``ToolTimeoutError``, ``ToolMissingError``, ``ExternalToolError``."""
    return ocr_with_confidence(image, languages=languages, psm=psm, timeout=timeout,
                               whitelist=whitelist).text


def ocr_with_confidence(
    image: Image.Image, *, languages: str = "eng", psm: int = 3, timeout: float = 120,
    whitelist: str | None = None,
) -> OcrResult:
    """Text and mean word confidence from one tesseract run (the txt and tsv renderers together)."""
    missing = set(languages.split("+")) - probe().languages
    if missing:
        raise ToolMissingError(
            f"tesseract has no {', '.join(sorted(missing))} language data: {INSTALL_ADVICE}."
        )
    with tempfile.TemporaryDirectory(prefix="mailroom-ocr-") as folder:
        source, output = Path(folder) / "page.tif", Path(folder) / "out"
        image.save(source, format="TIFF", compression="raw")  # never a frame's own encoder
        argv = [_binary(), str(source), str(output), "-l", languages, "--psm", str(psm)]
        if whitelist:
            argv += ["-c", f"tessedit_char_whitelist={whitelist}"]
        _run([*argv, "txt", "tsv"], timeout)
        text = output.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        tsv = output.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    return OcrResult(text, _words(tsv))


def ocr_each(
    images: Sequence[Image.Image], *, languages: str = "eng", psm: int = 8, timeout: float = 120,
) -> list[OcrResult]:
    """Read several small images (a form's zones) in ONE tesseract run: the language model is
    loaded once instead of once per image, which is most of a small image's cost."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="mailroom-ocr-") as folder:
        paths = [Path(folder) / f"zone-{n:03}.png" for n in range(len(images))]
        for image, path in zip(images, paths, strict=True):
            image.save(path)
        listing, output = Path(folder) / "zones.txt", Path(folder) / "out"
        listing.write_text("".join(f"{path}\n" for path in paths))
        _run([_binary(), str(listing), str(output), "-l", languages, "--psm", str(psm), "tsv"],
             timeout)
        tsv = output.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    pages: dict[int, list[OcrWord]] = {}
    for page, word in _page_words(tsv):
        pages.setdefault(page, []).append(word)
    return [OcrResult(" ".join(w.text for w in pages.get(n, [])), tuple(pages.get(n, [])))
            for n in range(1, len(images) + 1)]


def _words(tsv: str) -> tuple[OcrWord, ...]:
    return tuple(word for _, word in _page_words(tsv))


def _page_words(tsv: str) -> Iterator[tuple[int, OcrWord]]:
    """(page number from 1, word) for every word of tesseract's TSV output."""
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[11].strip():
            try:
                left, top, width, height = (int(c) for c in cells[6:10])
                yield int(cells[1]), OcrWord(cells[11].strip(), left, top, width, height,
                                             float(cells[10]))
            except ValueError:
                continue


def orientation(image: Image.Image, *, timeout: float = 60) -> int:
    """Degrees to turn ``image`` clockwise so its text stands upright (0, 90, 180, 270), by
    tesseract's orientation detection; 0 when it cannot tell (too little text)."""
    with tempfile.TemporaryDirectory(prefix="mailroom-osd-") as folder:
        source = Path(folder) / "page.tif"  # uncompressed: quickest to write and to read
        image.save(source, format="TIFF", compression="raw")
        try:
            report = _run([_binary(), str(source), "stdout", "--psm", "0"], timeout).stdout
        except ToolTimeoutError:
            raise
        except ExternalToolError:
            return 0  # "Too few characters": nothing to turn
    for line in report.decode("utf-8", "replace").splitlines():
        if line.startswith("Rotate:"):
            return int(line.split(":")[1]) % 360
    return 0
