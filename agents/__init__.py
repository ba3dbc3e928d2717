"""The built-in agents, installed as ``pygameplayer.agents`` and found by name (``--agent dqn``).

Each agent plugs in through the ``pygameplayer.agents`` entry-point group, as a third party's
does (see :mod:`pygameplayer.plugins`); :mod:`.commands` adds the ``run``, ``watch`` and
``options`` subcommands through ``pygameplayer.commands``. Nothing here is imported until an agent
or a command is used, so listing agents never imports torch.
"""
