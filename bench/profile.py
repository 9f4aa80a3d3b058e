"""Where a server's work goes, from py-spy's raw samples: ``python -m bench.profile FILE [FILE...]``.

Record the samples with ``BENCH_PROFILE_DIR=<folder> python -m bench ack`` (or ingest): each
measured run is sampled into ``<folder>/<benchmark>-<request>-<server>.txt``, counting only the
thread that holds the interpreter. ``python -m bench latency`` samples every thread, waiting or not,
into ``latency-<server>.txt``; ``python -m bench.profile --waits FILE`` says what the threads that
handle Slack requests were doing. ``python -m bench to_slack`` samples every thread too, into
``to_slack-<server>.txt``; ``--delivery FILE`` says where the intake and the delivery worker spent
their time.
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


def request_waits(path: Path) -> str:
    """Samples of the threads that dispatch Slack requests (Bolt's ``App.dispatch``, from the ack's
    first middleware to the answer), by what they were doing; each sample is 1/rate s of one
    thread's time, so the shares are shares of the requests' time in the server."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        functions = [_frame(text)[0] for text in stack.split(";")]
        if not count.isdigit() or "App.dispatch" not in functions:
            continue
        if "RequestLedger.first_time" in functions:
            state = "waiting for the replay check (the ledger's INSERT, by its writer thread)"
        elif functions[-1] == "ThreadListenerRunner.run":
            state = "waiting for the listener's ack (Bolt polls every 10 ms)"
        else:
            state = "the rest: parsing, signature, middleware, matching the listener"
        counts[state] += int(count)
    total = sum(counts.values()) or 1
    return "\n".join([f"{path.name}: {total} samples of threads dispatching a Slack request"]
                     + [f"  {count / total:5.1%}  {state}" for state, count in counts.most_common()])


def delivery_phases(path: Path, rate: float = 250.0) -> str:
    """Samples of the intake's writer and the delivery worker, waiting or not, by the deepest of their
    methods on the stack: where a message's way from the webhook to Slack spends its time."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        functions = [_frame(text)[0] for text in stack.split(";")]
        if not count.isdigit():
            continue
        if "DeliveryWorker._loop" in functions:
            if functions[-1] in ("Condition.wait", "Event.wait"):
                state = "delivery worker: idle, until a commit wakes it"
            else:
                methods = [name for name in functions if name.startswith("DeliveryWorker.")]
                state = f"delivery worker: {methods[-1].removeprefix('DeliveryWorker.')}"
        elif "Desk.ingest_many" in functions:
            state = "intake: storing the batch"
        else:
            continue
        counts[state] += int(count)
    return "\n".join([f"{path.name}: seconds of each thread's time, by what it was doing"]
                     + [f"  {count / rate:6.2f} s  {state}" for state, count in counts.most_common()])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--waits"]:
        for argument in sys.argv[2:]:
            print(request_waits(Path(argument)))
    elif sys.argv[1:2] == ["--delivery"]:
        for argument in sys.argv[2:]:
            print(delivery_phases(Path(argument)))
    else:
        for argument in sys.argv[1:]:
            print(summarize(Path(argument)))
