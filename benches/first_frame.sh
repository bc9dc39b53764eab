#!/usr/bin/env bash
# Benchmark: first frame and idle CPU of `socops --demo` in a pseudo-terminal.
#
# 1. First frame: time from spawning the release binary in an 80x24 pseudo-terminal until the
#    first frame's header text ("socops", after the switch to the alternate screen) arrives.
#    Target < 200 ms. One warm-up run, then RUNS timed runs; min / median / p95 reported.
# 2. Idle CPU: once the demo data has loaded and the screen is quiet, the console's user +
#    system CPU ticks (/proc/<pid>/stat) over 5 s with no input. Target 0 ticks (allow <= 1).
#
# Uses target/release/socops; builds it with `cargo build --release` only when it is missing
# (or with --build). Needs python3 (its pty module drives the terminal). Everything runs on
# 127.0.0.1 (the demo tenant is in-process). Usage:
#   benches/first_frame.sh [--build] [RUNS]      (default 20 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
build=0
if [ "${1:-}" = "--build" ]; then build=1; shift; fi
runs=${1:-20}
bin=target/release/socops
if [ "$build" -eq 1 ] || [ ! -x "$bin" ]; then
  echo "building $bin (cargo build --release) ..."
  cargo build --release --quiet
else
  echo "using the existing $bin (built $(date -r "$bin" '+%Y-%m-%d %H:%M'); --build rebuilds it)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$runs" "$work" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time

binary, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ALT = b"\x1b[?1049h"
HEADER = b"socops"


def spawn(n):
    """Start `socops --demo` on a fresh pseudo-terminal of 80x24; returns (pid, fd, t0)."""
    env = dict(os.environ, TERM="xterm-256color",
               SOCOPS_CONFIG_DIR=f"{work}/{n}/config", SOCOPS_DATA_DIR=f"{work}/{n}/data")
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        # The size is set in the child, before exec, so socops never sees a 0x0 terminal.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(binary, [binary, "--demo"], env)
    return pid, fd, t0


def read(fd, timeout):
    ready, _, _ = select.select([fd], [], [], max(timeout, 0))
    if not ready:
        return b""
    try:
        return os.read(fd, 65536) or b""
    except OSError:
        return b""


def first_frame(pid, fd, t0, deadline=30.0):
    buf = b""
    while time.monotonic() - t0 < deadline:
        buf += read(fd, 0.5)
        i = buf.find(ALT)
        if i >= 0 and HEADER in buf[i:]:
            return time.monotonic() - t0
    raise SystemExit(f"no first frame within {deadline} s; output tail: {buf[-500:]!r}")


def drain(fd, seconds):
    """Keep reading (so socops never blocks on a full pty) for `seconds`; bytes read."""
    end, n = time.monotonic() + seconds, 0
    while (left := end - time.monotonic()) > 0:
        n += len(read(fd, left))
    return n


def quit(pid, fd):
    os.write(fd, b"q")
    end = time.monotonic() + 10
    while time.monotonic() < end:
        read(fd, 0.1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def q(samples, p):
    s = sorted(samples)
    return s[min(len(s), max(1, -(-len(s) * p // 100))) - 1]


times = []
for n in range(runs + 1):
    pid, fd, t0 = spawn(n)
    t = first_frame(pid, fd, t0)
    if n > 0:  # run 0 warms the page cache
        times.append(t)
    if n == runs:
        # The last run stays up for the idle measurement.
        break
    quit(pid, fd)
    os.close(fd)

# Idle: wait for the demo data to load and the screen to settle (1.5 s without output).
settle_end = time.monotonic() + 30
while time.monotonic() < settle_end and drain(fd, 1.5) > 0:
    pass
before = cpu_ticks(pid)
written = drain(fd, 5.0)
idle = cpu_ticks(pid) - before
code = quit(pid, fd)

ms = lambda s: f"{s * 1000:.1f} ms"
print(f"first frame of socops --demo (80x24 pty), {len(times)} runs after 1 warm-up")
print(f"  min {ms(min(times))}   median {ms(q(times, 50))}   p95 {ms(q(times, 95))}   "
      f"target < 200 ms: {'ok' if q(times, 95) < 0.2 else 'MISSED'}")
print(f"idle CPU over 5 s with no input: {idle} ticks "
      f"(1 tick = {1000 // os.sysconf('SC_CLK_TCK')} ms; {written} bytes written meanwhile)   "
      f"target 0 (allow <= 1): {'ok' if idle <= 1 else 'MISSED'}")
if code != 0:
    print(f"warning: socops exited with {code} after 'q'")
PY
