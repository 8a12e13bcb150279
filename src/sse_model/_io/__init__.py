"""Input and output edges: flat registers (tables) to and from the model."""
