# socialdesk as a container: `socialdesk serve` on port 3000, as an unprivileged user.
#   docker build -t socialdesk .
#   docker run --env-file .env -v "$PWD/app.yaml:/app/app.yaml:ro" -p 3000:3000 socialdesk
# With PostgreSQL: compose.yaml. Any other command: docker run ... socialdesk check

# --- build: install the package and its PostgreSQL driver into a virtualenv --------------------
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE app.yaml socialdesk.py ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN python -m venv /venv && /venv/bin/pip install ".[postgres]"

# --- run: the virtualenv only, no compilers or sources ---------------------------------------
FROM python:3.12-slim
RUN groupadd --system --gid 10001 socialdesk \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --home-dir /app --create-home socialdesk
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SOCIALDESK_CONFIG=/app/app.yaml \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
USER 10001:10001
EXPOSE 3000
# /healthz: the process answers (/readyz also checks the database, the worker and the token).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
ENTRYPOINT ["socialdesk"]
CMD ["serve"]
