"""Small helpers shared by the test modules."""

KEYS = {"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"], "space": ["K_SPACE"]}


def act(env, name):
    """The action index called `name`."""
    return env.unwrapped.action_names.index(name)
