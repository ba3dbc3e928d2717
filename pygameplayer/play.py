"""A person plays a registered game in a real window while the game's hooks report.

The game runs as it runs for an agent (game time advances one frame at a time, the input is the
harness's virtual keyboard and mouse), paced to the wall clock, with the person's hands on that
keyboard and mouse: so what the reward and termination hooks report is what an agent would get.
Each episode waits on its first frame until the person presses a key; when it ends the next one
begins, until the window is closed or Esc is pressed. Each hook's reward is printed as it happens,
and each episode's return when it ends.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

import pygame

from pygameplayer.actions import Action
from pygameplayer.hooks import Binding, GameView, RewardHook
from pygameplayer.session import Ended, GameSession
from pygameplayer.spec import GameSpec

#: Events a person's window delivers between two frames.
Person = Iterator[list[pygame.event.Event]]
_WHEEL_BUTTONS = (4, 5)


@dataclass
class PlayedEpisode:
    """What happened in one episode a person played."""

    total_reward: float
    frames: int
    end_reason: str


class Hands:
    """A person's keyboard and mouse, driving the game's virtual ones event by event.

    Each press and release reaches the game as the same event, in the same order, as it would
    from PyGame itself (a key tapped between two frames included). ``to_game`` maps window pixels
    to the game's, as the window may be enlarged.
    """

    def __init__(
        self,
        apply: Callable[[Action], None],
        to_game: Callable[[tuple[int, int]], tuple[int, int]],
    ) -> None:
        self._apply = apply
        self._to_game = to_game
        self.keys: frozenset[int] = frozenset()
        self.buttons: frozenset[int] = frozenset()
        self.mouse: tuple[int, int] | None = None
        self.quit: str | None = None  #: why the person wants to stop, once they do

    def feel(self, event: pygame.event.Event) -> bool:
        """Pass one window event on to the game; return whether a key or button was pressed."""
        kind = event.type
        if kind in (pygame.QUIT, pygame.WINDOWCLOSE):
            self.quit = "window closed"
        elif kind == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.quit = "Esc"
        elif kind in (pygame.KEYDOWN, pygame.KEYUP):
            pressed = kind == pygame.KEYDOWN
            self.keys = self.keys | {event.key} if pressed else self.keys - {event.key}
            self._apply(Action(self.keys, self.mouse, self.buttons))
            return pressed
        elif kind == pygame.MOUSEMOTION:
            self.mouse = self._to_game(event.pos)
            self._apply(Action(self.keys, self.mouse, self.buttons))
        elif kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse = self._to_game(event.pos)
            pressed = kind == pygame.MOUSEBUTTONDOWN
            if event.button in _WHEEL_BUTTONS:  # a wheel notch: pressed and let go at once
                if pressed:
                    self._apply(Action(self.keys, self.mouse, self.buttons, (event.button,)))
                    self._apply(Action(self.keys, self.mouse, self.buttons))
                return False
            change = {event.button}
            self.buttons = self.buttons | change if pressed else self.buttons - change
            self._apply(Action(self.keys, self.mouse, self.buttons))
            return pressed
        return False


def window_events() -> Person:
    """The real window's events, one batch per frame."""
    while True:
        yield pygame.event.get()


def play(
    spec: GameSpec,
    *,
    seed: int = 0,
    max_frames: int | None = None,
    headless: bool = False,
    scale: int | None = None,
    person: Person | None = None,
    out: TextIO | None = None,
) -> list[PlayedEpisode]:
    """Let a person play ``spec``'s game; print rewards as they happen; return the episodes.

    Args:
        spec: the game.
        seed: the first episode's seed (the next ones count up from it).
        max_frames: stop after this many frames in all.
        headless: SDL's dummy drivers, no pacing (for tests: ``person`` then plays).
        scale: enlarge the window by this whole factor (``None``: to at least 480 pixels tall).
        person: where the person's input comes from (default: the window); when it runs out,
            the person has left.
        out: where to print (default standard output).
    """
    out = out or sys.stdout
    person = person if person is not None else window_events()
    session = GameSession(
        spec.parsed_entry, name=spec.name, fps=spec.fps, headless=headless, window_scale=scale
    )
    hooks = _EpisodeHooks(spec, session)

    def apply(action: Action) -> None:
        session.inputs.apply(action)

    hands = Hands(apply, session.window.to_game if session.window is not None else _same_point)
    pace = pygame.time.Clock()
    episodes: list[PlayedEpisode] = []
    shown = 0  # frames shown in all, for max_frames
    session.open()
    try:
        while hands.quit is None:
            session.start(seed + len(episodes), hooks.bind)
            hooks.start()
            shown += 1
            if not _wait_for_a_key(hands, person, out, first=not episodes, paced=not headless):
                break
            total, frames, reason = 0.0, 1, ""
            while not reason:
                if max_frames is not None and shown >= max_frames:
                    reason = hands.quit = "frame limit"
                    break
                batch = next(person, None)
                for event in batch or ():
                    hands.feel(event)
                if batch is None:
                    hands.quit = "left"
                if hands.quit is not None:
                    reason = hands.quit
                    break
                message = session.resume()
                frames += 1
                shown += 1
                for name, gained in hooks.rewards():
                    total += gained
                    print(f"  frame {frames}: {gained:+g} from {name} (total {total:g})", file=out)
                if isinstance(message, Ended):
                    reason = message.reason
                elif hooks.terminated():
                    reason = "hook"
                if not headless:
                    pace.tick(1000.0 / session.side.frame_ms)
            episodes.append(PlayedEpisode(total, frames, reason))
            print(
                f"episode {len(episodes)}: return {total:g}, {frames} frames, ended by {reason}",
                file=out,
                flush=True,
            )
    finally:
        hooks.release()
        session.close()
    return episodes


def _same_point(pos: tuple[int, int]) -> tuple[int, int]:
    return (int(pos[0]), int(pos[1]))


def _wait_for_a_key(hands: Hands, person: Person, out: TextIO, first: bool, paced: bool) -> bool:
    """Hold the game on its first frame until a key or button is pressed.

    Returns False if instead the person closes the window, presses Esc or leaves.
    """
    title = pygame.display.get_caption()[0] if pygame.display.get_init() else ""
    if pygame.display.get_init():
        pygame.display.set_caption(f"{title} - paused: press a key to play (Esc quits)")
    if first:
        print("paused: press a key in the window to play; Esc or closing it quits", file=out)
    idle = pygame.time.Clock()
    try:
        while hands.quit is None:
            batch = next(person, None)
            if batch is None:
                hands.quit = "left"
                break
            if any([hands.feel(event) for event in batch]) and hands.quit is None:
                return True
            if paced:
                pygame.display.flip()  # the paused frame stays drawn if the window was covered
                idle.tick(30)
        return False
    finally:
        if pygame.display.get_init():
            pygame.display.set_caption(title)


class _EpisodeHooks:
    """The spec's reward terms and termination hooks, bound to each new episode."""

    def __init__(self, spec: GameSpec, session: GameSession) -> None:
        self.spec, self.session = spec, session
        reward = spec.reward
        self._terms = reward.terms() if isinstance(reward, RewardHook) else []
        self._bindings: list[Binding] = []
        self._rewards: list[tuple[str, float, Callable[[], Any]]] = []
        self._terminate: list[Callable[[], Any]] = []

    def bind(self) -> None:
        self.release()
        view = GameView(self.session)
        for hook, factor in self._terms:
            self._bindings.append(hook.bind(view))
            self._rewards.append((repr(hook), factor, self._bindings[-1].read))
        for hook in self.spec.terminate or ():
            self._bindings.append(hook.bind(view))
            self._terminate.append(self._bindings[-1].read)

    def start(self) -> None:
        """First reads: baselines for changes, and every hook's targets checked now."""
        list(self.rewards())
        self.terminated()

    def rewards(self) -> Iterator[tuple[str, float]]:
        """Each reward term that paid something since the last read, with its name."""
        for name, factor, read in self._rewards:
            gained = factor * read()
            if gained:
                yield name, gained

    def terminated(self) -> bool:
        return any([read() for read in self._terminate])

    def release(self) -> None:
        for binding in self._bindings:
            binding.release()
        self._bindings.clear()
        self._rewards.clear()
        self._terminate.clear()
