"""``rnr sweep``: grids of runs trained together under ``jax.vmap`` (grid, programs),
the tasks (echo, copy, adding), the command, its figure and run kind."""
