FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 SUARA_DATA_DIR=/data
COPY pyproject.toml README.md ./
COPY governance ./governance
COPY workers ./workers
COPY web ./web
RUN pip install --no-cache-dir . && useradd --create-home suara && mkdir -p /data && chown suara /data
USER suara
EXPOSE 8000
CMD ["uvicorn", "--factory", "web.app:production_app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-access-log"]
