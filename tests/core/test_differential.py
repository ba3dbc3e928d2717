"""The same games under real PyGame and under the harness see the same things.

Each idiom game in tests/support/toygames/idioms.py runs twice: under real PyGame in a separate
process (SDL's dummy drivers, the wall clock, a person's input posted after each frame as the
events real devices produce) and under the harness (the same input as actions, virtual time).
Each writes down what it saw every frame; the records must match. Where they cannot, the
difference allowed is stated:

* Posting events does not move SDL's own keyboard and mouse state, so under real PyGame
  ``key.get_pressed()``, ``get_mods()``, ``mouse.get_pos/get_pressed/get_rel`` and pygame-ce's
  ``get_just_pressed()`` do not follow posted input. There the harness must answer what the input
  implies (what a real keyboard and mouse would make SDL answer), worked out here from the steps.
* Real time runs late, by however long the machine makes it wait; game time is exact. Clock
  readings under real PyGame may be up to 2 ms early (PyGame waits whole milliseconds) and are
  late by at most 15 ms on the median reading (a busy machine delays some of them a lot). Timer
  events come in the same order; under real PyGame they may come frames earlier (real frames
  run late) but not more than one frame later.
* A desktop posts more window events when a window opens than SDL's dummy driver does: the
  harness posts a desktop's (shown, exposed, focus gained), the dummy driver fewer.
* SDL's dummy driver cannot create a ``SCALED`` window; a desktop can, of the asked size.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest
from differential import (
    FRAMES,
    NOTHING,
    POINTING,
    PRESSING,
    SCHEDULES,
    TYPING,
)

from pygameplayer.env import GameEnv
from pygameplayer.spec import GameSpec

SUPPORT = Path(__file__).resolve().parents[1] / "support"
TIMING = ("time", "raw", "returned", "elapsed", "ticks")

#: idiom -> (input schedule, fields compared with what the input implies instead of real PyGame)
IDIOMS = {
    "get_everything": ("typing", ()),
    "get_positional_filter": ("typing", ()),
    "get_keyword_filter": ("typing", ()),
    "get_exclude": ("typing", ()),
    "get_type_and_exclude": ("none", ()),
    "poll_until_empty": ("typing", ()),
    "peek_then_get": ("typing", ()),
    "pump_and_poll_the_keyboard": ("typing", ("pressed", "mods")),
    "wait_for_input": ("pressing", ()),
    "wait_with_timeout": ("typing", ()),
    "post_own_events": ("none", ()),
    "block_and_allow": ("typing", ()),
    "clear_some": ("typing", ()),
    "custom_types_at_import": ("none", ()),
    "timers": ("none", ()),
    "keyboard_state": ("typing", ("pressed", "mods")),
    "set_mods_clears_held_modifiers": ("typing", ("held",)),
    "key_names": ("none", ()),
    "mouse_events": ("pointing", ("pos", "buttons")),
    "mouse_relative_motion": ("pointing", ("rel",)),
    "mouse_clicks_only": ("pointing", ()),
    "tick_returns": ("none", ()),
    "tick_busy_loop": ("none", ()),
    "waits_and_delays": ("none", ()),
    "standard_time_module": ("none", ()),
    "first_clock_reads": ("none", ()),
    "display_queries": ("none", ()),
    "update_variants": ("none", ()),
    "scaled_window": ("none", ()),
    "desktop_sized_window": ("none", ()),
    "window_and_audio_events": ("none", ()),
    "quits_at_frame_five": ("none", ()),
    "posts_quit_and_leaves": ("none", ()),
    "community_edition_names": ("typing", ("just",)),
}
CE_ONLY = {"community_edition_names"}


def _available(name):
    return name not in CE_ONLY or hasattr(pygame, "Window")


@pytest.fixture(scope="module")
def real_pygame():
    """What every idiom saw under real PyGame, from one run in a separate process."""
    arguments = [f"{n}:{s}" for n, (s, _) in IDIOMS.items() if _available(n)]
    result = subprocess.run(
        [sys.executable, str(SUPPORT / "differential.py"), *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SUPPORT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def play_under_harness(name, steps):
    table = {}
    for hands in steps:
        table.setdefault(hands, f"a{len(table)}")
    table.setdefault(NOTHING, f"a{len(table)}")
    actions = {label: hands.action() for hands, label in table.items()}
    env = GameEnv(GameSpec(name=f"idiom-{name}", entry=f"toygames.idioms:{name}", actions=actions))
    try:
        env.reset(seed=0)
        for step in range(FRAMES):
            hands = steps[step] if step < len(steps) else NOTHING
            _, _, terminated, _, _ = env.step(env.action_names.index(table[hands]))
            if terminated:
                break
        return json.loads(json.dumps(env.session.main_module.seen))
    finally:
        env.close()


def implied(field, frame, steps, records, index):
    """What real devices would make SDL answer for ``field`` at ``frame``."""
    applied = [steps[i] if i < len(steps) else NOTHING for i in range(frame)]
    now = applied[-1] if applied else NOTHING
    if field == "pressed":
        codes = {"left": pygame.K_LEFT, "right": pygame.K_RIGHT, "space": pygame.K_SPACE}
        codes.update({"a": pygame.K_a, "lshift": pygame.K_LSHIFT})
        from toygames.idioms import WATCHED_KEYS

        return [k for k in WATCHED_KEYS if k in {codes[name] for name in now.keys}]
    if field == "mods":
        return pygame.KMOD_LSHIFT if "lshift" in now.keys else 0
    if field == "held":  # the game clears the bits each frame; SDL sets one when its key goes down
        before = applied[-2] if len(applied) > 1 else NOTHING
        return pygame.KMOD_LSHIFT if "lshift" in now.keys and "lshift" not in before.keys else 0
    positions = [h.mouse for h in applied if h.mouse is not None]
    if field == "pos":
        return list(positions[-1]) if positions else [0, 0]
    if field == "buttons":
        held = set(now.buttons) | {b for b in now.clicks if b not in (4, 5)}
        return [b in held for b in (1, 2, 3)]
    if field == "rel":
        previous = records[index - 1]["frame"] if index else 0
        before = [h.mouse for h in applied[:previous] if h.mouse is not None]
        start, end = (before[-1] if before else (0, 0)), (positions[-1] if positions else (0, 0))
        return [end[0] - start[0], end[1] - start[1]]
    if field == "just":
        before = applied[-2] if len(applied) > 1 else NOTHING
        codes = {"left": pygame.K_LEFT, "right": pygame.K_RIGHT, "space": pygame.K_SPACE}
        codes.update({"a": pygame.K_a, "lshift": pygame.K_LSHIFT})
        from toygames.idioms import WATCHED_KEYS

        fresh = {codes[k] for k in now.keys if k not in before.keys}
        return [k for k in WATCHED_KEYS if k in fresh]
    raise AssertionError(field)


def time_pairs(harness, real):
    """Clock readings side by side (lists of readings pairwise)."""
    if isinstance(harness, list):
        assert len(harness) == len(real)
        return [pair for h, r in zip(harness, real) for pair in time_pairs(h, r)]
    return [(harness, real)]


@pytest.mark.parametrize("name", [n for n in IDIOMS if _available(n)])
def test_the_harness_shows_a_game_what_pygame_shows_it(real_pygame, name):
    schedule, implied_fields = IDIOMS[name]
    steps = SCHEDULES[schedule]
    keep = name == "window_and_audio_events"
    harness = as_deltas(play_under_harness(name, steps), keep)
    real = as_deltas(real_pygame[name], keep)
    if name == "scaled_window" and real and "error" in real[-1]:
        assert "renderer" in real[-1]["error"]  # the dummy driver; a desktop gives the size
        assert {tuple(r["size"]) for r in harness} == {(24, 16)}
        return
    assert not any("error" in r for r in real), real[-1]
    count = min(len(harness), len(real))
    assert count >= 5
    assert len(harness) == len(real) or abs(len(harness) - len(real)) == 1
    if name == "timers":
        assert_timers_match(harness, real)
        return
    if name == "window_and_audio_events":
        assert harness[0]["events"][:2] == ["AudioDeviceAdded"] * 2 == real[0]["events"][:2]
        desktop = ["WindowShown", "VideoExpose", "WindowExposed", "ActiveEvent"]
        assert harness[0]["events"][2:] == [*desktop, "WindowFocusGained"]
        assert "WindowShown" in real[0]["events"]
        assert all(r["events"] == [] for r in harness[1:])
        return
    timings = []
    for index, (mine, theirs) in enumerate(zip(harness[:count], real[:count])):
        assert mine.keys() == theirs.keys(), (index, mine, theirs)
        for field, value in mine.items():
            where = f"{name}, record {index} (frame {mine['frame']}), {field}"
            if field in implied_fields:
                assert value == implied(field, mine["frame"], steps, harness, index), where
            elif field in TIMING:
                timings += time_pairs(value, theirs[field])
            elif field == "fps":
                assert (value == 0) == (theirs[field] == 0), where
            elif field == "elapsed_s":
                in_ms = [[v * 1000 for v in values] for values in (value, theirs[field])]
                timings += time_pairs(*in_ms)
            else:
                assert value == theirs[field], f"{where}: {value} vs {theirs[field]}"
    assert_times_match(timings, name)


#: Window events, which differ between a desktop and SDL's dummy driver (see above).
WINDOW_EVENTS = {
    "WindowShown", "WindowHidden", "VideoExpose", "WindowExposed", "ActiveEvent", "WindowEnter",
    "WindowLeave", "WindowFocusGained", "WindowFocusLost", "WindowSizeChanged", "WindowResized",
    "VideoResize", "WindowMoved",
}  # fmt: skip


def as_deltas(records, keep_window_events=False):
    """Clock readings as time since the previous record (late real frames do not add up), and
    window events left out (compared by their own idiom)."""
    previous = None
    for record in records:
        if "events" in record and not keep_window_events:
            record["events"] = [e for e in record["events"] if _name(e) not in WINDOW_EVENTS]
        if record.get("event") in WINDOW_EVENTS:
            record["event"] = "a window event"
        if "ticks" in record:
            now = record["ticks"]
            record["ticks"] = 0 if previous is None else now - previous
            previous = now
    return records


def assert_times_match(timings, name):
    """Real PyGame is never early (beyond whole-millisecond waits) and, typically, on time."""
    if not timings:
        return
    late = np.array([real - mine for mine, real in timings])
    assert late.min() >= -2, f"{name}: real PyGame was {-late.min():.1f} ms early: {timings}"
    assert np.median(late) <= 15, (
        f"{name}: real PyGame was {np.median(late):.1f} ms late: {timings}"
    )


def _name(event):
    return event[0] if isinstance(event, list) else event


def assert_timers_match(harness, real):
    def arrivals(records):
        return [(r["frame"], e) for r in records for e in r["events"]]

    mine, theirs = arrivals(harness), arrivals(real)
    count = min(len(mine), len(theirs))
    assert count >= 5
    assert [e for _, e in mine[:count]] == [e for _, e in theirs[:count]]
    # real frames only run late, so a real timer comes at the same frame or earlier ones
    assert all(b - a <= 1 for (a, _), (b, _) in zip(mine[:count], theirs[:count]))


def test_the_schedules_press_what_the_idioms_watch():
    assert any(h.keys for h in TYPING) and any(h.clicks for h in POINTING)
    assert all(h.keys for h in PRESSING)
