"""PassportEye on the development set's passports, run by bench/extraction.py in the bench
environment (.venv-bench, see bench/README.md): its dependencies (scikit-image, scikit-learn,
matplotlib) stay out of the product's environment.

    .venv-bench/bin/python bench/passporteye_run.py FILE...   -> one JSON object per line
"""

from __future__ import annotations

import json
import sys
import warnings

from passporteye import read_mrz


def main() -> None:
    warnings.simplefilter("ignore")
    for path in sys.argv[1:]:
        mrz = read_mrz(path)
        result = {"file": path, "lines": None, "valid": False}
        if mrz is not None:
            facts = mrz.to_dict()
            result["lines"] = facts["raw_text"].split("\n")
            result["valid"] = bool(facts["valid_score"] == 100)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
