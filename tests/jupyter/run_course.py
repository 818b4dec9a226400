"""Runs the whole course in Jupyter: every notebook twin (notebooks/*.ipynb) executed with nbclient through the
kernelspec micrograd-csharp, one kernel a notebook, started in the notebooks folder, as `jupyter nbconvert --execute`
or papermill run it.

Run: /usr/bin/python3 tests/jupyter/run_course.py [--out DIR]   (after `kernel install`; JUPYTER_DATA_DIR is honoured)
Needs Debian's python3-nbclient and python3-nbformat.

Prints a line a notebook (seconds, code cells, error outputs) and the total time; with --out, writes each executed
notebook there under its own name. Every cell runs even after an error (allow_errors), so that all errors are listed.
Exit code: 0 when no output is an error, 1 when some are, 2 for bad usage.
"""

import argparse
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("KERNEL_NAME", "micrograd-csharp")
NOTEBOOKS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks"))


def execute(path, timeout=600):
    """Runs one notebook top to bottom; returns the executed notebook and the seconds it took (kernel start included)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(path)}})
    started = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - started


def errors(nb):
    """Every error output: (cell number among the code cells, ename, evalue)."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    return [(n, o.get("ename", ""), o.get("evalue", ""))
            for n, c in enumerate(code_cells, 1) for o in c.get("outputs", []) if o.get("output_type") == "error"]


def run_course(out=None):
    """Executes every twin in order; returns [(name, seconds, code cells, errors)] and the total seconds."""
    rows = []
    started = time.perf_counter()
    for path in sorted(glob.glob(os.path.join(NOTEBOOKS, "*.ipynb"))):
        nb, seconds = execute(path)
        found = errors(nb)
        rows.append((os.path.basename(path), seconds, sum(c.cell_type == "code" for c in nb.cells), found))
        if out:
            nbformat.write(nb, os.path.join(out, os.path.basename(path)))
    return rows, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description="Execute every course notebook twin with nbclient through the micrograd-csharp kernel.")
    parser.add_argument("--out", help="a folder for the executed notebooks")
    args = parser.parse_args()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    rows, total = run_course(args.out)
    for name, seconds, cells, found in rows:
        print(f"{name}: {seconds:.1f} s, {cells} code cells, {len(found)} errors")
        for n, ename, evalue in found:
            print(f"  error in code cell {n}: {ename}: {evalue}")
    failed = sum(len(found) for *_, found in rows)
    print(f"the course through nbclient: {len(rows)} notebooks in {total:.1f} s, {failed} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
