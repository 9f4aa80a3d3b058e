"""The development set and what docs/triage.md says triage does on its test half."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.config import load_config
from bot.triage.evaluation import LabelledFileError, evaluate, format_report, load
from bot.triage.risk import CATEGORIES
from bot.triage_cli import classifier

ROOT = Path(__file__).parent.parent
DEV_SET = ROOT / "tests" / "data" / "triage_dev.jsonl"
DOC = ROOT / "docs" / "triage.md"


def rows() -> list[dict]:
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_development_set_is_large_bilingual_hard_and_split_by_category_and_language():
    data = rows()
    assert len(data) >= 400
    languages = Counter(row["lang"] for row in data)
    assert languages["ko"] >= len(data) / 2 - 10 and languages["en"] >= len(data) / 2 - 10
    assert sum(row["hard_negative"] for row in data) >= len(data) / 3
    strata = Counter((row["lang"], row["category"] or ("hard" if row["hard_negative"] else "none"), row["split"])
                     for row in data)
    for lang in ("en", "ko"):
        for stratum in (*CATEGORIES, "hard", "none"):
            tune, test = strata[lang, stratum, "tune"], strata[lang, stratum, "test"]
            assert test >= 5 if stratum in CATEGORIES else test >= 15
            assert abs(tune - test) <= 1, (lang, stratum)


def test_the_figures_in_the_doc_are_what_triage_eval_prints_on_the_test_half():
    classify = classifier(load_config(ROOT / "app.yaml"))
    printed = format_report(evaluate(load(DEV_SET, "test"), lambda text: classify(text)[1]))
    documented = re.search(r"<!-- triage-eval-test: begin -->\n```\n(.*?)\n```\n<!-- triage-eval-test: end -->",
                           DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert documented is not None
    assert printed == documented.group(1)


def test_the_targets_hold_on_the_test_half_where_the_doc_says_they_do():
    classify = classifier(load_config(ROOT / "app.yaml"))
    report = evaluate(load(DEV_SET, "test"), lambda text: classify(text)[1])
    for lang in ("en", "ko"):
        assert report.rate(lang, "urgent caught") >= 0.95
        assert report.rate(lang, "false alarm") <= 0.05
    assert report.rate("ko", "sentiment") >= 0.85
    assert report.rate("en", "sentiment") >= 0.75  # below the 0.85 asked; docs/triage.md says so


def test_eval_and_explain_from_the_command_line(tmp_path):
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text(
        json.dumps({"text": "the charger caught fire on my desk", "category": "safety", "priority": "urgent",
                    "sentiment": "negative"}) + "\n"
        + json.dumps({"text": "배송 언제 와요?", "priority": "normal", "sentiment": "neutral"}) + "\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bot", "triage", "eval", str(labelled)], capture_output=True,
                         text=True, cwd=ROOT, check=True)
    assert run.stdout.startswith("2 messages\n")
    assert "| urgent-or-high recall of urgent messages | 1.00 (1/1) | – | 1.00 (1/1) |" in run.stdout
    assert "| sentiment accuracy | 1.00 (1/1) | 1.00 (1/1) | 1.00 (2/2) |" in run.stdout

    explained = subprocess.run([sys.executable, "-m", "bot", "triage", "explain", "계정이 해킹당해서 모르는 주문이 있어요"],
                               capture_output=True, text=True, cwd=ROOT, check=True).stdout.splitlines()
    assert explained[0] == "priority:  urgent"
    assert explained[1].startswith("sentiment: negative")
    assert explained[2:4] == ["category:  security", "evidence:  해킹당해서"]


def test_a_bad_labelled_line_is_named(tmp_path):
    labelled = tmp_path / "bad.jsonl"
    labelled.write_text('{"text": "hi", "priority": "normal"}\n{"text": "x", "category": "fire"}\n', encoding="utf-8")
    try:
        load(labelled)
    except LabelledFileError as error:
        assert str(error) == (f"{labelled}:2: unknown category 'fire'; use safety, violence, security, privacy, "
                              "legal, regulator, harassment, press, viral or null")
    else:
        raise AssertionError("the bad line was accepted")
    run = subprocess.run([sys.executable, "-m", "bot", "triage", "eval", str(labelled)], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 2 and run.stderr.startswith(f"socialdesk: {labelled}:2: unknown category")
