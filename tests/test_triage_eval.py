"""The development and held-out sets, and what docs/triage.md says triage does on them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.config import load_config
from bot.triage.evaluation import LabelledFileError, evaluate, format_report, load
from bot.config.triage import RISK_CATEGORIES
from bot.cli.triage import classifier

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
DEV_SET = DATA / "triage_dev.jsonl"
MORE = DATA / "triage_more.jsonl"
"""The second development set: its tune half trains the model, its test half is reported."""
THIRD = DATA / "triage_third.jsonl"
"""The third development set, by ten more writers: its tune part trains the model, its test quarter is reported."""
OLD_HOLDOUT = DATA / "triage_holdout.jsonl"
HOLDOUT = DATA / "triage_holdout2.jsonl"
"""Written by another writer before the model was tuned, and measured once."""
DOC = ROOT / "docs" / "triage.md"


def rows(path: Path = DEV_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def printed(path: Path, split: str | None = None) -> str:
    classify = classifier(load_config(ROOT / "app.yaml"))
    return format_report(evaluate(load(path, split), lambda text: classify(text)[1]))


def documented(block: str) -> str:
    found = re.search(rf"<!-- {block}: begin -->\n```\n(.*?)\n```\n<!-- {block}: end -->",
                      DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert found is not None, block
    return found.group(1)


def test_the_development_sets_are_large_bilingual_hard_and_split_by_category_and_language():
    for path in (DEV_SET, MORE):
        data = rows(path)
        assert len(data) >= 400
        languages = Counter(row["lang"] for row in data)
        assert min(languages.values()) >= len(data) / 3, (path.name, languages)
        assert sum(row["hard_negative"] for row in data) >= len(data) / 4, path.name
        strata = Counter((row["lang"], row["category"] or ("hard" if row["hard_negative"] else "none"),
                          row["split"]) for row in data)
        for lang in ("en", "ko"):
            for stratum in (*RISK_CATEGORIES, "hard", "none"):
                tune, test = strata[lang, stratum, "tune"], strata[lang, stratum, "test"]
                assert test >= 5 if stratum in RISK_CATEGORIES else test >= 15, (path.name, lang, stratum)
                assert abs(tune - test) <= 3, (path.name, lang, stratum)


def test_the_held_out_set_is_new_bilingual_hard_and_covers_every_category():
    data = rows(HOLDOUT)
    languages = Counter(row["lang"] for row in data)
    assert languages["en"] >= 100 and languages["ko"] >= 100
    assert sum(row["hard_negative"] for row in data) >= len(data) / 3
    for lang in ("en", "ko"):
        found = Counter(row["category"] for row in data if row["lang"] == lang)
        assert all(found[category] >= 5 for category in RISK_CATEGORIES), lang
        sentiments = Counter(row["sentiment"] for row in data if row["lang"] == lang)
        assert min(sentiments.values()) >= 15 and len(sentiments) == 3, lang
    seen = {row["text"].casefold() for path in (DEV_SET, MORE, OLD_HOLDOUT, THIRD) for row in rows(path)}
    also_in_training = [row for row in data if row["text"].casefold() in seen]
    # Writers working apart can both write "Is there a student discount?"; no risk message is shared.
    assert len(also_in_training) <= 2 and not [row for row in also_in_training if row["category"]]


def test_the_third_set_is_new_bilingual_and_keeps_a_test_quarter_of_every_category():
    data = rows(THIRD)
    assert len(data) >= 3000
    strata = Counter((row["lang"], row["category"] or ("hard" if row["hard_negative"] else "none"), row["split"])
                     for row in data)
    for lang in ("en", "ko"):
        for stratum in (*RISK_CATEGORIES, "hard", "none"):
            tune, test = strata[lang, stratum, "tune"], strata[lang, stratum, "test"]
            assert test >= 5 and 0.15 <= test / (tune + test) <= 0.35, (lang, stratum, tune, test)
    seen = {row["text"].casefold() for path in (DEV_SET, MORE, OLD_HOLDOUT, HOLDOUT) for row in rows(path)}
    assert not [row for row in data if row["text"].casefold() in seen]


def test_the_held_out_figures_in_the_doc_are_what_triage_eval_prints():
    assert printed(HOLDOUT) == documented("triage-eval-holdout")


def test_the_test_half_figures_in_the_doc_are_what_triage_eval_prints():
    assert printed(MORE, "test") == documented("triage-eval-test")


def test_the_third_sets_test_figures_in_the_doc_are_what_triage_eval_prints():
    assert printed(THIRD, "test") == documented("triage-eval-third")


TARGETS = (  # (figure, row of the doc's target table, met when)
    ("urgent caught", "urgent messages marked urgent or high ≥ 0.95", lambda rate: rate >= 0.95),
    ("false alarm", "false alarms (not urgent, marked urgent) ≤ 0.05", lambda rate: rate <= 0.05),
    ("sentiment", "sentiment accuracy ≥ 0.85", lambda rate: rate >= 0.85),
)


def test_the_doc_says_which_targets_each_set_meets():
    classify = classifier(load_config(ROOT / "app.yaml"))
    reports = {"held-out": evaluate(load(HOLDOUT), lambda text: classify(text)[1]),
               "test half": evaluate(load(MORE, "test"), lambda text: classify(text)[1]),
               "third set's test quarter": evaluate(load(THIRD, "test"), lambda text: classify(text)[1])}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for figure, row, met in TARGETS:
        at = next(index for index, line in enumerate(lines) if line.startswith(f"| {row} |"))
        for line, (name, report) in zip(lines[at:at + len(reports)], reports.items(), strict=True):
            in_every_language = all(met(report.rate(lang, figure)) for lang in ("en", "ko"))
            assert line.endswith(f"| met ({name}) |" if in_every_language else f"| **not met** ({name}) |"), line
            for lang, cell in zip(("en", "ko"), line.split("|")[2:4], strict=True):
                assert f"{report.rate(lang, figure):.2f}" == cell.strip(), (row, name, lang)


def test_every_target_holds_on_the_test_parts():
    classify = classifier(load_config(ROOT / "app.yaml"))
    for report in (evaluate(load(MORE, "test"), lambda text: classify(text)[1]),
                   evaluate(load(THIRD, "test"), lambda text: classify(text)[1])):
        for lang in ("en", "ko"):
            assert report.rate(lang, "urgent caught") >= 0.95
            assert report.rate(lang, "false alarm") <= 0.05
            assert report.rate(lang, "sentiment") >= 0.85


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
    assert re.search(r"^\| sentiment accuracy \| [01]\.\d\d \([01]/1\) \| [01]\.\d\d \([01]/1\) \| ", run.stdout, re.M)

    explained = subprocess.run([sys.executable, "-m", "bot", "triage", "explain", "계정이 해킹당해서 모르는 주문이 있어요"],
                               capture_output=True, text=True, cwd=ROOT, check=True).stdout.splitlines()
    assert explained[0] == "priority:  urgent"
    assert explained[1].startswith("sentiment: negative")
    assert explained[2:4] == ["category:  security (the patterns)", "evidence:  해킹당해서"]


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
