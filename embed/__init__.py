"""The embedding model's runtime: which device, ONNX Runtime or torch, the GPU feeder, the ONNX export."""

from embed.embedder import Embedder

__all__ = ["Embedder"]
