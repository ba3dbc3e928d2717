"""World Models (Ha & Schmidhuber 2018): V compresses frames, M predicts, C acts (by CMA-ES).

Files, one job each: :mod:`.config` (every option), :mod:`.vae` (V), :mod:`.mdnrnn` (M),
:mod:`.controller` (C), :mod:`.policy` (V, M and C acting together), :mod:`.data` (recorded
episodes on disk), :mod:`.workers` (processes or Ray actors that play the game),
:mod:`.evaluation` (scoring candidates in the game or in the dream), :mod:`.cmaes` (the strategy,
pickled), :mod:`.pipeline` (the five stages), :mod:`.visuals` (pictures) and :mod:`.agent`.
Ray is imported only when ``ray_address`` is set.
"""

from pygameplayer.agents.world_models.agent import WorldModelsAgent
from pygameplayer.agents.world_models.config import WorldModelsConfig

__all__ = ["WorldModelsAgent", "WorldModelsConfig"]
