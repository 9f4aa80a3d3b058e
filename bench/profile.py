"""Where a server's work goes, from py-spy's raw samples: ``python -m bench.profile FILE [FILE...]``.

Record the samples with ``BENCH_PROFILE_DIR=<folder> python -m bench ack`` (or ingest): each
measured run is sampled into ``<folder>/<benchmark>-<request>-<server>.txt``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
OWN = ("bot/", "handlers/", "storage/", "bench/")
WAITING = {  # leaf frames where a thread blocks (py-spy cannot tell idle threads apart here)
    ("Condition.wait", "threading.py"), ("_worker", "concurrent/futures/thread.py"),
    ("EpollSelector.select", "selectors.py"), ("serve", "bench/serve.py"), ("Event.wait", "threading.py"),
    ("ThreadListenerRunner.run", "slack_bolt/listener/thread_runner.py"),  # its 10 ms polls for the ack
    ("BaseScheduler._main_loop", "apscheduler/schedulers/base.py"), ("Thread.join", "threading.py"),
    ("SSLSocket.read", "ssl.py"), ("SocketIO.readinto", "socket.py"),
}


def summarize(path: Path, top: int = 25) -> str:
    stacks: list[tuple[list[tuple[str, str]], int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame(text) for text in stack.split(";")]
        if frames[-1] not in WAITING:
            stacks.append((frames, int(count)))
    total = sum(count for _frames, count in stacks) or 1
    by_package: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, count in stacks:
        by_package[_package(frames[-1][1])] += count
        for name in {f"{function} ({file})" for function, file in frames if file.startswith(OWN)}:
            inclusive[name] += count
    lines = [f"{path.name}: {total} samples of a thread at work",
             "  self time by package: " + ", ".join(f"{name} {count / total:.0%}"
                                                  for name, count in by_package.most_common(12)),
             "  inclusive, own code:"]
    lines += [f"    {count / total:5.1%}  {name}" for name, count in inclusive.most_common(top)]
    return "\n".join(lines)


def _frame(text: str) -> tuple[str, str]:
    match = FRAME.match(text.strip())
    return (match["function"], match["file"]) if match else (text, "")


def _package(file: str) -> str:
    if file.startswith(OWN):
        return file.split("/", 1)[0] + "/"
    head = file.split("/", 1)[0]
    return head if "/" in file or head.endswith(".py") is False else f"stdlib {head}"


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(summarize(Path(argument)))
