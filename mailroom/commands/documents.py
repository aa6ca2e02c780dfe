"""Documents without storing anything: read a file as intake would, write the blank form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import JsonOption


def extract(
    files: Annotated[list[Path], typer.Argument(help="Files to classify and read.")],
    json_output: JsonOption = False,
) -> None:
    """Classify and extract files without storing anything (a passport prints its MRZ)."""
    from extractors.extract import extract_file

    for path in files:
        result = extract_file(path)
        if json_output:
            typer.echo(json.dumps(result, ensure_ascii=False))
            continue
        if result["error"]:
            typer.echo(f"{path}: {result['error']}")
            continue
        typer.echo(f"{path}: {result['kind']} ({result['confidence']:.2f})")
        if result["mrz"]:
            mrz = result["mrz"]
            typer.echo(f"  MRZ {'valid' if mrz['valid'] else 'NOT valid'}: {mrz['line1']}")
            for key in ("line2", "line3"):
                if key in mrz:
                    typer.echo(f"      {mrz[key]}")


def form(
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF file to write.")] = Path(
        "application_form.pdf"),
) -> None:
    """Write the office's blank application form (fillable PDF, Chinese and English)."""
    from mailroom.forms import blank_application_form

    output.write_bytes(blank_application_form())
    typer.echo(f"blank application form: {output}")
