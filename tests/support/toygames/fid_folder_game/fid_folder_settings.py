SIZE = (6, 4)
