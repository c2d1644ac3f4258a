# One image for the team server's app and its Dask workers (docs/deploy.md).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libportaudio2 ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
# CPU PyTorch first (as scripts/setup.sh does), then the project with the team extra; the Whisper weights.
RUN pip install --no-cache-dir "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir ".[team]" \
 && coach models --prepare tiny.en
ENV COACH_DATA_DIR=/var/lib/coach
EXPOSE 8501
CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
