"""Train the shipped triage model, or try its settings.

    python -m bot.triage.retrain                          # the shipped model, from TRAINING_FILES
    python -m bot.triage.retrain FILES --folds 5          # cross-validation of the settings on FILES
    python -m bot.triage.retrain FILES --validate OTHERS  # train on FILES, report on OTHERS
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.triage.cross_validation import report, report_on
from bot.triage.evaluation import load
from bot.triage.training import DATA, TRAINING_FILES, Settings, save, train, tuning_rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.triage.retrain", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(TRAINING_FILES))
    parser.add_argument("--out", type=Path, default=DATA, help="the folder to write the model to")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate instead of writing the model")
    parser.add_argument("--penalty", type=float, default=Settings.penalty)
    parser.add_argument("--sentiment-penalty", type=float, default=Settings.sentiment_penalty)
    parser.add_argument("--risk-weight", type=float, default=Settings.risk_weight)
    parser.add_argument("--threshold", type=float, default=Settings.threshold)
    parser.add_argument("--sure", type=float, default=Settings.sure)
    parser.add_argument("--doubt", type=float, default=Settings.doubt)
    parser.add_argument("--steps", type=int, default=Settings.steps)
    parser.add_argument("--category-lexicons", action="store_true", help="let the category head see the lexicons")
    parser.add_argument("--validate", type=Path, nargs="*", help="train on FILES, report on these")
    arguments = parser.parse_args(argv)
    rows = tuning_rows(arguments.files)
    settings = Settings(penalty=arguments.penalty, sentiment_penalty=arguments.sentiment_penalty,
                        risk_weight=arguments.risk_weight, threshold=arguments.threshold, sure=arguments.sure,
                        doubt=arguments.doubt, steps=arguments.steps,
                        category_lexicons=arguments.category_lexicons)
    if arguments.validate:
        held = [row for path in arguments.validate for row in load(path)]
        print(report_on(rows, held, settings))
        return 0
    if arguments.folds:
        print(report(rows, settings, arguments.folds))
        return 0
    weights, names = train(rows, settings)
    save(weights, names, arguments.out)
    print(f"trained on {len(rows)} messages, {len(names)} features; wrote {arguments.out}/model.npz", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
