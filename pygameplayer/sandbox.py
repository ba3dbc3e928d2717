"""The process state a game sees while its code runs, swapped in and out around every run.

While a game's code runs, ``sys.modules["random"]`` is the game's private ``random``, ``sys.argv``
is what the game would get when started by hand, the working directory is the game's folder, and
``sys.modules`` holds the game's own modules. When control comes back, the agent's values are put
back, so the agent never sees the game's (and one game never sees another's).

Only what is cheap is swapped at every switch; the game's modules and its folder on ``sys.path``
change only when another game (or the agent) needs different ones.
"""

from __future__ import annotations

import os
import sys
import types

from pygameplayer.modules import GameModules


class Sandbox:
    """One game's process state.

    Args:
        random_module: the game's private ``random``.
        argv: ``sys.argv`` for the game.
        workdir: the folder the game runs in (``None``: wherever the agent is).
        path_entry: a folder to put first on ``sys.path`` (a script's own folder, as Python does).
        modules: the game's own modules.
    """

    _path_owner: Sandbox | None = None  # whose folder leads sys.path now

    def __init__(
        self,
        random_module: types.ModuleType,
        argv: list[str],
        workdir: str | None,
        path_entry: str | None,
        modules: GameModules,
    ) -> None:
        self.random_module = random_module
        self.argv = argv
        self.workdir = workdir
        self.path_entry = path_entry
        self.modules = modules
        self._agent_random: object = None
        self._agent_argv: list[str] = []
        self._agent_cwd: str | None = None

    def enter(self) -> None:
        """Before the game's code runs."""
        modules = sys.modules
        self._agent_random = modules.get("random")
        modules["random"] = self.random_module
        self._agent_argv, sys.argv = sys.argv, self.argv
        if self.workdir is not None:
            cwd = os.getcwd()
            if cwd != self.workdir:
                os.chdir(self.workdir)
                self._agent_cwd = cwd
        if GameModules.installed is not self.modules:
            self.modules.activate()
        if self.path_entry is not None and Sandbox._path_owner is not self:
            self._lead_sys_path()

    def leave(self) -> None:
        """After the game's code stopped (at a frame, at its end, or failing)."""
        if self._agent_random is None:
            sys.modules.pop("random", None)
        else:
            sys.modules["random"] = self._agent_random
        sys.argv = self._agent_argv
        if self._agent_cwd is not None:
            os.chdir(self._agent_cwd)
            self._agent_cwd = None

    def close(self) -> None:
        """The game is gone for good: its modules and its folder leave the process."""
        self.modules.purge()
        if Sandbox._path_owner is self:
            self._drop_sys_path()

    def _lead_sys_path(self) -> None:
        if Sandbox._path_owner is not None:
            Sandbox._path_owner._drop_sys_path()
        sys.path.insert(0, self.path_entry)  # type: ignore[arg-type]
        Sandbox._path_owner = self

    def _drop_sys_path(self) -> None:
        if self.path_entry in sys.path:
            sys.path.remove(self.path_entry)  # type: ignore[arg-type]
        Sandbox._path_owner = None
