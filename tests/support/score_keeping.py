"""Where each toy game keeps its score, and the hooks that truly give its reward and its end.

Shared by the inspection tests and the inspection benchmark. ``None`` among the ends means "the
game ends by itself" (no terminate hook needed).
"""

import numpy as np

#: toy game -> (where the score lives, the true reward hook, the true end hooks)
TOYS = {
    "score_in_global": (
        "module global",
        'hooks.variable_delta("toygames.score_in_global:score")',
        {None},
    ),
    "score_in_attribute": (
        "attribute of an attribute (world.player.score)",
        'hooks.variable_delta("toygames.score_in_attribute:world.player.score")',
        {'hooks.when_called("toygames.score_in_attribute:game_over_screen")'},
    ),
    "score_in_local": (
        "local of run_game()",
        'hooks.variable_delta(hooks.local("toygames.score_in_local:run_game.score"))',
        {None, 'hooks.when_called("toygames.score_in_local:show_game_over")'},
    ),
    "score_in_list_length": (
        "length of a list (a snake's body)",
        'hooks.variable_delta(hooks.length("toygames.score_in_list_length:body"))',
        {None},
    ),
    "score_in_class_attribute": (
        "class attribute (Tally.points), reset in place",
        'hooks.variable_delta("toygames.score_in_class_attribute:Tally.points")',
        {
            'hooks.when("toygames.score_in_class_attribute:Tally.over", bool)',
            'hooks.when("toygames.score_in_class_attribute:Tally.lives", lambda v: v <= 0)',
        },
    ),
    "score_on_screen_only": (
        "only on screen, drawn by mark_point()",
        'hooks.on_call("toygames.score_on_screen_only:mark_point")',
        {None},
    ),
    "score_in_dict": (
        "dict entry (stats['score'])",
        "hooks.variable_delta(\"toygames.score_in_dict:stats['score']\")",
        {None},
    ),
}


def tally(obs):
    """The toy games draw their score as white pixels along the top row."""
    return int(np.all(obs[0] == 255, axis=-1).sum())
