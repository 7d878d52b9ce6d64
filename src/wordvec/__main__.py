"""``python -m wordvec``: the command-line interface (see :mod:`wordvec.cli.app`)."""

from wordvec.cli.app import main

if __name__ == "__main__":
    main()
