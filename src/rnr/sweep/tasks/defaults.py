"""The sweep settings copy and adding share (each task's SWEEP adds its gaps)."""

GAP_TASKS = dict(hidden=32, batch=32, steps=1500, lr=0.01, optimizer="adam", clip=1.0, init="torch", forget_bias=1.0)
