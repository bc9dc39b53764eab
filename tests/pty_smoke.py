#!/usr/bin/env python3
"""Pseudo-terminal smoke test of the socops binary.

Starts `socops --demo` in an 80x24 pseudo-terminal, waits for the first frame, switches to the
Weekly tab, resizes to 100x24, quits with `q`, and checks that the process exits 0 and hands the terminal back
(leaves the alternate screen and shows the cursor again). Usage: pty_smoke.py BINARY
"""
import fcntl
import os
import re
import pty
import select
import struct
import sys
import termios
import time


def read_until(fd, needle, deadline, buf):
    while needle not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return buf, False
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return buf, needle in buf
        if not chunk:
            return buf, needle in buf
        buf += chunk
    return buf, True


def by_signal(pid, fd, buf, name):
    """Send SIG<name> once the console is up; expect exit 128+n and a restored terminal."""
    import signal
    signum = getattr(signal, "SIG" + name)
    time.sleep(1.0)
    os.kill(pid, signum)
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        buf, _ = read_until(fd, b"\x00never\x00", time.monotonic() + 0.2, buf)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
    if status is None:
        os.kill(pid, 9)
        print(f"socops did not exit within 20 s of SIG{name}", file=sys.stderr)
        return 1
    code = os.waitstatus_to_exitcode(status)
    if code != 128 + signum:
        print(f"SIG{name}: exit {code}, expected {128 + signum}", file=sys.stderr)
        return 1
    tail = buf[-4000:]
    if b"\x1b[?1049l" not in tail or b"\x1b[?25h" not in tail:
        print(f"SIG{name}: the terminal was not restored", file=sys.stderr)
        return 1
    print(f"pty smoke: SIG{name} restored the terminal")
    return 0


def check_tunables(pid, expect):
    """The running console's GLIBC_TUNABLES (after its re-exec) is `expect`. glibc parses the
    value in place, so the process's environment block may show NULs where the colons were."""
    with open(f"/proc/{pid}/environ", "rb") as f:
        raw = f.read()
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    parts = [re.escape(p.encode()) for p in expect.split(":")]
    pattern = b"(?:^|\x00)GLIBC_TUNABLES=" + b"[:\x00]".join(parts) + b"(?:\x00(?!glibc\.)|$)"
    if not re.search(pattern, raw):
        got = [kv for kv in raw.split(b"\x00") if kv.startswith(b"GLIBC_TUNABLES=")]
        print(f"GLIBC_TUNABLES is {got!r}, expected {expect!r}", file=sys.stderr)
        return 1
    print(f"pty smoke: GLIBC_TUNABLES={expect}")
    return 0


def main():
    binary = sys.argv[1]
    extra = sys.argv[2:]
    sig = os.environ.get("SOCOPS_PTY_SIGNAL")
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary, "--demo", *extra])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    buf = b""
    buf, ok = read_until(fd, b"Daily", time.monotonic() + 60, buf)
    if not ok:
        print("no first frame with 'Daily' within 60 s; output tail:", buf[-2000:], file=sys.stderr)
        os.kill(pid, 9)
        return 1
    expect = os.environ.get("SOCOPS_PTY_EXPECT_TUNABLES")
    if expect is not None:
        return check_tunables(pid, expect)
    if sig:
        return by_signal(pid, fd, buf, sig)
    time.sleep(1.0)
    os.write(fd, b"2")
    time.sleep(1.0)
    # ratatui redraws only changed cells, so words can arrive split by cursor moves. A resize
    # forces a full redraw, in which every row is written whole.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    mark = len(buf)
    buf, ok = read_until(fd, b"Secure Score", time.monotonic() + 30, buf)
    ok = ok and b"Secure Score" in buf[mark:]
    if not ok:
        print("the Weekly tab did not show 'Secure Score'; output tail:", buf[-2000:], file=sys.stderr)
        os.kill(pid, 9)
        return 1
    os.write(fd, b"q")
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        buf, _ = read_until(fd, b"\x00never\x00", time.monotonic() + 0.2, buf)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
    if status is None:
        os.kill(pid, 9)
        print("socops did not exit within 20 s of 'q'", file=sys.stderr)
        return 1
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(f"socops exited with {code}; output tail:", buf[-2000:], file=sys.stderr)
        return 1
    tail = buf[-4000:]
    if b"\x1b[?1049l" not in tail:
        print("the alternate screen was not left on exit", file=sys.stderr)
        return 1
    if b"\x1b[?25h" not in tail:
        print("the cursor was not shown again on exit", file=sys.stderr)
        return 1
    print("pty smoke: first frame, tab switch, quit and terminal restore OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
