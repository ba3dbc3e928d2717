"""One live game in this process, run frame by frame from the outside.

The game keeps its own main loop. It runs in a greenlet: whenever it reaches a frame boundary
(``Clock.tick``, a wait, or reading input after drawing) the interception layer switches back to
the environment with a message, and the environment switches in again to run the next frame. No
threads, no races: exactly one side runs at a time.

Only one game can be live per process, because PyGame has one display and games keep their state
in module globals. Opening a second raises :class:`GameAlreadyRunning`; after :meth:`close` a new
session may open.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import greenlet
import numpy as np
import pygame

from pygameplayer import interception, sdl
from pygameplayer.entry import CodeCache, Entry, ModuleTracker
from pygameplayer.errors import (
    EntryError,
    GameAlreadyRunning,
    GameCrashed,
    GameStalled,
    PygamePlayerError,
    ResetNeeded,
)
from pygameplayer.eventqueue import EventQueue
from pygameplayer.gametime import GameTime
from pygameplayer.inputs import InputDevice
from pygameplayer.patching import Patcher

FRAME = 1  #: the game drew and reached a frame boundary
IDLE = 2  #: the game reached a frame boundary without drawing (a wait screen, a pause)
READY = 3  #: the game's modules are loaded and its loop is about to start


@dataclass(frozen=True)
class Ended:
    """The game's episode is over: it returned, exited, quit, or a hook ended it."""

    reason: str
    detail: object = None


_live: GameSession | None = None
_PACKAGE_DIR = str(Path(__file__).resolve().parent)
_inherited: list[object] = []


def _forget_inherited_game() -> None:
    """In a child forked while a game was live: that game belongs to the parent.

    The child undoes the inherited patches and releases the one-game claim, so it can open a game
    of its own (as Gymnasium's async vector env workers do). The parent's suspended greenlet is
    kept referenced, never resumed or collected, so none of the game's code runs in the child.
    """
    global _live
    if _live is not None:
        _inherited.append(_live._glet)
        _live._glet = None
        _live._patcher.restore()
        _live.opened = False
        _live = None


os.register_at_fork(after_in_child=_forget_inherited_game)


def _private_random() -> types.ModuleType:
    """A separate copy of :mod:`random`, so the game's random stream is its own."""
    spec = importlib.util.find_spec("random")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class GameSession:
    """Runs one game under the interception layer.

    Args:
        entry: how to start the game.
        name: the game's name, for messages.
        fps: force this frame rate (virtual ms per frame = 1000 / fps); ``None`` follows the rate
            the game asks ``Clock.tick`` for.
        realtime: run on the wall clock and pace frames (a person watching) instead of virtual time.
        headless: use SDL's dummy video and audio drivers.
        passthrough: a person plays: input and time are PyGame's own, only frames are observed.
        stall_frames: frames a game may run without ever drawing before :class:`GameStalled`.
    """

    #: Input or clock reads without a frame boundary before one is forced (busy-wait loops).
    POLL_LIMIT = 1000
    #: Display updates without a frame boundary before one is forced (loops that never wait).
    UPDATE_LIMIT = 8

    def __init__(
        self,
        entry: Entry,
        *,
        name: str = "game",
        fps: float | None = None,
        realtime: bool = False,
        headless: bool = True,
        passthrough: bool = False,
        stall_frames: int = 3000,
    ) -> None:
        self.entry = entry
        self.name = name
        self.fps = fps
        self.realtime = realtime or passthrough
        self.headless = headless
        self.passthrough = passthrough
        self.stall_frames = stall_frames
        self.queue = EventQueue()
        self.inputs = InputDevice(self.queue.post)
        self.time = GameTime(not self.realtime, self.queue.post, pygame.time.get_ticks)
        self.main_module: types.ModuleType | None = None
        self.in_game = False
        self.killing = False
        self.opened = False
        self.ended: Ended | None = None
        self.frames = 0
        self._glet: greenlet.greenlet | None = None
        self._env_glet: greenlet.greenlet | None = None
        self._patcher = Patcher()
        self._game_frame_ms = 1000.0 / 60.0
        self._reset_frame_state()

    # ------------------------------------------------------------------ environment side

    def open(self) -> None:
        """Claim the process, prepare SDL and install the interception layer."""
        global _live
        if self.opened:
            return
        if _live is not None:
            raise GameAlreadyRunning(
                f"cannot open game {self.name!r}: game {_live.name!r} is still running in this "
                "process, and PyGame has only one display. Call close() on the first environment, "
                "or run several games in separate processes with gymnasium.make_vec(..., "
                "vectorization_mode='async')."
            )
        _live = self
        try:
            self._sdl_before = sdl.configure(self.headless)
            self._pygame_was_init = pygame.get_init()
            self.real = interception.install(self, self._patcher)
            self.real.init()
            self._tracker = ModuleTracker(self.entry)
            self._patcher.patch(sys, "meta_path", [CodeCache(self.entry), *sys.meta_path])
            self._random = _private_random()
            self._agent_random = sys.modules.get("random")
            self._argv = self.entry.argv
            self._workdir = str(self.entry.workdir) if self.entry.workdir else None
            if self._workdir and self._workdir not in sys.path:
                sys.path.insert(0, self._workdir)
                self._added_path = self._workdir
            else:
                self._added_path = None
            self._real_clock = self.real.Clock()
            # OpenCV's thread pool falls asleep between frames and costs more to wake than a
            # small resize takes; capture runs single-threaded while a game is open.
            self._cv_threads = cv2.getNumThreads()
            cv2.setNumThreads(1)
        except BaseException:
            self._patcher.restore()
            _live = None
            raise
        self.opened = True

    def start(self, seed: int, on_loaded: Callable[[], None] = lambda: None) -> None:
        """Start the game afresh and run it to its first drawn frame.

        Args:
            seed: seeds the game's ``random`` and ``numpy.random``.
            on_loaded: called once the game's modules exist (before its loop for
                ``module:function`` entries, else at its first frame boundary); hooks bind here.
        """
        self.stop()
        self._tracker.purge()
        self._random.seed(seed)
        np.random.seed(seed % 2**32)
        self.queue.reset()
        self.inputs.reset()
        self.time.begin_episode()
        self._reset_frame_state()
        self.ended = None
        self.frames = 0
        self.main_module = None
        self._glet = greenlet.greenlet(self._game_main)
        message = self.resume()
        if not isinstance(message, Ended):
            try:
                on_loaded()
            except BaseException:
                self.stop()
                raise
        waited = 0
        while message != FRAME:
            if isinstance(message, Ended):
                raise EntryError(self._ended_early(message))
            waited += message == IDLE
            if waited > self.stall_frames:
                self.stop()
                raise GameStalled(
                    f"game {self.name!r} ran {waited} frames ({self.time.ticks() / 1000:.1f} s of "
                    "game time) without updating the display. A game must call "
                    "pygame.display.flip() or pygame.display.update() to show frames; if it "
                    "waits for input before drawing, give the spec intro actions."
                )
            message = self.resume()

    def resume(self) -> int | Ended:
        """Run the game to its next frame boundary; return FRAME, IDLE, READY or :class:`Ended`."""
        glet = self._glet
        if glet is None or glet.dead or self.ended is not None:
            raise ResetNeeded(f"game {self.name!r} is not running: call reset() first")
        self._enter()
        try:
            message = glet.switch()
        except PygamePlayerError:
            self._finish()
            raise
        except (KeyboardInterrupt, greenlet.GreenletExit):
            self._finish()
            raise
        except BaseException as exc:
            self._finish()
            raise GameCrashed(self._crash_message(exc)) from exc
        finally:
            self._leave()
        if isinstance(message, Ended):
            self.ended = message
            self._tracker.note_episode_end()
        elif message == FRAME:
            self.frames += 1
        if not self.headless and not self.passthrough:
            self._pump_window()
        return message

    def stop(self) -> None:
        """End the running game, if any, letting its ``finally`` blocks run."""
        glet, self._glet = self._glet, None
        if glet is None:
            return
        if not glet.dead:
            self.killing = True
            self._enter()
            try:
                for _ in range(3):
                    glet.throw(greenlet.GreenletExit)
                    if glet.dead:
                        break
            except Exception:  # noqa: BLE001 - the game failing while torn down changes nothing
                pass
            finally:
                self._leave()
                self.killing = False
        self._tracker.note_episode_end()

    def close(self) -> None:
        """Stop the game and undo everything: patches, modules, SDL settings, the process claim."""
        global _live
        if not self.opened:
            return
        try:
            self.stop()
        finally:
            self.opened = False
            self._patcher.restore()
            self._tracker.restore()
            if self._added_path and self._added_path in sys.path:
                sys.path.remove(self._added_path)
            if not self._pygame_was_init:
                pygame.quit()
            cv2.setNumThreads(self._cv_threads)
            sdl.restore(self._sdl_before)
            if _live is self:
                _live = None

    def game_frames(self) -> list[types.FrameType]:
        """The game's Python frames, innermost first, without the harness's or greenlet's own.

        Read while the game is suspended at a frame boundary (or from inside it), this is the
        stack of calls the game is in the middle of, with their local variables.
        """
        glet = self._glet
        if glet is None or glet.dead:
            return []
        frame = sys._getframe(1) if glet is greenlet.getcurrent() else glet.gr_frame
        frames = []
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith(_PACKAGE_DIR) and "greenlet" not in filename:
                frames.append(frame)
            frame = frame.f_back
        return frames

    def game_modules(self) -> dict[str, types.ModuleType]:
        """The game's own modules by name (its main module under ``entry.main_name``)."""
        if not self.opened:
            return {}
        modules = {
            name: sys.modules[name]
            for name in self._tracker.game_module_names()
            if name in sys.modules
        }
        if self.main_module is not None:
            modules[self.entry.main_name] = self.main_module
        return modules

    def display_surface(self) -> pygame.Surface | None:
        """The game's display surface, or ``None`` before it opened one."""
        return pygame.display.get_surface()

    def _finish(self) -> None:
        self._glet = None
        self._tracker.note_episode_end()

    def _enter(self) -> None:
        self._env_glet = greenlet.getcurrent()
        self.in_game = True
        sys.modules["random"] = self._random
        self._saved_argv = sys.argv
        sys.argv = self._argv
        if self._workdir:
            self._saved_cwd = os.getcwd()
            os.chdir(self._workdir)

    def _leave(self) -> None:
        self.in_game = False
        if self._agent_random is not None:
            sys.modules["random"] = self._agent_random
        sys.argv = self._saved_argv
        if self._workdir:
            os.chdir(self._saved_cwd)

    def _pump_window(self) -> None:
        from pygameplayer.errors import WindowClosed

        for event in self.real.event_get():
            if event.type == pygame.QUIT or (
                event.type == pygame.WINDOWCLOSE and pygame.display.get_surface() is not None
            ):
                raise WindowClosed("the game window was closed")

    def _ended_early(self, message: Ended) -> str:
        how = {"returned": "returned", "exit": "called sys.exit()", "quit": "called pygame.quit()"}
        hint = ""
        if self.entry.kind == "module":
            hint = (
                f" If its loop is inside a function or under `if __name__ == '__main__':`, use "
                f"the entry '{self.entry.module}:main' (naming that function) or "
                f"'-m {self.entry.module}'."
            )
        return (
            f"game {self.name!r} (entry {self.entry.text!r}) "
            f"{how.get(message.reason, 'ended')} before showing its first frame.{hint}"
        )

    def _crash_message(self, exc: BaseException) -> str:
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if not f.filename.startswith(_PACKAGE_DIR) and "greenlet" not in f.filename
        ]
        text = "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        return (
            f"game {self.name!r} raised {type(exc).__name__}: {exc}\n"
            f"--- game traceback (most recent call last) ---\n{text}"
            "reset() starts the game afresh."
        )

    # ------------------------------------------------------------------ game side

    def _reset_frame_state(self) -> None:
        self._drawn = False
        self._paced = False
        self._polls = 0
        self._updates = 0

    def _game_main(self) -> Ended:
        try:
            self.entry.run(self._set_main, self._ready)
        except SystemExit as exc:
            return Ended("exit", exc.code)
        return Ended("returned")

    def _set_main(self, module: types.ModuleType) -> None:
        self.main_module = module

    def _ready(self) -> None:
        self._to_env(READY)

    def _to_env(self, message: int | Ended) -> None:
        if self.killing:
            raise greenlet.GreenletExit
        self._polls = 0
        self._updates = 0
        assert self._env_glet is not None
        self._env_glet.switch(message)
        if self.killing:
            raise greenlet.GreenletExit

    @property
    def frame_ms(self) -> float:
        """Length of one frame in milliseconds of game time."""
        return 1000.0 / self.fps if self.fps else self._game_frame_ms

    def frame_boundary(self, ms: float, real_wait: Callable[[], object] | None = None) -> None:
        """The game finished a frame: hand it to the environment, then advance time by ``ms``."""
        message = FRAME if self._drawn else IDLE
        self._drawn = False
        if self.realtime:
            if real_wait is not None:
                real_wait()
            else:
                self._real_clock.tick(1000.0 / ms if ms > 0 else 0)
        self._to_env(message)
        self.time.advance(ms)
        if self.inputs.repeat[0]:
            self.inputs.repeat_keys(self.time.now_ms())

    def pace(self, ms: float, real_wait: Callable[[], object] | None = None) -> None:
        """The game waits (tick, wait, delay, sleep): always a frame boundary."""
        self._paced = True
        self.frame_boundary(ms, real_wait)

    def clock_tick(self, framerate: float, real_clock: pygame.time.Clock | None) -> None:
        """A ``Clock.tick(framerate)`` call from the game."""
        if framerate and framerate > 0:
            self._game_frame_ms = 1000.0 / framerate
        rate = self.fps or framerate
        wait = (lambda: real_clock.tick(rate)) if real_clock is not None else None
        self.pace(self.frame_ms, wait)

    def input_read(self) -> None:
        """The game read input or the clock; after drawing, an unpaced game's frame ends here."""
        if self._drawn and not self._paced:
            self.frame_boundary(self.frame_ms)
        else:
            self._polls += 1
            if self._polls >= self.POLL_LIMIT:
                self.frame_boundary(self.frame_ms)

    def display_updated(self) -> None:
        """The game called ``display.flip`` or ``display.update``."""
        if self.passthrough:
            self._drawn = True
            self._to_env(FRAME)
            return
        if self._drawn:
            self._updates += 1
            if self._updates >= self.UPDATE_LIMIT:
                self.frame_boundary(self.frame_ms)
                self._drawn = True
                return
        self._drawn = True

    def end_from_game(self, reason: str) -> None:
        """The game (or a hook on one of its functions) ended the episode from inside."""
        if self.killing:
            return
        self._to_env(Ended(reason))
