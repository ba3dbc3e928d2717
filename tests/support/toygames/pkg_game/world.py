class World:
    """State of the packaged game; it lives in a submodule to test fresh imports of siblings."""

    def __init__(self):
        self.energy = 10
        self.alive = True

    def bump(self):
        self.energy -= 1
        self.alive = self.energy > 0
