#!/bin/sh
# Bad (4.4.3): xtrace prints the token expanded into the container log.
set -eux
huggingface-cli login --token "$HF_TOKEN"
exec python -m vllm.entrypoints.openai.api_server --model "${MODEL:-meta-llama/Llama-3.1-8B-Instruct}" --port 8000
