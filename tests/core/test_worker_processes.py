"""Worker processes end with their parent, however it dies; a dead worker is reported plainly."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pygameplayer
from pygameplayer.vector import WorkerError, make_game_vector_env

SUPPORT = Path(__file__).resolve().parents[1] / "support"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the process table from /proc"
)


def children(pid):
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid):
    """Whether ``pid`` is a live process (a zombie is dead: it only waits to be reaped)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def still_running_after(pids, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if running(pid)]
        if not alive:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if running(pid)]


def start_and_kill(args, ready, workers, log):
    """Start a process, wait until ``ready()`` and it has ``workers`` children, kill -9 it.

    Its output goes to the file ``log`` (workers that outlive it would hold a pipe open).
    Returns the children's pids.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SUPPORT), str(ROOT)])}
    with open(log, "w") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not (ready() and len(children(proc.pid)) >= workers):
            assert proc.poll() is None, Path(log).read_text()[-3000:]
            assert time.monotonic() < deadline, "the process never got going"
            time.sleep(0.1)
        pids = children(proc.pid)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    return pids


def assert_all_end(pids, seconds=3.0):
    """Every process in ``pids`` ends within ``seconds``; any left are killed after the check."""
    left = still_running_after(pids, seconds)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} of {len(pids)} workers outlived their parent"


def test_the_workers_of_a_training_run_end_with_it(tmp_path):
    runs = tmp_path / "runs"
    command = [sys.executable, "-m", "pygameplayer", "run", "minipong", "--num-envs", "3"]
    command += ["--processes", "3"]
    command += ["--steps", "100000000", "--runs-dir", str(runs), "--no-progress"]
    log = tmp_path / "out.txt"
    pids = start_and_kill(command, lambda: list(runs.glob("*/episodes.csv")), 2, log)
    assert_all_end(pids)


def test_evaluation_and_rollout_workers_end_with_their_parent(tmp_path):
    script = textwrap.dedent(
        """
        import threading, time
        import pygameplayer
        from pygameplayer.agents.world_models.workers import LocalPool, WorkerSetup
        from pygameplayer.vector import make_game_vector_env

        spec = pygameplayer.get_spec("minipong")
        evaluation = make_game_vector_env(spec, 1, in_process=False)
        evaluation.reset(seed=0)
        pools = []
        # made from another thread: the kernel's parent-death signal follows the thread that
        # started a process, so these workers watch for their parent themselves
        setup = WorkerSetup(spec, {}, 10)
        maker = threading.Thread(target=lambda: pools.append(LocalPool(setup, 2)))
        maker.start()
        maker.join()
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    log = tmp_path / "out.txt"
    command = [sys.executable, "-c", script]
    pids = start_and_kill(command, lambda: "ready" in log.read_text(), 3, log)
    assert len(pids) == 3
    assert_all_end(pids)


def test_a_worker_sees_its_pipe_close_when_the_parent_closes_it():
    """No forked worker keeps a copy of the parent's end of a pipe."""
    spec = pygameplayer.register_game(
        "catch-workers", entry="toygames.catch:main", actions={"noop": [], "left": ["K_LEFT"]}
    )
    envs = make_game_vector_env(spec, 2, in_process=False)
    try:
        envs.reset(seed=0)
        first = envs._procs[0]
        envs._conns[0].close()
        first.join(timeout=10)
        assert first.exitcode is not None, "the worker never saw end-of-file on its pipe"
    finally:
        envs.close()


def test_a_killed_worker_is_reaped_and_named_and_every_later_call_says_so():
    spec = pygameplayer.register_game(
        "catch-killed", entry="toygames.catch:main", actions={"noop": [], "left": ["K_LEFT"]}
    )
    envs = make_game_vector_env(spec, 2, processes=2)  # env 0 here, env 1 in a worker
    try:
        envs.reset(seed=0)
        envs.step([0, 0])
        pid = envs._procs[1].pid
        os.kill(pid, signal.SIGKILL)
        message = "the worker process of game group 1 was killed by SIGKILL"
        with pytest.raises(WorkerError, match=message):
            for _ in range(100):  # the kill may land a step or two late
                envs.step([0, 0])
        assert not Path(f"/proc/{pid}").exists(), "the dead worker was left a zombie"
        with pytest.raises(WorkerError, match=message):
            envs.reset(seed=1)
        with pytest.raises(WorkerError, match=message):
            envs.step([0, 0])
        with pytest.raises(WorkerError, match=message):
            envs.call("render")
    finally:
        envs.close()
