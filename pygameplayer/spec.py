"""A game spec: everything the harness needs to know about a game, as data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pygameplayer.actions import ActionTable
from pygameplayer.entry import Entry
from pygameplayer.errors import HookError, InvalidAction
from pygameplayer.hooks import Hook, RewardHook, as_hook, as_reward

HookLike = Hook | Callable[..., Any]


@dataclass(frozen=True, eq=False)
class GameSpec:
    """How to start a game, what the agent may press, and how to read reward, end and state.

    Attributes:
        name: short name used on the command line (``pong``).
        entry: how to start the game (see :mod:`pygameplayer.entry`).
        actions: action name -> keys / mouse (see :mod:`pygameplayer.actions`).
        reward: reward hook, a callable ``fn(game)``, or ``None`` for no reward.
        terminate: hook(s) whose truthy value ends the episode (besides the game ending itself).
        state: hook giving a numeric vector for ``obs_type="state"``.
        fps: frames per second of game time; ``None`` follows the game's own ``Clock.tick`` rate.
        screen_size: the game's window size, if known (saves a probe run when the env is made).
        max_episode_steps: truncate episodes after this many steps (``TimeLimit``).
        intro: action names performed during ``reset()`` before the first observation (to get
            past a "press any key" screen).
        env_id: the Gymnasium id; defaults to ``pygameplayer/<name>``.
        description: one line for ``python -m pygameplayer list``.
        policy: optional scripted reference policy, ``"module:function"`` or a callable taking
            the state observation and returning an action index.
        state_bounds: ``(low, high)`` for the state observation space (default unbounded).
        workdir: the folder the game runs in (where it finds its assets), instead of the entry's
            default (a script's own folder, a program folder's parent, else the agent's).
    """

    name: str
    entry: str
    actions: Mapping[str, Any]
    reward: RewardHook | Callable[..., Any] | float | None = None
    terminate: HookLike | Sequence[HookLike] | None = None
    state: HookLike | None = None
    fps: float | None = None
    screen_size: tuple[int, int] | None = None
    max_episode_steps: int | None = None
    intro: Sequence[str] = ()
    env_id: str | None = None
    description: str = ""
    policy: str | Callable[[Any], int] | None = None
    state_bounds: tuple[float, float] | None = None
    workdir: str | None = None
    action_table: ActionTable = field(init=False, repr=False)
    parsed_entry: Entry = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip() or " " in self.name:
            raise ValueError(f"a game name must be a non-empty word, got {self.name!r}")
        set_ = object.__setattr__
        set_(self, "parsed_entry", Entry.parse(self.entry, self.workdir))
        set_(self, "action_table", ActionTable(self.actions))
        if self.reward is not None:
            set_(self, "reward", as_reward(self.reward))
        if self.terminate is not None:
            items = (
                self.terminate if isinstance(self.terminate, (list, tuple)) else [self.terminate]
            )
            set_(self, "terminate", tuple(as_hook(t) for t in items))
        if self.state is not None:
            set_(self, "state", as_hook(self.state))
        if self.fps is not None and not self.fps > 0:
            raise ValueError(f"fps must be positive, got {self.fps!r}")
        if self.max_episode_steps is not None and self.max_episode_steps < 1:
            raise ValueError(f"max_episode_steps must be at least 1, got {self.max_episode_steps}")
        for name in self.intro:
            if name not in self.action_table.names:
                raise InvalidAction(
                    f"intro action {name!r} of game {self.name!r} is not one of its actions "
                    f"{list(self.action_table.names)}"
                )
        if self.env_id is None:
            set_(self, "env_id", f"pygameplayer/{self.name}")
        if self.state_bounds is not None and len(self.state_bounds) != 2:
            raise HookError(f"state_bounds must be (low, high), got {self.state_bounds!r}")
