"""Run every benchmarks/bench_*.py script in turn and print its output (`make bench`).

Benchmarks report numbers beside their targets; they are not tests. This runner exits non-zero
only when a script crashes, not when a number misses its target.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    crashed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
        if completed.returncode != 0:
            crashed.append(script.name)
    if crashed:
        print(f"Crashed: {', '.join(crashed)}")
        return 1
    print(f"{len(scripts)} benchmark script(s) run.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
