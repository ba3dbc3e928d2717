"""Run a game under the harness and record everything numeric it holds, frame by frame.

The game is driven by random input (actions held for a few frames, as hands would) or by a
person (``play=True``: a real window, enlarged, paced to the wall clock, the person's keyboard
and mouse driving the game's). At every frame
boundary the game is suspended, so its globals, its objects and the locals of the functions it is
running can all be read; the calls of its own functions are counted by a sampled profile hook.
When the game ends, it is started again, until the frame budget is spent.
"""

from __future__ import annotations

import os
import random
import sys
import time
import types
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygame

from pygameplayer.actions import Action, ActionTable, mouse_grid, parse_key
from pygameplayer.entry import Entry
from pygameplayer.errors import GameCrashed, GameStalled, InvalidAction, PygamePlayerError
from pygameplayer.inspection.calls import CallCounter
from pygameplayer.inspection.snapshot import Reader, prefix
from pygameplayer.inspection.source import SourceFacts, action_keys, scan
from pygameplayer.inspection.tracks import FrameInfo, Timeline, Track
from pygameplayer.play import Hands
from pygameplayer.session import IDLE, Ended, GameSession
from pygameplayer.targets import _function_name

#: Keys pressed when the source names none (most games read some of these).
FALLBACK_KEYS = ("K_LEFT", "K_RIGHT", "K_UP", "K_DOWN", "K_SPACE", "K_RETURN")
#: Random input holds each action for 1 to this many frames.
MAX_HOLD = 8
#: Screens are compared at this size at most (a hash of a scaled copy, not of every pixel).
COMPARE_SIZE = (160, 120)
#: Frames between two looks at which modules the game has imported.
MODULE_REFRESH = 60


@dataclass
class Observations:
    """Everything one inspection saw."""

    entry: Entry
    tracks: dict[str, Track]
    timeline: Timeline
    facts: SourceFacts
    actions: ActionTable
    action_mode: str
    screen_size: tuple[int, int] | None
    fps: float
    seconds: float
    modules: list[str]
    played: bool = False  #: a person played instead of random input
    notes: list[str] = field(default_factory=list)


def choose_actions(mode: str, facts: SourceFacts, screen: tuple[int, int] | None) -> ActionTable:
    """The action table random input picks from: ``keys``, ``mouse`` or a list of keys."""
    if mode == "mouse":
        return ActionTable(mouse_grid(4, 3, screen or (640, 480)))
    if mode == "keys":
        keys = action_keys(facts) or list(FALLBACK_KEYS)
    else:
        keys = [k.strip() for k in mode.split(",") if k.strip()]
        if not keys:
            raise InvalidAction(
                f"--actions {mode!r} names no keys: use 'keys', 'mouse' or key names separated by "
                "commas, such as 'left,right,space'"
            )
    table: dict[str, Any] = {"noop": []}
    for key in keys:
        code = parse_key(key)
        table[pygame.key.name(code).replace(" ", "_") or key] = Action(keys=frozenset({code}))
    return ActionTable(table)


class _Recorder:
    """Reads the suspended game after each frame and keeps the tracks and the timeline."""

    def __init__(self, session: GameSession) -> None:
        self.session = session
        self.tracks: dict[str, Track] = {}
        self.timeline = Timeline()
        self.reader = Reader()
        self.episode = 0
        self._modules: dict[str, types.ModuleType] = {}
        self._namespaces: dict[int, str] = {}
        self._screen_hash: int | None = None
        self._refreshed = -MODULE_REFRESH

    def new_episode(self) -> None:
        self.timeline.episode_starts.append(len(self.timeline.frames))
        self._refreshed = -MODULE_REFRESH
        self._screen_hash = None

    def end_episode(self, reason: str) -> None:
        self.timeline.ends.append((len(self.timeline.frames) - 1, reason))
        for track in self.tracks.values():
            if track.episode == self.episode:
                track.close_episode()
        self.episode += 1

    def record(
        self,
        drew: bool,
        calls: dict[str, int] | None,
        action: int = 0,
        pressed: bool = False,
        ended: bool = False,
    ) -> None:
        """Read the game after a frame (after its end: its globals, and the stack it ended in)."""
        frame = len(self.timeline.frames)
        if frame - self._refreshed >= MODULE_REFRESH:
            self._modules = game_modules(self.session)
            self._namespaces = {id(m.__dict__): name for name, m in self._modules.items()}
            self._refreshed = frame
        frames = self.session.game_frames()
        values = self.reader.read(self._modules, frames)
        tracks, episode = self.tracks, self.episode
        for path, value in values.items():
            track = tracks.get(path)
            if track is None:
                tracks[path] = Track(path, value, frame, episode)
            else:
                track.seen += 1
                if track.episode != episode or value != track.value:
                    track.update(value, frame, episode)
        names = self._namespaces
        stack = tuple(
            prefix(names[id(f.f_globals)]) + _function_name(f.f_code)
            for f in frames
            if id(f.f_globals) in names and f.f_code.co_name != "<module>"
        )
        if ended and self.timeline.frames:
            stack = self.timeline.frames[-1].stack
        info = FrameInfo(episode, stack, drew, self._static(), action, pressed)
        self.timeline.frames.append(info)
        if calls:
            self.timeline.calls[frame] = calls

    def _static(self) -> bool:
        surface = self.session.display_surface()
        if surface is None:
            return False
        width, height = surface.get_size()
        if width > COMPARE_SIZE[0] or height > COMPARE_SIZE[1]:
            surface = pygame.transform.scale(surface, COMPARE_SIZE)
        digest = zlib.crc32(pygame.image.tobytes(surface, "RGB"))
        same = digest == self._screen_hash
        self._screen_hash = digest
        return same


def observe(
    entry_text: str,
    *,
    actions: str = "keys",
    steps: int | None = 2000,
    seed: int = 0,
    play: bool = False,
) -> Observations:
    """Run the game for ``steps`` frames (a person playing: until the game ends) and record it."""
    entry = Entry.parse(entry_text)
    if play:
        _check_display()
    started = time.perf_counter()
    session = GameSession(entry, name=_name(entry), headless=not play)
    notes: list[str] = []
    session.open()
    try:
        _first_start(session, seed)
        modules = game_modules(session)
        facts = scan(_files(modules))
        screen = _screen_size(session)
        mode = actions
        if actions == "keys" and not facts.keys and facts.mouse:
            mode = "mouse"
            notes.append("the game reads the mouse and names no keys: random input clicks")
        elif actions == "keys" and not facts.keys:
            notes.append(
                "found no keys in the game's source: random input presses "
                + ", ".join(FALLBACK_KEYS)
            )
        table = choose_actions(mode, facts, screen)
        recorder = _Recorder(session)
        recorder.new_episode()
        recorder.record(True, None)
        counter = _drive(session, recorder, table, steps, seed, play, notes)
        if counter.displaced:
            notes.append("another profiler was running, so the game's calls were not counted")
        recorder.timeline.call_stride = counter.stride
        recorder.timeline.profiled_frames = counter.profiled_frames
        recorder.timeline.returns = counter.returns
        names = sorted(set(modules) | set(game_modules(session)))
        fps = 1000.0 / session.side.frame_ms
    finally:
        session.close()
    return Observations(
        entry=entry,
        tracks=recorder.tracks,
        timeline=recorder.timeline,
        facts=facts,
        actions=table,
        action_mode=mode,
        screen_size=screen,
        fps=fps,
        seconds=time.perf_counter() - started,
        modules=names,
        played=play,
        notes=notes,
    )


def _check_display() -> None:
    """A person playing needs a window: say so up front on a Linux machine without a display."""
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("SDL_VIDEODRIVER"):
        raise PygamePlayerError(
            "--play opens a window, and this machine has no display (neither DISPLAY nor "
            "WAYLAND_DISPLAY is set): run it where a window can show, or leave out --play"
        )


def _first_start(session: GameSession, seed: int) -> None:
    try:
        session.start(seed)
    except GameStalled:
        raise GameStalled(
            f"game {session.name!r} (entry {session.entry.text!r}) ran {session.stall_frames} "
            "frames without updating the display, so there is nothing to inspect: a game must call "
            "pygame.display.flip() or pygame.display.update() to show frames"
        ) from None


def _restart(session: GameSession, recorder: _Recorder, seed: int, notes: list[str]) -> bool:
    """Start the game again after it ended; on failure, say so and stop inspecting."""
    try:
        session.start(seed + recorder.episode)
    except PygamePlayerError as exc:
        notes.append(f"stopped early: the game did not start again ({exc})")
        return False
    recorder.new_episode()
    recorder.record(True, None)
    return True


def _drive(
    session: GameSession,
    recorder: _Recorder,
    table: ActionTable,
    steps: int | None,
    seed: int,
    play: bool,
    notes: list[str],
) -> CallCounter:
    """Step the game with random input (or let the person play), restarting it when it ends."""
    chooser = random.Random(seed)
    counter = CallCounter(_function_namer(session))
    index, held_for, frame = 0, 0, 0
    action = table[0]
    window = session.window
    hands = Hands(session.inputs.apply, window.to_game) if window is not None else None
    pace = pygame.time.Clock()
    while steps is None or frame < steps:
        pressed = False
        if hands is not None:  # the person's keys and mouse, then the game at its own pace
            for event in pygame.event.get():
                pressed = hands.feel(event) or pressed
            if hands.quit is not None:
                notes.append(f"stopped: {hands.quit}")
                break
            pace.tick(1000.0 / session.side.frame_ms)
        else:
            if held_for <= 0:
                index = chooser.randrange(len(table))
                chosen = table[index]
                pressed = bool(chosen.keys - action.keys or chosen.clicks or chosen.buttons)
                action, held_for = chosen, chooser.randint(1, MAX_HOLD)
            held_for -= 1
            session.inputs.apply(action)
        frame += 1
        try:
            message, calls = counter.run(frame, session.resume)
        except KeyboardInterrupt:
            if not play:
                raise
            notes.append("stopped with Ctrl-C")
            break
        except GameCrashed as crash:
            first_line = str(crash).splitlines()[0]
            notes.append(f"the game crashed after {frame} frames ({first_line}); started again")
            recorder.end_episode("crashed")
            if not _restart(session, recorder, seed, notes):
                break
            continue
        recorder.record(message != IDLE, calls, index, pressed, isinstance(message, Ended))
        if isinstance(message, Ended):
            recorder.end_episode(message.reason)
            if play or not _restart(session, recorder, seed, notes):
                break
    return counter


def _function_namer(session: GameSession) -> Callable[[types.CodeType], str | None]:
    """Names game functions as targets do (``"pong:Ball.update"``); ``None`` for other code."""
    modules: dict[str, str] = {}

    def refresh() -> None:
        for name, module in game_modules(session).items():
            filename = getattr(module, "__file__", None)
            if filename:
                modules[filename] = name

    def name_of(code: types.CodeType) -> str | None:
        if code.co_name.startswith("<") or code.co_filename.startswith("<"):
            return None  # module bodies, comprehensions and lambdas: not functions to hook
        if code.co_filename not in modules:
            refresh()
        module = modules.get(code.co_filename)
        return None if module is None else prefix(module) + _function_name(code)

    refresh()
    return name_of


def _files(modules: dict[str, types.ModuleType]) -> list[Path]:
    paths = {Path(f) for m in modules.values() if (f := getattr(m, "__file__", None))}
    return sorted(p for p in paths if p.suffix == ".py")


def _screen_size(session: GameSession) -> tuple[int, int] | None:
    surface = session.display_surface()
    return surface.get_size() if surface is not None else None


def game_modules(session: GameSession) -> dict[str, types.ModuleType]:
    """The game's modules by name, its main module included (``__main__`` for scripts)."""
    modules = session.game_modules()
    if session.main_module is not None:
        modules.setdefault(session.entry.main_name, session.main_module)
    return modules


def _name(entry: Entry) -> str:
    if entry.path is not None:
        return entry.path.stem
    return str(entry.module).rpartition(".")[2]
