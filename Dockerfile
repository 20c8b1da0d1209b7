FROM python:3.11-slim
WORKDIR /app
# The SQLite shape: data and the generated key in two volumes, so a copy of /data holds no key.
ENV PYTHONUNBUFFERED=1 SUARA_DATA_DIR=/data SUARA_SECRET_FILE=/secrets/secret_key
COPY pyproject.toml README.md ./
COPY governance ./governance
COPY workers ./workers
COPY web ./web
RUN pip install --no-cache-dir . && useradd --create-home suara && mkdir -p /data /secrets && chown suara /data /secrets && chmod 700 /data /secrets
USER suara
EXPOSE 8000
CMD ["uvicorn", "--factory", "web.app:production_app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-access-log"]
