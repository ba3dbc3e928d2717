"""Torch threads for a training run: 1 against 2, with the other core idle and with it busy.

    python benchmarks/bench_threads.py                 # DQN and PPO on minipong, 2 repeats
    python benchmarks/bench_threads.py --repeats 3

Each case is a whole ``python -m pygameplayer run`` in its own process (imports included,
evaluation off), timed from start to exit. "busy" runs a pure-Python loop in another process for
the length of the run, as a second job on the machine would. The load average before each run is
printed, since on a shared machine "idle" is only as idle as the neighbours let it be. The runner's
default (``--threads`` left out) was chosen from this table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASES = {
    "dqn": ["minipong", "--agent", "dqn", "--steps", "1500"],
    "ppo_rnd": ["minipong", "--agent", "ppo_rnd", "--steps", "4096"],
}


def timed_run(args: list[str], threads: int, busy: bool) -> float:
    """Seconds for one run, optionally with a spinning process beside it."""
    spinner = None
    if busy:
        spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        with tempfile.TemporaryDirectory() as runs:
            command = [sys.executable, "-m", "pygameplayer", "run", *args, "--threads"]
            command += [str(threads), "--runs-dir", runs, "--eval-episodes", "0", "--no-progress"]
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
            return seconds
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--agents", nargs="+", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    print(f"{os.cpu_count()} logical cores; seconds per whole run (lower is better)")
    print(f"{'agent':<8} {'other core':<10} {'threads':>7}  load before  seconds")
    for agent in args.agents:
        for busy in (False, True):
            times: dict[int, list[float]] = {1: [], 2: []}
            for _ in range(args.repeats):
                for threads in (1, 2):  # interleaved, so drifting load hits both alike
                    load = os.getloadavg()[0]
                    seconds = timed_run(CASES[agent], threads, busy)
                    times[threads].append(seconds)
                    state = "busy" if busy else "idle"
                    print(
                        f"{agent:<8} {state:<10} {threads:>7}  {load:>11.2f}  {seconds:7.1f}",
                        flush=True,
                    )
            one, two = min(times[1]), min(times[2])
            print(
                f"  best of {args.repeats}: 1 thread {one:.1f} s, 2 threads {two:.1f} s, "
                f"2/1 = {two / one:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
