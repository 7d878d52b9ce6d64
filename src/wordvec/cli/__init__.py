"""The ``wordvec`` command line: a typer app (:mod:`wordvec.cli.app`), one module per command.

Each command is a thin wrapper over a public function of the library; heavy modules
(NumPy, numba, the models) are imported inside the commands so ``wordvec --help`` is instant.
"""
