"""
Lays out the faces of one role of a training run (`val`, `holdout`, `train`) as a folder of
class subfolders (symbolic links to the shared data), the layout `maskwatch evaluate` reads:

    python3 training/face_subset.py <run>/data-manifest.csv val <out folder> [--data ../shared/data]
"""
import argparse
import csv
import os
import sys
from pathlib import Path

FOLDER_OF_LABEL = {"mask": "with_mask", "no_mask": "without_mask", "incorrect": "mask_worn_incorrectly"}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("manifest")
    p.add_argument("role", choices=("train", "holdout", "val"))
    p.add_argument("out")
    p.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    args = p.parse_args(argv)
    out, data = Path(args.out), Path(args.data).resolve()
    count = 0
    with open(args.manifest, newline="") as f:
        for row in csv.DictReader(f):
            if row["role"] != args.role:
                continue
            folder = out / FOLDER_OF_LABEL[row["label"]]
            folder.mkdir(parents=True, exist_ok=True)
            # Source and file name together: two sources may use the same file name.
            link = folder / f"{row['source']}-{Path(row['file']).name}"
            if not link.exists():
                os.symlink(data / row["file"], link)
            count += 1
    print(f"{count} {args.role} faces linked under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
