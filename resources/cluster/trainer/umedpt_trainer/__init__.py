"""UMedPT multi-task pretraining on PyTorch: the app's method (model, losses,
cyclic sampler, decoupled step, AdamW, schedules, checkpoints) for clusters.

Written for UMedPT Studio; reads a run bundle (`umedpt bundle`) and writes the
app's run-folder files, so the app follows and imports the run like its own.
"""

__version__ = "0.1.0"
