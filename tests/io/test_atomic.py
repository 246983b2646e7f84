"""Atomic writes: whatever goes wrong during a save, the previous file stays byte-identical.

Faults are simulated by raising inside the ``with`` block, by monkeypatching ``os.fsync`` /
``os.replace`` to fail, by a file whose writes hit "No space left on device" (ENOSPC), and by
a real process that dies in the middle of a write.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import glassnet.io.atomic as atomic
from glassnet.io import atomic_write, load_arrays, save_arrays

OLD = b"the previous model, complete \x00\x01\x02" * 10


@pytest.fixture
def old_file(tmp_path):
    """A target that already holds a complete previous version."""
    path = tmp_path / "model.safetensors"
    path.write_bytes(OLD)
    return path


def assert_untouched(path):
    """The target still holds OLD and no temporary file was left in its directory."""
    assert path.read_bytes() == OLD
    assert os.listdir(path.parent) == [path.name]


class DiskFull:
    """Wraps a real file; a write that would go past ``capacity`` bytes raises ENOSPC."""

    def __init__(self, file, capacity: int):
        self.file = file
        self.capacity = capacity
        self.written = 0

    def write(self, data):
        if self.written + len(data) > self.capacity:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(data)
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


@pytest.fixture
def disk_full(monkeypatch):
    """Make every file that atomic_write opens run out of space after 100 bytes."""
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: DiskFull(real_fdopen(*a, **k), 100))


# ----------------------------------------------------------------------------------------------
# Normal writes


def test_creates_a_new_file(tmp_path):
    path = tmp_path / "new.bin"
    with atomic_write(path) as file:
        file.write(b"abc")
        assert not path.exists()  # nothing is visible before the block ends
    assert path.read_bytes() == b"abc"
    assert os.listdir(tmp_path) == ["new.bin"]


def test_replaces_an_existing_file(old_file):
    with atomic_write(old_file) as file:
        file.write(b"new")
        assert old_file.read_bytes() == OLD
    assert old_file.read_bytes() == b"new"
    assert os.listdir(old_file.parent) == [old_file.name]


def test_text_mode_writes_utf8(tmp_path):
    path = tmp_path / "notes.txt"
    with atomic_write(str(path), "w") as file:
        file.write("café 你好")
    assert path.read_bytes() == "café 你好".encode("utf-8")


def test_relative_path_in_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with atomic_write("here.bin") as file:
        file.write(b"x")
    assert (tmp_path / "here.bin").read_bytes() == b"x"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_permissions_are_those_of_open(tmp_path, old_file):
    umask = os.umask(0)
    os.umask(umask)
    path = tmp_path / "fresh.bin"
    with atomic_write(path) as file:
        file.write(b"x")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    os.chmod(old_file, 0o600)  # a replaced file keeps its permission bits
    with atomic_write(old_file) as file:
        file.write(b"x")
    assert old_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_is_kept_and_its_target_replaced(tmp_path, old_file):
    link = tmp_path / "latest.safetensors"
    try:
        os.symlink(old_file.name, link)
    except OSError:  # e.g. Windows without the privilege
        pytest.skip("cannot create symbolic links here")
    with atomic_write(link) as file:
        file.write(b"new")
    assert link.is_symlink()
    assert old_file.read_bytes() == b"new"


# ----------------------------------------------------------------------------------------------
# Refused before anything is written


def test_missing_directory_is_named_and_nothing_is_created(tmp_path):
    path = tmp_path / "missing" / "model.safetensors"
    with pytest.raises(FileNotFoundError, match="its directory does not exist") as caught:
        with atomic_write(path) as file:
            file.write(b"never")
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == str(tmp_path / "missing")
    assert os.listdir(tmp_path) == []


def test_save_arrays_into_a_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.*its directory does not exist"):
        save_arrays(tmp_path / "missing" / "w.safetensors", {"w": np.zeros(2)})
    assert os.listdir(tmp_path) == []


def test_a_directory_as_target(tmp_path):
    with pytest.raises(IsADirectoryError, match="it is a directory, not a file"):
        with atomic_write(tmp_path):
            pass
    assert os.listdir(tmp_path) == []


def test_unknown_mode(tmp_path):
    with pytest.raises(ValueError, match="mode must be 'wb' or 'w', received 'ab'"):
        with atomic_write(tmp_path / "x", "ab"):
            pass
    assert os.listdir(tmp_path) == []


# ----------------------------------------------------------------------------------------------
# Failures during the write leave the previous file intact and no temporary file behind


def test_exception_in_the_block(old_file):
    with pytest.raises(KeyError, match="crash"):
        with atomic_write(old_file) as file:
            file.write(b"half of the new mod")
            raise KeyError("crash")
    assert_untouched(old_file)


def test_keyboard_interrupt_in_the_block(old_file):
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(old_file) as file:
            file.write(b"half")
            raise KeyboardInterrupt
    assert_untouched(old_file)


def test_exception_when_there_was_no_previous_file(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_write(tmp_path / "new.bin") as file:
            file.write(b"half")
            raise RuntimeError
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failing_fsync_or_rename(old_file, monkeypatch, failing):
    def fail(*args, **kwargs):
        raise OSError(errno.EIO, f"simulated {failing} failure")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(OSError, match=f"simulated {failing} failure"):
        with atomic_write(old_file) as file:
            file.write(b"complete new content")
    monkeypatch.undo()
    assert_untouched(old_file)


def test_disk_full_during_atomic_write(old_file, disk_full):
    with pytest.raises(OSError) as caught:
        with atomic_write(old_file) as file:
            file.write(b"x" * 60)
            file.write(b"x" * 60)
    assert caught.value.errno == errno.ENOSPC
    assert_untouched(old_file)


def test_disk_full_during_save_arrays(old_file, disk_full):
    with pytest.raises(OSError) as caught:
        save_arrays(old_file, {"W": np.ones((10, 10), np.float32)}, {"epoch": "2"})
    assert caught.value.errno == errno.ENOSPC
    assert_untouched(old_file)


def test_disk_full_again_when_closing(old_file, monkeypatch):
    # Closing flushes the buffer, which fails again on a full disk: the cleanup must still
    # remove the temporary file and report the first error.
    class FailsToClose(DiskFull):
        def close(self):
            self.file.close()
            raise OSError(errno.ENOSPC, "No space left on device (at close)")

    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: FailsToClose(real_fdopen(*a, **k), 10))
    with pytest.raises(OSError, match=r"No space left on device$"):
        with atomic_write(old_file) as file:
            file.write(b"y" * 20)
    assert_untouched(old_file)


def test_save_arrays_failing_half_way_keeps_the_previous_weights(tmp_path, monkeypatch):
    path = tmp_path / "w.safetensors"
    save_arrays(path, {"W": np.zeros(3, np.float32)}, {"epoch": "1"})
    before = path.read_bytes()
    writes = []

    class FailsAtThirdTensor:
        """Length, header and two tensors go through; the third tensor's write fails."""

        def __init__(self, file):
            self.file = file

        def write(self, data):
            writes.append(len(data))
            if len(writes) == 5:
                raise MemoryError("simulated failure while serialising the third tensor")
            return self.file.write(data)

        def __getattr__(self, name):
            return getattr(self.file, name)

    real_fdopen = os.fdopen
    monkeypatch.setattr(
        atomic.os, "fdopen", lambda *a, **k: FailsAtThirdTensor(real_fdopen(*a, **k))
    )
    arrays = {name: np.full(100, i, np.float32) for i, name in enumerate("abc")}
    with pytest.raises(MemoryError, match="simulated failure"):
        save_arrays(path, arrays, {"epoch": "2"})
    assert writes[2:] == [400, 400, 400]  # it failed with two tensors already written
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.safetensors"]
    arrays, metadata = load_arrays(path)
    assert arrays["W"].tolist() == [0.0, 0.0, 0.0] and metadata == {"epoch": "1"}


def test_unstorable_array_fails_before_any_file_is_opened(old_file, monkeypatch):
    def no_open(*args, **kwargs):
        raise AssertionError("a temporary file was opened")

    monkeypatch.setattr(atomic.os, "open", no_open)
    with pytest.raises(TypeError, match="array 'b' has dtype object"):
        save_arrays(old_file, {"a": np.ones(2), "b": np.array([object()])})
    monkeypatch.undo()
    assert_untouched(old_file)


def test_process_killed_mid_write_leaves_the_previous_file(old_file):
    # A real crash: the child writes part of the new file, then dies without any cleanup
    # (os._exit skips finally blocks and context managers, like SIGKILL or a power cut).
    child = textwrap.dedent(
        """
        import os, sys
        from glassnet.io.atomic import atomic_write
        with atomic_write(sys.argv[1]) as file:
            file.write(b"NEW" * 1000)
            file.flush()
            os._exit(3)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child, str(old_file)], capture_output=True, timeout=120
    )
    assert result.returncode == 3, result.stderr.decode()
    assert old_file.read_bytes() == OLD
    leftovers = [name for name in os.listdir(old_file.parent) if name != old_file.name]
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.safetensors.")
    assert leftovers[0].endswith(".tmp")
    assert (old_file.parent / leftovers[0]).read_bytes() == b"NEW" * 1000
