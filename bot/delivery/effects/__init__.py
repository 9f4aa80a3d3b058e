"""The effects the worker carries out, one module per family; each function takes the attempt and
the job's typed payload (bot.domain.effects)."""
