"""One live game, run frame by frame from the outside.

The game keeps its own main loop. It runs in a greenlet: whenever it reaches a frame boundary the
interception layer switches back to the environment with a message, and the environment switches
in again to run the next frame. No threads, no races: exactly one side runs at a time.

Any number of sessions may be live in one process, of one game or of several: each game draws on
its own surface and has its own modules, input, clocks and random numbers (see
:mod:`pygameplayer.gameside` and :mod:`pygameplayer.sandbox`). Only a real window is one at a time.
"""

from __future__ import annotations

import importlib
import traceback
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import greenlet
import pygame

from pygameplayer import interception
from pygameplayer.entry import Entry
from pygameplayer.errors import (
    EntryError,
    GameCrashed,
    GameStalled,
    PygamePlayerError,
    ResetNeeded,
    WindowClosed,
    WindowInUse,
)
from pygameplayer.gameside import Ended, GameSide
from pygameplayer.live import LIVE, GameGreenlet, getcurrent
from pygameplayer.modules import GameModules
from pygameplayer.pacing import FRAME, IDLE
from pygameplayer.sandbox import Sandbox
from pygameplayer.window import ScaledWindow

__all__ = ["FRAME", "IDLE", "READY", "Ended", "GameSession"]

READY = 3  #: the game's modules are loaded and its loop is about to start
_PACKAGE_DIR = str(Path(__file__).resolve().parent)
#: Times a game that refuses to end is told again before it is left behind.
_KILL_ATTEMPTS = 3


class _Swallowed:
    """The game caught the exit it was sent and went on (a bare ``except:`` in its loop)."""


class _Stop(BaseException):
    """Sent into a running game to end it (not an ``Exception``, which games catch)."""


@dataclass(frozen=True)
class _Finished:
    """The game's code is over; its greenlet waits for the next start.

    ``outcome`` is how it ended (``None``: it unwound after :class:`_Stop`).
    """

    outcome: Ended | None


class GameSession:
    """Runs one game under the interception layer.

    Args:
        entry: how to start the game.
        name: the game's name, for messages.
        fps: force this frame rate (virtual ms per frame = 1000 / fps); ``None`` follows the rate
            the game asks ``Clock.tick`` for.
        realtime: run on the wall clock and pace frames (a person watching an agent) instead of
            virtual time; the session then also answers the window's close button. Without it a
            real window's events are left to the caller (a person playing: their keys).
        headless: draw on a surface of the game's own, no window (SDL's dummy drivers).
        stall_frames: frames a game may run without ever drawing before :class:`GameStalled`.
        window_scale: with a real window (not headless), show the game enlarged by this whole
            factor; ``None`` picks one (see :mod:`pygameplayer.window`). The game's own surface,
            and so every observation, keeps the size the game asked for.
    """

    def __init__(
        self,
        entry: Entry,
        *,
        name: str = "game",
        fps: float | None = None,
        realtime: bool = False,
        headless: bool = True,
        stall_frames: int = 3000,
        window_scale: int | None = None,
    ) -> None:
        self.entry = entry
        self.name = name
        self.headless = headless
        self._window = realtime and not headless  # the harness answers the window's close button
        self.stall_frames = stall_frames
        self.side = GameSide(
            name,
            self._to_env,
            fps=fps,
            virtual=not realtime,
            window=None if headless else ScaledWindow(window_scale),
        )
        self.window = self.side.display.window
        self.inputs = self.side.inputs  #: the game's virtual keyboard and mouse
        self.time = self.side.time  #: the game's clock
        self.main_module: types.ModuleType | None = None
        self.opened = False
        self.ended: Ended | None = None
        self.frames = 0
        self._glet: GameGreenlet | None = None  # runs one start of the game after another
        self._between_starts = True  # the greenlet waits for the next start (or has none)
        self._env_glet: greenlet.greenlet | None = None
        self._killing = False
        self._modules: GameModules | None = None
        self._sandbox: Sandbox | None = None

    # ------------------------------------------------------------------ environment side

    def open(self) -> None:
        """Prepare SDL and the interception layer (installed by the first live session)."""
        if self.opened:
            return
        if not self.headless:
            for other in LIVE.sessions:
                if not other.headless:
                    raise WindowInUse(
                        f"cannot open a window for game {self.name!r}: game {other.name!r} already "
                        "shows one, and PyGame has a single window per process. Close that "
                        "environment first, or make this one headless (render_mode=None or "
                        "'rgb_array'), which any number of games can be at once."
                    )
        try:
            self._modules = GameModules(self.entry.roots(), self.entry.module)
            self.side.modules = self._modules
            workdir, path_entry = self.entry.workdir, self.entry.path_entry
            self._sandbox = Sandbox(
                self.side.random.module,
                self.entry.argv,
                str(workdir) if workdir else None,
                str(path_entry) if path_entry else None,
                self._modules,
            )
            LIVE.add(self)
            interception.prepare_display(self.headless)
        except BaseException:
            LIVE.remove(self)
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
        assert self._modules is not None
        self._modules.purge()
        self.side.begin(seed)
        self.ended = None
        self.frames = 0
        self.main_module = None
        if self._glet is None:
            self._glet = GameGreenlet(self._run_starts, self.side)
        self._between_starts = False
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
        sandbox = self._sandbox
        self._env_glet = getcurrent()
        sandbox.enter()  # type: ignore[union-attr]
        try:
            message = glet.switch()
        except BaseException as exc:
            self._fail(exc)
        finally:
            sandbox.leave()  # type: ignore[union-attr]
        if message == FRAME:
            self.frames += 1
        elif type(message) is _Finished:
            self._between_starts = True
            message = self.ended = message.outcome
        elif type(message) is Ended:  # quit or a hook: the game waits inside that call
            self.ended = message
        if self._window:
            self._pump_window()
        return message

    def stop(self) -> None:
        """End the running game, if any, letting its ``finally`` blocks run.

        A game that catches the exit and carries on is left behind (never resumed again) with a
        warning: ending a game never depends on its cooperation.
        """
        glet = self._glet
        if glet is None or glet.dead:
            self._glet = None
            return
        if self._between_starts:
            return
        self._killing = True
        try:
            for _ in range(_KILL_ATTEMPTS):
                try:
                    message = self._run(lambda: glet.throw(_Stop))
                except Exception:  # noqa: BLE001 - the game failing while torn down changes nothing
                    self._glet = None
                    return
                if isinstance(message, _Finished):
                    self._between_starts = True
                    return
            self._glet = None
            LIVE.keep_forever(glet)
            warnings.warn(
                f"game {self.name!r} did not end when told to (it catches every exception, "
                "probably with a bare 'except:' in its loop); it was left behind, never to run "
                "again, and starts afresh at the next reset()",
                RuntimeWarning,
                stacklevel=3,
            )
        finally:
            self._killing = False

    def close(self) -> None:
        """Stop the game and undo what it changed: modules, SDL settings, patches (when last)."""
        if not self.opened:
            return
        try:
            self.stop()
            glet, self._glet = self._glet, None
            if glet is not None and not glet.dead:  # waiting for a start that will not come
                glet.throw(greenlet.GreenletExit)
        finally:
            self.opened = False
            if self._sandbox is not None:
                self._sandbox.close()
            if not self.headless:
                interception.window_closed()
            LIVE.remove(self)

    def forget(self) -> None:
        """In a forked child: this game is the parent's; never run or collect it here."""
        if self._glet is not None:
            LIVE.keep_forever(self._glet)
        self._glet = None
        self.opened = False

    def display_surface(self) -> pygame.Surface | None:
        """The game's display surface, or ``None`` before it opened one."""
        return self.side.display.get_surface()

    def import_module(self, name: str) -> types.ModuleType:
        """Import a module the way the game would, so a module of the game's becomes its own."""

        def import_it() -> types.ModuleType | ImportError:
            try:
                return importlib.import_module(name)
            except ImportError as exc:
                return exc

        result = self._run(GameGreenlet(import_it, self.side).switch)
        if isinstance(result, ImportError):
            raise result
        return result

    def game_frames(self) -> list[types.FrameType]:
        """The game's suspended Python frames, innermost first (its own code only)."""
        frames = []
        frame = self._glet.gr_frame if self._glet is not None else None
        while frame is not None:
            if not _is_harness_file(frame.f_code.co_filename):
                frames.append(frame)
            frame = frame.f_back
        return frames

    def game_modules(self) -> dict[str, types.ModuleType]:
        """The game's own modules by name."""
        return self._modules.modules() if self._modules is not None else {}

    # ------------------------------------------------------------------ switching

    def _run(self, switch: Callable[[], Any]) -> Any:
        """Switch into the game's code with its process state in place; translate its failures."""
        assert self._sandbox is not None
        self._env_glet = getcurrent()
        self._sandbox.enter()
        try:
            return switch()
        except BaseException as exc:
            self._fail(exc)
        finally:
            self._sandbox.leave()

    def _fail(self, exc: BaseException) -> NoReturn:
        """The game's code raised: it is over. Our own errors pass; the game's are wrapped."""
        self._glet = None
        if isinstance(exc, (PygamePlayerError, KeyboardInterrupt, greenlet.GreenletExit)):
            raise exc
        raise GameCrashed(self._crash_message(exc)) from exc

    def _to_env(self, message: Any) -> None:
        """Game side: hand ``message`` to the environment; return when resumed."""
        if self._killing:
            if isinstance(message, Ended):
                return  # quitting while being ended (a finally block): let it finish
            message = _Swallowed()
        assert self._env_glet is not None
        self._env_glet.switch(message)
        if self._killing:
            raise _Stop

    def _run_starts(self) -> None:
        """The game's greenlet: one start of the game after another, waiting in between.

        A greenlet kept costs less than a new one at every reset.
        """
        while True:
            try:
                finished = _Finished(self._game_main())
            except _Stop:
                finished = _Finished(None)
            assert self._env_glet is not None
            self._env_glet.switch(finished)

    def _game_main(self) -> Ended:
        try:
            self.entry.run(self._set_main, self._ready, self._claim)
        except SystemExit as exc:
            return Ended("exit", exc.code)
        return Ended("returned")

    def _set_main(self, module: types.ModuleType) -> None:
        self.main_module = module

    def _claim(self, name: str) -> None:
        assert self._modules is not None
        self._modules.claim(name)

    def _ready(self) -> None:
        self._to_env(READY)

    def _pump_window(self) -> None:
        for event in interception.real_events():
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
            f for f in traceback.extract_tb(exc.__traceback__) if not _is_harness_file(f.filename)
        ]
        text = "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        return (
            f"game {self.name!r} raised {type(exc).__name__}: {exc}\n"
            f"--- game traceback (most recent call last) ---\n{text}"
            "reset() starts the game afresh."
        )


def _is_harness_file(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR) or "greenlet" in filename
