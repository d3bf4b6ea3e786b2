"""The tutorial's echo experiment (``rnr eco``): its settings and training
(experiment), command, figures, view and run kind."""
