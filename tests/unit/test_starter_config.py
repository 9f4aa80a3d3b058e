"""The commented starter `socialdesk init` writes: it loads as it is, and every example in it loads
once uncommented where the comment says, so a new user who follows a comment gets a working file."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_config

STARTER = Path(__file__).resolve().parents[2] / "app.yaml"
DEFAULT_SLA = "escalate_after: 1h, escalate_to: pr}"
EXTRA_SLA = "escalate_after: 1h, escalate_to: pr, warn_at: [50%, 80%], on_call: {urgent: S0ONCALL1}}"


def uncommented(text: str) -> str:
    """The examples switched on: the `replying:` block of a brand, the extra keys the SLA comment
    names, and every commented top-level block from `# triage:` on."""
    lines, top_level = [], False
    for line in text.replace(DEFAULT_SLA, EXTRA_SLA).splitlines():
        if line.startswith("# triage:"):
            top_level = True
        if top_level and line.startswith("#"):
            line = line[2:] if line.startswith("# ") else line[1:]
        elif line.lstrip().startswith(("# replying:", "#   signature:", "#   private_by_default:")):
            line = line.replace("# ", "", 1)
        lines.append(line)
    return "\n".join(lines)


def test_the_starter_loads_as_written():
    config = load_config(str(STARTER))
    assert set(config.brands) == {"acme", "haneul"}


def test_every_example_in_the_starter_loads_once_uncommented(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(uncommented(STARTER.read_text(encoding="utf-8")), encoding="utf-8")
    config = load_config(str(path))
    assert config.brands["acme"].sla["default"].warn_at == ["50%", "80%"]
    assert config.auto_replies["acme-hook"].after_human is False
    assert config.triage.rules
