"""``GameEnv``: a Gymnasium environment around an unmodified PyGame game.

``reset()`` starts the game afresh (fresh module state, seeded) and runs it to its first frame;
``step(a)`` holds action ``a`` for ``frameskip`` frames of the game's own loop and returns the last
frame. The game is never edited: everything goes through the interception layer.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from pygameplayer.capture import FrameGrabber
from pygameplayer.errors import HookError, InvalidAction, ResetNeeded
from pygameplayer.gameside import Ended
from pygameplayer.hooks import Binding, GameView
from pygameplayer.registry import get_spec
from pygameplayer.session import GameSession
from pygameplayer.spec import GameSpec
from pygameplayer.window import check_scale

OBS_TYPES = ("rgb", "grayscale", "state")


class GameEnv(gym.Env[np.ndarray, np.int64]):
    """A registered PyGame game as a Gymnasium environment.

    Args:
        game: a registered game name (``"pong"``) or a :class:`GameSpec`.
        render_mode: ``None`` or ``"rgb_array"`` (headless, virtual time, as fast as the CPU
            allows) or ``"human"`` (a real window, real time).
        obs_type: ``"rgb"`` (``H x W x 3``), ``"grayscale"`` (``H x W``) or ``"state"`` (the spec's
            state hook, ``float32``).
        size: resize pixel observations to ``(width, height)`` (an int means square).
        frameskip: game frames per step; the action is held throughout, rewards are summed and only
            the last frame is captured.
        resize: resize filter, ``"nearest"`` (fastest), ``"area"`` or ``"linear"``.
        fps: override the spec's frame rate (game time per frame = 1000 / fps ms).
        window_scale: ``"human"`` only: show the game enlarged by this whole factor (``None``:
            enough to make the window at least 480 pixels tall). Observations keep the game's size.
    """

    metadata: dict[str, Any] = {"render_modes": ["human", "rgb_array"], "render_fps": 60}

    def __init__(
        self,
        game: str | GameSpec,
        render_mode: str | None = None,
        obs_type: str = "rgb",
        size: int | tuple[int, int] | None = None,
        frameskip: int = 1,
        resize: str = "nearest",
        fps: float | None = None,
        window_scale: int | None = None,
    ) -> None:
        self.game = get_spec(game)
        if render_mode not in (None, "human", "rgb_array"):
            raise ValueError(
                f"render_mode must be None, 'human' or 'rgb_array', got {render_mode!r}"
            )
        if obs_type not in OBS_TYPES:
            raise ValueError(f"obs_type must be one of {OBS_TYPES}, got {obs_type!r}")
        if obs_type == "state" and self.game.state is None:
            raise HookError(
                f"game {self.game.name!r} has no state hook, so obs_type='state' is unavailable; "
                "use 'rgb' or 'grayscale', or register the game with state=hooks.variables(...)"
            )
        if not isinstance(frameskip, int) or frameskip < 1:
            raise ValueError(f"frameskip must be a positive integer, got {frameskip!r}")
        if isinstance(size, int):
            size = (size, size)
        self.render_mode = render_mode
        self.obs_type = obs_type
        self.frameskip = frameskip
        self.fps = fps or self.game.fps
        self.metadata = {**self.metadata, "render_fps": self.fps or 60}
        self.action_names = self.game.action_table.names
        self.action_space = spaces.Discrete(len(self.game.action_table))
        self._actions = self.game.action_table.actions
        self._resize = resize
        self._grabber = FrameGrabber(size, grayscale=obs_type == "grayscale", resize=resize)
        self._full_frame = FrameGrabber()
        self._bindings: list[Binding] = []
        self._reward: Callable[[], float] | None = None
        self._terminate: list[Callable[[], Any]] = []
        self._state: Callable[[], Any] | None = None
        self._running = False
        human = render_mode == "human"
        self.session = GameSession(
            self.game.parsed_entry,
            name=self.game.name,
            fps=self.fps,
            realtime=human,
            headless=not human,
            window_scale=check_scale(window_scale),
        )
        self._display = self.session.side.display
        try:
            self.observation_space = self._make_observation_space(size)
        except BaseException:
            self.session.close()
            raise

    # ------------------------------------------------------------------ Gymnasium API

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Start the game afresh, seeded, and return its first frame."""
        info = self.restart(seed)
        return self._observe(), info

    def restart(self, seed: int | None = None) -> dict[str, Any]:
        """:meth:`reset` without the observation (read it with :meth:`observe`)."""
        super().reset(seed=seed)
        self._start(int(self.np_random.integers(2**31 - 1)))
        return {}

    def step(self, action: Any) -> tuple[np.ndarray, SupportsFloat, bool, bool, dict[str, Any]]:
        """Hold ``action`` for ``frameskip`` frames of the game."""
        reward, terminated, info = self.play(action)
        return self._observe(), reward, terminated, False, info

    def observe(self, out: np.ndarray | None = None) -> np.ndarray:
        """The current observation, written into ``out`` when given (no copy in between)."""
        return self._observe(out)

    def play(self, action: Any) -> tuple[float, bool, dict[str, Any]]:
        """:meth:`step` without the observation: ``(reward, terminated, info)``.

        For vector envs that write observations straight into their own arrays.
        """
        if not self._running:
            raise ResetNeeded(
                f"step() on game {self.game.name!r} needs a running episode: call reset() first "
                "(after the episode ended too)"
            )
        index = action if type(action) is int else self._action_index(action)
        if not 0 <= index < len(self._actions):
            raise self._invalid(action)
        session = self.session
        inputs = session.inputs
        inputs.apply(self._actions[index])
        read_reward, terminate = self._reward, self._terminate
        reward = 0.0
        end_reason: str | None = None
        for frame in range(self.frameskip):
            if frame and inputs.clicks_pending:
                inputs.release_clicks()
            try:
                message = session.resume()
            except BaseException:
                self._running = False
                raise
            if read_reward is not None:
                reward += read_reward()
            if type(message) is Ended:
                end_reason = message.reason
                break
            if terminate and any(t() for t in terminate):
                end_reason = "hook"
                break
        info: dict[str, Any] = {}
        if end_reason is not None:
            self._running = False
            info["end_reason"] = end_reason
        return reward, end_reason is not None, info

    def render(self) -> np.ndarray | None:
        """``rgb_array``: the full-resolution frame; ``human``: nothing (the window is live)."""
        if self.render_mode != "rgb_array":
            return None
        surface = self.session.display_surface()
        if surface is None:
            raise ResetNeeded("render() needs a running game: call reset() first")
        return self._full_frame.grab(surface)

    def close(self) -> None:
        """Stop the game and restore PyGame; safe to call more than once."""
        self._release_bindings()
        self._running = False
        self.session.close()

    def get_action_meanings(self) -> list[str]:
        """Action names, in action-index order."""
        return list(self.action_names)

    # ------------------------------------------------------------------ internals

    def _start(self, game_seed: int) -> None:
        self._release_bindings()
        self._running = False
        self.session.open()
        self.session.start(game_seed, self._bind_hooks)
        self._running = True
        # one frame per intro action, whatever the frameskip: they get past a title screen, and
        # the game's first frame after them is the first the agent sees
        for name in self.game.intro:
            action = self._actions[self.game.action_table.index(name)]
            self.session.inputs.apply(action)
            message = self.session.resume()
            if type(message) is Ended or any(t() for t in self._terminate):
                self._running = False
                raise ResetNeeded(f"game {self.game.name!r} ended during its intro actions")
        # first reads: variable_delta takes its baseline, and every hook's targets are checked now
        if self._reward is not None:
            self._reward()
        for terminate in self._terminate:
            terminate()

    def _bind_hooks(self) -> None:
        view = GameView(self.session)
        spec = self.game
        if spec.reward is not None:
            self._reward = self._keep(spec.reward.bind(view))
        self._terminate = [self._keep(t.bind(view)) for t in spec.terminate or ()]
        if spec.state is not None and self.obs_type == "state":
            self._state = self._keep(spec.state.bind(view))

    def _keep(self, binding: Binding) -> Callable[[], Any]:
        self._bindings.append(binding)
        return binding.read

    def _release_bindings(self) -> None:
        for binding in self._bindings:
            binding.release()
        self._bindings = []
        self._reward, self._terminate, self._state = None, [], None

    def _observe(self, out: np.ndarray | None = None) -> np.ndarray:
        if self.obs_type == "state":
            assert self._state is not None
            state = np.asarray(self._state(), dtype=np.float32)
            if out is None:
                return state
            out[...] = state
            return out
        surface = self._display.surface
        assert surface is not None
        return self._grabber.grab(surface, out)

    def _action_index(self, action: Any) -> int:
        if isinstance(action, np.integer):  # what sampling an action space or a policy gives
            return int(action)
        try:
            if isinstance(action, (bool, np.bool_)) or np.ndim(action) != 0:
                raise TypeError
            index = int(action)
            if index != action:
                raise TypeError
        except (TypeError, ValueError):
            raise self._invalid(action) from None
        return index

    def _invalid(self, action: Any) -> InvalidAction:
        names = ", ".join(f"{i}={n}" for i, n in enumerate(self.action_names))
        return InvalidAction(
            f"action {action!r} is not in the action space {self.action_space} of game "
            f"{self.game.name!r}: pass an integer index ({names})"
        )

    def _make_observation_space(self, size: tuple[int, int] | None) -> spaces.Box:
        if self.obs_type == "state":
            assert self.game.state is not None
            length = self.game.state.size or self._probe("state", self._probe_state)
            low, high = self.game.state_bounds or (-np.inf, np.inf)
            return spaces.Box(low, high, shape=(length,), dtype=np.float32)
        if size is None:
            # Observations keep this size even if the game changes its window's later.
            size = self.game.screen_size or self._probe("screen", self._probe_size)
            grayscale = self.obs_type == "grayscale"
            self._grabber = FrameGrabber(size, grayscale=grayscale, resize=self._resize)
        return spaces.Box(0, 255, shape=self._grabber.shape(size), dtype=np.uint8)

    def _probe(self, what: str, run: Callable[[], Any]) -> Any:
        """Run the game once to learn what its spec does not declare; remember it per spec."""
        known = _PROBED.setdefault(self.game, {})
        if what not in known:
            known[what] = run()
        return known[what]

    def _probe_size(self) -> tuple[int, int]:
        self._start(0)
        self._running = False
        surface = self.session.display_surface()
        assert surface is not None
        return surface.get_size()

    def _probe_state(self) -> int:
        self._start(0)
        self._running = False
        return int(np.asarray(self._observe()).size)


#: Screen sizes and state lengths learned by running a game, per spec (a spec registered again,
#: with other hooks, is probed again).
_PROBED: weakref.WeakKeyDictionary[GameSpec, dict[str, Any]] = weakref.WeakKeyDictionary()
