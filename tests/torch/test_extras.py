"""The torch extra stays optional: ``import wordvec`` and the CLI never load it, and a missing
PyTorch gives an ImportError that says how to install it."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)


def test_import_wordvec_and_cli_do_not_load_torch():
    result = run("import sys, wordvec, wordvec.cli.app, wordvec.documents; "
                 "print('torch' in sys.modules, 'matplotlib' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_missing_torch_names_the_install_command():
    result = run("import sys; sys.modules['torch'] = None\n"
                 "try:\n    import wordvec.torch\nexcept ImportError as e:\n    print(e)")
    assert result.returncode == 0, result.stderr
    assert "pip install 'wordvec[torch]'" in result.stdout
