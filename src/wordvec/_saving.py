"""Saving atomically: files and directories that a reader sees old or new, never half written.

Atomic saves: a reader sees the old content or the new, never half of it, and a save killed at
any instant leaves ``PATH`` holding the old or the new copy; the next save or load of ``PATH``
finishes or undoes it (:func:`recover_interrupted_save`). The names a save uses are hidden
siblings of ``PATH`` tagged with the writer (``.NAME.<host>.<pid>.<random>.<state>``):

1. the content is written into ``.NAME.<tag>.tmp`` (a file, or a directory whose files are all
   flushed and fsync'ed);
2. a file is then moved over ``PATH`` with :func:`os.replace` (atomic on POSIX and Windows in
   one directory) and the save is done; a directory is renamed ``.NAME.<tag>.new``: complete;
3. holding a lock on the parent directory (``flock``; where none can be taken, e.g. Windows,
   without it), ``PATH`` is renamed ``.NAME.<tag>.old`` and ``.new`` renamed ``PATH``;
4. ``.old`` is renamed ``.NAME.<tag>.del`` and deleted.
Directory entries are fsync'ed after each step, so the renames survive a crash in order.

:func:`recover_interrupted_save` (every save calls it; loaders call it before looking at
``PATH``), under the same lock: if ``PATH`` is missing, a dead writer's newest complete ``.new``
is renamed to ``PATH`` (roll forward: the save was killed between the two renames, or before
its first one) or else its ``.old`` is renamed back (roll back); then every ``.tmp``, ``.new``,
``.old`` and ``.del`` of a dead writer is deleted. A writer is dead when its host is this host
and its pid no longer runs (``os.kill(pid, 0)``): a live writer's names, and those of another
host's, are never touched (on Windows, where a pid cannot be asked safely, no writer counts as
dead). The lock keeps a loader from seeing ``PATH`` between the renames of a live save. Names
left by wordvec 0.1 (``.NAME.<8 chars>.tmp``, ``.NAME.<12 hex>.old``) have no owner: such an
``.old`` is rolled back or deleted, such a ``.tmp`` deleted once it is a day old.

A full disk (``ENOSPC``, ``EDQUOT``) during a save is reported with the path being saved.

Test hook: with ``WORDVEC_TEST_PAUSE_AT`` set to a point of a save (``file-written``,
``dir-written``, ``dir-complete``, ``between-renames``, ``swapped``), a save that reaches it writes
the point's name to the file ``WORDVEC_TEST_PAUSE_FILE`` names and sleeps, so a test can kill it
exactly there (tests/test_save_recovery.py).

This module is the bottom layer: it imports nothing from wordvec but :mod:`wordvec._files`.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from wordvec._files import FULL_DISK, STDIN

__all__ = ["atomic_directory", "atomic_write", "check_replaceable_directory", "recover_interrupted_save"]


# ---------------------------------------------------------------------------------- writing
# Read once at import (os.umask can only be read by setting it); temporary files are
# created 0600 and are given the mode an ordinary open() would have given them.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
#: wordvec 0.1's temporary names have no owner: such a .tmp is deleted once this old (seconds).
_LEGACY_TMP_AGE = 24 * 3600


def _fsync_dir(path: Path) -> None:
    """fsync a directory entry (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _check_parent(path: Path) -> Path:
    parent = _parent(path)
    if not parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {parent} does not exist")
    return parent


def _full_disk_error(exc: BaseException, path: Path) -> OSError | None:
    """The error naming ``path`` for a save that ran out of space (None for other errors)."""
    if isinstance(exc, OSError) and exc.errno in FULL_DISK:
        return OSError(exc.errno, f"{os.strerror(exc.errno)} while saving; nothing was replaced (free space "
                                  f"on that disk, or save elsewhere, and try again)", os.fspath(path))
    return None


def _pause(point: str) -> None:
    """Test hook (see the module docstring): stop here while a test kills this process."""
    if os.environ.get("WORDVEC_TEST_PAUSE_AT") != point:
        return
    sentinel = os.environ.get("WORDVEC_TEST_PAUSE_FILE")
    if sentinel:
        Path(sentinel).write_text(point, encoding="utf-8")
    time.sleep(600)


# ------------------------------------------------------------ save names, owners, recovery
@functools.cache
def _host_id() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _new_tag() -> str:
    """``<host>.<pid>.<random>``: who writes, so that another process can tell whether it still runs."""
    return f"{_host_id()}.{os.getpid()}.{os.urandom(4).hex()}"


def _hidden(path: Path, tag: str, state: str) -> Path:
    return path.with_name(f".{path.name}.{tag}.{state}")


def _writer_gone(host: str, pid: int) -> bool:
    """True only when the writer ran on this host and its process has ended."""
    if host != _host_id() or os.name != "posix":  # on Windows os.kill(pid, 0) would end the process
        return False
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # PermissionError: it runs, as another user
        return False
    try:  # Linux: a process that ended but is not reaped yet (a zombie) still answers os.kill
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[:1] in ([b"Z"], [b"X"])
    except OSError:
        return False


def _untouched_for(path: Path, seconds: float) -> bool:
    try:
        times = [path.lstat().st_mtime]
        if path.is_dir() and not path.is_symlink():
            times += [entry.stat(follow_symlinks=False).st_mtime for entry in os.scandir(path)]
    except OSError:
        return False
    return max(times) < time.time() - seconds


def _leftovers(path: Path) -> list[tuple[Path, str, bool, bool]]:
    """The hidden names saves of ``path`` use, as (name, state, whether its writer is gone,
    whether it is another process of this host that still runs)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"(?:(?P<host>[0-9a-f]{8})\.(?P<pid>\d+)\.[0-9a-f]{8}\."
                         r"(?P<state>tmp|new|old|del)|(?P<legacy>[a-z0-9_]{8}\.tmp|[0-9a-f]{12}\.old))")
    try:
        names = os.listdir(_parent(path))
    except OSError:
        return []
    found = []
    for name in names:
        m = pattern.fullmatch(name)
        if m is None:
            continue
        sibling = path.with_name(name)
        if m["state"]:
            gone = _writer_gone(m["host"], int(m["pid"]))
            other = m["host"] == _host_id() and m["pid"] != str(os.getpid())
            found.append((sibling, m["state"], gone, other and not gone))
        else:  # wordvec 0.1 (no owner): an .old is left over; a .tmp may be written right now
            state = m["legacy"][-3:]
            found.append((sibling, state, state == "old" or _untouched_for(sibling, _LEGACY_TMP_AGE), False))
    return found


@contextmanager
def _parent_lock(parent: Path) -> Iterator[bool]:
    """An exclusive ``flock`` on the directory ``parent`` while the block runs, where one can be
    taken (POSIX, local file systems; yields True); elsewhere the block runs unlocked (False)."""
    fd, locked = None, False
    try:
        import fcntl

        fd = os.open(parent, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        locked = True
    except (ImportError, OSError):
        pass
    try:
        yield locked
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _to_trash(sibling: Path, path: Path) -> Path | None:
    """Rename ``sibling`` to a ``.del`` name of this process (never rolled in, deleted by whoever
    finds it orphaned): the deletion that follows may itself be interrupted."""
    trash = _hidden(path, _new_tag(), "del")
    try:
        os.rename(sibling, trash)
    except OSError:
        return None
    return trash


def _delete(path: Path | None) -> None:
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def recover_interrupted_save(path: str | os.PathLike[str]) -> str | None:
    """Finish or undo an interrupted save of ``path`` and delete what interrupted saves left.

    Every save calls it first; a loader calls it before it looks at ``path`` (cheap: one
    listing of the parent directory when there is nothing to do). If ``path`` is missing
    because a save was killed between its two renames (or before its first), the newest
    complete copy of a dead writer is renamed in ("rolled forward"), else the copy it had moved
    aside is renamed back ("rolled back"); then every temporary a dead writer left is deleted.
    Live writers (other processes or threads saving now) and other hosts' writers are never
    touched. Returns what was done: ``"rolled forward"``, ``"rolled back"`` or None.
    """
    path = Path(path)
    if not path.name or os.fspath(path) == STDIN or not _leftovers(path):
        return None
    parent = _parent(path)
    action, trash = None, []
    with _parent_lock(parent) as locked:
        found = _leftovers(path)
        if not os.path.lexists(path):
            # A writer moves path aside and back in while it holds this lock, so an .old of a
            # writer that still runs means it was killed there and is ending: wait for it.
            deadline = time.monotonic() + 5
            while locked and any(kind == "old" and running for _, kind, _, running in found) \
                    and time.monotonic() < deadline:
                time.sleep(0.01)
                found = _leftovers(path)
            for state, done in (("new", "rolled forward"), ("old", "rolled back")):
                copies = [sibling for sibling, kind, gone, _ in found if gone and kind == state]
                if copies:
                    copy = max(copies, key=_mtime)
                    try:
                        os.rename(copy, path)
                    except OSError as exc:
                        raise OSError(exc.errno, f"missing: an interrupted save left its complete copy at {copy}, "
                                                 f"which cannot be moved into place ({exc.strerror}); rename it to "
                                                 f"{path.name}", os.fspath(path)) from None
                    _fsync_dir(parent)
                    action = done
                    break
        for sibling, _, gone, _ in found:
            if gone and os.path.lexists(sibling):
                trash.append(_to_trash(sibling, path))
    for t in trash:
        _delete(t)
    if trash:
        _fsync_dir(parent)
    return action


# ---------------------------------------------------------------------------------- saving
@contextmanager
def atomic_write(path: str | os.PathLike[str], *, compress: bool = False) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing; the content replaces ``path`` only on a clean exit.

    With ``compress=True`` the bytes written are gzip-compressed (the gzip header records
    the destination's name without ``.gz`` and a zero timestamp, so output is reproducible).
    If the body raises, the temporary file is removed and ``path`` is left untouched. Temporary
    files of earlier saves of ``path`` that were killed are deleted first.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file name")
    parent = _check_parent(path)
    recover_interrupted_save(path)
    tmp = _hidden(path, _new_tag(), "tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise (_full_disk_error(exc, path) or exc) from None
    try:
        with os.fdopen(fd, "wb") as raw:
            if compress:
                inner = path.name[:-3] if path.name.endswith(".gz") else path.name
                with gzip.GzipFile(filename=inner, mode="wb", fileobj=raw, mtime=0) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield raw
            raw.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(raw.fileno(), 0o666 & ~_UMASK)
            os.fsync(raw.fileno())
        _pause("file-written")
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        full = _full_disk_error(exc, path)
        if full is not None:
            raise full from exc
        raise
    _fsync_dir(parent)


def check_replaceable_directory(path: str | os.PathLike[str], kind: str = "wordvec model") -> None:
    """Raise ``FileExistsError`` unless a directory may be written at ``path``: a new path, an
    empty directory, or a wordvec directory (``config.json`` with a ``format_version``)."""
    path = Path(path)
    if not path.exists():
        return
    if not path.is_dir():
        raise FileExistsError(f"{path} exists and is a file, not a directory; a {kind} is a directory")
    if any(path.iterdir()) and not _is_wordvec_directory(path):
        raise FileExistsError(f"refusing to replace {path}: it is a non-empty directory without a wordvec "
                              f"config.json; choose a new path or remove it first")


def _is_wordvec_directory(path: Path) -> bool:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "format_version" in config


def _fsync_tree(root: Path) -> None:
    """fsync every regular file under ``root``, then every directory (deepest first)."""
    for folder, _, names in os.walk(root, topdown=False):
        for name in names:
            file = Path(folder, name)
            if file.is_file() and not file.is_symlink():
                with open(file, "rb+") as f:
                    os.fsync(f.fileno())
        _fsync_dir(Path(folder))


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary directory; on a clean exit it becomes ``path``.

    An existing wordvec directory at ``path`` (one whose ``config.json`` has a
    ``format_version``, as every directory wordvec writes) or an empty one is replaced; a
    file, or a non-empty directory that holds no wordvec model, is refused
    (:func:`check_replaceable_directory`), so a mistyped path never deletes unrelated data.
    Every regular file written into the temporary directory is fsync'ed before the swap. If
    the body raises, the temporary directory is deleted and ``path`` is left untouched. An
    earlier save of ``path`` that was interrupted is finished or undone first (see the module
    docstring for the protocol).
    """
    path = Path(path)
    recover_interrupted_save(path)
    check_replaceable_directory(path)
    parent = _check_parent(path)
    tag = _new_tag()
    tmp, new = _hidden(path, tag, "tmp"), _hidden(path, tag, "new")
    try:
        os.mkdir(tmp, 0o700)
    except OSError as exc:
        raise (_full_disk_error(exc, path) or exc) from None
    try:
        os.chmod(tmp, 0o777 & ~_UMASK)
        yield tmp
        _fsync_tree(tmp)
        _pause("dir-written")
        os.rename(tmp, new)
        _fsync_dir(parent)
        _pause("dir-complete")
        _swap_in(new, path, tag)
    except BaseException as exc:
        for leftover in (tmp, new):
            shutil.rmtree(leftover, ignore_errors=True)
        full = _full_disk_error(exc, path)
        if full is not None:
            raise full from exc
        raise


def _swap_in(new: Path, dest: Path, tag: str) -> None:
    """Move the complete directory ``new`` to ``dest``; an existing ``dest`` is renamed aside
    first and deleted after, so that at every moment a complete copy exists under a name
    :func:`recover_interrupted_save` knows."""
    parent = _parent(dest)
    old = None
    with _parent_lock(parent):
        if not os.path.lexists(dest):
            os.rename(new, dest)
        else:
            old = _hidden(dest, tag, "old")
            os.rename(dest, old)
            try:
                _pause("between-renames")
                os.rename(new, dest)
            except BaseException:
                os.rename(old, dest)
                raise
        _fsync_dir(parent)
    if old is not None:
        _pause("swapped")
        _delete(_to_trash(old, dest))
        _fsync_dir(parent)
