"""The engine: cells, the scan, the model, the one compiled chunk (tbptt), the one host
loop, the one trainer, optimizers, devices and memory checks."""
